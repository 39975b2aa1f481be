"""Who may import a region's data: the only place that decides it.

A regional commissioner imports every kind into their own region; a superuser into any region.
The area office analyst of a region, who keeps its prison returns and sees every establishment,
imports the region's prison establishments only, the one kind that is the prison service's own
record. Nobody else reaches the import pages (a 404); someone signed out is sent to sign in. An
import is seen, answered, confirmed and undone by whoever may import its kind into its region.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.imports.models import Import, ImportKind


def kinds_importable_by(user: Any) -> list[str]:
    if access.is_superuser(user) or access.is_regional_commissioner(user):
        return [str(kind) for kind in ImportKind.values]
    if access.has_role(user, Role.AREA_ANALYST):
        return [str(ImportKind.ESTABLISHMENTS)]
    return []


def regions_importable_by(user: Any) -> QuerySet[Region]:
    """The regions this person may import into: their own, or (a superuser) every one."""
    if not kinds_importable_by(user):
        return Region.objects.none()
    if access.is_superuser(user):
        return Region.objects.all()
    region_id = access.user_region_id(user)
    return Region.objects.filter(pk=region_id) if region_id is not None else Region.objects.none()


def may_import(user: Any, region: Region, kind: str) -> bool:
    return kind in kinds_importable_by(user) and regions_importable_by(user).filter(pk=region.pk).exists()


def may_use_imports(user: Any) -> bool:
    return regions_importable_by(user).exists()


def imports_visible_to(user: Any) -> QuerySet[Import]:
    """The imports this person may see and act on: of a kind they import, into a region they import into."""
    return Import.objects.filter(
        region__in=regions_importable_by(user), kind__in=kinds_importable_by(user)
    ).select_related("region", "uploaded_by")


def may_answer_and_confirm(user: Any, record: Import) -> bool:
    """A checked import without problems is answered and confirmed by whoever may import it."""
    return record.is_ready and may_import(user, record.region, record.kind)


def may_undo(user: Any, record: Import) -> bool:
    """A saved import is offered for undoing (the service says whether anything stops it)."""
    return record.is_saved and may_import(user, record.region, record.kind)
