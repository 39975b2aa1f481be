"""Alice, the regional commissioner, types the worst things into every management form of the
region, and Nadia, the national administrator, into those of national data.

Main grants, published figures, return dates and user accounts (Alice), targets and pathways
(Nadia), each added and changed: the form comes back with a GOV.UK error summary and no row
changed, or a clean save with one audit event. Bob does the same to his own area's grant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from stepchange.core.models import Pathway
from stepchange.reports.models import PublishedFigure
from tests.factories import MainGrantFactory, TargetFactory, year
from tests.fixture_types import ClientFor
from tests.hostile.checks import post_hostile
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db


@dataclass
class FormCase:
    url: str
    fields: dict[str, tuple[str, Any]]
    adds: dict[str, int] = field(default_factory=dict)
    record: models.Model | None = None


def figure(cast: Any) -> PublishedFigure:
    return PublishedFigure.objects.create(
        measure="share_pct",
        as_at="2006-10-01",
        commissioner=cast.sypa,
        value=Decimal("3.3"),
        printed="3.3",
        source="Final report, table 5",
    )


FIGURE_FIELDS: dict[str, tuple[str, Any]] = {
    "measure": ("choice", "counted_spend"),
    "as_at": ("date", "1/10/2006"),
    "region": ("choice", ""),
    "commissioner": ("choice", ""),
    "label": ("text", "England"),
    "value": ("number", "2246687"),
    "printed": ("text", "£2,246,687"),
    "source": ("text", "Final report, section 5"),
}

ACCOUNT_FIELDS: dict[str, tuple[str, Any]] = {
    "first_name": ("text", "Ivy"),
    "last_name": ("text", "Okafor"),
    "email": ("text", "ivy@example.org"),
    "role": ("choice", "probation_manager"),
    "organisation": ("choice", ""),
    "region": ("choice", ""),
}

CASES: dict[str, Callable[[Any], FormCase]] = {
    "grant added": lambda cast: FormCase(
        "/manage/grants/new/",
        {
            "commissioner": ("choice", str(cast.sypa.pk)),
            "year": ("choice", str(year().pk)),
            "indicative": ("number", "19300000"),
            "final": ("number", ""),
        },
        {"contracts.MainGrant": 1},
    ),
    "grant changed": lambda cast: (
        lambda grant: FormCase(
            f"/manage/grants/{grant.pk}/edit/",
            {
                "indicative": ("number", "30000000"),
                "final": ("number", "30800000.50"),
                "version": ("number", str(grant.version)),
            },
            record=grant,
        )
    )(MainGrantFactory.create(commissioner=cast.wypa, final=Decimal("31000000"))),
    "target added": lambda cast: FormCase(
        "/manage/targets/new/",
        {
            "commissioner_kind": ("choice", "prison"),
            "year": ("choice", str(year().pk)),
            "percentage": ("number", "7.5"),
        },
        {"contracts.Target": 1},
    ),
    "target changed": lambda cast: (
        lambda target: FormCase(
            f"/manage/targets/{target.pk}/edit/",
            {"percentage": ("number", "10"), "version": ("number", str(target.version))},
            record=target,
        )
    )(TargetFactory.create()),
    "pathway added": lambda cast: FormCase(
        "/manage/pathways/new/",
        {"name": ("text", "Women's services"), "short_name": ("text", "Women"), "order": ("number", "40")},
        {"core.Pathway": 1},
    ),
    "pathway changed": lambda cast: (
        lambda pathway: FormCase(
            f"/manage/pathways/{pathway.pk}/edit/",
            {
                "name": ("text", "Finance, Benefit and Debt"),
                "short_name": ("text", "FBD"),
                "order": ("number", str(pathway.order)),
                "version": ("number", str(pathway.version)),
            },
            record=pathway,
        )
    )(Pathway.objects.get(code="fbd")),
    # Alice's region's figure: a national total is the national administrator's.
    "figure added": lambda cast: FormCase(
        "/manage/figures/new/",
        {**FIGURE_FIELDS, "region": ("choice", str(cast.region.pk)), "label": ("text", "Region")},
        {"reports.PublishedFigure": 1},
    ),
    "figure changed": lambda cast: (
        lambda shown: FormCase(
            f"/manage/figures/{shown.pk}/edit/",
            {
                **FIGURE_FIELDS,
                "measure": ("choice", "share_pct"),
                "commissioner": ("choice", str(cast.sypa.pk)),
                "version": ("number", str(shown.version)),
            },
            record=shown,
        )
    )(figure(cast)),
    "return date recorded": lambda cast: FormCase(
        "/manage/returns/new/",
        {"commissioner": ("choice", str(cast.sypa.pk)), "as_at": ("date", "1/10/2006")},
        {"returns.ProbationReturn": 1},
    ),
    "account invited": lambda cast: FormCase(
        "/manage/users/new/",
        {
            "username": ("text", "ivy"),
            **ACCOUNT_FIELDS,
            "organisation": ("choice", str(cast.sypa.organisation.pk)),
            "region": ("choice", str(cast.region.pk)),
        },
        {"accounts.User": 1},
    ),
    "account changed": lambda cast: FormCase(
        f"/manage/users/{cast.bob.pk}/edit/",
        {
            **ACCOUNT_FIELDS,
            "organisation": ("choice", str(cast.sypa.organisation.pk)),
            "is_active": ("text", "on"),
            "version": ("number", str(cast.bob.version)),
        },
        record=cast.bob,
    ),
}


def post_case(client: Any, case: FormCase, sent: dict[str, Any]) -> str:
    return post_hostile(client, case.url, sent, record=case.record, saved_adds=case.adds)


NATIONAL_FORMS = {"target added", "target changed", "pathway added", "pathway changed"}


@pytest.fixture
def alice(cast: Cast, client_for: ClientFor, form):
    """Alice, or for the forms of national data Nadia, who alone may use them."""
    return client_for(cast.nadia if form in NATIONAL_FORMS else cast.alice)


@pytest.fixture
def case(cast, form: str) -> FormCase:
    return CASES[form](cast)


@pytest.mark.parametrize("form", sorted(CASES))
@given(data=st.data())
def test_alice_fills_every_management_form_with_hostile_values(alice, case, tally: Tally, data) -> None:
    sent = data.draw(form_data(case.fields))
    tally.add()
    post_case(alice, case, sent)


@pytest.mark.parametrize("form", sorted(CASES))
def test_the_good_values_of_every_management_form_are_saved(alice, case, tally: Tally) -> None:
    """The good values really are good, so the hostile runs above test refusals, not a broken form."""
    good = {name: value for name, (_kind, value) in case.fields.items()}
    tally.add()
    assert post_case(alice, case, good) == "saved"


@pytest.fixture
def bob(cast: Cast, client_for: ClientFor):
    return client_for(cast.bob)


@pytest.fixture
def sypa_grant(cast: Cast):
    return MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19000000"))


@given(data=st.data())
def test_bob_changes_his_areas_grant_with_hostile_values(bob, sypa_grant, tally: Tally, data) -> None:
    fields = {"indicative": ("number", ""), "final": ("number", "19300000"), "version": ("number", "1")}
    case = FormCase(f"/manage/grants/{sypa_grant.pk}/edit/", fields, record=sypa_grant)
    sent = data.draw(form_data(fields))
    tally.add()
    post_case(bob, case, sent)
