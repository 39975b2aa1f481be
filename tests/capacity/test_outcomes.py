"""What capacity building led to: organisations reached (came to an event) against those not
reached, and what each went on to do after its first event (or the region's first, for those not
reached), up to the report's date. Every figure below is worked out by hand from the story."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.organisations.models import Organisation, Sector, SizeBand
from stepchange.reports.registry import ReportResult, run_report
from tests.factories import (
    AttendanceFactory,
    BiddingPartnershipFactory,
    BidFactory,
    Clock,
    ContractFactory,
    EventFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    SessionFactory,
    StageFactory,
    SubContractFactory,
)
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T10:00:00+00:00")


def member(organisation: Organisation, confirmed: str, *, lead: bool = False) -> None:
    partnership = BiddingPartnershipFactory.create(lead=organisation) if lead else BiddingPartnershipFactory.create()
    PartnershipMemberFactory.create(partnership=partnership, organisation=organisation, confirmed_at=at(confirmed))


def bid(organisation: Organisation, submitted: str, deadline: str, *, withdrawn: bool = False) -> None:
    partnership = BiddingPartnershipFactory.create(lead=organisation)
    PartnershipMemberFactory.create(partnership=partnership, organisation=organisation, confirmed_at=at(submitted))
    BidFactory.create(
        partnership=partnership,
        stage=StageFactory.create(opportunity=partnership.opportunity, deadline=at(deadline)),
        submitted_at=at(submitted),
        withdrawn_at=at(submitted) if withdrawn else None,
    )


@pytest.fixture
def story(cast: Cast, clock: Clock) -> Cast:
    clock.set(datetime.date(2007, 4, 2))
    region = cast.region
    acorn, beacon = cast.charity, cast.company
    Organisation.objects.filter(pk=acorn.pk).update(size_band=SizeBand.SMALL)
    Organisation.objects.filter(pk=beacon.pk).update(size_band=SizeBand.MEDIUM)
    kashmiri = OrganisationFactory.create(
        name="Kashmiri Welfare", region=region, size_band=SizeBand.SMALL, bme_led=True
    )
    sahara = OrganisationFactory.create(name="Sahara Group", region=region, size_band=SizeBand.MICRO, bme_led=True)
    elm = OrganisationFactory.create(name="Elm Trust", region=region, sector=Sector.VCS)
    tyne = OrganisationFactory.create(name="Tyne Outreach", region=cast.other_region)

    conference = SessionFactory.create(event=EventFactory.create(region=region), date=datetime.date(2006, 6, 15))
    learning_set = EventFactory.create(region=region, kind="action_learning_set")
    SessionFactory.create(event=learning_set, date=datetime.date(2006, 9, 1))
    meeting_2 = SessionFactory.create(event=learning_set, date=datetime.date(2006, 10, 1))
    later = SessionFactory.create(event=EventFactory.create(region=region), date=datetime.date(2007, 4, 20))
    elsewhere = SessionFactory.create(
        event=EventFactory.create(region=cast.other_region), date=datetime.date(2006, 5, 1)
    )
    AttendanceFactory.create(session=conference, organisation=acorn)
    AttendanceFactory.create(session=conference, organisation=sahara)
    AttendanceFactory.create(session=meeting_2, organisation=kashmiri)
    AttendanceFactory.create(session=later, organisation=beacon)  # after the report's date
    AttendanceFactory.create(session=elsewhere, organisation=elm)  # another region's event
    AttendanceFactory.create(session=conference, organisation=tyne)  # another region's organisation
    AttendanceFactory.create(session=conference, organisation=cast.sypa.organisation)  # a commissioner

    # Acorn (first event 15 June 2006): joins, bids, wins; its sub-contract of May came before.
    bid(acorn, "2006-08-01", "2006-09-02")
    acorn_contract = ContractFactory.create(
        prime=acorn, start=datetime.date(2006, 10, 1), annual_value=Decimal("24500.00")
    )
    early = ContractFactory.create(prime=beacon, start=datetime.date(2006, 5, 1), annual_value=Decimal("50000.00"))
    SubContractFactory.create(contract=early, partner=acorn, value=Decimal("3000.00"))
    # Kashmiri (first event 1 October 2006): a partnership before it does not count, one after does;
    # a sub-contract of a contract starting that very day does not, one starting later does.
    member(kashmiri, "2006-09-15")
    member(kashmiri, "2006-11-01")
    SubContractFactory.create(contract=acorn_contract, partner=kashmiri, value=Decimal("500.00"))
    beacon_second = ContractFactory.create(
        prime=beacon, start=datetime.date(2007, 1, 1), annual_value=Decimal("40000.00")
    )
    SubContractFactory.create(contract=beacon_second, partner=kashmiri, value=Decimal("12345.67"))
    # Beacon (not reached, so from the region's first event, 15 June 2006): two contracts after it.
    ContractFactory.create(prime=beacon, start=datetime.date(2006, 11, 1), annual_value=Decimal("100000.00"))
    # Elm (not reached): joins a partnership whose bid it withdrew, and bids to a stage still sealed.
    bid(elm, "2006-12-01", "2006-12-15", withdrawn=True)
    bid(elm, "2007-01-10", "2007-05-01")
    # After the report's date: not counted.
    ContractFactory.create(prime=sahara, start=datetime.date(2007, 4, 1), annual_value=Decimal("9999.00"))
    return cast


def report() -> ReportResult:
    return run_report("capacity-outcomes", {"region": "YH", "at": "2007-03-31"})


def row(result: ReportResult, breakdown: str, group: str) -> dict[str, object]:
    return next(r for r in result.rows if r["breakdown"] == breakdown and r["group"] == group)


def figures(result: ReportResult, breakdown: str, group: str) -> tuple[object, ...]:
    r = row(result, breakdown, group)
    keys = (
        "organisations",
        "joined",
        "bid",
        "won_contract",
        "contract_value",
        "won_sub_contract",
        "sub_contract_value",
    )
    return tuple(r[k] for k in keys)


def test_reached_against_not_reached(story: Cast) -> None:
    result = report()
    # Reached: Acorn, Kashmiri, Sahara. Not reached: Beacon (its event is after the date), Elm.
    # Joined: Acorn and Kashmiri (its second partnership); of those not reached, Elm alone.
    assert result.totals == {"organisations": 5, "reached": 3, "not_reached": 2}
    assert figures(result, "All organisations", "Reached") == (
        3, 2, 1, 1, Decimal("24500.00"), 1, Decimal("12345.67"),
    )  # fmt: skip
    assert figures(result, "All organisations", "Not reached") == (
        2, 1, 0, 1, Decimal("140000.00"), 0, Decimal("0"),
    )  # fmt: skip
    # Acorn and Kashmiri went on to something, Sahara did not: 2 of 3.
    assert row(result, "All organisations", "Reached")["went_on_share"] == Decimal(2) * 100 / 3
    assert row(result, "All organisations", "Not reached")["went_on_share"] == Decimal(100)


def test_by_size_band_and_bme_led(story: Cast) -> None:
    result = report()
    small, micro, medium = (str(b.label) for b in (SizeBand.SMALL, SizeBand.MICRO, SizeBand.MEDIUM))
    assert figures(result, small, "Reached") == (2, 2, 1, 1, Decimal("24500.00"), 1, Decimal("12345.67"))
    assert figures(result, small, "Not reached")[0] == 0
    assert row(result, small, "Not reached")["went_on_share"] is None
    assert figures(result, micro, "Reached") == (1, 0, 0, 0, Decimal("0"), 0, Decimal("0"))
    assert figures(result, medium, "Not reached") == (1, 0, 0, 1, Decimal("140000.00"), 0, Decimal("0"))
    assert figures(result, "Size not given", "Not reached") == (1, 1, 0, 0, Decimal("0"), 0, Decimal("0"))
    assert figures(result, "BME-led", "Reached") == (2, 1, 0, 0, Decimal("0"), 1, Decimal("12345.67"))
    assert row(result, "BME-led", "Reached")["went_on_share"] == Decimal(50)
    assert figures(result, "Not BME-led", "Reached") == (1, 1, 1, 1, Decimal("24500.00"), 0, Decimal("0"))
    assert figures(result, "Not BME-led", "Not reached") == (2, 1, 0, 1, Decimal("140000.00"), 0, Decimal("0"))


def test_downloadable_and_for_people_signed_in(story: Cast, client_for: ClientFor) -> None:
    csv = client_for(story.dave).get("/reports/capacity-outcomes.csv?at=2007-03-31")
    assert csv.status_code == 200
    text = csv.content.decode()
    assert "All organisations,Reached,3,2,1,1,24500.00,1,12345.67" in text
    page = client_for(None).get("/reports/capacity-outcomes/")
    assert page.status_code == 302 and "/account/sign-in" in page["Location"]
