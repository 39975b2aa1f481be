"""Prison returns' figures as prisons fill them: when a return is late, what ended may be, what must reconcile."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import ValidationError

from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.checks import check_return, ended_limit
from stepchange.returns.forms import PrisonLineForm
from stepchange.returns.models import PrisonReturn, PrisonReturnLine
from tests.returns.conftest import fill_prison_return, open_prison_round
from tests.returns.workbooks import as_upload, download_template, fill_every_pathway, set_figures, upload


def test_lateness_is_judged_by_the_london_date_of_submission(cast, clock):
    # The deadline is 31 July 2006. 23:30 UTC on 31 July is 00:30 on 1 August in London (BST): late.
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    assert prison_return.deadline == datetime.date(2006, 7, 31)
    clock.now = datetime.datetime(2006, 7, 31, 23, 30, tzinfo=datetime.UTC)
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert prison_return.submitted_on == datetime.date(2006, 8, 1)
    assert prison_return.is_late


def test_submitted_late_evening_in_london_on_the_deadline_is_on_time(cast, clock):
    # 22:59 UTC on 31 July is 23:59 in London: still the deadline day.
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    clock.now = datetime.datetime(2006, 7, 31, 22, 59, tzinfo=datetime.UTC)
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert not prison_return.is_late


# Services ended: at most last quarter's running plus this quarter's started ---------------------------


def approved_q1(cast, clock, figures):
    """Leeds's 2006-07 Q1 return filled with ``figures``, submitted on time and approved."""
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, figures)
    clock.set(datetime.date(2006, 7, 20))
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    services.return_approve(actor=cast.grace, the_return=prison_return, expected_version=prison_return.version)
    return prison_return


def leeds_q2(cast, clock):
    clock.set(datetime.date(2006, 10, 2))
    return PrisonReturn.objects.get(round=open_prison_round(cast, 2), commissioner=cast.leeds)


def save_line(cast, prison_return, code, running, started, ended):
    prison_return.refresh_from_db()
    return services.prison_line_save(
        actor=cast.frank,
        prison_return=prison_return,
        expected_version=prison_return.version,
        pathway=Pathway.objects.get(code=code),
        organisations=[],
        proposed=[],
        services_running=running,
        services_started=started,
        services_ended=ended,
        spend=None,
    )


def test_a_quarter_in_which_every_service_ends_is_saved_and_submitted(cast, clock):
    # Q1: 5 ETE services running. Q2: all 5 end, none start, so 0 running at the end of Q2.
    # Limit: 5 running last quarter + 0 started = 5 ended at most (the old rule said 0 + 0 = 0).
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = leeds_q2(cast, clock)
    line = save_line(cast, q2, "ete", 0, 0, 5)
    assert (line.services_running, line.services_ended) == (0, 5)
    q2 = fill_prison_return(PrisonReturn.objects.get(pk=q2.pk), cast.frank, {"ete": (0, 0, 5, None)})
    result = check_return(q2)
    assert [p.code for p in result.errors] == []
    # Running reconciles (5 + 0 − 5 = 0); only the fall by more than half is asked about.
    assert [p.code for p in result.warnings] == ["fell-by-half:ete"]
    services.return_submit(
        actor=cast.frank, the_return=q2, expected_version=q2.version, reasons={"fell-by-half:ete": "Contract ended"}
    )
    assert q2.submitted_at is not None


def test_more_ended_than_last_quarter_running_plus_started_is_refused_by_form_service_and_checks(cast, clock):
    # Q1: 5 running. Q2: 2 started, so at most 5 + 2 = 7 can end; 8 cannot.
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = leeds_q2(cast, clock)
    with pytest.raises(ValidationError) as refused:
        save_line(cast, q2, "ete", 0, 0, 8)
    assert "(5)" in refused.value.message_dict["services_ended"][0]
    save_line(cast, q2, "ete", 2, 2, 5)  # 5 + 2 − 5 = 2: fine
    form = PrisonLineForm(
        {"version": "1", "services_running": "2", "services_started": "2", "services_ended": "8"},
        last_running=5,
    )
    assert not form.is_valid()
    assert form.errors.as_data()["services_ended"][0].code == "ended_above_running_and_started"
    assert "(7)" in form.errors["services_ended"][0]
    # A line that breaks the rule however it got there (the database no longer has the old, wrong,
    # constraint) is an error at submission.
    PrisonReturnLine.objects.filter(prison_return=q2, pathway__code="ete").update(services_ended=8)
    assert "ended-above-running:ete" in [p.code for p in check_return(q2).errors]


