"""The pack rendered: each section by its own template, the body that joins them (the pack's page
shows it), and the tagged PDF of the same body (weasyprint, PDF/UA-1, with its title and language)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from stepchange.pack.models import Pack
from stepchange.pack.sections import PackSection

PDF_VARIANT = "pdf/ua-1"
# The charts' colours (the service's own, GOV.UK's palette): weasyprint styles an SVG only from a
# stylesheet inside it, so the PDF puts this in each chart; the page has them from app.css.
CHART_CSS = (
    ".app-chart__bar,.app-chart__series--1{fill:#1d70b8;stroke:#1d70b8}"
    ".app-chart__bar--secondary,.app-chart__series--2{fill:#4c2c92;stroke:#4c2c92}"
    ".app-chart__series--3{fill:#f47738;stroke:#f47738}"
    ".app-chart__series--4{fill:#00703c;stroke:#00703c}"
    ".app-chart__series--5{fill:#d4351c;stroke:#d4351c}"
    ".app-chart__series--6{fill:#5694ca;stroke:#5694ca}"
    ".app-chart__line{fill:none;stroke-width:3}"
    ".app-chart__target{stroke:#d4351c;stroke-width:2;stroke-dasharray:4 3;fill:none}"
    ".app-chart__axis{stroke:#0b0c0c;stroke-width:1}"
    ".app-chart__label{fill:#0b0c0c;font-family:sans-serif;font-size:12px}"
    ".app-chart__marker{stroke:#ffffff;stroke-width:1}"
)
CHART_OPENING = re.compile(r'(<svg class="app-chart"[^>]*>)')


@dataclass(frozen=True)
class RenderedSection:
    section: PackSection
    html: SafeString


def render_section(section: PackSection, pack: Pack) -> RenderedSection:
    context = dict(section.build(pack.region, pack.period))
    context.update({"section": section, "pack": pack, "id_prefix": f"pack-{section.slug}"})
    return RenderedSection(section=section, html=mark_safe(render_to_string(section.template, context)))  # noqa: S308 -- rendered with autoescape


def title_of(pack: Pack) -> str:
    return f"Steering group pack: {pack.region.name}, {pack.period.label}"


def render_body(pack: Pack, sections: list[RenderedSection]) -> str:
    return render_to_string("pack/_body.html", {"pack": pack, "sections": sections, "title": title_of(pack)})


def render_pdf(pack: Pack, body: str) -> bytes:
    # The document loads nothing (its style is in it); the base makes its links (to the reports'
    # pages, the contracts behind a figure) the service's own addresses, as a reader of the file needs.
    return write_pdf(pdf_document(pack, body), base_url=f"{settings.PUBLIC_BASE_URL}/")


def pdf_document(pack: Pack, body: str) -> str:
    """The HTML the PDF is made from: the body, each chart carrying its colours, in a page of its own."""
    styled = CHART_OPENING.sub(lambda m: f"{m.group(1)}<style>{CHART_CSS}</style>", body)
    return render_to_string(
        "pack/document.html",
        {"pack": pack, "title": title_of(pack), "body": mark_safe(styled)},  # noqa: S308 -- rendered above with autoescape
    )


def write_pdf(document: str, *, base_url: str) -> bytes:
    """The tagged PDF of ``document``: the same bytes each time for the same document and base."""
    from weasyprint import HTML

    pdf = HTML(string=document, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
