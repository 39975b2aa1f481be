"""Grace, Frank and Bob type the worst things into every form of the quarterly returns.

Whatever they send, the form comes back with a GOV.UK error summary and nothing saved (the return
as it was), or a clean save with its audit event; never a server error, never their markup echoed
back unescaped. The upload page takes the return's own template under a hostile file name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from stepchange.core.audit import snapshot
from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ProbationReturn
from tests.factories import ContractFactory, fill_prison_return, open_prison_round, open_q1, year_0607
from tests.fixture_types import ClientFor
from tests.hostile.checks import (
    assert_escaped,
    assert_good_values_save,
    assert_not_a_server_error,
    post_hostile,
    rolled_back,
    row_counts,
)
from tests.hostile.strategies import form_data, hostile_text
from tests.hostile.tally import Tally
from tests.personas import Cast
from tests.returns.workbooks import template_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

WARNING = "reason-spend-without-services:health"


@dataclass
class Setting:
    who: Any
    url: str
    fields: dict[str, tuple[str, Any]]
    record: Any = None


def version(the_return: Any) -> tuple[str, str]:
    return ("number", str(type(the_return).objects.get(pk=the_return.pk).version))


def prison(cast: Any) -> PrisonReturn:
    return PrisonReturn.objects.get(round=open_prison_round(cast))


def with_a_warning(cast: Any) -> PrisonReturn:
    """Filled in, with spend on health but no services: the check page asks for a reason."""
    filled = fill_prison_return(prison(cast), cast.frank)
    services.prison_line_save(
        actor=cast.frank,
        prison_return=filled,
        expected_version=filled.version,
        pathway=Pathway.objects.get(code="health"),
        organisations=[],
        proposed=[],
        services_running=0,
        services_started=0,
        services_ended=0,
        spend=Decimal("250.00"),
    )
    filled.refresh_from_db()
    return filled


def submitted(cast: Any) -> PrisonReturn:
    filled = fill_prison_return(prison(cast), cast.frank)
    services.return_submit(actor=cast.frank, the_return=filled, expected_version=filled.version)
    filled.refresh_from_db()
    return filled


def approved(cast: Any) -> PrisonReturn:
    done = submitted(cast)
    services.return_approve(actor=cast.grace, the_return=done, expected_version=done.version)
    done.refresh_from_db()
    return done


def probation(cast: Any) -> ProbationReturn:
    ContractFactory.create(
        commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000.00"), start=datetime.date(2006, 5, 1)
    )
    return ProbationReturn.objects.get(round=open_q1(cast))


def round_create(cast: Any) -> Setting:
    return Setting(
        cast.grace,
        "/returns/rounds/new/",
        {
            "kind": ("choice", "prison"),
            "year": ("choice", str(year_0607().pk)),
            "quarter": ("choice", "2"),
            "commissioners": ("choice", [str(cast.leeds.pk)]),
            "opens_on": ("date", "1/10/2006"),
            "deadline": ("date", "31/10/2006"),
        },
    )


def prison_pathway(cast: Any) -> Setting:
    the_return = prison(cast)
    return Setting(
        cast.frank,
        f"/returns/prison/{the_return.pk}/pathways/accommodation/",
        {
            "version": version(the_return),
            "services_running": ("number", "2"),
            "services_started": ("number", "1"),
            "services_ended": ("number", "0"),
            "spend": ("number", "1500"),
        },
        the_return,
    )


def prison_pathway_propose(cast: Any) -> Setting:
    """Proposing an organisation for the directory, on a pathway whose figures are saved."""
    the_return = fill_prison_return(prison(cast), cast.frank)
    fields = {
        "version": version(the_return),
        "proposed_name": ("text", "Leeds Tenants Forum"),
        "proposed_sector": ("choice", "vcs"),
    }
    return Setting(
        cast.frank, f"/returns/prison/{the_return.pk}/pathways/accommodation/proposed/add/", fields, the_return
    )


def coordinator_post(cast: Any) -> Setting:
    the_return = prison(cast)
    fields = {"version": version(the_return), "post": ("choice", "part_time"), "fte": ("number", "0.5")}
    return Setting(cast.frank, f"/returns/prison/{the_return.pk}/post/", fields, the_return)


def area_contracts(cast: Any) -> Setting:
    the_return = prison(cast)
    contract = ContractFactory.create(commissioner=cast.regional_team, prime=cast.charity)
    fields = {"version": version(the_return), "contract": ("number", str(contract.pk))}
    return Setting(cast.frank, f"/returns/prison/{the_return.pk}/contracts/add/", fields, the_return)


def probation_line(cast: Any) -> Setting:
    the_return = probation(cast)
    line = the_return.lines.get()
    fields = {"version": version(the_return), "annual_value": ("number", "12000"), "ended": ("choice", "")}
    return Setting(cast.bob, f"/returns/probation/{the_return.pk}/contracts/{line.pk}/", fields, the_return)


def probation_add(cast: Any) -> Setting:
    the_return = probation(cast)
    fields = {
        "version": version(the_return),
        "title": ("text", "Peer mentoring, Beacon Services"),
        "annual_value": ("number", "8000"),
        "sector": ("choice", "vcs"),
    }
    return Setting(cast.bob, f"/returns/probation/{the_return.pk}/contracts/new/", fields, the_return)


def check_warnings(cast: Any) -> Setting:
    the_return = with_a_warning(cast)
    fields = {"version": version(the_return), WARNING: ("text", "Room hire for a new group")}
    return Setting(cast.frank, f"/returns/prison/{the_return.pk}/check/", fields, the_return)


def send_back(cast: Any) -> Setting:
    the_return = submitted(cast)
    fields = {"version": version(the_return), "reason": ("text", "Health spend is annual")}
    return Setting(cast.grace, f"/returns/prison/{the_return.pk}/send-back/", fields, the_return)


def reopen(cast: Any) -> Setting:
    the_return = approved(cast)
    fields = {"reason": ("text", "Missed a new mentoring service")}
    return Setting(cast.frank, f"/returns/prison/{the_return.pk}/reopen/", fields, the_return)


PAGES: dict[str, Callable[[Any], Setting]] = {
    "round create": round_create,
    "prison pathway": prison_pathway,
    "prison pathway, proposing an organisation": prison_pathway_propose,
    "co-ordinator post": coordinator_post,
    "area contracts": area_contracts,
    "probation line": probation_line,
    "probation add": probation_add,
    "check-your-answers warning reasons": check_warnings,
    "send back": send_back,
    "reopen": reopen,
}


@pytest.fixture
def setting(cast: Cast, page: str) -> Setting:
    """The return and its page, built once per test, before the first example."""
    return PAGES[page](cast)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_good_values_of_every_returns_form_save(client_for: ClientFor, page: str, setting: Setting) -> None:
    """So that the hostile examples below start from a form that saves."""
    assert_good_values_save(client_for(setting.who), setting.url, setting.fields)


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=12)
@given(data=st.data())
def test_every_returns_form_takes_hostile_values(
    client_for: ClientFor, tally: Tally, page: str, setting: Setting, data: st.DataObject
) -> None:
    visitor = client_for(setting.who)
    sent = data.draw(form_data(setting.fields))
    tally.add()
    post_hostile(visitor, setting.url, sent, record=setting.record)


@pytest.fixture
def leeds_template(cast: Cast, client_for: ClientFor) -> tuple[PrisonReturn, bytes]:
    """HMP Leeds's return and its blank template, made once per test, before the first example."""
    the_return = prison(cast)
    return the_return, template_bytes(client_for(cast.frank), the_return)


