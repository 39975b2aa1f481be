"""Two people edit the same record: the first save stands, the second is refused and says why.

Each story opens the real edit page in two signed-in sessions, reads the version each page was
given, saves from the first, then from the second. The second person sees the clear message, and
the record holds the first person's change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from stepchange.bulletins.models import Bulletin, Subscriber
from stepchange.burden.models import MonitoringRequest
from stepchange.capacity.models import Event, NeedsAssessment
from stepchange.commissioning.models import Bid, BiddingPartnership, Opportunity
from stepchange.consortia.models import Consortium
from stepchange.contracts.models import Contract, MainGrant, SubContract, Target
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent, Pathway, Region
from stepchange.engagement.models import Action, Link
from stepchange.funding.models import FundingStream, GrantApplication, GrantsRound, HelpedBid
from stepchange.imports.models import Import
from stepchange.organisations.models import Organisation
from stepchange.plans.models import PlanVersion
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import PrisonReturn, ProbationReturn
from tests.factories import ContractFactory, MainGrantFactory, TargetFactory
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db

STALE = StaleEdit.message
HIDDEN_VERSION = re.compile(r'<input[^>]*name="version"[^>]*>')


def version_on(page: Any) -> str:
    """The version the edit page was opened at, as its hidden field carries it."""
    assert page.status_code == 200
    tag = HIDDEN_VERSION.search(page.content.decode())
    assert tag, "the edit page carries no version"
    found = re.search(r'value="(\d+)"', tag.group(0))
    assert found
    return found.group(1)


@dataclass
class Story:
    first: str  # persona names
    second: str
    url: str
    record: models.Model
    first_change: dict[str, Any]
    second_change: dict[str, Any]
    holds_first: Callable[[Any], bool]


def contract_form(contract: Contract, **changes: Any) -> dict[str, Any]:
    data = {
        "reference": contract.reference,
        "title": contract.title,
        "commissioner": contract.commissioner_id,
        "prime": contract.prime_id,
        "pathways": ["accommodation"],
        "annual_value": str(contract.annual_value),
        "start": "1/4/2006",
        "end": "",
        "funding_source": contract.funding_source,
        "funder": "",
        "kind": "contract",
        "notes": "",
    }
    return {**data, **changes}


def profile_form(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    data = {"name": organisation.name, "sector": organisation.sector, "region": organisation.region_id}
    return {**data, **changes}


def account_form(account: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "organisation": account.organisation_id or "",
        "region": account.region_id or "",
        "is_active": "on",
    }
    return {**data, **changes}


def figure_form(**changes: Any) -> dict[str, Any]:
    data = {
        "measure": "share_pct",
        "as_at": "1/10/2006",
        "region": "",
        "commissioner": "",
        "label": "England",
        "value": "3.1",
        "printed": "3.1",
        "source": "Final report, section 5",
    }
    return {**data, **changes}


def stories(cast: Any) -> dict[str, Story]:
    contract = ContractFactory.create(reference="SYPA-0001", commissioner=cast.sypa, prime=cast.charity)
    grant = MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19000000"))
    target = TargetFactory.create()
    pathway = Pathway.objects.get(code="fbd")
    figure = PublishedFigure.objects.create(
        measure="share_pct", as_at="2006-10-01", label="England", value=Decimal("3.1"), printed="3.1", source="x"
    )
    order = str(pathway.order)
    return {
        "contract": Story(
            "bob",
            "alice",
            f"/contracts/{contract.pk}/edit/",
            contract,
            contract_form(contract, title="Floating support (Bob)"),
            contract_form(contract, title="Floating support (Alice)"),
            lambda c: c.title == "Floating support (Bob)",
        ),
        "organisation": Story(
            "dave",
            "alice",
            f"/organisations/{cast.charity.pk}/edit/",
            cast.charity,
            profile_form(cast.charity, description="Dave's words"),
            profile_form(cast.charity, description="Alice's words"),
            lambda o: o.description == "Dave's words",
        ),
        "main grant": Story(
            "bob",
            "alice",
            f"/manage/grants/{grant.pk}/edit/",
            grant,
            {"final": "19300000"},
            {"final": "19350000"},
            lambda g: g.final == Decimal("19300000"),
        ),
        "target": Story(
            "nadia",
            "root",
            f"/manage/targets/{target.pk}/edit/",
            target,
            {"percentage": "6"},
            {"percentage": "7"},
            lambda t: t.percentage == Decimal("6"),
        ),
        "pathway": Story(
            "nadia",
            "root",
            f"/manage/pathways/{pathway.pk}/edit/",
            pathway,
            {"name": "Finance, Benefit and Debt", "short_name": "FBD", "order": order},
            {"name": "Money and debt", "short_name": "Money", "order": order},
            lambda p: p.name == "Finance, Benefit and Debt",
        ),
        "user account": Story(
            "alice",
            "root",
            f"/manage/users/{cast.dave.pk}/edit/",
            cast.dave,
            account_form(cast.dave, last_name="Ashworth"),
            account_form(cast.dave, last_name="Armitage"),
            lambda u: u.last_name == "Ashworth",
        ),
        "region's tender period": Story(
            "alice",
            "root",
            f"/manage/regions/{cast.region.pk}/edit/",
            cast.region,
            {"minimum_tender_days": "21"},
            {"minimum_tender_days": "35"},
            lambda r: r.minimum_tender_days == 21,
        ),
        "published figure": Story(
            "nadia",
            "root",
            f"/manage/figures/{figure.pk}/edit/",
            figure,
            figure_form(printed="3.10"),
            figure_form(printed="3.1 (revised)"),
            lambda f: f.printed == "3.10",
        ),
    }


@pytest.mark.parametrize(
    "story",
    [
        "contract",
        "organisation",
        "main grant",
        "target",
        "pathway",
        "user account",
        "region's tender period",
        "published figure",
    ],
)
def test_the_second_of_two_people_editing_the_same_record_is_refused(cast: Cast, client_for: ClientFor, story) -> None:
    told = stories(cast)[story]
    first = client_for(getattr(cast, told.first))
    second = client_for(getattr(cast, told.second))
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
    assert AuditEvent.objects.count() == events  # the refused save left no trace either


def test_bobs_contract_edit_is_refused_after_alice_adds_a_sub_contract_meanwhile(
    cast: Cast, client_for: ClientFor
) -> None:
    contract = ContractFactory.create(
        reference="SYPA-0001", commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("50000")
    )
    bob, alice = client_for(cast.bob), client_for(cast.alice)
    bobs_version = version_on(bob.get(f"/contracts/{contract.pk}/edit/"))
    alices_version = version_on(alice.get(f"/contracts/{contract.pk}/sub-contracts/new/"))

    added = alice.post(
        f"/contracts/{contract.pk}/sub-contracts/new/",
        {"partner": cast.company.pk, "value": "20000", "version": alices_version},
    )
    refused = bob.post(
        f"/contracts/{contract.pk}/edit/", {**contract_form(contract, annual_value="10000"), "version": bobs_version}
    )

    assert added.status_code == 302
    assert STALE in refused.content.decode()
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("50000")  # Bob's cut below the sub-contracts never landed
    assert SubContract.objects.get(contract=contract).value == Decimal("20000")


def test_two_sub_contracts_added_from_pages_opened_together_only_the_first_lands(
    cast: Cast, client_for: ClientFor
) -> None:
    contract = ContractFactory.create(
        reference="SYPA-0001", commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("50000")
    )
    partner = Organisation.objects.create(name="Cedar Mentoring", sector="vcs", region=cast.region)
    bob, alice = client_for(cast.bob), client_for(cast.alice)
    url = f"/contracts/{contract.pk}/sub-contracts/new/"
    bobs_version, alices_version = version_on(bob.get(url)), version_on(alice.get(url))

    first = bob.post(url, {"partner": cast.company.pk, "value": "30000", "version": bobs_version})
    second = alice.post(url, {"partner": partner.pk, "value": "30000", "version": alices_version})

    assert first.status_code == 302
    assert STALE in second.content.decode()
    assert list(SubContract.objects.filter(contract=contract).values_list("partner__name", flat=True)) == [
        "Beacon Services Ltd"
    ]


COVERED: set[type[models.Model]] = {
    Contract,
    Region,
    Organisation,
    MainGrant,
    Target,
    Pathway,
    PublishedFigure,
    apps.get_model("accounts", "User"),
    # Their stories are in test_two_editors_tenders_and_returns.py.
    Opportunity,
    BiddingPartnership,
    Bid,
    PrisonReturn,
    ProbationReturn,
    # Its story is in tests/imports/test_two_people.py.
    Import,
    # Its story is in tests/consortia/test_consortia.py (a change saved from a page opened before another).
    Consortium,
    # Their stories are in tests/engagement/test_engagement.py (a link's change and review pages, an
    # action's two change pages, opened together).
    Link,
    Action,
    # Their stories are in tests/funding/test_two_editors.py.
    FundingStream,
    HelpedBid,
    GrantsRound,
    GrantApplication,
    # Their stories are in tests/bulletins/test_two_editors.py (a subscriber's choices from two
    # devices; the draft digest edited by two of the team, or sent from a page edited meanwhile).
    Subscriber,
    Bulletin,
    # Their stories are in tests/capacity/test_two_editors.py: two people changing the same event
    # (or one changing it, the other cancelling it) from pages opened together.
    NeedsAssessment,
    Event,
    # Its stories are in tests/plans/test_two_editors.py: a line added from a page opened before the
    # version changed; a version approved after it was sent back and submitted again.
    PlanVersion,
    # Its story is in tests/governance/test_pages.py: two people noting progress on the same action,
    # or one noting it while the other updates its status, from pages opened together.
    apps.get_model("governance", "Action"),
    # Its story is in tests/burden/test_two_editors.py: two of the prime's people answering at once.
    MonitoringRequest,
}


def test_every_model_with_a_version_column_has_a_two_editor_story() -> None:
    versioned = {
        model
        for model in apps.get_models()
        if any(f.name == "version" for f in model._meta.concrete_fields) and not model._meta.abstract
    }
    assert {model._meta.label for model in versioned - COVERED} == set()
