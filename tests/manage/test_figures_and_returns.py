"""Published figures (the national comparison's other regions) and probation return dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from stepchange.core.models import AuditEvent
from stepchange.reports.models import Measure, PublishedFigure
from stepchange.returns.models import ProbationReturn
from tests.factories import ProbationReturnFactory


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


def test_alice_records_another_regions_published_share_and_corrects_it(cast, client_for):
    alice = client_for(cast.alice)

    added = alice.post("/manage/figures/new/", figure(region=cast.other_region.pk))
    recorded = PublishedFigure.objects.get()
    alice.post(
        f"/manage/figures/{recorded.pk}/edit/",
        figure(region=cast.other_region.pk, value="3.45", printed="3.45", version=1),
    )

    assert added.status_code == 302
    recorded.refresh_from_db()
    assert recorded.as_at == datetime.date(2006, 10, 1)  # read day-first, never month-first
    assert (recorded.value, recorded.printed, recorded.version) == (Decimal("3.45"), "3.45", 2)
    event = AuditEvent.objects.get(action="published_figure_update")
    assert ((event.before or {})["printed"], (event.after or {})["printed"]) == ("3.4", "3.45")
    assert "3.45" in alice.get("/manage/figures/").content.decode()


def test_a_figure_of_nothing_or_a_second_copy_is_refused(cast, client_for):
    alice = client_for(cast.alice)
    alice.post("/manage/figures/new/", figure(label="England and Wales"))

    of_nothing = alice.post("/manage/figures/new/", figure()).content.decode()
    duplicate = alice.post("/manage/figures/new/", figure(label="England and Wales")).content.decode()
    bad_date = alice.post("/manage/figures/new/", figure(label="Wales", as_at="31/02/2006")).content.decode()

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
    outside = alice.post("/manage/returns/new/", {"commissioner": cast.sypa.pk, "as_at": "1/4/1999"})
    prison = alice.post("/manage/returns/new/", {"commissioner": cast.leeds.pk, "as_at": "1/7/2006"})

    assert "South Yorkshire Probation Area already has a return at 1 April 2006" in duplicate.content.decode()
    assert "is not in any financial year" in outside.content.decode()
    assert "Select a valid choice" in prison.content.decode()
    assert ProbationReturn.objects.count() == 1
    assert not AuditEvent.objects.exists()
