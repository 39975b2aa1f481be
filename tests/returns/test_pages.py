"""The returns pages as Grace, Frank, Alice and Bob use them, and what each of the others gets: a 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.models import Pathway
from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ProbationReturn, ReturnKind, ReturnRound, Status
from tests.factories import CommissionerFactory, fill_prison_return, open_prison_round, year_0607

pytestmark = pytest.mark.django_db


@pytest.fixture
def hull(cast):
    return CommissionerFactory.create(
        code="HULL",
        region=cast.region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation__name="HMP Hull",
    )


def test_grace_opens_a_prison_round_and_frank_finds_his_return(cast, clock, client_for, hull):
    grace = client_for(cast.grace)
    page = grace.get("/returns/rounds/new/")
    assert page.status_code == 200
    # Grace opens prison rounds only, and may choose prisons only.
    assert b'value="probation"' not in page.content
    assert b"South Yorkshire" not in page.content
    response = grace.post(
        "/returns/rounds/new/",
        {
            "kind": "prison",
            "year": year_0607().pk,
            "quarter": "1",
            "commissioners": [cast.leeds.pk, hull.pk],
            "opens_on": "1/7/2006",
            "deadline": "31/7/2006",
        },
    )
    assert response.status_code == 302
    the_round = ReturnRound.objects.get()
    assert the_round.opened_by == cast.grace
    assert PrisonReturn.objects.filter(round=the_round).count() == 2
    round_page = grace.get(f"/returns/rounds/{the_round.pk}/").content.decode()
    assert "HMP Hull" in round_page and "HMP Leeds" in round_page
    assert "Not started: 2" in round_page

    frank = client_for(cast.frank)
    listing = frank.get("/returns/").content.decode()
    assert "Your returns" in listing and "HMP Leeds 2006-07 Q1" in listing
    # Frank sees the round, but only his own establishment's return in it.
    round_page = frank.get(f"/returns/rounds/{the_round.pk}/").content.decode()
    assert "HMP Leeds" in round_page and "HMP Hull" not in round_page
    hull_return = PrisonReturn.objects.get(commissioner=hull)
    assert frank.get(f"/returns/prison/{hull_return.pk}/").status_code == 404


def test_a_round_with_bad_dates_is_refused_and_nothing_is_saved(cast, clock, client_for):
    response = client_for(cast.grace).post(
        "/returns/rounds/new/",
        {
            "kind": "prison",
            "year": year_0607().pk,
            "quarter": "1",
            "commissioners": [cast.leeds.pk],
            "opens_on": "1/7/2006",
            "deadline": "30/6/2006",
        },
    )
    assert response.status_code == 200
    assert "The deadline must be on or after the opening date." in response.content.decode()
    assert not ReturnRound.objects.exists()


def test_frank_fills_in_a_pathway_page_and_wrong_figures_are_refused(cast, clock, client_for):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    frank = client_for(cast.frank)
    url = f"/returns/prison/{prison_return.pk}/pathways/accommodation/"
    bad = frank.post(
        url, {"version": prison_return.version, "services_running": "2", "services_started": "3", "services_ended": "x"}
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "Services started cannot be more than services running" in text
    assert "Enter a whole number, like 0 or 3" in text
    assert not prison_return.lines.exists()

    good = frank.post(
        url,
        {
            "version": prison_return.version,
            "services_running": "2",
            "services_started": "1",
            "services_ended": "0",
            "spend": "1500",
        },
    )
    # Saved as a draft, and on to the next pathway in order.
    next_pathway = Pathway.objects.filter(order__gt=Pathway.objects.get(code="accommodation").order).first()
    assert good.status_code == 302
    assert next_pathway is not None
    assert good["Location"] == f"/returns/prison/{prison_return.pk}/pathways/{next_pathway.code}/"
    line = prison_return.lines.get()
    assert (line.services_running, line.spend) == (2, Decimal("1500.00"))
    # The organisations are named one at a time, each with its own button.
    prison_return.refresh_from_db()
    frank.post(f"{url}organisations/add/", {"version": prison_return.version, "organisation": cast.charity.pk})
    prison_return.refresh_from_db()
    frank.post(
        f"{url}proposed/add/",
        {"version": prison_return.version, "proposed_name": "Leeds Tenants Forum", "proposed_sector": "vcs"},
    )
    assert [p.name for p in line.proposed.all()] == ["Leeds Tenants Forum"]
    assert list(line.organisations.all()) == [cast.charity]
    task_list = frank.get(f"/returns/prison/{prison_return.pk}/").content.decode()
    assert "You have completed 1 of 7 pathways" in task_list
    # A stale form (the version it was read at has moved on) is refused.
    stale = frank.post(url, {"version": 1, "services_running": "5", "services_started": "0", "services_ended": "0"})
    assert "Someone else changed this record" in stale.content.decode()
    line.refresh_from_db()
    assert line.services_running == 2


def test_carried_over_figures_are_marked_on_the_task_list_and_the_page(cast, clock, client_for):
    q1 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (6, 6, 0, None)}
    )
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    services.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)
    q2 = PrisonReturn.objects.get(round=open_prison_round(cast, quarter=2))
    frank = client_for(cast.frank)
    assert frank.get(f"/returns/prison/{q2.pk}/").content.decode().count("Carried over") == 7
    page = frank.get(f"/returns/prison/{q2.pk}/pathways/ete/").content.decode()
    assert "carried over from last quarter" in page
    assert 'value="6"' in page


def test_submit_with_a_warning_then_grace_returns_it_and_later_approves_it(cast, clock, client_for):
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    frank = client_for(cast.frank)
    check = frank.get(f"/returns/prison/{q1.pk}/check/")
    assert "Check your answers before submitting" in check.content.decode()
    # Spend with no services: a warning that needs a reason.
    q1.refresh_from_db()
    services.prison_line_save(
        actor=cast.frank,
        prison_return=q1,
        expected_version=q1.version,
        pathway=Pathway.objects.get(code="health"),
        organisations=[],
        proposed=[],
        services_running=0,
        services_started=0,
        services_ended=0,
        spend=Decimal("250.00"),
    )
    q1.refresh_from_db()
    no_reason = frank.post(f"/returns/prison/{q1.pk}/check/", {"version": q1.version})
    assert "Give a reason for this warning" in no_reason.content.decode()
    q1.refresh_from_db()
    assert q1.status == Status.DRAFT
    done = frank.post(
        f"/returns/prison/{q1.pk}/check/",
        {"version": q1.version, "reason-spend-without-services:health": "Room hire for a new group"},
    )
    assert done.status_code == 302
    q1.refresh_from_db()
    assert q1.status == Status.SUBMITTED

    # Frank cannot approve his own return; Grace can, and returns it first.
    assert frank.get(f"/returns/prison/{q1.pk}/approve/").status_code == 404
    grace = client_for(cast.grace)
    assert grace.post(f"/returns/prison/{q1.pk}/send-back/", {"version": q1.version, "reason": ""}).status_code == 200
    grace.post(f"/returns/prison/{q1.pk}/send-back/", {"version": q1.version, "reason": "Health spend is annual"})
    q1.refresh_from_db()
    assert q1.status == Status.RETURNED
    assert "Returned for correction: Health spend is annual" in frank.get(f"/returns/prison/{q1.pk}/").content.decode()
    frank.post(
        f"/returns/prison/{q1.pk}/check/",
        {"version": q1.version, "reason-spend-without-services:health": "Room hire, the quarter's share"},
    )
    q1.refresh_from_db()
    response = grace.post(f"/returns/prison/{q1.pk}/approve/", {"version": q1.version})
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.status == Status.APPROVED
    page = grace.get(f"/returns/prison/{q1.pk}/").content.decode()
    for step in ("Return opened", "Figures saved", "Submitted", "Returned for correction", "Approved"):
        assert step in page


def test_a_late_return_needs_a_reason_to_be_accepted_on_the_page(cast, clock, client_for):
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    clock.set(datetime.date(2006, 8, 5))
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    # Signed in after the clock moved (a session older than its age limit would have ended).
    grace = client_for(cast.grace)
    refused = grace.post(f"/returns/prison/{q1.pk}/approve/", {"version": q1.version, "late_reason": ""})
    assert "say why you accept it" in refused.content.decode()
    grace.post(f"/returns/prison/{q1.pk}/approve/", {"version": q1.version, "late_reason": "Agreed extension"})
    q1.refresh_from_db()
    assert (q1.status, q1.late_accepted_reason) == (Status.APPROVED, "Agreed extension")


def test_frank_submits_a_nil_return_from_the_check_page(cast, clock, client_for):
    q1 = PrisonReturn.objects.get(round=open_prison_round(cast))
    response = client_for(cast.frank).post(f"/returns/prison/{q1.pk}/check/", {"version": q1.version, "nil": "yes"})
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.status == Status.NIL


def test_a_correction_is_reopened_on_the_page_with_a_reason(cast, clock, client_for):
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    services.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)
    frank = client_for(cast.frank)
    assert (
        "Say why the approved return needs correcting"
        in frank.post(f"/returns/prison/{q1.pk}/reopen/", {"reason": ""}).content.decode()
    )
    response = frank.post(f"/returns/prison/{q1.pk}/reopen/", {"reason": "Missed a new mentoring service"})
    correction = PrisonReturn.objects.get(revision=2)
    assert response["Location"] == f"/returns/prison/{correction.pk}/"
    assert "revision 2" in frank.get(f"/returns/prison/{q1.pk}/").content.decode()


@pytest.fixture
def both_rounds(cast, clock):
    prison_round = open_prison_round(cast)
    probation_round = services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa, cast.wypa],
        opens_on=datetime.date(2006, 7, 1),
        deadline=datetime.date(2006, 7, 31),
    )
    return prison_round, probation_round


def test_who_sees_which_return(cast, both_rounds, client_for):
    prison_round, probation_round = both_rounds
    leeds = PrisonReturn.objects.get()
    sypa = ProbationReturn.objects.get(commissioner=cast.sypa)
    wypa = ProbationReturn.objects.get(commissioner=cast.wypa)
    pages = {
        "leeds": f"/returns/prison/{leeds.pk}/",
        "sypa": f"/returns/probation/{sypa.pk}/",
        "wypa": f"/returns/probation/{wypa.pk}/",
        "prison round": f"/returns/rounds/{prison_round.pk}/",
        "probation round": f"/returns/rounds/{probation_round.pk}/",
        "rounds": "/returns/",
    }
    sees = {
        "alice": set(pages),
        "root": set(pages),
        "grace": {"leeds", "prison round", "rounds"},
        "frank": {"leeds", "prison round", "rounds"},
        "bob": {"sypa", "probation round", "rounds"},
        "carol": {"wypa", "probation round", "rounds"},
        "dave": set(),
        "erin": set(),
        "heidi": set(),
        "nadia": set(),  # the national administrator keeps national data, not a region's returns
    }
    for name, user in cast.everyone().items():
        client = client_for(user)
        for page, url in pages.items():
            status = client.get(url).status_code
            if user is None:
                assert status == 302, (name, page)
            else:
                assert status == (200 if page in sees[name] else 404), (name, page, status)


def test_who_may_fill_in_and_sign_off(cast, both_rounds, client_for):
    leeds = PrisonReturn.objects.get()
    sypa = ProbationReturn.objects.get(commissioner=cast.sypa)
    fill = {
        "leeds": f"/returns/prison/{leeds.pk}/pathways/ete/",
        "sypa": f"/returns/probation/{sypa.pk}/contracts/new/",
    }
    fillers = {"frank": "leeds", "bob": "sypa", "root": None}
    for name, user in cast.everyone().items():
        if user is None:
            continue
        client = client_for(user)
        for which, url in fill.items():
            expected = 200 if fillers.get(name, "none") in {which, None} and name in fillers else 404
            assert client.get(url).status_code == expected, (name, which)
    services.return_submit(actor=cast.frank, the_return=leeds, expected_version=leeds.version, nil=True)
    services.return_submit(actor=cast.bob, the_return=sypa, expected_version=sypa.version)
    signers = {"leeds": {"grace", "root"}, "sypa": {"alice", "root"}}
    urls = {"leeds": f"/returns/prison/{leeds.pk}/approve/", "sypa": f"/returns/probation/{sypa.pk}/approve/"}
    for name, user in cast.everyone().items():
        if user is None:
            continue
        client = client_for(user)
        for which, url in urls.items():
            assert client.get(url).status_code == (200 if name in signers[which] else 404), (name, which)


def test_bob_corrects_a_contract_on_the_page_and_alice_approves(cast, both_rounds, client_for):
    from tests.factories import ContractFactory

    sypa = ProbationReturn.objects.get(commissioner=cast.sypa)
    bob = client_for(cast.bob)
    bob.post(
        f"/returns/probation/{sypa.pk}/contracts/new/",
        {"version": sypa.version, "title": "Women's centre outreach (Acorn)", "annual_value": "4000", "sector": "vcs"},
    )
    sypa.refresh_from_db()
    line = sypa.lines.get()
    response = bob.post(
        f"/returns/probation/{sypa.pk}/contracts/{line.pk}/", {"version": sypa.version, "annual_value": "4500"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.annual_value == Decimal("4500.00")
    sypa.refresh_from_db()
    bob.post(f"/returns/probation/{sypa.pk}/check/", {"version": sypa.version})
    sypa.refresh_from_db()
    assert sypa.status == Status.SUBMITTED
    client_for(cast.alice).post(f"/returns/probation/{sypa.pk}/approve/", {"version": sypa.version})
    sypa.refresh_from_db()
    assert sypa.status == Status.APPROVED
    assert ContractFactory  # the return's lines do not change the contracts themselves


def test_the_returns_link_is_in_the_navigation_of_those_who_use_returns(cast, both_rounds, client_for):
    for name, user in cast.everyone().items():
        page = client_for(user).get("/").content.decode()
        assert ('href="/returns/"' in page) == (name in {"alice", "root", "grace", "frank", "bob", "carol"}), name
