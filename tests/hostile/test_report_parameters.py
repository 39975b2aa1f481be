"""Anyone can run any report with any parameters: the page answers 200 or a 400 that explains,
and every download answers 200 or a 400 in plain text; never a server error or echoed markup."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import given
from hypothesis import strategies as st

from stepchange.reports.access import may_read_report
from stepchange.reports.registry import REPORTS
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_escaped, assert_not_a_server_error
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def report_parameters() -> st.SearchStrategy[dict[str, Any]]:
    chosen = form_data(
        {"region": ("choice", "YH"), "at": ("date", "2006-10-01"), "year": ("choice", ""), "quarter": ("choice", "")}
    )
    # A key the registry does not know is part of the attack too.
    extra = st.dictionaries(
        st.sampled_from(["sort", "region[]", "AT", "\x00", "page"]), st.text(max_size=20), max_size=1
    )
    return st.tuples(chosen, extra).map(lambda pair: {**pair[0], **pair[1]})


def _sign_in_first(name: str, response: Any) -> bool:
    """A report for people signed in only sends a visitor to sign in, whatever the parameters (a
    query too long to come back to is dropped, never refused)."""
    if may_read_report(AnonymousUser(), REPORTS[name]):
        return False
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert len(response["Location"]) < 8000
    return True


@given(name=st.sampled_from(sorted(REPORTS)), sent=report_parameters())
def test_a_signed_out_visitor_runs_every_report_with_hostile_parameters(
    cast: Cast, client_for: ClientFor, tally: Tally, name, sent
) -> None:
    visitor = client_for(None)
    tally.add()
    response = visitor.get(f"/reports/{name}/", sent)

    assert_not_a_server_error(response)
    if _sign_in_first(name, response):
        return
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert b"govuk-error-summary" in response.content
    assert_escaped(response, sent)


@given(
    name=st.sampled_from(sorted(REPORTS)), extension=st.sampled_from(["csv", "xlsx", "json"]), sent=report_parameters()
)
def test_every_report_download_takes_hostile_parameters(
    cast: Cast, client_for: ClientFor, tally: Tally, name, extension, sent
) -> None:
    tally.add()
    response = client_for(None).get(f"/reports/{name}.{extension}", sent)

    assert_not_a_server_error(response)
    if _sign_in_first(name, response):
        return
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "query", ["region=Y%00H", "year=2006-07%00", "at=2006-10-01%00", "region=%FF%FE", "at=%E2%80%AE"]
)
def test_bytes_a_form_never_sends_are_explained_not_a_crash(
    cast: Cast, client_for: ClientFor, tally: Tally, query
) -> None:
    visitor = client_for(None)
    tally.add(2)
    page = visitor.get(f"/reports/probation-share/?{query}")
    download = visitor.get(f"/reports/probation-share.csv?{query}")

    assert page.status_code == 400
    assert b"There is a problem" in page.content
    assert download.status_code == 400
