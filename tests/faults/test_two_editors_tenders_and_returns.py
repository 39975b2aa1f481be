"""Two people edit the same tender or return: the first save stands, the second is refused.

The same stories as test_two_editors.py, through the commissioning and returns pages: two managers
change an opportunity; two members of one partnership save its bid; two people of the lead
organisation invite a member each from invite pages opened together; a prison return's pathway
page and a probation return's line are saved from two sessions (the filler's and a superuser's).
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest

from stepchange.accounts.models import Role
from stepchange.commissioning import sealing
from stepchange.commissioning.models import Bid, Opportunity
from stepchange.core.models import AuditEvent
from stepchange.organisations.models import Sector
from stepchange.returns.models import PrisonReturn, ProbationReturn
from tests.commissioning.world import build_tender
from tests.factories import ContractFactory, OrganisationFactory, UserFactory, open_prison_round, open_q1
from tests.faults.test_two_editors import STALE, Story, version_on
from tests.fixture_types import ClientFor
from tests.personas import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def opportunity_form(opportunity: Opportunity, **changes: Any) -> dict[str, Any]:
    data = {
        "title": opportunity.title,
        "description": opportunity.description,
        "kind": opportunity.kind,
        "pathways": [p.code for p in opportunity.pathways.all()],
        "areas": [a.code for a in opportunity.areas.all()],
        "estimated_value": str(opportunity.estimated_value),
        "duration_months": str(opportunity.duration_months),
        "contract_start": opportunity.contract_start.strftime("%d/%m/%Y"),
        "funding_source": opportunity.funding_source,
        "funder": opportunity.funder,
        "clarification_deadline": "",
        "answers_published_by": "",
    }
    return {**data, **changes}


def tender_stories(cast: Any) -> dict[str, tuple[Story, Any, Any]]:
    tender = build_tender(cast, submit=False)
    opportunity = tender.opportunity
    colleague = UserFactory.create(username="dan", role=Role.PROVIDER, organisation=cast.charity, password=PASSWORD)
    return {
        "opportunity": (
            Story(
                "alice",
                "root",
                f"/opportunities/{opportunity.reference}/edit/",
                opportunity,
                opportunity_form(opportunity, title="Women's services (Alice)"),
                opportunity_form(opportunity, title="Women's services (Root)"),
                lambda o: o.title == "Women's services (Alice)",
            ),
            cast.alice,
            cast.root,
        ),
        "bid": (
            Story(
                "dave",
                "wendy",
                f"/opportunities/partnerships/{tender.partnership.pk}/stages/1/bid/",
                tender.bid,
                {"q1": "Dave's answer", "price": "140000"},
                {"q1": "Wendy's answer", "price": "150000"},
                lambda b: (
                    sealing.open_bid(b, reader=b.partnership.created_by)
                    == sealing.BidContent({"1": "Dave's answer"}, Decimal("140000"))
                ),
            ),
            cast.dave,
            tender.wendy,
        ),
        "partnership": (
            Story(
                "dave",
                "dan",
                f"/opportunities/partnerships/{tender.partnership.pk}/invite/",
                tender.partnership,
                {"organisation": OrganisationFactory.create(name="Cedar Mentoring", sector=Sector.VCS).pk},
                {"organisation": OrganisationFactory.create(name="Elm Advice", sector=Sector.VCS).pk},
                lambda p: (
                    list(p.members.values_list("organisation__name", flat=True).order_by("organisation__name"))
                    == ["Acorn Housing Trust", "Cedar Mentoring", "Riverside Women's Centre"]
                ),
            ),
            cast.dave,
            colleague,
        ),
    }


@pytest.mark.parametrize("story", ["opportunity", "bid", "partnership"])
def test_the_second_of_two_people_changing_a_tender_is_refused(cast: Cast, client_for: ClientFor, story) -> None:
    told, first_user, second_user = tender_stories(cast)[story]
    if story == "partnership":  # two invitations of 0%: only the version stands between them
        told.first_change |= {"role": "Mentoring", "share": "0"}
        told.second_change |= {"role": "Advice", "share": "0"}
    run_story(client_for(first_user), client_for(second_user), told)


def run_story(first: Any, second: Any, told: Story) -> None:
    first_version = version_on(first.get(told.url))
    second_version = version_on(second.get(told.url))
    assert first_version == second_version

    saved = first.post(told.url, {**told.first_change, "version": first_version})
    events = AuditEvent.objects.count()
    refused = second.post(told.url, {**told.second_change, "version": second_version})

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200
    assert STALE in refused.content.decode()
    assert b"govuk-error-summary" in refused.content
    record = type(told.record)._default_manager.get(pk=told.record.pk)
    assert told.holds_first(record)
    assert AuditEvent.objects.count() == events


def test_two_members_opening_a_stage_with_no_bid_yet_cannot_overwrite_each_other(
    cast: Cast, client_for: ClientFor
) -> None:
    tender = build_tender(cast, submit=False)
    tender.bid.delete()
    url = f"/opportunities/partnerships/{tender.partnership.pk}/stages/1/bid/"
    dave, wendy = client_for(cast.dave), client_for(tender.wendy)
    daves_page, wendys_page = dave.get(url), wendy.get(url)
    assert daves_page.status_code == wendys_page.status_code == 200

    saved = dave.post(url, {"q1": "Dave's answer", "price": "140000", "version": ""})
    refused = wendy.post(url, {"q1": "Wendy's answer", "price": "150000", "version": ""})

    assert saved.status_code == 302
    # Wendy is sent to the bid as Dave saved it, told who started it and when.
    assert refused.status_code == 302 and refused["Location"] == url
    told = html.unescape(wendy.get(url).content.decode())
    assert "Dave started this bid for stage 1 at " in told
    assert "your answers were not saved" in told
    stored = Bid.objects.get(partnership=tender.partnership, stage=tender.stage1)
    assert sealing.open_bid(stored, reader=cast.dave).answers == {"1": "Dave's answer"}


def pathway_form(running: str) -> dict[str, Any]:
    return {"services_running": running, "services_started": "0", "services_ended": "0", "spend": ""}


@pytest.mark.usefixtures("clock")
def test_a_prison_return_pathway_page_saved_from_two_sessions_keeps_the_first(
    cast: Cast, client_for: ClientFor
) -> None:
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    told = Story(
        "frank",
        "root",
        f"/returns/prison/{prison_return.pk}/pathways/accommodation/",
        prison_return,
        pathway_form("2"),
        pathway_form("5"),
        lambda r: r.lines.get().services_running == 2,
    )
    run_story(client_for(cast.frank), client_for(cast.root), told)


@pytest.mark.usefixtures("clock")
def test_a_probation_return_line_saved_from_two_sessions_keeps_the_first(cast: Cast, client_for: ClientFor) -> None:
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000.00"))
    probation_return = ProbationReturn.objects.get(round=open_q1(cast))
    line = probation_return.lines.get()
    told = Story(
        "bob",
        "root",
        f"/returns/probation/{probation_return.pk}/contracts/{line.pk}/",
        probation_return,
        {"annual_value": "12000"},
        {"annual_value": "15000"},
        lambda r: r.lines.get().annual_value == Decimal("12000"),
    )
    run_story(client_for(cast.bob), client_for(cast.root), told)
