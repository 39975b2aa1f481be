"""Many people press the same button at once: one does it, every other is told who did it and when.

Each race is real requests through the whole stack: twenty threads, each with its own test client
signed in as a real person (several people of the right role, the clients shared among them),
wait at a barrier and post the same form together. Then: no answer is a server error, exactly one
request did the thing, every other was sent to the page of what was done with "<name> <did it> at
<time>" at its top, and the database holds it once.

On PostgreSQL the requests run truly at once (each thread has its own connection). SQLite's test
database is one file in memory that refuses a second writer outright, so there the threads take
turns once released: what the later ones meet is then what a loser meets after the winner's commit.
"""

from __future__ import annotations

import datetime
import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.commissioning import sealing
from stepchange.commissioning import services as commissioning
from stepchange.commissioning.models import Bid, BiddingPartnership
from stepchange.core.models import AuditEvent
from stepchange.returns import services as returns
from stepchange.returns.models import PrisonReturn, ProbationReturn, ReturnRound, Status
from tests.commissioning.world import HOUR, build_tender
from tests.conftest import signed_in
from tests.factories import UserFactory, fill_prison_return, open_prison_round, year_0607
from tests.personas import PASSWORD, Cast, build_cast

pytestmark = pytest.mark.django_db(transaction=True)

PRESSES = 20
SERVER_ERROR = 500


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    """The cast, in a transactional database (the reference data are there: tests/conftest.py puts
    them back after every transactional test)."""
    return build_cast()


@dataclass
class Pressed:
    """What one client saw: the status of its POST, and the page it ended on (redirects followed)."""

    who: User
    status: int
    path: str
    text: str


def press_together(people: list[User], path: str, data: Callable[[int], dict[str, Any]]) -> list[Pressed]:
    """``PRESSES`` clients, shared among ``people``, post ``data(i)`` to ``path`` at once."""
    users = [people[i % len(people)] for i in range(PRESSES)]
    # An uncaught error is a 500 page, as in production.
    clients = [signed_in(user, raise_request_exception=False) for user in users]
    barrier = threading.Barrier(PRESSES)
    one_at_a_time = threading.Lock() if connection.vendor == "sqlite" else None
    results: list[Pressed | None] = [None] * PRESSES
    failures: list[BaseException] = []

    def press(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            if one_at_a_time is not None:
                one_at_a_time.acquire()
            try:
                first = clients[i].post(path, data(i))
                final = clients[i].get(first["Location"]) if first.status_code == 302 else first
            finally:
                if one_at_a_time is not None:
                    one_at_a_time.release()
            results[i] = Pressed(
                users[i], first.status_code, final.wsgi_request.path, html.unescape(final.content.decode())
            )
        except BaseException as failure:  # reported below, in the test's own thread
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    done = [r for r in results if r is not None]
    assert len(done) == PRESSES
    return done


def banners(text: str) -> list[str]:
    """The text of each notification banner's heading on the page."""
    return [
        re.sub(r"\s+", " ", b).strip()
        for b in re.findall(r'<p class="govuk-notification-banner__heading">(.*?)</p>', text, re.S)
    ]


def check_race(
    pressed: list[Pressed],
    *,
    won: Callable[[Pressed], bool],
    winner: User,
    loser_says: str,
    loser_path: str,
) -> Pressed:
    """No 500s; exactly one press ``won``; every other was redirected to ``loser_path`` and told
    "<winner> <loser_says> at <time>"."""
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if won(p)]
    assert len(winners) == 1, [banners(p.text) for p in pressed]
    (the_winner,) = winners
    assert the_winner.who == winner
    told = re.compile(
        rf"^{re.escape(winner.get_full_name() or winner.username)} {re.escape(loser_says)} at \d\d:\d\d; "
    )
    for loser in pressed:
        if loser is the_winner:
            continue
        assert loser.status == 302, banners(loser.text)
        assert loser.path == loser_path
        assert [b for b in banners(loser.text) if told.match(b)], banners(loser.text)
    return the_winner


def people(cast: Cast, role: str, base: User, count: int = 4, **extra: Any) -> list[User]:
    """``base`` and colleagues of the same role and place, each with a name of their own."""
    colleagues = [
        UserFactory.create(
            username=f"{base.username}{n}",
            first_name=f"{base.first_name}{n}",
            last_name="Colleague",
            role=role,
            organisation=base.organisation,
            region=base.region,
            password=PASSWORD,
            **extra,
        )
        for n in range(2, count + 1)
    ]
    return [base, *colleagues]


def actor_of(obj: Any, *actions: str) -> User:
    events = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=actions
    ).select_related("actor")
    assert events.count() == 1, list(events.values_list("action", flat=True))
    actor = events.get().actor
    assert actor is not None
    return actor


