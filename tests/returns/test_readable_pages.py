"""A return's pages in words a person reads: the check page shows every answer before submitting,
and a history names people, choices and events, never ids, codes or event names."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ProbationReturn
from tests.factories import ContractFactory, fill_prison_return, open_prison_round, open_q1

pytestmark = pytest.mark.django_db


def test_the_probation_check_page_shows_each_contract_as_reported(cast, clock, client_for):
    kept = ContractFactory.create(
        commissioner=cast.sypa, title="Housing advice", annual_value=Decimal("20000"), start="2006-01-01"
    )
    the_return = ProbationReturn.objects.get(round=open_q1(cast))
    line = the_return.lines.get(contract=kept)
    services.probation_line_save(
        actor=cast.bob,
        probation_return=the_return,
        expected_version=the_return.version,
        line=line,
        annual_value=Decimal("18500"),
        ended=False,
    )
    the_return.refresh_from_db()
    services.probation_line_add(
        actor=cast.bob,
        probation_return=the_return,
        expected_version=the_return.version,
        title="Debt advice in Barnsley",
        annual_value=Decimal("4000"),
        sector="vcs",
        pathways=[Pathway.objects.get(code="fbd")],
    )
    page = client_for(cast.bob).get(f"/returns/probation/{the_return.pk}/check/").content.decode()
    text = re.sub(r"\s+", " ", page)
    assert "Spend corrected: £18,500.00 a year (recorded as £20,000.00)" in text
    assert "New contract: £4,000.00 a year" in text
    assert "Prime's sector: Voluntary and community; pathways: Finance, Benefit" in text
    assert f"/returns/probation/{the_return.pk}/contracts/{line.pk}/" in page


def test_the_prison_check_page_shows_the_area_wide_contracts_answer(cast, clock, client_for):
    the_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    page = client_for(cast.frank).get(f"/returns/prison/{the_return.pk}/check/").content.decode()
    text = re.sub(r"\s+", " ", page)
    assert "Area-wide contracts delivered here" in text and "Not answered (optional)" in text
    services.area_contracts_confirm(actor=cast.frank, prison_return=the_return, expected_version=the_return.version)
    text = re.sub(r"\s+", " ", client_for(cast.frank).get(f"/returns/prison/{the_return.pk}/check/").content.decode())
    assert re.search(r'Area-wide contracts delivered here ?</dt> ?<dd class="govuk-summary-list__value">None', text)


def test_a_history_names_people_and_choices_never_ids_codes_or_events(cast, clock, client_for):
    the_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    accommodation = Pathway.objects.get(code="accommodation")
    services.prison_line_proposed_add(
        actor=cast.frank,
        prison_return=the_return,
        expected_version=the_return.version,
        pathway=accommodation,
        name="Leeds Debt Advice",
        sector="vcs",
    )
    the_return.refresh_from_db()
    services.return_submit(actor=cast.frank, the_return=the_return, expected_version=the_return.version)
    the_return.refresh_from_db()
    services.return_send_back(
        actor=cast.grace, the_return=the_return, expected_version=the_return.version, reason="Check the spend"
    )
    page = client_for(cast.grace).get(f"/returns/prison/{the_return.pk}/").content.decode()
    history = re.sub(r"\s+", " ", page[page.index('<h2 class="govuk-heading-m">History</h2>') :])
    assert "Submitted by: – → Frank" in history
    assert "Co-ordinator post: – → Full time" in history
    assert "Organisation proposed for the directory" in history
    assert "Leeds Debt Advice (voluntary and community)" in history
    assert "Why it was returned: – → Check the spend" in history
    for leak in ("return_", "full_time", "Submitted by: – → " + str(cast.frank.pk), "(vcs)", "Rules version", "T10:00"):
        assert leak not in history, leak
