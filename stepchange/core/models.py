"""Reference data every app shares (regions, financial years, pathways) and the audit trail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce


class Region(models.Model):
    """A region of England and Wales; commissioners belong to one."""

    code = models.SlugField(max_length=12, unique=True)
    name = models.CharField(max_length=100, unique=True)
    # Regions whose contracts this service holds get computed figures; the rest are compared
    # through published figures only.
    holds_contracts = models.BooleanField(default=False)
    # The shortest time a stage of the region's tenders may be open for bids, in days; a stage open
    # for less needs a recorded reason (``commissioning.tender_period``). The region's commissioner sets it.
    minimum_tender_days = models.PositiveSmallIntegerField("Minimum tender period in days", default=28)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_tender_days__gte=1) & Q(minimum_tender_days__lte=365),
                name="region_minimum_tender_days_1_to_365",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FinancialYear(models.Model):
    """1 April to 31 March, named like ``2006-07``."""

    name = models.CharField(max_length=7, unique=True)
    start = models.DateField(unique=True)
    end = models.DateField(unique=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="year_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class Pathway(models.Model):
    """A resettlement pathway or delivery line; data, not code, because later years renamed some."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=30)
    order = models.PositiveSmallIntegerField(unique=True)
    # Whether prisons report it in their quarterly returns: the seven resettlement pathways do;
    # Offender Management and Unpaid Work are probation lines and are not asked of prisons.
    applies_to_prisons = models.BooleanField("Asked of prisons", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class RegionPathway(models.Model):
    """A region's own answer to whether its prisons are asked about a pathway, overriding the
    national ``Pathway.applies_to_prisons`` for that region only. A region with no row for a
    pathway follows the national setting (``pathways_asked_of_prisons``)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="pathway_settings")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    asked_of_prisons = models.BooleanField("Asked of the region's prisons")

    class Meta:
        ordering = ["region__name", "pathway__order"]
        constraints = [models.UniqueConstraint(fields=["region", "pathway"], name="one_setting_per_region_pathway")]

    def __str__(self) -> str:
        return f"{self.region}: {self.pathway}"


def pathways_asked_of_prisons(region: Region | int | None) -> QuerySet[Pathway]:
    """The one rule of which pathways a region's prisons report, in order: the region's own
    setting where it has one, else the national ``applies_to_prisons``. With no region, the
    national setting alone. Every returns form, check, template and report asks this."""
    pathways = Pathway.objects.order_by("order")
    if region is None:
        return pathways.filter(applies_to_prisons=True)
    region_id = region.pk if isinstance(region, Region) else region
    own = RegionPathway.objects.filter(region_id=region_id, pathway=OuterRef("pk")).values("asked_of_prisons")[:1]
    return pathways.annotate(asked_here=Coalesce(Subquery(own), F("applies_to_prisons"))).filter(asked_here=True)


class AuditEvent(models.Model):
    """One change to one record: who made it, when, and the record before and after.

    Written by the service that made the change, in the same transaction; never edited.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"
