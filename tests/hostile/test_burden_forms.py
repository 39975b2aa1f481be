"""The worst things typed into the burden's forms: Bob asking Acorn for monitoring information,
Dave answering it with the time it took, Frank's time on a prison return and Dave's on a small grant
application. Whatever is sent, the form comes back with a GOV.UK error summary and nothing saved,
or a clean save with its audit event; never a server error, never the sender's markup echoed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stepchange.burden import services
from stepchange.contracts.models import Contract
from stepchange.returns.models import PrisonReturn
from tests.factories import ContractFactory, GrantsRoundFactory, fill_prison_return, open_prison_round
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_good_values_save, post_hostile
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db

Fields = dict[str, tuple[str, Any]]


@dataclass
class Form:
    who: Callable[[Cast], Any]
    url: Callable[[dict[str, Any]], str]
    fields: Callable[[dict[str, Any]], Fields]


FORMS = {
    "ask for monitoring": Form(
        lambda cast: cast.bob,
        lambda w: "/burden/monitoring/ask/",
        lambda w: {
            "contract": ("choice", str(w["contract"].pk)),
            "period_start": ("date", "1/7/2006"),
            "period_end": ("date", "30/9/2006"),
            "topics": ("choice", "spend"),
            "own_question": ("text", "How many came from Leeds?"),
            "due_on": ("date", "31/12/2099"),
        },
    ),
    "answer monitoring": Form(
        lambda cast: cast.dave,
        lambda w: f"/burden/monitoring/{w['request'].pk}/answer/",
        lambda w: {
            "version": ("number", "1"),
            "answer-spend": ("text", "On budget"),
            "hours_taken": ("number", "2.5"),
        },
    ),
    "submit a prison return": Form(
        lambda cast: cast.frank,
        lambda w: f"/returns/prison/{w['return'].pk}/check/",
        lambda w: {"version": ("number", str(w["return"].version)), "hours_taken": ("number", "3")},
    ),
    "apply for a small grant": Form(
        lambda cast: cast.dave,
        lambda w: f"/funding/small-grants/{w['round'].pk}/apply/",
        lambda w: {
            "project_title": ("text", "Mentoring"),
            "summary": ("text", "Mentors at the gate"),
            "amount_requested": ("number", "1000"),
            "start_on": ("date", "1/9/2006"),
            "end_on": ("date", "31/3/2007"),
            "hours_taken": ("number", "6"),
        },
    ),
}


@pytest.fixture
def work(cast: Cast, clock: Any) -> dict[str, Any]:
    contract: Contract = ContractFactory.create(commissioner=cast.sypa, prime=cast.charity)
    request = services.monitoring_ask(
        actor=cast.bob,
        contract=contract,
        period_start=datetime.date(2006, 4, 1),
        period_end=datetime.date(2006, 6, 30),
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        topics=["spend"],
    )
    the_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    grants_round = GrantsRoundFactory.create(
        region=cast.region,
        opens_on=clock.now.date() - datetime.timedelta(days=1),
        closes_on=clock.now.date() + datetime.timedelta(days=20),
    )
    return {"contract": contract, "request": request, "return": the_return, "round": grants_round}


@pytest.mark.parametrize("name", sorted(FORMS))
@given(data=st.data())
def test_hostile_values_are_refused_or_saved_cleanly(
    name: str, cast: Cast, work: dict[str, Any], client_for: ClientFor, tally: Tally, data: Any
) -> None:
    form = FORMS[name]
    sent = data.draw(form_data(form.fields(work)))
    tally.add()
    post_hostile(client_for(form.who(cast)), form.url(work), sent)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_good_values_save(name: str, cast: Cast, work: dict[str, Any], client_for: ClientFor) -> None:
    form = FORMS[name]
    assert_good_values_save(client_for(form.who(cast)), form.url(work), form.fields(work))
