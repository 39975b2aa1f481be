"""Alice, Dave and a new bidder type the worst things into every form of a tender.

Whatever they send, the form comes back with a GOV.UK error summary and nothing saved (the
opportunity, partnership or bid as it was), or a clean save with its audit event; never a server
error, never their markup echoed back unescaped. The tender is "Women's services" from
tests/commissioning/world.py, open for bids on the real clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepchange.accounts.models import Role
from stepchange.commissioning import services
from stepchange.organisations.models import Sector
from tests.commissioning.world import DAY, Tender, build_tender
from tests.factories import OrganisationFactory, UserFactory
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_good_values_save, post_hostile
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import PASSWORD, Cast

pytestmark = pytest.mark.django_db


@dataclass
class Page:
    who: Callable[[Any, Tender], Any]
    url: Callable[[Tender], str]
    fields: Callable[[Any, Tender], dict[str, tuple[str, Any]]]
    record: Callable[[Tender], Any] | None = None


@dataclass
class World(Tender):
    """The open tender, and a draft opportunity (with one stage) that can still be shaped."""

    draft: Any = None


def when(tender: Tender, days: int) -> str:
    return (tender.start + days * DAY).strftime("%d/%m/%Y %H:%M")


def opportunity_fields(cast: Any, tender: Tender, *, new: bool) -> dict[str, tuple[str, Any]]:
    fields: dict[str, tuple[str, Any]] = {
        "title": ("text", "Women's services, second round"),
        "description": ("text", "Holistic services for women."),
        "kind": ("choice", "tender"),
        "pathways": ("choice", ["accommodation", "health"]),
        "areas": ("choice", [cast.sypa.code]),
        "estimated_value": ("number", "150000"),
        "duration_months": ("number", "24"),
        "contract_start": ("date", (tender.start + 60 * DAY).strftime("%d/%m/%Y")),
        "funding_source": ("choice", "new_investment"),
        "funder": ("text", "Together Women Programme"),
        "clarification_deadline": ("date", when(tender, 5)),
        "answers_published_by": ("date", when(tender, 7)),
    }
    if new:
        fields |= {"commissioner": ("choice", str(cast.regional_team.pk)), "reference": ("text", "womens-2")}
    else:
        fields["version"] = ("number", str(tender.opportunity.version))
    return fields


def bidder(cast: Any, tender: Tender) -> Any:
    """Harry of Hope Trust, a VCS provider with no partnership yet."""
    hope = OrganisationFactory.create(name="Hope Trust", sector=Sector.VCS, charity_number="1123456")
    return UserFactory.create(username="harry", role=Role.PROVIDER, organisation=hope, password=PASSWORD)


def alice(cast: Any, tender: Tender) -> Any:
    return cast.alice


def dave(cast: Any, tender: Tender) -> Any:
    return cast.dave


def a_question(tender: Tender) -> str:
    asked = services.clarification_ask(
        actor=tender.wendy, opportunity=tender.opportunity, question="Is TUPE expected?", now=tender.start + DAY
    )
    return f"/opportunities/clarifications/{asked.pk}/answer/"


REF = "/opportunities/womens-services"
DRAFT = "/opportunities/womens-draft"
PAGES: dict[str, Page] = {
    "opportunity create": Page(alice, lambda t: "/opportunities/new/", lambda c, t: opportunity_fields(c, t, new=True)),
    "opportunity edit": Page(
        alice, lambda t: f"{REF}/edit/", lambda c, t: opportunity_fields(c, t, new=False), lambda t: t.opportunity
    ),
    "stage add": Page(
        alice,
        lambda t: f"{DRAFT}/stages/new/",
        lambda c, t: {"number": ("number", "3"), "name": ("text", "Interview"), "deadline": ("date", when(t, 30))},
    ),
    "question add": Page(
        alice, lambda t: f"{DRAFT}/stages/1/questions/new/", lambda c, t: {"text": ("text", "How will you measure?")}
    ),
    "criterion add": Page(
        alice,
        lambda t: f"{DRAFT}/stages/1/criteria/new/",
        lambda c, t: {"name": ("text", "Social value"), "weight": ("number", "10")},
    ),
    "evaluator add": Page(
        alice, lambda t: f"{REF}/stages/2/evaluators/new/", lambda c, t: {"evaluator": ("choice", str(c.bob.pk))}
    ),
    "rule add": Page(
        alice,
        lambda t: f"{DRAFT}/rules/new/",
        lambda c, t: {
            "kind": ("choice", "min_members"),
            "sector": ("choice", ""),
            "flag": ("choice", ""),
            "number": ("number", "3"),
        },
    ),
    "clarification ask": Page(dave, lambda t: f"{REF}/ask/", lambda c, t: {"question": ("text", "Can we sub-let?")}),
    "clarification answer": Page(alice, a_question, lambda c, t: {"answer": ("text", "No TUPE is expected.")}),
    "partnership create": Page(
        bidder,
        lambda t: f"{REF}/partnerships/new/",
        lambda c, t: {
            "name": ("text", "Hope Partnership"),
            "lead_role": ("text", "Mentoring"),
            "lead_share": ("number", "50"),
            "charity_number": ("text", ""),
            "company_number": ("text", ""),
            "constitution": ("text", "We meet monthly."),
            "bidding_protocol": ("text", "The lead writes the bid."),
        },
    ),
    "member invite": Page(
        dave,
        lambda t: f"/opportunities/partnerships/{t.partnership.pk}/invite/",
        lambda c, t: {
            "organisation": ("choice", str(OrganisationFactory.create(name="Cedar Mentoring", sector=Sector.VCS).pk)),
            "role": ("text", "Mentoring"),
            "share": ("number", "0"),
            "charity_number": ("text", ""),
            "company_number": ("text", ""),
            "version": ("number", str(type(t.partnership).objects.get(pk=t.partnership.pk).version)),
        },
        lambda t: t.partnership,
    ),
    "bid edit": Page(
        dave,
        lambda t: f"/opportunities/partnerships/{t.partnership.pk}/stages/1/bid/",
        lambda c, t: {
            "q1": ("text", "Through the women's centre."),
            "price": ("number", "140000"),
            "version": ("number", str(t.bid.version)),
        },
        lambda t: t.bid,
    ),
}


@dataclass
class Setting:
    tender: Tender
    who: Any
    url: str
    fields: dict[str, tuple[str, Any]]
    record: Any


@pytest.fixture
def setting(cast: Cast, page) -> Setting:
    """The tender and the page, built once per test, before the first example."""
    told = PAGES[page]
    built = build_tender(cast, submit=False)
    draft = services.opportunity_create(
        actor=cast.alice,
        commissioner=cast.regional_team,
        reference="womens-draft",
        title="Women's services, draft",
        description="Not yet published.",
        kind="tender",
        estimated_value=built.opportunity.estimated_value,
        duration_months=12,
        contract_start=built.opportunity.contract_start,
        funding_source="new_investment",
        funder="",
        pathways=[],
        areas=[],
    )
    services.stage_add(actor=cast.alice, opportunity=draft, number=1, name="Outline", deadline=built.start + 10 * DAY)
    tender = World(**vars(built), draft=draft)
    record = told.record(tender) if told.record else None
    return Setting(tender, told.who(cast, tender), told.url(tender), told.fields(cast, tender), record)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_good_values_of_every_tender_form_save(client_for: ClientFor, page, setting) -> None:
    """So that the hostile examples below start from a form that saves."""
    assert_good_values_save(client_for(setting.who), setting.url, setting.fields)


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=12)
@given(data=st.data())
def test_every_tender_form_takes_hostile_values(client_for: ClientFor, tally: Tally, page, setting, data) -> None:
    visitor = client_for(setting.who)
    sent = data.draw(form_data(setting.fields))
    tally.add()
    post_hostile(visitor, setting.url, sent, record=setting.record)