@settings(max_examples=15)
@given(name=hostile_text())
def test_the_upload_page_takes_a_template_under_a_hostile_file_name(
    cast: Cast, client_for: ClientFor, tally: Tally, leeds_template: tuple[PrisonReturn, bytes], name: str
) -> None:
    """The return's own blank template, so a taken file changes nothing ("nothing has changed");
    a name of thousands of characters is refused as a bad request, on the service's 400 page."""
    (the_return, template), frank = leeds_template, client_for(cast.frank)
    tally.add()
    with rolled_back():
        record_before = snapshot(PrisonReturn.objects.get(pk=the_return.pk))
        before = row_counts()
        upload = SimpleUploadedFile(f"{name}.xlsx", template)
        response = frank.post(f"/returns/prison/{the_return.pk}/upload/", {"file": upload})
        assert_not_a_server_error(response)
        assert_escaped(response, {"name": name})
        if response.status_code == 302:
            assert response["Location"] == f"/returns/prison/{the_return.pk}/check/"
            assert_escaped(frank.get(response["Location"]), {"name": name})
        elif response.status_code == 400:
            assert b"There is a problem with your request" in response.content
        else:
            assert b"govuk-error-summary" in response.content
        assert row_counts() == before
        assert snapshot(PrisonReturn.objects.get(pk=the_return.pk)) == record_before
