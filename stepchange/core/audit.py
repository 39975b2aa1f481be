"""Audit events: every service that changes a record calls ``audit_record`` in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models

from stepchange.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, *, many_to_many: bool = True) -> dict[str, Any]:
    """The record's fields as JSON-safe values; many-to-many fields as sorted lists of names (left
    out with ``many_to_many=False``, for a caller that knows them without a query). Never bytes (a
    file's content, a sealed bid's ciphertext): an audit event is no copy of them."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "password"} or isinstance(field, models.BinaryField):
            continue
        value = getattr(obj, field.attname)
        data[field.name] = _plain(value)
    if obj.pk is not None and many_to_many:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = related_names(getattr(obj, m2m.name).all())
    return data


def related_names(related: Iterable[models.Model]) -> list[str]:
    """A many-to-many field's value in a snapshot: the names of its records, sorted."""
    return sorted(str(record) for record in related)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
    )


def history_of(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def changed_fields(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field an event changed, for a history table."""
    before = event.before or {}
    after = event.after or {}
    keys = [k for k in after if k != "version"] + [k for k in before if k not in after and k != "version"]
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