def test_without_last_quarters_return_no_limit_is_known(cast, clock):
    q1 = PrisonReturn.objects.get(round=open_prison_round(cast))
    line = save_line(cast, q1, "ete", 0, 0, 3)
    assert line.services_ended == 3
    assert ended_limit(last_running=None, started=0) is None
    assert ended_limit(last_running=4, started=3) == 7


def test_an_uploaded_file_ending_more_than_last_quarter_allows_is_refused(cast, clock, client_for):
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = leeds_q2(cast, clock)
    frank = client_for(cast.frank)
    workbook = download_template(frank, q2)
    fill_every_pathway(workbook)
    row = set_figures(workbook, "Education, Training & Employment", 1, 1, 7)
    response = upload(frank, q2, as_upload(workbook))
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        f"Sheet “Lines”, row {row}, column D (Services ended): found “7”; expected at most last quarter's "
        "services running and this quarter's started together (5 + 1 = 6)"
    ]


# Running counts that do not reconcile: a warning, never an error ---------------------------------------


def test_running_that_does_not_reconcile_is_a_warning_naming_establishment_pathway_and_quarter(cast, clock):
    # Q1: 5 running. Q2: 2 started, 1 ended, so 5 + 2 − 1 = 6 should be running; 4 is reported.
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = fill_prison_return(leeds_q2(cast, clock), cast.frank, {"ete": (4, 2, 1, None)})
    result = check_return(q2)
    assert result.errors == []
    assert [(p.code, p.message) for p in result.warnings] == [
        (
            "not-reconciled:ete",
            "HMP Leeds, Education, Training & Employment, 2006-07 Q2: services running (4) do not reconcile "
            "with last quarter's 5 running + 2 started − 1 ended = 6.",
        )
    ]
    # Confirmed with a reason, it is submitted like any other warning.
    services.return_submit(
        actor=cast.frank,
        the_return=q2,
        expected_version=q2.version,
        reasons={"not-reconciled:ete": "Two services merged"},
    )
    assert q2.confirmed_warnings[0]["code"] == "not-reconciled:ete"


def test_the_pathway_page_saves_and_warns_when_running_does_not_reconcile(cast, clock, client_for):
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = leeds_q2(cast, clock)
    frank = client_for(cast.frank)
    response = frank.post(
        f"/returns/prison/{q2.pk}/pathways/ete/",
        {"version": q2.version, "services_running": "4", "services_started": "2", "services_ended": "1"},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "Education, Training & Employment is saved" in page
    assert "services running (4) do not reconcile with last quarter's 5 running + 2 started − 1 ended = 6" in page
    assert PrisonReturnLine.objects.get(prison_return=q2, pathway__code="ete").services_running == 4


def test_an_upload_that_does_not_reconcile_is_saved_with_a_warning(cast, clock, client_for):
    approved_q1(cast, clock, {"ete": (5, 5, 0, None)})
    q2 = leeds_q2(cast, clock)
    frank = client_for(cast.frank)
    workbook = download_template(frank, q2)
    fill_every_pathway(workbook)
    set_figures(workbook, "Education, Training & Employment", 9, 2, 1)  # 5 + 2 − 1 = 6, not 9
    response = upload(frank, q2, as_upload(workbook))
    assert response.status_code == 302
    page = html.unescape(frank.get(response["Location"]).content.decode())
    assert "HMP Leeds, Education, Training & Employment, 2006-07 Q2: services running (9) do not reconcile" in page
    assert PrisonReturnLine.objects.get(prison_return=q2, pathway__code="ete").services_running == 9


# Prisons are asked the pathways that apply to prisons ---------------------------------------------------


def test_a_prison_return_asks_only_the_pathways_that_apply_to_prisons(cast, clock, client_for):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    missing = {p.code for p in check_return(prison_return).errors if p.code.startswith("missing:")}
    assert missing == {
        "missing:accommodation",
        "missing:ete",
        "missing:health",
        "missing:drugs-alcohol",
        "missing:fbd",
        "missing:children-families",
        "missing:atb",
    }
    with pytest.raises(ValidationError, match="not asked of prisons"):
        save_line(cast, prison_return, "unpaid-work", 1, 0, 0)
    frank = client_for(cast.frank)
    assert frank.get(f"/returns/prison/{prison_return.pk}/pathways/offender-management/").status_code == 404
    page = html.unescape(frank.get(f"/returns/prison/{prison_return.pk}/").content.decode())
    assert "Attitudes, Thinking & Behaviour" in page and "Unpaid Work" not in page
    # Filled in (the seven) with the post answered, it has no errors left.
    assert check_return(fill_prison_return(prison_return, cast.frank)).errors == []
