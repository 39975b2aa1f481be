"""Every change to an organisation's profile: one transaction, one audit event, a version check.

The protected fields (``models.PROTECTED_FIELDS``) change only by the regional team's hand, either
in the profile form or by approving an organisation's request; each such change is also kept as a
dated ``ProfileChange``, the history of what the organisation was and from when.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, first_wins, save_if_unchanged, taken
from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused, check_document
from stepchange.organisations import access
from stepchange.organisations.models import (
    PROTECTED_FIELDS,
    Commissioner,
    CommissionerKind,
    Organisation,
    ProfileChange,
    ProfileChangeRequest,
    Sector,
)
from stepchange.organisations.selectors import protected_label

# Many-to-many fields are set after the row, inside the same transaction.
RELATED = ("areas_served", "pathways_served")
ONLY_THE_REGIONAL_TEAM = (
    "Only the regional team changes an organisation's sector, region, size or BME-led, women-specific "
    "and user-led flags; ask them for the change, with evidence."
)


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    related = {name: fields[name] for name in RELATED if name in fields}
    plain = {name: value for name, value in fields.items() if name not in RELATED}
    return plain, related


def _stored(name: str, value: Any) -> Any:
    """A protected field's value as a request keeps it: a region by its id."""
    if name == "region":
        return value.pk if isinstance(value, Region) else value
    return value


def protected_changes(organisation: Organisation, fields: dict[str, Any]) -> dict[str, Any]:
    """The protected fields among ``fields`` whose value differs from the organisation's, as stored."""
    return {
        name: _stored(name, fields[name])
        for name in PROTECTED_FIELDS
        if name in fields and _stored(name, fields[name]) != _stored(name, getattr(organisation, name))
    }


def _record_protected_change(
    *,
    actor: Any,
    before: Organisation,
    after: Organisation,
    changed: list[str],
    effective_on: datetime.date | None,
    request: ProfileChangeRequest | None = None,
) -> ProfileChange:
    return ProfileChange.objects.create(
        organisation=after,
        effective_on=effective_on or timezone.localdate(),
        changed_at=timezone.now(),
        changed_by=actor,
        before={name: protected_label(name, getattr(before, name)) for name in changed},
        after={name: protected_label(name, getattr(after, name)) for name in changed},
        request=request,
    )


@transaction.atomic
def organisation_create(*, actor: Any, fields: dict[str, Any]) -> Organisation:
    plain, related = _split(fields)
    with first_wins(
        taken(
            Organisation,
            lookup={"name": plain.get("name")},
            refusal=ValidationError({"name": "Organisation with this Name already exists."}),
        )
    ):
        organisation = Organisation.objects.create(**plain)
    for name, values in related.items():
        getattr(organisation, name).set(values)
    audit_record(actor=actor, action="organisation_create", obj=organisation, after=snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    expected_version: int,
    fields: dict[str, Any],
    effective_on: datetime.date | None = None,
) -> Organisation:
    """Save the profile only if nobody else saved it since the form was opened (else StaleEdit).

    A change to a protected field is refused unless the actor is the organisation's regional team,
    and is kept in the dated history, effective from ``effective_on`` (today if not given).
    """
    current = Organisation.objects.get(pk=organisation.pk)
    changed = list(protected_changes(current, fields))
    if changed and not access.may_change_protected(actor, current):
        raise PermissionDenied(ONLY_THE_REGIONAL_TEAM)
    before = snapshot(current)
    plain, related = _split(fields)
    save_if_unchanged(organisation, expected_version=expected_version, fields=plain)
    for name, values in related.items():
        getattr(organisation, name).set(values)
    if changed:
        _record_protected_change(
            actor=actor, before=current, after=organisation, changed=changed, effective_on=effective_on
        )
    audit_record(
        actor=actor, action="organisation_update", obj=organisation, before=before, after=snapshot(organisation)
    )
    return organisation


def change_request_snapshot(change_request: ProfileChangeRequest) -> dict[str, Any]:
    """What the audit trail keeps of a request: never the evidence's bytes, always their SHA-256."""
    return {
        "organisation": change_request.organisation.name,
        "changes": change_request.changes,
        "reason": change_request.reason,
        "evidence": change_request.evidence_name,
        "evidence_sha256": change_request.evidence_sha256,
        "status": change_request.status,
        "refusal_reason": change_request.refusal_reason,
    }


