"""Server-rendered SVG of a report's ``Chart``: grouped horizontal bars or one line per series.

No script and no inline style: colours and type come from the ``app-chart`` classes in
frontend/app.scss. The SVG is an image with a title and a description that reads out every
value; the report's table beside it is the full text alternative. Geometry uses floats because
it only places shapes; the values printed come from the exact figures, rounded for display.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stepchange.core.money import percent, pounds
from stepchange.reports.registry import Chart

WIDTH = 640
CHAR_WIDTH = 7.5  # roughly, for a 14px label
BAR_HEIGHT = 16
BAR_GAP = 4
BAND_PADDING = 14
LEGEND_HEIGHT = 28
AXIS_HEIGHT = 30


def value_text(value: Decimal | None, unit: str, *, tick: bool = False) -> str:
    """A value as the chart prints it: shares to two places (the precision the published tables
    use at most), axis ticks to one."""
    if value is None:
        return "no value"
    if unit == "%":
        return percent(value, 1 if tick else 2)
    if unit == "£":
        return pounds(value)
    return f"{value:,.0f}" if value == value.to_integral_value() else format(value, "f")


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _scale(chart: Chart) -> tuple[float, float, float]:
    """The value axis: from (at most) zero to a round number past the largest value."""
    values = [float(v) for _, series in chart.series for v in series if v is not None]
    if chart.reference is not None:
        values.append(float(chart.reference[1]))
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    if chart.unit == "":
        # Counts: whole-number ticks only.
        step = max(1.0, math.ceil(step))
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _series_class(index: int, kind: str) -> str:
    if kind == "bar":
        if index == 0:
            return "app-chart__bar"
        if index == 1:
            return "app-chart__bar app-chart__bar--secondary"
        return f"app-chart__bar app-chart__series--{index + 1}"
    return f"app-chart__line app-chart__series--{index + 1}"


def _description(chart: Chart) -> str:
    parts = []
    for i, category in enumerate(chart.categories):
        values = ", ".join(f"{name} {value_text(series[i], chart.unit)}" for name, series in chart.series)
        parts.append(f"{category}: {values}")
    text = ("Bar chart. " if chart.kind == "bar" else "Line chart. ") + "; ".join(parts) + "."
    if chart.reference is not None:
        text += f" {chart.reference[0]}: {value_text(chart.reference[1], chart.unit)}."
    return text


def _legend(chart: Chart, y: float, left: float) -> list[str]:
    out = []
    x = left
    for i, (name, _) in enumerate(chart.series):
        css = _series_class(i, chart.kind)
        if chart.kind == "bar":
            out.append(f'<rect class="{css}" x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14"/>')
        else:
            out.append(f'<line class="{css}" x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}"/>')
        out.append(f'<text class="app-chart__label" x="{x + 22:.1f}" y="{y:.1f}">{escape(name)}</text>')
        x += 22 + len(name) * CHAR_WIDTH + 24
    if chart.reference is not None:
        label = f"{chart.reference[0]} ({value_text(chart.reference[1], chart.unit)})"
        out.append(
            f'<line class="app-chart__target" x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}"/>'
        )
        out.append(f'<text class="app-chart__label" x="{x + 22:.1f}" y="{y:.1f}">{escape(label)}</text>')
    return out


def _bar(chart: Chart) -> tuple[float, list[str]]:
    label_width = max([len(c) for c in chart.categories] + [4]) * CHAR_WIDTH + 20
    left, right = min(label_width, WIDTH * 0.45), WIDTH - 80
    band = len(chart.series) * (BAR_HEIGHT + BAR_GAP) + BAND_PADDING
    top = LEGEND_HEIGHT + 8
    height = top + band * len(chart.categories) + AXIS_HEIGHT
    low, high, step = _scale(chart)

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    out = _legend(chart, 18, left)
    bottom = top + band * len(chart.categories)
    tick = low
    while tick <= high + step / 2:
        x = x_of(tick)
        out.append(f'<line class="app-chart__axis" x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 5:.1f}"/>')
        out.append(
            f'<text class="app-chart__label" x="{x:.1f}" y="{bottom + 20:.1f}" text-anchor="middle">'
            f"{escape(value_text(Decimal(str(round(tick, 6))), chart.unit, tick=True))}</text>"
        )
        tick += step
    zero = x_of(0.0)
    for c, category in enumerate(chart.categories):
        y0 = top + c * band + BAND_PADDING / 2
        out.append(
            f'<text class="app-chart__label" x="{left - 8:.1f}" y="{y0 + band / 2 - 4:.1f}" text-anchor="end">'
            f"{escape(category)}</text>"
        )
        for s, (name, series) in enumerate(chart.series):
            value = series[c] if c < len(series) else None
            y = y0 + s * (BAR_HEIGHT + BAR_GAP)
            if value is None:
                out.append(
                    f'<text class="app-chart__label" x="{zero + 4:.1f}" y="{y + BAR_HEIGHT - 3:.1f}">no value</text>'
                )
                continue
            x = x_of(float(value))
            out.append(
                f'<rect class="{_series_class(s, "bar")}" x="{min(x, zero):.1f}" y="{y:.1f}" '
                f'width="{abs(x - zero):.1f}" height="{BAR_HEIGHT}"><title>{escape(category)}, {escape(name)}: '
                f"{escape(value_text(value, chart.unit))}</title></rect>"
            )
            out.append(
                f'<text class="app-chart__label" x="{max(x, zero) + 4:.1f}" y="{y + BAR_HEIGHT - 3:.1f}">'
                f"{escape(value_text(value, chart.unit))}</text>"
            )
    out.append(f'<line class="app-chart__axis" x1="{zero:.1f}" y1="{top:.1f}" x2="{zero:.1f}" y2="{bottom:.1f}"/>')
    out.append(f'<line class="app-chart__axis" x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}"/>')
    if chart.reference is not None:
        x = x_of(float(chart.reference[1]))
        out.append(f'<line class="app-chart__target" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}"/>')
    return height, out


def _line(chart: Chart) -> tuple[float, list[str]]:
    height = 340.0
    left, right = 70.0, WIDTH - 60
    top, bottom = LEGEND_HEIGHT + 16, height - 50
    low, high, step = _scale(chart)
    n = len(chart.categories)

    def x_of(index: int) -> float:
        return (left + right) / 2 if n == 1 else left + index * (right - left) / (n - 1)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    out = _legend(chart, 18, left)
    tick = low
    while tick <= high + step / 2:
        y = y_of(tick)
        out.append(f'<line class="app-chart__axis" x1="{left - 5:.1f}" y1="{y:.1f}" x2="{left:.1f}" y2="{y:.1f}"/>')
        out.append(
            f'<text class="app-chart__label" x="{left - 8:.1f}" y="{y + 5:.1f}" text-anchor="end">'
            f"{escape(value_text(Decimal(str(round(tick, 6))), chart.unit, tick=True))}</text>"
        )
        tick += step
    out.append(f'<line class="app-chart__axis" x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{bottom:.1f}"/>')
    out.append(f'<line class="app-chart__axis" x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}"/>')
    for i, category in enumerate(chart.categories):
        out.append(
            f'<text class="app-chart__label" x="{x_of(i):.1f}" y="{bottom + 22:.1f}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
    if chart.reference is not None:
        y = y_of(float(chart.reference[1]))
        out.append(f'<line class="app-chart__target" x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}"/>')
    for s, (name, series) in enumerate(chart.series):
        css = _series_class(s, "line")
        # A missing value (no grant recorded) breaks the line rather than drawing it as zero.
        segment: list[str] = []
        segments = [segment]
        for i, value in enumerate(series):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x_of(i):.1f},{y_of(float(value)):.1f}")
        for points_ in segments:
            if len(points_) > 1:
                out.append(f'<polyline class="{css}" points="{" ".join(points_)}"/>')
        for i, value in enumerate(series):
            if value is None:
                continue
            out.append(
                f'<circle class="app-chart__marker app-chart__series--{s + 1}" cx="{x_of(i):.1f}" '
                f'cy="{y_of(float(value)):.1f}" r="4"><title>{escape(name)}, {escape(chart.categories[i])}: '
                f"{escape(value_text(value, chart.unit))}</title></circle>"
            )
    return height, out


def render_svg(chart: Chart, *, id_prefix: str) -> SafeString:
    """The chart as an accessible SVG image, named by its <title> and described by its <desc>."""
    if not chart.categories or not chart.series:
        height, body = 60.0, ['<text class="app-chart__label" x="10" y="30">No figures to draw.</text>']
    elif chart.kind == "line":
        height, body = _line(chart)
    else:
        height, body = _bar(chart)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = (
        f'<svg class="app-chart" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(_description(chart))}</desc>' + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped above