# Rounds and returns ---------------------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_opening_a_round(cast: Cast) -> None:
    analysts = people(cast, Role.AREA_ANALYST, cast.grace)
    form = {
        "kind": "prison",
        "year": year_0607().pk,
        "quarter": "1",
        "commissioners": [cast.leeds.pk],
        "opens_on": "1/7/2006",
        "deadline": "31/7/2006",
    }
    pressed = press_together(analysts, "/returns/rounds/new/", lambda i: form)
    the_round = ReturnRound.objects.get()
    assert PrisonReturn.objects.filter(round=the_round).count() == 1
    check_race(
        pressed,
        won=lambda p: "The round is open" in " ".join(banners(p.text)),
        winner=actor_of(the_round, "round_open"),
        loser_says=f"opened this round ({the_round})",
        loser_path=f"/returns/rounds/{the_round.pk}/",
    )


@pytest.mark.usefixtures("clock")
def test_opening_a_probation_round(cast: Cast) -> None:
    """A probation round gives each area a return at its date: still one round, one return."""
    commissioners = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    form = {
        "kind": "probation",
        "year": year_0607().pk,
        "quarter": "1",
        "commissioners": [cast.sypa.pk, cast.wypa.pk],
        "opens_on": "1/7/2006",
        "deadline": "31/7/2006",
    }
    pressed = press_together(commissioners, "/returns/rounds/new/", lambda i: form)
    the_round = ReturnRound.objects.get()
    assert ProbationReturn.objects.filter(round=the_round).count() == 2
    check_race(
        pressed,
        won=lambda p: "The round is open" in " ".join(banners(p.text)),
        winner=actor_of(the_round, "round_open"),
        loser_says=f"opened this round ({the_round})",
        loser_path=f"/returns/rounds/{the_round.pk}/",
    )


def _submitted(cast: Cast) -> PrisonReturn:
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    return returns.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)


@pytest.mark.usefixtures("clock")
def test_submitting_a_return(cast: Cast) -> None:
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    coordinators = people(cast, Role.PRISON_COORDINATOR, cast.frank)
    pressed = press_together(
        coordinators, f"/returns/prison/{q1.pk}/check/", lambda i: {"version": q1.version, "nil": "yes"}
    )
    q1.refresh_from_db()
    assert q1.status == Status.NIL
    check_race(
        pressed,
        won=lambda p: "Your nil return is submitted." in banners(p.text),
        winner=actor_of(q1, *returns.SUBMITTED_ACTIONS),
        loser_says="submitted this return",
        loser_path=f"/returns/prison/{q1.pk}/",
    )


@pytest.mark.usefixtures("clock")
def test_approving_a_return(cast: Cast) -> None:
    q1 = _submitted(cast)
    analysts = people(cast, Role.AREA_ANALYST, cast.grace)
    pressed = press_together(analysts, f"/returns/prison/{q1.pk}/approve/", lambda i: {"version": q1.version})
    q1.refresh_from_db()
    assert q1.status == Status.APPROVED
    check_race(
        pressed,
        won=lambda p: "The return is approved" in " ".join(banners(p.text)),
        winner=actor_of(q1, "return_approve"),
        loser_says="approved this return",
        loser_path=f"/returns/prison/{q1.pk}/",
    )


@pytest.mark.usefixtures("clock")
def test_sending_a_return_back(cast: Cast) -> None:
    q1 = _submitted(cast)
    analysts = people(cast, Role.AREA_ANALYST, cast.grace)
    pressed = press_together(
        analysts,
        f"/returns/prison/{q1.pk}/send-back/",
        lambda i: {"version": q1.version, "reason": f"Check the figures ({i})"},
    )
    q1.refresh_from_db()
    assert q1.status == Status.RETURNED
    check_race(
        pressed,
        won=lambda p: "sent back with your reason" in " ".join(banners(p.text)),
        winner=actor_of(q1, "return_send_back"),
        loser_says="returned this return for correction",
        loser_path=f"/returns/prison/{q1.pk}/",
    )


@pytest.mark.usefixtures("clock")
def test_reopening_a_return_as_a_correction(cast: Cast) -> None:
    q1 = _submitted(cast)
    returns.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)
    both = [*people(cast, Role.PRISON_COORDINATOR, cast.frank, 2), *people(cast, Role.AREA_ANALYST, cast.grace, 2)]
    pressed = press_together(
        both, f"/returns/prison/{q1.pk}/reopen/", lambda i: {"reason": f"Missed a mentoring service ({i})"}
    )
    correction = PrisonReturn.objects.get(round=q1.round, revision=2)
    assert PrisonReturn.objects.filter(round=q1.round).count() == 2
    check_race(
        pressed,
        won=lambda p: "A correction is open" in " ".join(banners(p.text)),
        winner=actor_of(correction, "return_create"),
        loser_says="reopened this return as a correction",
        loser_path=f"/returns/prison/{correction.pk}/",
    )