@transaction.atomic
def change_request_create(
    *, actor: Any, organisation: Organisation, fields: dict[str, Any], reason: str, evidence: Any = None
) -> ProfileChangeRequest:
    """An organisation's own people ask for protected fields to change; nothing changes until decided."""
    if not access.may_request_change(actor, organisation):
        raise PermissionDenied(ONLY_THE_REGIONAL_TEAM)
    changes = protected_changes(organisation, fields)
    if not changes:
        raise ValidationError({"sector": "Change at least one of these answers, or go back without asking."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the change is right and what shows it."})
    # The organisation's row is locked first: of two people asking at once, the second waits here,
    # then finds the first's request waiting (one waiting request per organisation).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    waiting = organisation.change_requests.filter(decided_at__isnull=True).first()
    if waiting is not None:
        raise already_done(
            waiting,
            by=waiting.requested_by,
            at=waiting.requested_at,
            did="asked for a change to these answers",
            then="that request is waiting for the regional team's decision; wait for it first.",
            url=reverse("organisations:detail", args=[organisation.pk]),
        )
    change_request = ProfileChangeRequest(
        organisation=organisation,
        changes=changes,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    if evidence is not None:
        try:
            checked = check_document(evidence)
        except UploadRefused as refused:
            raise ValidationError({"evidence": str(refused)}) from None
        change_request.evidence = checked.content
        change_request.evidence_name = checked.display_name
        change_request.evidence_format = checked.kind
        change_request.evidence_content_type = checked.content_type
        change_request.evidence_size = checked.size
        change_request.evidence_sha256 = checked.sha256
    change_request.save()
    audit_record(
        actor=actor,
        action="profile_change_request_create",
        obj=change_request,
        after=change_request_snapshot(change_request),
    )
    return change_request


def _asked_values(change_request: ProfileChangeRequest) -> dict[str, Any]:
    """The request's values as the model takes them: a region as a Region, which must still exist."""
    values = dict(change_request.changes)
    if "region" in values and values["region"] is not None:
        region = Region.objects.filter(pk=values["region"]).first()
        if region is None:
            raise ValidationError({"decision": "The region asked for no longer exists; refuse the request."})
        values["region"] = region
    return values


@transaction.atomic
def change_request_decide(
    *,
    actor: Any,
    change_request: ProfileChangeRequest,
    approve: bool,
    refusal_reason: str = "",
    effective_on: datetime.date | None = None,
) -> ProfileChangeRequest:
    """The regional team approves a request (the change applied, dated) or refuses it with a reason."""
    if not access.change_requests_decidable_by(actor).filter(pk=change_request.pk).exists():
        raise PermissionDenied(ONLY_THE_REGIONAL_TEAM)
    locked = ProfileChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not locked.is_pending:
        raise already_done(
            locked,
            by=locked.decided_by,
            at=locked.decided_at,
            did="approved this request" if locked.approved else "refused this request",
            then="here it is.",
            url=reverse("organisations:change-request", args=[locked.pk]),
        )
    if not approve and not refusal_reason.strip():
        raise ValidationError({"refusal_reason": "Say why the request is refused; the organisation is shown it."})
    before = change_request_snapshot(locked)
    applied: ProfileChange | None = None
    if approve:
        current = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        organisation = Organisation.objects.get(pk=current.pk)
        values = _asked_values(locked)
        changed = list(protected_changes(current, values))
        save_if_unchanged(organisation, expected_version=current.version, fields=values)
        if changed:
            applied = _record_protected_change(
                actor=actor,
                before=current,
                after=organisation,
                changed=changed,
                effective_on=effective_on,
                request=locked,
            )
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.approved = approve
    locked.refusal_reason = "" if approve else refusal_reason.strip()
    locked.save(update_fields=["decided_at", "decided_by", "approved", "refusal_reason"])
    after = change_request_snapshot(locked)
    if applied is not None:
        after["applied"] = {
            "effective_on": applied.effective_on.isoformat(),
            "before": applied.before,
            "after": applied.after,
        }
    audit_record(
        actor=actor,
        action="profile_change_request_approve" if approve else "profile_change_request_refuse",
        obj=locked,
        before=before,
        after=after,
    )
    return locked


# --- A region's commissioners ---------------------------------------------------------------------


def _check_commissioner_kind(*, kind: str, operator: str, establishment_type: str) -> None:
    """A prison says who runs it (public or private sector); nothing else has an operator or a type."""
    if kind == CommissionerKind.PRISON and not operator:
        raise ValidationError({"operator": "Select whether the prison is run by the public or the private sector"})
    if kind != CommissionerKind.PRISON and (operator or establishment_type):
        raise ValidationError({"operator": "Only a prison is run by a sector or has an establishment type"})


def _check_commissioner_clashes(
    *, name: str, code: str | None, kind: str, region: Region, commissioner: Commissioner | None = None
) -> None:
    errors: dict[str, str] = {}
    others = Commissioner.objects.exclude(pk=commissioner.pk) if commissioner else Commissioner.objects.all()
    if code is not None and (same_code := others.filter(code__iexact=code).select_related("organisation").first()):
        errors["code"] = f"The code {code} is already used by {same_code.name}; choose another code"
    organisations = Organisation.objects.filter(name__iexact=name)
    if commissioner is not None:
        organisations = organisations.exclude(pk=commissioner.organisation_id)
    if organisations.exists():
        errors["name"] = f"There is already an organisation called {name}; choose another name"
    if kind == CommissionerKind.REGIONAL and others.filter(region=region, kind=CommissionerKind.REGIONAL).exists():
        errors["name"] = f"{region} already has a regional team; change that one instead"
    if errors:
        raise ValidationError(errors)


def _commissioner_snapshot(commissioner: Commissioner) -> dict[str, Any]:
    return {
        **snapshot(commissioner),
        "name": commissioner.organisation.name,
        "version": commissioner.organisation.version,
    }


@transaction.atomic
def commissioner_create(
    *,
    actor: Any,
    region: Region,
    kind: str,
    code: str,
    name: str,
    operator: str = "",
    establishment_type: str = "",
) -> Commissioner:
    """Add a probation area, a prison or the regional team to a region: the commissioner and its
    organisation (public sector, of the region) together, or neither. Codes are kept in capitals."""
    code = code.upper()
    if not access.commissioner_regions_for(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("You can set up the commissioners of your own region only.")
    _check_commissioner_kind(kind=kind, operator=operator, establishment_type=establishment_type)
    _check_commissioner_clashes(name=name, code=code, kind=kind, region=region)
    with (
        first_wins(
            taken(
                Organisation,
                lookup={"name__iexact": name},
                refusal=ValidationError(
                    {"name": f"There is already an organisation called {name}; choose another name"}
                ),
            )
        ),
        first_wins(
            taken(
                Commissioner,
                lookup={"code__iexact": code},
                refusal=ValidationError({"code": f"The code {code} is already used; choose another code"}),
            )
        ),
    ):
        organisation = Organisation.objects.create(name=name, sector=Sector.PUBLIC, region=region)
        commissioner = Commissioner.objects.create(
            organisation=organisation,
            code=code,
            kind=kind,
            region=region,
            operator=operator,
            establishment_type=establishment_type,
        )
    audit_record(
        actor=actor, action="commissioner_create", obj=commissioner, after=_commissioner_snapshot(commissioner)
    )
    return commissioner


@transaction.atomic
def commissioner_update(
    *,
    actor: Any,
    commissioner: Commissioner,
    expected_version: int,
    name: str,
    operator: str = "",
    establishment_type: str = "",
) -> Commissioner:
    """Change a commissioner's name (its organisation's) and, for a prison, who runs it and its type.
    Its code and kind stay: reports, exports and URLs name it by them. The organisation's version
    refuses a stale edit, whether made here or on the organisation's profile."""
    if not access.commissioners_set_up_by(actor).filter(pk=commissioner.pk).exists():
        raise PermissionDenied("You can set up the commissioners of your own region only.")
    _check_commissioner_kind(kind=commissioner.kind, operator=operator, establishment_type=establishment_type)
    _check_commissioner_clashes(
        name=name, code=None, kind=commissioner.kind, region=commissioner.region, commissioner=commissioner
    )
    before = _commissioner_snapshot(Commissioner.objects.select_related("organisation").get(pk=commissioner.pk))
    organisation = commissioner.organisation
    save_if_unchanged(organisation, expected_version=expected_version, fields={"name": name})
    commissioner.operator = operator
    commissioner.establishment_type = establishment_type
    commissioner.save(update_fields=["operator", "establishment_type"])
    audit_record(
        actor=actor,
        action="commissioner_update",
        obj=commissioner,
        before=before,
        after=_commissioner_snapshot(commissioner),
    )
    return commissioner
