"""Capacity building's events and funding's streams and small grants rounds in the bulletins,
beside commissioning's opportunities: declared in each app's own ``bulletins.py``.

In Yorkshire and Humberside this month: a tender for housing in South Yorkshire; an announced
bidding workshop (two meetings, in Sheffield) and an unannounced focus group; a stream for
accommodation work in South Yorkshire, one for health in West Yorkshire and one whose deadline has
passed; a small grants round that is open and one that opens next month. The North East has an
open round of its own.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stepchange.bulletins import services, sources
from stepchange.bulletins.matching import Choices, is_for
from stepchange.bulletins.models import Bulletin, BulletinKind
from stepchange.capacity import services as capacity_services
from stepchange.capacity.models import Event
from stepchange.core.models import Pathway
from stepchange.funding import services as funding_services
from stepchange.funding.bulletins import round_published_at
from tests.factories import (
    EventFactory,
    FundingStreamFactory,
    GrantsRoundFactory,
    OpportunityFactory,
    SessionFactory,
    SubscriberFactory,
)

DAY = datetime.timedelta(days=1)
ALL_KINDS = ["opportunities", "events", "funding_streams", "small_grants"]


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def published(cast, today):
    workshop = EventFactory.create(
        region=cast.region, title="Bidding workshop", run_by="CRISP", capacity=25, announced=True
    )
    SessionFactory.create(event=workshop, date=today + 20 * DAY, place="Sheffield")
    SessionFactory.create(event=workshop, date=today + 50 * DAY, place="Sheffield")
    focus = EventFactory.create(region=cast.region, title="Focus group on governance", announced=False)
    SessionFactory.create(event=focus, date=today + 20 * DAY)
    ended = EventFactory.create(region=cast.region, title="Last week's briefing", announced=True)
    SessionFactory.create(event=ended, date=today - 7 * DAY)
    housing_fund = FundingStreamFactory.create(
        region=cast.region, funder="Lloyds TSB Foundation", programme="Resettlement", deadline=today + 60 * DAY
    )
    housing_fund.pathways.set(Pathway.objects.filter(code="accommodation"))
    housing_fund.areas.set([cast.sypa])
    health_fund = FundingStreamFactory.create(region=cast.region, funder="Health Trust", programme="Wellbeing")
    health_fund.deadline = None
    health_fund.save()
    health_fund.pathways.set(Pathway.objects.filter(code="health"))
    health_fund.areas.set([cast.wypa])
    FundingStreamFactory.create(region=cast.region, funder="Closed Fund", programme="Past", deadline=today - DAY)
    open_round = GrantsRoundFactory.create(
        region=cast.region,
        name="Small grants 2006-07",
        budget=Decimal("20000.00"),
        max_award=Decimal("5000.00"),
        opens_on=today - 40 * DAY,  # open long before it was set up: published when it was set up
        closes_on=today + 30 * DAY,
        decisions_by=today + 60 * DAY,
    )
    later_round = GrantsRoundFactory.create(
        region=cast.region,
        name="Small grants, next round",
        opens_on=today + 30 * DAY,
        closes_on=today + 60 * DAY,
        decisions_by=today + 90 * DAY,
    )
    GrantsRoundFactory.create(
        region=cast.other_region, name="North East grants", opens_on=today, closes_on=today, decisions_by=today
    )
    tender = OpportunityFactory.create(
        commissioner=cast.sypa, title="Housing advice", pathways=["accommodation"], areas=[cast.sypa]
    )
    return {
        "workshop": workshop,
        "housing_fund": housing_fund,
        "health_fund": health_fund,
        "open_round": open_round,
        "later_round": later_round,
        "tender": tender,
    }


def test_each_app_declares_its_kinds_in_order():
    assert [source.key for source in sources.declared_sources()] == ALL_KINDS


def test_a_digest_holds_every_kind_open_now(cast, published, today):
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    entries = {entry.title: entry for entry in draft.entries.all()}
    # Not the unannounced focus group, the ended briefing, the closed fund, the round not yet open
    # or the North East's round.
    assert sorted(entries) == [
        "Bidding workshop",
        "Health Trust: Wellbeing",
        "Housing advice",
        "Lloyds TSB Foundation: Resettlement",
        "Small grants 2006-07",
    ]
    workshop = entries["Bidding workshop"]
    assert workshop.source == "events"
    assert workshop.summary == (
        f"Training run by CRISP: {_day(today + 20 * DAY)}, {_day(today + 50 * DAY)} at Sheffield. "
        "25 places; sign in to book."
    )
    assert workshop.url == f"/capacity/events/{published['workshop'].pk}/"
    assert (workshop.pathway_ids, workshop.area_ids) == ([], [])

    fund = entries["Lloyds TSB Foundation: Resettlement"]
    assert fund.source == "funding_streams"
    assert fund.summary == f"Grants of £5,000 to £40,000; bids by {_day(today + 60 * DAY)}."
    assert (fund.pathways_text, fund.areas_text) == ("Accommodation", "South Yorkshire Probation Area")
    assert entries["Health Trust: Wellbeing"].summary == "Grants of £5,000 to £40,000; bids taken at any time."

    grants = entries["Small grants 2006-07"]
    assert grants.source == "small_grants"
    assert grants.summary == (
        f"Small grants of up to £5,000 from a budget of £20,000; applications from {_day(today - 40 * DAY)} "
        f"to {_day(today + 30 * DAY)}, decisions by {_day(today + 60 * DAY)}."
    )
    assert grants.published_at == published["open_round"].created_at


def test_a_round_is_announced_in_the_digest_covering_its_opening_day(cast, published, today):
    first = services.digest_draft(actor=cast.alice, region=cast.region)
    services.bulletin_send(actor=cast.alice, bulletin=first, version=first.version)
    later_round = published["later_round"]
    opens = round_published_at(later_round)
    assert timezone.localtime(opens) == datetime.datetime.combine(
        today + 30 * DAY, datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    # The day before it opens there is nothing new; the day it opens, it is the news.
    with pytest.raises(ValidationError, match="Nothing has been published since"):
        services.digest_draft(actor=cast.alice, region=cast.region, now=opens - DAY)
    second = services.digest_draft(actor=cast.alice, region=cast.region, now=opens + DAY / 4)
    assert list(second.entries.values_list("title", flat=True)) == ["Small grants, next round"]


def test_one_message_holds_every_kind_under_its_label(
    cast, published, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory.create(region=cast.region, email="all@example.org", kinds=ALL_KINDS)
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version) == 1
    [mail] = smtp.to("all@example.org")
    body = smtp.body(mail)
    labels = ["Commissioning opportunities", "Capacity-building events", "Funding streams", "Small grants rounds"]
    lines = body.splitlines()
    # Each kind under its label, the kinds in the sources' order.
    assert [line for line in lines if line in labels] == labels
    assert "Bidding workshop" in body and "Small grants 2006-07" in body and "Housing advice" in body


def test_an_item_for_no_pathway_or_area_is_for_every_subscriber_of_its_kind(
    cast, published, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    """Rita chose accommodation in South Yorkshire, Tom health in West Yorkshire, both every kind;
    Una only events. The workshop and the round name no pathway and no area: everyone who chose
    their kind gets them, whatever pathways and areas they chose."""
    rita = SubscriberFactory.create(
        region=cast.region, email="rita@example.org", kinds=ALL_KINDS, pathways=["accommodation"], areas=[cast.sypa]
    )
    tom = SubscriberFactory.create(
        region=cast.region, email="tom@example.org", kinds=ALL_KINDS, pathways=["health"], areas=[cast.wypa]
    )
    una = SubscriberFactory.create(region=cast.region, email="una@example.org", kinds=["events"])
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    entries = list(draft.entries.all())

    def titles(subscriber) -> list[str]:
        return sorted(entry.title for entry in entries if is_for(Choices.of(subscriber), entry))

    assert titles(rita) == [
        "Bidding workshop",
        "Housing advice",
        "Lloyds TSB Foundation: Resettlement",
        "Small grants 2006-07",
    ]
    assert titles(tom) == ["Bidding workshop", "Health Trust: Wellbeing", "Small grants 2006-07"]
    assert titles(una) == ["Bidding workshop"]

    with django_capture_on_commit_callbacks(execute=True):
        assert services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version) == 3
    una_body = smtp.body(smtp.to("una@example.org")[0])
    assert "Bidding workshop" in una_body and "Small grants" not in una_body and "Housing advice" not in una_body


# Alerts: where the service publishes something at a moment someone acts.


@pytest.fixture
def alert_readers(cast):
    return {
        "events": SubscriberFactory.create(region=cast.region, email="events@example.org", kinds=["events"]),
        "events_digest_only": SubscriberFactory.create(
            region=cast.region, email="quiet@example.org", kinds=["events"], wants_alerts=False
        ),
        "funding": SubscriberFactory.create(
            region=cast.region,
            email="funding@example.org",
            kinds=["funding_streams", "small_grants"],
            pathways=["accommodation"],
        ),
    }


def _alerts() -> list[str]:
    return list(Bulletin.objects.filter(kind=BulletinKind.ALERT).values_list("title", flat=True))


def test_an_announced_event_alerts_who_wants_events_an_unannounced_one_nobody(
    cast, alert_readers, today, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capacity_services.event_create(
            actor=cast.alice,
            region=cast.region,
            kind="focus_group",
            title="Private focus group",
            capacity=8,
            sessions=[(today + 10 * DAY, "Leeds")],
        )
    assert _alerts() == []
    assert smtp.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        event = capacity_services.event_create(
            actor=cast.alice,
            region=cast.region,
            kind="conference",
            title="Regional VCS conference",
            capacity=120,
            sessions=[(today + 30 * DAY, "Royal Armouries, Leeds")],
            announce=True,
        )
    assert _alerts() == ["New: Regional VCS conference"]
    assert [m["To"] for m in smtp.messages] == ["events@example.org"]
    body = smtp.body(smtp.messages[0])
    assert f"Conference: {_day(today + 30 * DAY)} at Royal Armouries, Leeds. 120 places; sign in to book." in body
    assert f"http://localhost:8000/capacity/events/{event.pk}/" in body


def test_a_new_stream_alerts_who_it_matches(
    cast, alert_readers, today, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    data = {
        "region": cast.region,
        "funder": "Lankelly Chase",
        "programme": "Housing first",
        "opens_on": None,
        "deadline": today + 45 * DAY,
        "amount_min": None,
        "amount_max": Decimal("25000.00"),
        "eligibility": "Charities",
        "url": "",
        "pathways": list(Pathway.objects.filter(code="health")),
        "areas": [],
    }
    with django_capture_on_commit_callbacks(execute=True):
        funding_services.stream_save(actor=cast.alice, data=data)
    assert _alerts() == []  # the funding reader chose accommodation; nobody else wants streams
    data |= {"programme": "Move on", "pathways": list(Pathway.objects.filter(code="accommodation"))}
    with django_capture_on_commit_callbacks(execute=True):
        funding_services.stream_save(actor=cast.alice, data=data)
    assert _alerts() == ["New: Lankelly Chase: Move on"]
    assert [m["To"] for m in smtp.messages] == ["funding@example.org"]
    assert f"Grants of up to £25,000; bids by {_day(today + 45 * DAY)}." in smtp.body(smtp.messages[0])


def test_a_round_alerts_when_it_is_set_up_open_and_not_before_it_opens(
    cast, alert_readers, today, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    data = {
        "region": cast.region,
        "name": "Next year's grants",
        "budget": Decimal("10000.00"),
        "max_award": Decimal("2000.00"),
        "opens_on": today + DAY,
        "closes_on": today + 30 * DAY,
        "decisions_by": today + 40 * DAY,
        "criteria": "Work with offenders",
    }
    with django_capture_on_commit_callbacks(execute=True):
        funding_services.round_save(actor=cast.alice, data=data)
    assert _alerts() == []  # it opens tomorrow: the digest covering tomorrow announces it
    with django_capture_on_commit_callbacks(execute=True):
        funding_services.round_save(actor=cast.alice, data=data | {"name": "This year's grants", "opens_on": today})
    assert _alerts() == ["New: This year's grants"]
    assert [m["To"] for m in smtp.messages] == ["funding@example.org"]  # a round is for every pathway


def test_the_organiser_chooses_on_the_events_form_whether_it_is_announced(
    cast, alert_readers, client_for, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    alice = client_for(cast.alice)
    page = alice.get(reverse("capacity:event-create")).content.decode()
    assert "Announce it in the region&#x27;s bulletin" in page
    form = {"kind": "training", "title": "Governance basics", "capacity": "10", "place": "Hull", "dates": "1/6/2030"}
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("capacity:event-create"), form)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("capacity:event-create"), form | {"title": "Finance basics", "announce": "on"})
    announced = dict(Event.objects.values_list("title", "announced"))
    assert announced == {"Governance basics": False, "Finance basics": True}
    assert _alerts() == ["New: Finance basics"]
    assert "Training: 1 June 2030 at Hull. 10 places; sign in to book." in smtp.body(smtp.to("events@example.org")[0])
