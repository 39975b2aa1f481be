"""Asking for a pack and building it (stepchange/pack/services.py): the worker renders each declared
section, recording its progress after each, then the tagged PDF; a section or PDF that cannot be
made leaves the reason and nothing else; a pack already being built is not asked for twice."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pypdf
import pytest
from django.utils.html import escape

from stepchange.core.audit import AuditEvent
from stepchange.core.models import FinancialYear
from stepchange.core.periods import Quarter, quarters_of
from stepchange.pack import rendering, services
from stepchange.pack.models import Pack, PackStatus
from stepchange.pack.sections import PackSection, declared_sections, figures_date
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def q2() -> Quarter:
    return quarters_of(FinancialYear.objects.get(name="2006-07"))[1]


def test_the_figures_date_is_the_day_after_the_quarter() -> None:
    """Q2 of 2006-07 runs 1 July to 30 September 2006; its figures stand on 1 October 2006, and Q4's
    (1 January to 31 March 2007) on 1 April 2007, the first day of the next year."""
    import datetime

    assert figures_date(Quarter("2006-07", 2, datetime.date(2006, 7, 1), datetime.date(2006, 9, 30))) == (
        datetime.date(2006, 10, 1)
    )
    assert figures_date(Quarter("2006-07", 4, datetime.date(2007, 1, 1), datetime.date(2007, 3, 31))) == (
        datetime.date(2007, 4, 1)
    )


def test_every_app_that_owns_a_figure_declares_its_section() -> None:
    slugs = [s.slug for s in declared_sections()]
    for slug in ("probation-share", "prison-provision", "commissioning", "capacity-building"):
        assert slug in slugs
    assert len(set(slugs)) == len(slugs)
    positions = [s.position for s in declared_sections()]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_asking_builds_the_pack_with_its_html_and_tagged_pdf(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PUBLIC_BASE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(actor=cast.alice, region=cast.region, quarter=q2())
    pack.refresh_from_db()
    assert pack.status == PackStatus.FINISHED, pack.failure
    assert pack.steps_done == pack.steps_total == len(declared_sections()) + 1
    assert pack.requested_by == cast.alice
    for section in declared_sections():
        assert f'id="{section.slug}"' in pack.html
        assert escape(section.title) in pack.html  # as the page writes it: an apostrophe escaped
    audited = AuditEvent.objects.filter(object_type="pack.pack", object_id=str(pack.pk))
    assert sorted(audited.values_list("action", flat=True)) == ["pack_built", "pack_request"]

    reader = pypdf.PdfReader(io.BytesIO(bytes(pack.pdf)))
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    title = "Steering group pack: Yorkshire and Humberside, 2006-07 Q2"
    assert reader.metadata is not None and reader.metadata.title == title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert f">{title}</rdf:li>" in xmp
    text = "".join(page.extract_text() for page in reader.pages)
    for section in declared_sections():
        assert section.title in text
    # Its links lead to the service's own pages.
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "http://testserver/reports/probation-share/?region=YH&at=2006-10-01" in links


def test_the_same_document_makes_the_same_pdf() -> None:
    """The demo fixture (tests/conftest.py) makes the demo pack's PDF once for every load of the
    demo that makes the same document: that holds only while weasyprint gives the same bytes."""
    chart = f'<svg class="app-chart" width="60" height="20"><style>{rendering.CHART_CSS}</style><rect class="app-chart__bar" width="40" height="10"/></svg>'
    document = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>A pack</title></head><body><main><h1>A pack</h1>'
        f'<table><tr><th>Area</th><td><a href="reports/probation-share/">1.5%</a></td></tr></table>{chart}'
        "</main></body></html>"
    )
    first = rendering.write_pdf(document, base_url="http://testserver/")
    assert rendering.write_pdf(document, base_url="http://testserver/") == first


def _section(position: int, slug: str, build: Any) -> PackSection:
    return PackSection(position, slug, slug.title(), build, "pack/test_section.html")


def test_progress_is_recorded_after_each_section(cast: Cast, monkeypatch, settings, tmp_path) -> None:
    seen: list[tuple[int, str]] = []

    def build(region: Any, quarter: Quarter) -> Mapping[str, Any]:
        pack = Pack.objects.get()
        seen.append((pack.steps_done, pack.current_step))
        return {}

    sections = (_section(1, "first", build), _section(2, "second", build), _section(3, "third", build))
    monkeypatch.setattr(services, "declared_sections", lambda: sections)
    monkeypatch.setattr(rendering, "render_to_string", _fake_render(rendering.render_to_string))
    pack = services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    pack = services.pack_build(pack_id=pack.pk)
    assert seen == [(0, "First"), (1, "Second"), (2, "Third")]
    assert (pack.status, pack.steps_done, pack.steps_total) == (PackStatus.FINISHED, 4, 4)


def _fake_render(real: Any) -> Any:
    def render(template: str, context: Mapping[str, Any]) -> str:
        if template == "pack/test_section.html":
            return f"<p>{context['section'].title}</p>"
        return str(real(template, context))

    return render


def test_a_section_that_fails_leaves_its_reason_and_nothing_else(cast: Cast, monkeypatch) -> None:
    def broken(region: Any, quarter: Quarter) -> Mapping[str, Any]:
        raise ValueError("no grant recorded")

    sections = (_section(1, "first", lambda r, q: {}), _section(2, "broken", broken))
    monkeypatch.setattr(services, "declared_sections", lambda: sections)
    monkeypatch.setattr(rendering, "render_to_string", _fake_render(rendering.render_to_string))
    pack = services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    pack = services.pack_build(pack_id=pack.pk)
    assert pack.status == PackStatus.FAILED
    assert pack.failure == "The section “Broken” could not be built: no grant recorded"
    assert (pack.html, bytes(pack.pdf), pack.finished_at, pack.steps_done) == ("", b"", None, 1)
    # Built again by a worker that retries: a failed pack is left as it is.
    assert services.pack_build(pack_id=pack.pk).failure == pack.failure


def test_a_pdf_that_fails_leaves_its_reason(cast: Cast, monkeypatch) -> None:
    monkeypatch.setattr(services, "declared_sections", lambda: ())

    def refuse(pack: Pack, body: str) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(rendering, "render_pdf", refuse)
    pack = services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    pack = services.pack_build(pack_id=pack.pk)
    assert (pack.status, pack.failure, pack.html) == (PackStatus.FAILED, "The PDF could not be made: no fonts", "")


def test_a_quarter_being_built_is_not_asked_for_twice(cast: Cast) -> None:
    first = services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    with pytest.raises(services.PackNotAllowed, match="The pack for 2006-07 Q2 is already being built"):
        services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    assert Pack.objects.count() == 1
    # Once it is finished (or has failed), the quarter can be built again, with the figures as they are then.
    Pack.objects.filter(pk=first.pk).update(failure="boom")
    services.pack_request(actor=cast.alice, region=cast.region, quarter=q2(), hand_to_worker=False)
    assert Pack.objects.count() == 2
