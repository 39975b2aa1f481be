"""Set computed figures beside the figures a source printed, so a difference is shown, never hidden."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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
        .select_related("commissioner", "region")
        .order_by("as_at", "measure", "commissioner__code", "label")
    )


def reconcile(
    figures: Iterable[PublishedFigure],
    computed: dict[FigureKey, Decimal | None],
    notes: dict[FigureKey, str] | None = None,
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
        who = fig.commissioner.code if fig.commissioner else (fig.region.name if fig.region else fig.label)
        label = f"{who}: {fig.get_measure_display()}"
        if fig.label and fig.commissioner:
            label += f" – {fig.label}"
        rows.append(
            ReconciliationRow(
                figure=f"{label}, {fig.as_at:%-d %B %Y}",
                published=fig.printed,
                computed=computed[key],
                precision=printed_precision(fig.printed),
                source=fig.source,
                note=(notes or {}).get(key, ""),
            )
        )
    return rows
