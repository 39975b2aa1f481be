"""Uploads of a filled-in return, prison or probation: the whole file saved in one transaction
with one audit event, or nothing (``returns.upload`` and ``returns.probation_sheet`` check it
first). The other writes to returns are in ``returns.services``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record
from stepchange.core.bulk import insert_rows
from stepchange.core.concurrency import save_if_unchanged
from stepchange.returns.models import (
    RULES_VERSION,
    PrisonReturn,
    PrisonReturnLine,
    PrisonReturnUpload,
    ProbationLineChange,
    ProbationReturn,
    ProbationReturnLine,
    ProposedOrganisation,
    coordinator_fte,
)

if TYPE_CHECKING:
    from stepchange.returns.probation_sheet import CheckedProbationFile
    from stepchange.returns.upload import CheckedFile, LineFigures

from stepchange.returns.services._common import _editable, _touch
from stepchange.returns.services.probation import probation_line_change


def _line_state(line: PrisonReturnLine | None) -> tuple[Any, ...] | None:
    if line is None:
        return None
    return (
        line.services_running,
        line.services_started,
        line.services_ended,
        line.spend,
        line.carried_over,
        frozenset(o.pk for o in line.organisations.all()),
        frozenset((p.name, p.sector) for p in line.proposed.all()),
    )


def _wanted_state(figures: LineFigures) -> tuple[Any, ...]:
    return (
        figures.services_running,
        figures.services_started,
        figures.services_ended,
        figures.spend,
        False,
        frozenset(o.pk for o in figures.organisations),
        frozenset(figures.proposed),
    )


def _line_summary(line: PrisonReturnLine | None, names: list[str] | None = None) -> str:
    """The line in words, for an audit event; ``names`` are those delivering, if already read."""
    if line is None:
        return "Not filled in"
    text = f"{line.services_running} running, {line.services_started} started, {line.services_ended} ended"
    if line.spend is not None:
        text += f", spend £{line.spend}"
    if names is None:
        names = [o.name for o in line.organisations.all()] + [f"{p.name} (proposed)" for p in line.proposed.all()]
    if names:
        text += "; delivered by " + ", ".join(names)
    if line.carried_over:
        text += " (carried over)"
    return text


@transaction.atomic
def prison_return_upload(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, checked: CheckedFile
) -> PrisonReturnUpload | None:
    """Save everything a checked file (returns/upload.py) says into the return, or nothing.

    A file that says what the return already holds changes nothing: no version, no audit event,
    no stored upload (so uploading the same file twice is the same as uploading it once). A file
    that changes something is kept with the rules version it passed, and one audit event records
    every pathway, the post and the contracts it changed, before and after.
    """
    _editable(prison_return)
    existing = {line.pathway_id: line for line in prison_return.lines.prefetch_related("organisations", "proposed")}
    changed = [f for f in checked.lines if _line_state(existing.get(f.pathway.pk)) != _wanted_state(f)]
    fields: dict[str, Any] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if checked.post is not None:
        post, fte = checked.post
        fte = coordinator_fte(post, fte)
        if (prison_return.coordinator_post, prison_return.coordinator_fte) != (post, fte):
            fields.update(coordinator_post=post, coordinator_fte=fte)
            before["coordinator_post"] = prison_return.coordinator_post
            before["coordinator_fte"] = _plain_fte(prison_return.coordinator_fte)
            after["coordinator_post"] = post
            after["coordinator_fte"] = _plain_fte(fte)
    contracts_before = sorted(str(c) for c in prison_return.area_contracts.all())
    if checked.contracts is not None:
        wanted = {c.pk for c in checked.contracts}
        if not prison_return.area_contracts_answered or wanted != {c.pk for c in prison_return.area_contracts.all()}:
            fields["area_contracts_answered"] = True
            before["area_contracts"] = contracts_before
            after["area_contracts"] = sorted(str(c) for c in checked.contracts)
    if not changed and not fields:
        return None

    save_if_unchanged(
        prison_return,
        expected_version=expected_version,
        fields={**fields, "started_at": prison_return.started_at or timezone.now()},
    )
    # The lines' organisations and proposals replaced: the old removed, the new inserted as plain
    # rows in one go for every line (a national return names tens of thousands; a model object
    # each cost more than the insert). Every name and sector was checked with the file.
    links: list[tuple[int, int]] = []
    proposals: list[tuple[int, str, str, str]] = []
    saved_lines: list[tuple[str, int]] = []
    for figures in changed:
        line = existing.get(figures.pathway.pk)
        before[figures.pathway.name] = _line_summary(line)
        if line is None:
            line = PrisonReturnLine(prison_return=prison_return, pathway=figures.pathway)
        else:
            line.organisations.clear()
            line.proposed.all().delete()
        line.services_running = figures.services_running
        line.services_started = figures.services_started
        line.services_ended = figures.services_ended
        line.spend = figures.spend
        line.carried_over = False
        line.save()
        links += [(line.pk, organisation.pk) for organisation in dict.fromkeys(figures.organisations)]
        # A new proposal waits for review: no organisation, no decision, no reason (empty text).
        proposals += [(line.pk, name, sector, "") for name, sector in figures.proposed]
        saved_lines.append((figures.pathway.name, line.pk))
    insert_rows(PrisonReturnLine.organisations.through, ("prisonreturnline", "organisation"), links)
    insert_rows(ProposedOrganisation, ("line", "name", "sector", "rejected_reason"), proposals)
    for pathway_name, line_pk in saved_lines:
        # As stored (the spend as the column rounds it), the names read alone in the same order as
        # .all() gives them: a national return's thousands of organisations are not built as models.
        saved = PrisonReturnLine.objects.get(pk=line_pk)
        names = list(saved.organisations.values_list("name", flat=True))
        names += [f"{name} (proposed)" for name in saved.proposed.values_list("name", flat=True)]
        after[pathway_name] = _line_summary(saved, names)
    if checked.contracts is not None and "area_contracts_answered" in fields:
        prison_return.area_contracts.set(checked.contracts)
    stored = PrisonReturnUpload.objects.create(
        prison_return=prison_return,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=timezone.now(),
        file_format=checked.upload.kind,
        display_name=checked.upload.display_name,
        content=checked.content,
        sha256=checked.sha256,
        size=checked.upload.size,
        template_version=checked.identity.template_version,
        rules_version=RULES_VERSION,
        based_on_version=checked.identity.based_on_version,
        result_version=prison_return.version,
        download=checked.identity.download,
    )
    after["file"] = f"{checked.upload.display_name} (SHA-256 {checked.sha256[:12]}…, rules version {RULES_VERSION})"
    audit_record(actor=actor, action="return_upload", obj=prison_return, before=before, after=after)
    return stored


def _probation_line_state(line: ProbationReturnLine) -> tuple[Any, ...]:
    return (
        line.title,
        line.annual_value,
        line.change,
        line.sector,
        line.funding_source,
        sorted(p.pk for p in line.pathways.all()),
    )


def _probation_line_summary(line: ProbationReturnLine) -> dict[str, Any]:
    return {
        "title": line.title,
        "annual_value": str(line.annual_value),
        "change": line.change,
        "sector": line.sector,
        "funding_source": line.funding_source,
        "pathways": sorted(p.code for p in line.pathways.all()),
    }


@transaction.atomic
def probation_return_upload(
    *, actor: Any, probation_return: ProbationReturn, expected_version: int, checked: CheckedProbationFile
) -> int | None:
    """Save everything a checked probation spreadsheet (returns/probation_sheet.py) says into the
    return, or nothing: each line's annual value and whether it ended (the change worked out as the
    line page does), and the contracts it adds. One audit event records every line changed, before
    and after. A file that says what the return already holds changes nothing and returns None;
    otherwise the number of lines changed or added."""
    _editable(probation_return)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    changed = 0
    pending = []
    for values in checked.lines:
        line = values.line
        if line is None:
            pending.append(values)
            continue
        state = _probation_line_state(line)
        if line.change != ProbationLineChange.NEW:
            change = probation_line_change(line, annual_value=values.annual_value, ended=values.ended)
            wanted = (line.title, values.annual_value, change, line.sector, line.funding_source, state[5])
        else:
            wanted = (
                values.title,
                values.annual_value,
                line.change,
                values.sector,
                values.funding_source,
                sorted(p.pk for p in values.pathways),
            )
        if wanted != state:
            pending.append(values)
    if not pending:
        return None
    _touch(probation_return, expected_version)
    for values in pending:
        line = values.line
        key = f"line {line.pk}" if line is not None else f"new: {values.title}"
        if line is None:
            line = ProbationReturnLine(probation_return=probation_return, change=ProbationLineChange.NEW)
        else:
            before[key] = _probation_line_summary(line)
        line.change = probation_line_change(line, annual_value=values.annual_value, ended=values.ended)
        line.annual_value = values.annual_value
        if line.change != ProbationLineChange.NEW:
            line.save()
        else:
            line.title = values.title
            line.sector = values.sector
            line.funding_source = values.funding_source
            line.save()
            line.pathways.set(values.pathways)
        after[key] = _probation_line_summary(ProbationReturnLine.objects.get(pk=line.pk))
        changed += 1
    after["file"] = f"{checked.upload.display_name} (SHA-256 {checked.sha256[:12]}…)"
    audit_record(actor=actor, action="return_upload", obj=probation_return, before=before, after=after)
    return changed


def _plain_fte(fte: Decimal | None) -> str | None:
    return None if fte is None else str(fte)
