"""Published figures and probation return dates.

A region's published figures (of the region or of one of its commissioners) are kept by its own
commissioner; a national total (of no region) by the national administrator.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stepchange.core.models import AuditEvent, Region
from stepchange.manage import services
from stepchange.reports.models import Measure, PublishedFigure
from stepchange.returns.models import ProbationReturn
from tests.factories import CommissionerFactory, ProbationReturnFactory


def figure(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "measure": Measure.SHARE_PCT,
        "as_at": "1/10/2006",
        "region": "",
        "commissioner": "",
        "label": "",
        "value": "3.4",
        "printed": "3.4",
        "source": "Step Change final report, section 5",
    }
    data.update(changes)
    return data


def test_alice_records_her_regions_published_share_and_corrects_it(cast, client_for):
    alice = client_for(cast.alice)

    added = alice.post("/manage/figures/new/", figure(region=cast.region.pk))
    recorded = PublishedFigure.objects.get()
    alice.post(
        f"/manage/figures/{recorded.pk}/edit/",
        figure(region=cast.region.pk, value="3.45", printed="3.45", version=1),
    )

    assert added.status_code == 302
    recorded.refresh_from_db()
    assert recorded.as_at == datetime.date(2006, 10, 1)  # read day-first, never month-first
    assert (recorded.value, recorded.printed, recorded.version) == (Decimal("3.45"), "3.45", 2)
    event = AuditEvent.objects.get(action="published_figure_update")
    assert ((event.before or {})["printed"], (event.after or {})["printed"]) == ("3.4", "3.45")
    assert "3.45" in alice.get("/manage/figures/").content.decode()


def test_a_figure_of_nothing_or_a_second_copy_is_refused(cast, client_for):
    nadia = client_for(cast.nadia)
    nadia.post("/manage/figures/new/", figure(label="England and Wales"))

    of_nothing = nadia.post("/manage/figures/new/", figure()).content.decode()
    duplicate = nadia.post("/manage/figures/new/", figure(label="England and Wales")).content.decode()
    bad_date = nadia.post("/manage/figures/new/", figure(label="Wales", as_at="31/02/2006")).content.decode()

    assert "Choose the region or the commissioner the figure is of, or name it" in of_nothing
    assert "This figure is already recorded for that date" in duplicate
    assert "Enter a real date" in bad_date
    assert PublishedFigure.objects.count() == 1


def test_alice_records_a_return_date_for_an_area(cast, client_for):
    alice = client_for(cast.alice)

    response = alice.post("/manage/returns/new/", {"commissioner": cast.sypa.pk, "as_at": "1/10/2006"})

    assert response.status_code == 302
    recorded = ProbationReturn.objects.get()
    assert (recorded.commissioner, recorded.as_at, recorded.recorded_by) == (
        cast.sypa,
        datetime.date(2006, 10, 1),
        cast.alice,
    )
    assert AuditEvent.objects.filter(action="probation_return_record").count() == 1
    assert "1 October 2006" in alice.get("/manage/returns/").content.decode()


def test_a_duplicate_or_out_of_range_return_date_or_a_prison_is_refused(cast, client_for):
    alice = client_for(cast.alice)
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 4, 1))

    duplicate = alice.post("/manage/returns/new/", {"commissioner": cast.sypa.pk, "as_at": "1/4/2006"})
    outside = alice.post("/manage/returns/new/", {"commissioner": cast.sypa.pk, "as_at": "1/4/1979"})
    prison = alice.post("/manage/returns/new/", {"commissioner": cast.leeds.pk, "as_at": "1/7/2006"})

    assert "South Yorkshire Probation Area already has a return at 1 April 2006" in duplicate.content.decode()
    assert "1 April 1979 is too far back or ahead" in outside.content.decode()
    assert "Select a valid choice" in prison.content.decode()
    assert ProbationReturn.objects.count() == 1
    assert not AuditEvent.objects.exists()


def _north_east_share() -> PublishedFigure:
    return PublishedFigure.objects.create(
        measure=Measure.SHARE_PCT,
        as_at=datetime.date(2006, 10, 1),
        region=Region.objects.get(code="NE"),
        value=Decimal("3.4"),
        printed="3.4",
        source="Step Change final report, table 5",
    )


def test_alice_cannot_change_another_regions_published_figure_even_by_posting(cast, client_for):
    alice = client_for(cast.alice)
    north_east = _north_east_share()

    listed = alice.get("/manage/figures/").content.decode()
    shown = alice.get(f"/manage/figures/{north_east.pk}/edit/")
    posted = alice.post(
        f"/manage/figures/{north_east.pk}/edit/",
        figure(region=cast.region.pk, value="9.9", printed="9.9", version=1),
    )

    assert "North East" in listed and f"/manage/figures/{north_east.pk}/edit/" not in listed
    assert (shown.status_code, posted.status_code) == (404, 404)
    north_east.refresh_from_db()
    assert (north_east.printed, north_east.region, north_east.version) == ("3.4", cast.other_region, 1)
    assert not AuditEvent.objects.exists()


def test_alice_cannot_record_a_figure_of_another_region_its_commissioners_or_the_nation(cast, client_for):
    alice = client_for(cast.alice)
    north_east_area = CommissionerFactory.create(code="NEPA", region=cast.other_region)

    of_region = alice.post("/manage/figures/new/", figure(region=cast.other_region.pk)).content.decode()
    of_area = alice.post("/manage/figures/new/", figure(commissioner=north_east_area.pk)).content.decode()
    national = alice.post("/manage/figures/new/", figure(label="England and Wales")).content.decode()

    assert "Select a valid choice" in of_region and "Select a valid choice" in of_area
    assert "a national figure is the national administrator" in national
    assert not PublishedFigure.objects.exists()


def test_the_service_refuses_a_figure_outside_the_actors_region(cast):
    north_east = _north_east_share()
    fields = {
        "measure": Measure.SHARE_PCT,
        "as_at": datetime.date(2006, 10, 1),
        "region": cast.other_region,
        "commissioner": None,
        "label": "",
        "value": Decimal("1"),
        "printed": "1",
        "source": "made up",
    }

    with pytest.raises(ValidationError):
        services.published_figure_update(actor=cast.alice, figure=north_east, expected_version=1, fields=fields)
    with pytest.raises(ValidationError):
        services.published_figure_create(actor=cast.alice, fields={**fields, "as_at": datetime.date(2007, 4, 1)})
    with pytest.raises(ValidationError):
        services.published_figure_create(actor=cast.nadia, fields=fields)

    north_east.refresh_from_db()
    assert north_east.printed == "3.4"
    assert PublishedFigure.objects.count() == 1


def test_nadia_keeps_national_totals_but_not_a_regions_figures(cast, client_for):
    nadia = client_for(cast.nadia)
    north_east = _north_east_share()

    added = nadia.post("/manage/figures/new/", figure(label="England and Wales", value="3.0", printed="3.0"))
    national = PublishedFigure.objects.get(label="England and Wales")
    corrected = nadia.post(
        f"/manage/figures/{national.pk}/edit/", figure(label="England and Wales", value="3.1", printed="3.1", version=1)
    )
    regional = nadia.post(f"/manage/figures/{north_east.pk}/edit/", figure(region=cast.other_region.pk, version=1))

    assert (added.status_code, corrected.status_code, regional.status_code) == (302, 302, 404)
    national.refresh_from_db()
    assert national.printed == "3.1"
    north_east.refresh_from_db()
    assert north_east.version == 1
