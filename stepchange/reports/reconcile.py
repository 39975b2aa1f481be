"""Set computed figures beside the figures a source printed, so a difference is shown, never hidden."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import Q

from stepchange.core.models import Region
from stepchange.reports.models import PublishedFigure
from stepchange.reports.registry import ReconciliationRow

# (measure, as_at, commissioner code or "", region code or "", label)
FigureKey = tuple[str, datetime.date, str, str, str]


def printed_precision(printed: str) -> int:
    number = printed.strip().rstrip("%")
    return len(number.split(".")[1]) if "." in number else 0


def published_for(region: Region, dates: Iterable[datetime.date], measures: Iterable[str]) -> list[PublishedFigure]:
    return list(
        PublishedFigure.objects.filter(as_at__in=list(dates), measure__in=list(measures))
        .filter(Q(region=region) | Q(commissioner__region=region))
        .select_related("commissioner__organisation", "region")
        .order_by("as_at", "measure", "commissioner__code", "label")
    )


def figure_name(fig: PublishedFigure, label_names: Mapping[str, str] | None = None) -> str:
    """What a published figure is of, by name: the commissioner's or region's name (never its code),
    the measure, and the figure's label named by ``label_names`` where the label is a code (a
    pathway's, for the pathway entries)."""
    who = fig.commissioner.organisation.name if fig.commissioner else (fig.region.name if fig.region else fig.label)
    label = f"{who}: {fig.get_measure_display()}"
    if fig.label and (fig.commissioner or fig.region):
        label += f" – {(label_names or {}).get(fig.label, fig.label)}"
    return f"{label}, {fig.as_at:%-d %B %Y}"


def reconcile(
    figures: Iterable[PublishedFigure],
    computed: dict[FigureKey, Decimal | None],
    notes: dict[FigureKey, str] | None = None,
    label_names: Mapping[str, str] | None = None,
) -> list[ReconciliationRow]:
    """One row per published figure that this report also computes."""
    rows = []
    for fig in figures:
        key: FigureKey = (
            fig.measure,
            fig.as_at,
            fig.commissioner.code if fig.commissioner else "",
            fig.region.code if fig.region else "",
            fig.label,
        )
        if key not in computed:
            continue
        rows.append(
            ReconciliationRow(
                figure=figure_name(fig, label_names),
                published=fig.printed,
                computed=computed[key],
                precision=printed_precision(fig.printed),
                source=fig.source,
                note=(notes or {}).get(key, ""),
            )
        )
    return rows
