"""The optional time question on the forms that submit work to the region: a prison or probation
return's submission and a small grant application (a bid's time is the bidders' survey's); and the
registry of the questions each app's forms ask providers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.forms import HoursField
from stepchange.core.questions import TIME_TAKEN, Asked, asked_twice, declared_questions
from stepchange.funding import services as funding
from stepchange.funding.forms import ApplicationForm
from stepchange.returns.forms import SubmitForm
from stepchange.returns.models import PrisonReturn
from tests.factories import GrantsRoundFactory, fill_prison_return, open_prison_round


def test_every_declared_question_is_a_field_of_its_form_declared_by_the_forms_own_app() -> None:
    declared = declared_questions()
    assert len(declared) >= 15
    for asked in declared:
        assert asked.field in asked.form.base_fields, f"{asked.form_path} has no field {asked.field!r}"
    # The time is asked wherever work is handed in, and always through the one optional field
    # (the bidders' survey aside: its hours are its own, older, question).
    timed = [a for a in declared if a.question == TIME_TAKEN]
    assert {"SubmitForm", "ApplicationForm", "AnswerForm", "SurveyForm"} <= {a.form.__name__ for a in timed}
    for asked in timed:
        if asked.form.__name__ != "SurveyForm":
            field = asked.form.base_fields["hours_taken"]
            assert isinstance(field, HoursField) and field.required is False


def test_a_question_in_two_forms_is_asked_twice_one_form_twice_is_not() -> None:
    class A(ApplicationForm):
        pass

    questions = (
        Asked(ApplicationForm, "summary", "Q", "Form one"),
        Asked(ApplicationForm, "project_title", "Q", "Form one"),
        Asked(A, "summary", "R", "Form two"),
        Asked(A, "summary", "Q", "Form two"),
        Asked(A, "hours_taken", TIME_TAKEN, "Form two"),
        Asked(ApplicationForm, "hours_taken", TIME_TAKEN, "Form one"),
    )
    assert [(t.question, t.forms) for t in asked_twice(questions)] == [("Q", ("Form one", "Form two"))]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("", None), ("  ", None), ("0", Decimal(0)), ("2.5", Decimal("2.5")), (" 3 hours ", Decimal(3))],
)
def test_the_hours_field_keeps_a_blank_as_not_said(typed: str, kept: Decimal | None) -> None:
    form = ApplicationForm(
        {
            "project_title": "P",
            "summary": "S",
            "amount_requested": "100",
            "start_on": "1/9/2006",
            "end_on": "1/10/2006",
            "hours_taken": typed,
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours_taken"] == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "The time must be 0 hours or more"),
        ("lots", "Enter the time as a number of hours, like 3 or 2.5"),
        ("NaN", "Enter the time as a number of hours, like 3 or 2.5"),
        ("1.25", "Enter the time to at most one decimal place, like 2.5"),
        ("100000", "The time must be less than 10,000 hours"),
    ],
)
def test_a_time_that_is_not_one_is_refused_saying_what_was_wrong(typed: str, message: str) -> None:
    form = SubmitForm({"version": "1", "hours_taken": typed}, warnings=[])
    assert not form.is_valid()
    assert form.errors["hours_taken"] == [message]


@pytest.mark.django_db
def test_a_return_submitted_on_its_page_keeps_the_time_said(cast, clock, client_for) -> None:
    q1 = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    frank = client_for(cast.frank)
    page = frank.get(f"/returns/prison/{q1.pk}/check/").content.decode()
    assert "Time this return took (hours)" in page
    refused = frank.post(f"/returns/prison/{q1.pk}/check/", {"version": q1.version, "hours_taken": "-2"})
    assert "The time must be 0 hours or more" in refused.content.decode()
    q1.refresh_from_db()
    assert q1.submitted_at is None
    frank.post(f"/returns/prison/{q1.pk}/check/", {"version": q1.version, "hours_taken": "4.5"})
    q1.refresh_from_db()
    assert (q1.submitted_at is not None, q1.hours_taken) == (True, Decimal("4.5"))


@pytest.mark.django_db
def test_an_application_keeps_the_time_said_and_a_blank_as_not_said(cast) -> None:
    grants_round = GrantsRoundFactory.create(region=cast.region)
    data = {
        "project_title": "Through the gate mentoring",
        "summary": "Volunteer mentors meet women at the gate.",
        "amount_requested": Decimal("4000.00"),
        "start_on": datetime.date(2006, 9, 1),
        "end_on": datetime.date(2007, 3, 31),
        "hours_taken": Decimal("7.5"),
    }
    application = funding.application_save(
        actor=cast.dave, grants_round=grants_round, data=data, today=datetime.date(2006, 7, 10)
    )
    assert application.hours_taken == Decimal("7.5")
    changed = funding.application_save(
        actor=cast.dave,
        application=application,
        data={**data, "hours_taken": None},
        expected_version=application.version,
        today=datetime.date(2006, 7, 10),
    )
    assert changed.hours_taken is None
