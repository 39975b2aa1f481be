"""Every change to an organisation's profile: one transaction, one audit event, a version check."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import save_if_unchanged
from stepchange.organisations.models import Organisation

# Many-to-many fields are set after the row, inside the same transaction.
RELATED = ("areas_served", "pathways_served")


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    related = {name: fields[name] for name in RELATED if name in fields}
    plain = {name: value for name, value in fields.items() if name not in RELATED}
    return plain, related


@transaction.atomic
def organisation_create(*, actor: Any, fields: dict[str, Any]) -> Organisation:
    plain, related = _split(fields)
    organisation = Organisation.objects.create(**plain)
    for name, values in related.items():
        getattr(organisation, name).set(values)
    audit_record(actor=actor, action="organisation_create", obj=organisation, after=snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Any, organisation: Organisation, expected_version: int, fields: dict[str, Any]
) -> Organisation:
    """Save the profile only if nobody else saved it since the form was opened (else StaleEdit)."""
    before = snapshot(Organisation.objects.get(pk=organisation.pk))
    plain, related = _split(fields)
    save_if_unchanged(organisation, expected_version=expected_version, fields=plain)
    for name, values in related.items():
        getattr(organisation, name).set(values)
    audit_record(
        actor=actor, action="organisation_update", obj=organisation, before=before, after=snapshot(organisation)
    )
    return organisation