# Tenders ----------------------------------------------------------------------------------------


def test_forming_a_partnership(cast: Cast) -> None:
    tender = build_tender(cast, submit=False)
    staff = people(cast, Role.PROVIDER, cast.erin)
    pressed = press_together(
        staff,
        f"/opportunities/{tender.opportunity.reference}/partnerships/new/",
        lambda i: {"name": f"Beacon Partnership {i}", "lead_role": "Lead", "lead_share": "100"},
    )
    partnership = BiddingPartnership.objects.get(opportunity=tender.opportunity, lead=cast.company)
    check_race(
        pressed,
        won=lambda p: f"{partnership.name} formed." in " ".join(banners(p.text)),
        winner=actor_of(partnership, "partnership_create"),
        loser_says=f"formed your organisation's partnership for this opportunity ({partnership.name})",
        loser_path=f"/opportunities/partnerships/{partnership.pk}/",
    )


def test_the_first_save_of_a_bid(cast: Cast) -> None:
    tender = build_tender(cast, submit=False)
    staff = people(cast, Role.PROVIDER, cast.erin)
    partnership = commissioning.partnership_create(
        actor=cast.erin,
        opportunity=tender.opportunity,
        name="Beacon Partnership",
        lead_role="Lead",
        lead_share=Decimal(100),
        now=tender.start + HOUR,
    )
    lead = partnership.members.get()
    for person in staff[1:]:
        commissioning.bid_team_add(actor=cast.erin, member=lead, person=person)
    pressed = press_together(
        staff,
        f"/opportunities/partnerships/{partnership.pk}/stages/1/bid/",
        lambda i: {"q1": f"Answer {i}", "price": str(100000 + i)},
    )
    bid = Bid.objects.get(partnership=partnership, stage=tender.stage1)
    content = sealing.open_bid(bid, reader=cast.erin)
    stored = int(content.price or 0) - 100000
    assert content.answers == {"1": f"Answer {stored}"}
    winner = check_race(
        pressed,
        won=lambda p: "Bid saved; it is not submitted yet" in banners(p.text),
        winner=actor_of(bid, "bid_create"),
        loser_says="started this bid for stage 1",
        loser_path=f"/opportunities/partnerships/{partnership.pk}/stages/1/bid/",
    )
    assert winner is pressed[stored]


def test_withdrawing_a_bid(cast: Cast) -> None:
    tender = build_tender(cast, submit=False)
    lead = tender.partnership.members.get(organisation=cast.charity)
    staff = people(cast, Role.PROVIDER, cast.dave)
    for person in staff[1:]:
        commissioning.bid_team_add(actor=cast.dave, member=lead, person=person)
    pressed = press_together(staff, f"/opportunities/bids/{tender.bid.pk}/withdraw/", lambda i: {})
    tender.bid.refresh_from_db()
    assert tender.bid.withdrawn_at is not None
    check_race(
        pressed,
        won=lambda p: "Bid withdrawn" in banners(p.text),
        winner=actor_of(tender.bid, "bid_withdraw"),
        loser_says="withdrew this bid",
        loser_path=f"/opportunities/partnerships/{tender.partnership.pk}/",
    )


# The directory ----------------------------------------------------------------------------------


def test_asking_for_a_change_to_protected_answers(cast: Cast) -> None:
    """One request waits for the regional team at a time: of many asked at once, one is kept."""
    staff = people(cast, Role.PROVIDER, cast.dave)
    org = cast.charity
    pressed = press_together(
        staff,
        f"/organisations/{org.pk}/ask-for-a-change/",
        lambda i: {
            "sector": org.sector,
            "region": org.region_id or "",
            "size_band": org.size_band,
            "bme_led": "on",
            "reason": f"Our board changed ({i}).",
        },
    )
    waiting = org.change_requests.get()
    assert waiting.requested_by is not None
    check_race(
        pressed,
        won=lambda p: p.status == 302 and not any("asked for a change to these answers" in b for b in banners(p.text)),
        winner=waiting.requested_by,
        loser_says="asked for a change to these answers",
        loser_path=f"/organisations/{org.pk}/",
    )


# Reference data: a clash of names is refused on the form; a clash at the same moment, told who --


