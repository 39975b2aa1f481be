"""Two people editing the same record: the second save is refused, nothing is overwritten.

Every editable model has a ``version`` column. A form carries the version it was read at; the
service saves only if the row still has that version, and bumps it in the same UPDATE.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class StaleEdit(Exception):
    """Someone else saved this record after the form was opened."""

    message = (
        "Someone else changed this record while you were editing it. "
        "Your changes have not been saved. Open it again to see their changes, then make yours."
    )

    def __str__(self) -> str:
        return self.message


def save_if_unchanged(obj: models.Model, *, expected_version: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` to ``obj`` only if its row is still at ``expected_version``."""
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(  # type: ignore[attr-defined]
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise StaleEdit()
    obj.refresh_from_db()
