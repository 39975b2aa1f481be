"""A return's history as a person reads it: what happened, who did it, and each change in words.

The audit events (``core.audit``) keep what a service recorded: field names, codes, a person or a
round by its id, timestamps in ISO form. A history shows none of those: each event is named in
words (``ACTION_LABELS``; one not listed is "Changed", never its code), each field by its label, a
person by their name, a choice by its label, a date as a date, yes or no for a flag. Fields that
say nothing to a reader (ids, versions, which round or commissioner it is, the rules' version)
are left out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from stepchange.core.audit import changed_fields, history_of
from stepchange.core.models import Pathway
from stepchange.returns.models import CoordinatorPost, ProbationLineChange, ProbationReturnLine

ACTION_LABELS = {
    "return_create": "Return opened",
    "return_line_save": "Figures saved",
    "return_line_add": "Contract added",
    "return_line_organisation_add": "Organisation named on a pathway",
    "return_line_organisation_remove": "Organisation taken off a pathway",
    "return_line_organisations_clear": "Every organisation taken off a pathway",
    "return_line_proposed_add": "Organisation proposed for the directory",
    "return_line_proposed_remove": "Proposed organisation taken off a pathway",
    "return_line_proposed_clear": "Every proposed organisation taken off a pathway",
    "return_post_save": "Co-ordinator post saved",
    "return_contracts_save": "Area-wide contracts saved",
    "return_contract_add": "Area-wide contract added",
    "return_contract_remove": "Area-wide contract taken off",
    "return_contracts_confirm": "Area-wide contracts confirmed",
    "return_submit": "Submitted",
    "return_submit_late": "Submitted late",
    "return_submit_nil": "Nil return submitted",
    "return_submit_nil_late": "Nil return submitted late",
    "return_send_back": "Returned for correction",
    "return_approve": "Approved",
    "return_reopen": "Reopened for a correction",
    "return_supersede": "Superseded by an approved correction",
    "return_upload": "Figures uploaded from a spreadsheet",
}
FIELD_LABELS = {
    "pathway": "Pathway",
    "services_running": "Services running",
    "services_started": "Services started",
    "services_ended": "Services ended",
    "spend": "Spend",
    "carried_over": "Carried over from last quarter",
    "organisations": "Organisations delivering",
    "proposed": "Organisations proposed",
    "added": "Added",
    "removed": "Taken off",
    "removed_count": "How many were taken off",
    "coordinator_post": "Co-ordinator post",
    "coordinator_fte": "Co-ordinator post (FTE)",
    "area_contracts_answered": "Area-wide contracts answered",
    "area_contracts": "Area-wide contracts",
    "submitted_at": "Submitted",
    "submitted_by": "Submitted by",
    "nil_return": "Nil return",
    "approved_at": "Approved",
    "approved_by": "Approved by",
    "returned_at": "Returned for correction",
    "returned_reason": "Why it was returned",
    "reopened_reason": "Why it was reopened",
    "reason": "Reason",
    "late_accepted_at": "Lateness accepted",
    "late_accepted_reason": "Why the lateness was accepted",
    "superseded_at": "Superseded",
    "title": "Contract",
    "recorded_value": "Recorded annual value",
    "annual_value": "Annual value",
    "change": "As reported",
    "sector": "Prime's sector",
    "funding_source": "Funding source",
    "pathways": "Pathways",
    "revision": "Revision",
    "as_at": "Position at",
    "file": "File",
}
HIDDEN_FIELDS = {
    "id",
    "version",
    "started_at",
    "confirmed_warnings",
    "rules_version",
    "round",
    "commissioner",
    "prison_return",
    "probation_return",
    "contract",
    "recorded_by",
    "recorded_at",
    "line",
}


def _choices(model: Any, name: str) -> list[tuple[Any, Any]]:
    return list(getattr(model._meta.get_field(name), "choices", None) or [])


# Fields whose stored value is a code of these choices: shown by the choice's label.
CHOICES: dict[str, dict[str, str]] = {
    "coordinator_post": dict(CoordinatorPost.choices),
    "change": dict(ProbationLineChange.choices),
    "sector": {"vcs": "Voluntary and community", "private": "Private", "public": "Public"},
    "funding_source": {str(code): str(label) for code, label in _choices(ProbationReturnLine, "funding_source")},
}
PEOPLE = {"submitted_by", "approved_by"}
WHEN = {"submitted_at", "approved_at", "returned_at", "late_accepted_at", "superseded_at"}


def field_label(name: str) -> str:
    """A field's label; a key written in words already (a pathway's name in an upload) as it is."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    return name.replace("_", " ").capitalize() if name.islower() else name


def _when(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%-d %B %Y %H:%M}"


def _date(value: str) -> str:
    try:
        return f"{datetime.date.fromisoformat(value):%-d %B %Y}"
    except ValueError:
        return value


def _name_of_person(value: Any, people: dict[int, str]) -> str:
    if isinstance(value, int):
        return people.get(value, "someone no longer registered")
    return str(value)


def _sector_in_words(text: str) -> str:
    for code, label in (("vcs", "voluntary and community"), ("private", "private")):
        if text.endswith(f" ({code})"):
            return f"{text[: -len(code) - 3]} ({label})"
    return text


def value_text(name: str, value: Any, *, people: dict[int, str], pathways: dict[int, str]) -> Any:
    """A stored value as a reader reads it (None stays None: the page shows a dash)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in PEOPLE:
        return _name_of_person(value, people)
    if name == "pathway" and isinstance(value, int):
        return pathways.get(value, "a pathway no longer asked")
    if name in WHEN and isinstance(value, str):
        return _when(value)
    if name == "as_at" and isinstance(value, str):
        return _date(value)
    if name in CHOICES and isinstance(value, str):
        return CHOICES[name].get(value, value)
    if name in {"spend", "annual_value", "recorded_value"} and isinstance(value, str):
        try:
            return f"£{Decimal(value):,.2f}"
        except InvalidOperation:
            return value
    if name in {"added", "removed", "proposed"}:
        # A proposed organisation is recorded as "Name (vcs)": its sector in words.
        items = value if isinstance(value, list) else [value]
        return ", ".join(_sector_in_words(str(item)) for item in items) or None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {v}" for k, v in value.items())
    return value


def history(the_return: Any) -> list[dict[str, Any]]:
    """Every event of ``the_return``, newest first as ``history_of`` gives them, in words."""
    events = list(history_of(the_return))
    ids: set[int] = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            ids.update(v for k, v in side.items() if k in PEOPLE and isinstance(v, int))
    people = {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=ids)}
    pathways = dict(Pathway.objects.values_list("pk", "name"))
    entries = []
    for event in events:
        changes = [
            {
                "field": field_label(name),
                "before": value_text(name, before, people=people, pathways=pathways),
                "after": value_text(name, after, people=people, pathways=pathways),
            }
            for name, before, after in changed_fields(event)
            if name not in HIDDEN_FIELDS
        ]
        if event.action in {"return_create", "return_reopen"}:
            changes = [c for c in changes if c["field"] == "Reason"]
        entries.append(
            {
                "at": event.at,
                "actor": event.actor or "The service",
                "action": ACTION_LABELS.get(event.action, "Changed"),
                "changes": changes,
            }
        )
    return entries