def test_adding_a_main_grant(cast: Cast) -> None:
    """Twenty add the same area's grant for the same year: one grant. A loser that reads it before
    adding is refused on the form as any duplicate is ("already has a main grant"); one that clashes
    with it in the database is sent to it, told who added it and when. None sees an error page."""
    commissioners = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    year = year_0607()
    pressed = press_together(
        commissioners,
        "/manage/grants/new/",
        lambda i: {"commissioner": cast.sypa.pk, "year": year.pk, "indicative": str(19300000 + i)},
    )
    from stepchange.contracts.models import MainGrant

    grant = MainGrant.objects.get(commissioner=cast.sypa, year=year)
    winner = actor_of(grant, "main_grant_create")
    told = f"{winner.get_full_name()} added {cast.sypa.name}'s main grant for {year} at "
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if p.status == 302 and p.path == "/manage/grants/"]
    assert len(winners) == 1 and winners[0].who == winner
    for loser in pressed:
        if loser is winners[0]:
            continue
        if loser.status == 302:
            assert loser.path == f"/manage/grants/{grant.pk}/edit/"
            assert [b for b in banners(loser.text) if b.startswith(told)], banners(loser.text)
        else:
            assert loser.status == 200
            assert f"{cast.sypa.name} already has a main grant for {year}" in loser.text


# Running an opportunity -------------------------------------------------------------------------


def draft_tender(cast: Cast) -> Any:
    """A one-stage tender, ready to publish but not yet published."""
    from stepchange.core.models import Pathway

    start = timezone.now().replace(second=0, microsecond=0)
    opportunity = commissioning.opportunity_create(
        actor=cast.alice,
        commissioner=cast.regional_team,
        reference="mentoring",
        title="Mentoring",
        description="Mentoring for people leaving custody.",
        kind="tender",
        estimated_value=Decimal("50000"),
        duration_months=12,
        contract_start=(start + datetime.timedelta(days=60)).date(),
        funding_source="new_investment",
        funder="Regional team",
        pathways=list(Pathway.objects.filter(code="ete")),
        areas=[cast.sypa],
    )
    stage = commissioning.stage_add(
        actor=cast.alice,
        opportunity=opportunity,
        number=1,
        name="Bid",
        deadline=start + datetime.timedelta(days=10),
        short_period_reason="The pilot's money must be committed this quarter.",
    )
    commissioning.question_add(actor=cast.alice, stage=stage, text="How will you mentor?")
    commissioning.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=100)
    commissioning.evaluator_assign(actor=cast.alice, stage=stage, evaluator=cast.heidi)
    return opportunity


def test_publishing_an_opportunity(cast: Cast) -> None:
    opportunity = draft_tender(cast)
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(managers, f"/opportunities/{opportunity.reference}/publish/", lambda i: {})
    opportunity.refresh_from_db()
    assert opportunity.published_at is not None
    check_race(
        pressed,
        won=lambda p: "Published: anyone can now read this opportunity" in banners(p.text),
        winner=actor_of(opportunity, "opportunity_publish"),
        loser_says="published this opportunity",
        loser_path=f"/opportunities/{opportunity.reference}/",
    )


def test_answering_a_clarification_question(cast: Cast) -> None:
    tender = build_tender(cast, submit=False)
    question = commissioning.clarification_ask(
        actor=cast.erin, opportunity=tender.opportunity, question="Is the price per year?"
    )
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(
        managers,
        f"/opportunities/clarifications/{question.pk}/answer/",
        lambda i: {"answer": f"Yes, per year ({i})."},
    )
    question.refresh_from_db()
    assert question.answered_at is not None
    check_race(
        pressed,
        won=lambda p: "Answer published" in banners(p.text),
        winner=actor_of(question, "clarification_answer"),
        loser_says="answered this question",
        loser_path=f"/opportunities/{tender.opportunity.reference}/",
    )


def test_deciding_a_change_request(cast: Cast) -> None:
    from tests.factories import ProfileChangeRequestFactory

    waiting = ProfileChangeRequestFactory.create(organisation=cast.charity, requested_by=cast.dave)
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(
        team, f"/organisations/change-requests/{waiting.pk}/", lambda i: {"decision": "approve", "refusal_reason": ""}
    )
    waiting.refresh_from_db()
    assert waiting.approved is True and waiting.decided_by is not None
    assert cast.charity.profile_changes.count() == 1
    check_race(
        pressed,
        won=lambda p: f"The request from {cast.charity.name} has been decided." in banners(p.text),
        winner=waiting.decided_by,
        loser_says="approved this request",
        loser_path=f"/organisations/change-requests/{waiting.pk}/",
    )


def test_adding_an_organisation(cast: Cast) -> None:
    """A name is the directory's to give once. Whoever loses is refused on the form as for any
    name in use, at the same moment or later, and is not told who took it."""
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(
        team, "/organisations/new/", lambda i: {"name": "Pennine Recovery", "sector": "vcs", "region": cast.region.pk}
    )
    from stepchange.organisations.models import Organisation

    added = Organisation.objects.get(name="Pennine Recovery")
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if p.status == 302]
    assert len(winners) == 1 and winners[0].path == f"/organisations/{added.pk}/"
    assert winners[0].who == actor_of(added, "organisation_create")
    for loser in pressed:
        if loser is not winners[0]:
            assert loser.status == 200
            assert "Organisation with this Name already exists." in loser.text
