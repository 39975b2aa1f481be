"""A report's page: its rows, totals and further tables as GOV.UK table markup.

Each value reads as ``columns.page_text`` writes it for its column's kind (the downloads go through
the same module); only the page rounds, half up, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from stepchange.reports.columns import Column, page_text
from stepchange.reports.registry import ReportResult

TOTALS_KEY = "__totals__"


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool
    gap: bool = False
    # The contract list filtered to the rows behind the figure, where it has any.
    link: str = ""
    # The column's heading, which a narrow screen writes beside the value (the table stacks).
    label: str = ""
    # Shown only when the reader asks for every column (``columns.Column.secondary``).
    secondary: bool = False


WORKINGS_NOTE = mark_safe('<span class="govuk-visually-hidden">: the contracts behind this figure</span>')


def workings_url(query: str) -> str:
    return f"{reverse('contracts:list')}?{query}"


def row_key(row: dict[str, Any]) -> str:
    """The key ``ReportResult.highlight`` uses for a row: its commissioner, region or sector code."""
    for key in ("commissioner", "region", "sector"):
        if key in row:
            return str(row[key])
    return ""


def cells(
    row: dict[str, Any], columns: list[Column], gaps: set[str], links: dict[str, str] | None = None
) -> list[Cell]:
    links = links or {}
    return [
        Cell(
            text=page_text(row.get(c.key), c),
            numeric=c.kind.numeric,
            gap=c.key in gaps,
            link=workings_url(links[c.key]) if c.key in links and row.get(c.key) is not None else "",
            label=c.label,
            secondary=c.secondary,
        )
        for c in columns
    ]


def cell_content(cell: Cell) -> SafeString:
    note = GAP_NOTE if cell.gap else ""
    if cell.link:
        return format_html('<a class="govuk-link" href="{}">{}{}</a>{}', cell.link, cell.text, WORKINGS_NOTE, note)
    return format_html("{}{}", cell.text, note)


GAP_NOTE = mark_safe('<span class="govuk-visually-hidden"> (gap)</span>')


def row_html(row_cells: list[Cell]) -> SafeString:
    """A body row's cells as GOV.UK table markup, the first as the row's header, every text escaped.

    Built here, not with template tags: a region's prison provision is a hundred rows, and the
    template's tests and lookups for each of its cells took longer than computing the figures.
    """
    parts = []
    for position, cell in enumerate(row_cells):
        gap = " app-highlight" if cell.gap else ""
        if position == 0:
            parts.append(format_html('<th scope="row" class="govuk-table__header{}">{}</th>', gap, cell_content(cell)))
        else:
            numeric = " govuk-table__cell--numeric" if cell.numeric else ""
            secondary = " app-column--secondary" if cell.secondary else ""
            parts.append(
                format_html(
                    '<td class="govuk-table__cell{}{}{}" data-label="{}">{}</td>',
                    numeric,
                    gap,
                    secondary,
                    cell.label,
                    cell_content(cell),
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 -- each part escaped by format_html


def totals_as_row(result: ReportResult) -> bool:
    """Totals sit in the table's last row when each is of a column the table already has."""
    keys = {c.key for c in result.columns}
    return bool(result.total_columns) and all(c.key in keys for c in result.total_columns)


def table(result: ReportResult) -> dict[str, Any]:
    """The rows, the totals row (or summary) and the marks of gaps, ready for the template."""
    rows = []
    links: dict[int | str, dict[str, str]] = {}
    for (position, key), query in result.workings.items():
        links.setdefault(position, {})[key] = query
    for position, r in enumerate(result.rows):
        row_cells = cells(r, result.columns, result.highlight.get(row_key(r), set()), links.get(position))
        rows.append({"cells": row_cells, "html": row_html(row_cells)})
    totals_row = None
    totals_links = links.get(TOTALS_KEY, {})
    summary: list[dict[str, Any]] = []
    if totals_as_row(result):
        by_key = {c.key: c for c in result.total_columns}
        gaps = result.highlight.get(TOTALS_KEY, set())
        # The first column holds the row's name; the totals row puts its own heading there.
        totals_row = [
            Cell(
                text=page_text(result.totals.get(c.key), by_key[c.key]),
                numeric=by_key[c.key].kind.numeric,
                gap=c.key in gaps,
                link=workings_url(totals_links[c.key]) if c.key in totals_links else "",
                label=c.label,
                secondary=c.secondary,
            )
            if c.key in by_key
            else Cell(text="", numeric=False, label=c.label, secondary=c.secondary)
            for c in result.columns[1:]
        ]
    else:
        gaps = result.highlight.get(TOTALS_KEY, set())
        summary = [
            {
                "label": c.label,
                "text": page_text(result.totals.get(c.key), c),
                "gap": c.key in gaps,
                "link": workings_url(totals_links[c.key]) if c.key in totals_links else "",
            }
            for c in result.total_columns
        ]
    return {
        "headers": [{"label": c.label, "numeric": c.kind.numeric, "secondary": c.secondary} for c in result.columns],
        # How many columns the page leaves out until asked, and how many there are in all.
        "secondary_columns": sum(c.secondary for c in result.columns),
        "all_columns": len(result.columns),
        "rows": rows,
        "totals_row": totals_row,
        "summary": summary,
        "tables": [
            {
                "title": t.title,
                "headers": [{"label": c.label, "numeric": c.kind.numeric} for c in t.columns],
                "rows": [row_html(cells(r, t.columns, set())) for r in t.rows],
            }
            for t in result.tables
        ],
    }
