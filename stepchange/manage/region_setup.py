"""Every write of setting up a region on the service: adding the region, putting a region known only
from published figures on the service, and the pathways its prisons are asked about. One
transaction and one audit event each; a clash is refused, keyed by the form field, before the
database would refuse it.

A region's commissioners are set up by ``organisations.services.commissioner_create`` and its first
regional commissioner is invited by ``accounts.services.invitation_send``; the pages call them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import created_by_someone_else, first_wins, save_if_unchanged
from stepchange.core.models import Pathway, Region, RegionPathway, pathways_asked_of_prisons
from stepchange.manage.access import may_set_up_regions, regions_managed_by


def _check_region_clashes(*, code: str, name: str) -> None:
    errors: dict[str, str] = {}
    if same := Region.objects.filter(code__iexact=code).first():
        errors["code"] = f"The code {code} is already used by {same.name}; choose another code"
    if same := Region.objects.filter(name__iexact=name).first():
        where = "is already on the service" if same.holds_contracts else "is already listed, from published figures"
        errors["name"] = f"{same.name} {where}" + ("" if same.holds_contracts else "; put it on the service instead")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def region_create(*, actor: Any, code: str, name: str) -> Region:
    """Add a region to the service: from now on it holds its own contracts, and the national
    figures read its live figures instead of any published one."""
    if not may_set_up_regions(actor):
        raise PermissionDenied("Only the national administrator adds a region.")
    code = code.upper()
    _check_region_clashes(code=code, name=name)
    with first_wins(
        created_by_someone_else(
            Region,
            lookup={"code": code},
            action="region_create",
            did=f"added the region {name}",
            page=lambda _: reverse("manage:service-regions"),
        )
    ):
        region = Region.objects.create(code=code, name=name, holds_contracts=True)
    audit_record(actor=actor, action="region_create", obj=region, after=snapshot(region))
    return region


@transaction.atomic
def region_join(*, actor: Any, region: Region, expected_version: int) -> Region:
    """Put a region the service knew only from published figures on the service."""
    if not may_set_up_regions(actor):
        raise PermissionDenied("Only the national administrator puts a region on the service.")
    before = snapshot(Region.objects.get(pk=region.pk))
    if before["holds_contracts"]:
        raise ValidationError(f"{region.name} is already on the service")
    save_if_unchanged(region, expected_version=expected_version, fields={"holds_contracts": True})
    audit_record(actor=actor, action="region_join", obj=region, before=before, after=snapshot(region))
    return region


def _pathway_settings(region: Region) -> dict[str, bool]:
    asked = set(pathways_asked_of_prisons(region).values_list("pk", flat=True))
    return {pathway.code: pathway.pk in asked for pathway in Pathway.objects.order_by("order")}


@transaction.atomic
def region_pathways_set(*, actor: Any, region: Region, expected_version: int, asked: list[Pathway]) -> Region:
    """Record which pathways the region's prisons are asked about in their returns: every pathway
    gets the region's own answer, ticked or not, so a later national change does not alter a choice
    the region made. A pathway added nationally later follows the national setting until the
    region answers for it. The region's version refuses a stale page."""
    if not regions_managed_by(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("You can choose the pathways of your own region only.")
    if not asked:
        raise ValidationError({"asked": "Select at least one pathway the region's prisons are asked about"})
    before = {"region": region.code, "asked_of_prisons": _pathway_settings(region)}
    save_if_unchanged(region, expected_version=expected_version, fields={})
    chosen = {pathway.pk for pathway in asked}
    for pathway in Pathway.objects.all():
        RegionPathway.objects.update_or_create(
            region=region, pathway=pathway, defaults={"asked_of_prisons": pathway.pk in chosen}
        )
    after = {"region": region.code, "asked_of_prisons": _pathway_settings(region)}
    audit_record(actor=actor, action="region_pathways_set", obj=region, before=before, after=after)
    return region
