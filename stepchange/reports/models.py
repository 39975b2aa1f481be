"""Figures published elsewhere, kept with their source so computed figures can be set beside them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce


class Measure(models.TextChoices):
    SHARE_PCT = "share_pct", "Share of main grant (%)"
    CHANGE_PTS = "change_pts", "Change since baseline (points)"
    COUNTED_SPEND = "counted_spend", "Counted spend (£)"
    CONTRACT_COUNT = "contract_count", "Number of contracts"
    MEAN_CONTRACT_VALUE = "mean_contract_value", "Average contract value (£)"
    VCS_COUNT_PCT = "vcs_count_pct", "Contracts with the voluntary sector (%)"
    REGIONAL_MEAN_SHARE_PCT = "regional_mean_share_pct", "Average area share (%)"
    REGIONAL_WEIGHTED_SHARE_PCT = "regional_weighted_share_pct", "Regional share of main grant (%)"
    VCS_CONTRACTS = "vcs_contracts", "Contracts with VCS providers"
    PRIVATE_CONTRACTS = "private_contracts", "Contracts with private providers"
    PATHWAY_ENTRIES = "pathway_entries", "Contracts on a pathway"


class PublishedFigure(models.Model):
    """One number as a published source printed it.

    It belongs to a region, to a commissioner, or to neither (a national total, named by its label).
    """

    measure = models.CharField(max_length=40, choices=Measure.choices)
    as_at = models.DateField()
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commissioner = models.ForeignKey(
        "organisations.Commissioner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    # As printed, so the precision the source used is kept (e.g. "3.1" against "3.10").
    printed = models.CharField(max_length=40)
    source = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["as_at", "measure", "label"]
        constraints = [
            # A figure of a region has no commissioner, a national one neither; the database counts
            # two empty (NULL) columns as different, so they are compared as 0 here, or two of the
            # same figure saved at once would both be kept.
            models.UniqueConstraint(
                F("measure"),
                F("as_at"),
                Coalesce("region", Value(0)),
                Coalesce("commissioner", Value(0)),
                F("label"),
                name="one_published_figure",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(commissioner__isnull=False) | ~Q(label=""),
                name="published_figure_names_what_it_is_of",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.printed} ({self.source})"
