"""The governance pages from the browser's side: two people saving the same action from pages
opened together, a paper uploaded and downloaded, a decision adding an action, the linked figure
shown on the plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stepchange.governance.models import Action, Paper, ProgressNote, Rag, Status
from tests.access.governance import Governance, build_governance
from tests.factories import ContractFactory, MainGrantFactory
from tests.personas import Cast

STALE = "Someone else changed this record while you were editing it"


@pytest.fixture
def gov(cast: Cast) -> Governance:
    return build_governance(cast)


@pytest.mark.django_db
def test_two_people_noting_progress_on_one_action_the_second_is_refused(
    gov: Governance, cast: Cast, client_for
) -> None:
    url = reverse("governance:note-add", args=[gov.action.pk])
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    # Both open the page at version 1.
    assert alice.get(url).status_code == bob.get(url).status_code == 200
    note = {"year": "2006-07", "quarter": "3", "rag": "green", "version": "1"}
    assert bob.post(url, {**note, "text": "Bob's note."}).status_code == 302
    refused = alice.post(url, {**note, "text": "Alice's note.", "rag": "red"})
    assert refused.status_code == 200
    assert STALE in refused.content.decode()
    assert list(ProgressNote.objects.filter(action=gov.action).values_list("text", flat=True)) == ["Bob's note."]
    # Nor does a status change from a page opened before the note overwrite its RAG.
    update = alice.post(
        reverse("governance:action-update", args=[gov.action.pk]),
        {"status": Status.DONE, "rag": Rag.RED, "due_on": "31/3/2007", "version": "1"},
    )
    assert STALE in update.content.decode()
    gov.action.refresh_from_db()
    assert (gov.action.status, gov.action.rag) == (Status.IN_PROGRESS, Rag.GREEN)


@pytest.mark.django_db
def test_a_paper_is_uploaded_then_downloaded_by_a_member_only(gov: Governance, cast: Cast, client_for) -> None:
    carol = client_for(cast.carol)
    upload = SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.\n", content_type="text/plain")
    response = carol.post(reverse("governance:paper-add", args=[gov.meeting.pk]), {"title": "Minutes", "file": upload})
    assert response.status_code == 302
    paper = Paper.objects.get(title="Minutes")
    download = client_for(cast.dave).get(reverse("governance:paper", args=[paper.pk]))
    assert (download.status_code, download.content) == (200, b"Minutes of the meeting.\n")
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(cast.erin).get(reverse("governance:paper", args=[paper.pk])).status_code == 404


@pytest.mark.django_db
def test_a_paper_that_is_no_document_is_refused_with_its_name(gov: Governance, cast: Cast, client_for) -> None:
    empty = SimpleUploadedFile("agenda.pdf", b"\x00\x01\x02 not a document", content_type="application/pdf")
    response = client_for(cast.alice).post(
        reverse("governance:paper-add", args=[gov.meeting.pk]), {"title": "Agenda", "file": empty}
    )
    assert response.status_code == 200
    assert "agenda.pdf" in response.content.decode()
    assert not Paper.objects.filter(title="Agenda").exists()


@pytest.mark.django_db
def test_a_decision_adds_an_action_shown_on_the_meeting_and_the_plan(gov: Governance, cast: Cast, client_for) -> None:
    alice = client_for(cast.alice)
    response = alice.post(
        reverse("governance:decision-add", args=[gov.meeting.pk]),
        {
            "text": "Probation areas report quarterly.",
            "objective": str(gov.objective.pk),
            "title": "Collect quarterly reports",
            "owner_user": str(cast.carol.pk),
            "owner_name": "",
            "due_on": "30/6/2007",
            "status": "not_started",
            "rag": "amber",
            "figure": "",
            "figure_area": "",
            "target": "",
        },
    )
    assert response.status_code == 302
    added = Action.objects.get(title="Collect quarterly reports")
    assert (added.meeting, added.owner_user) == (gov.meeting, cast.carol)
    assert (
        "Collect quarterly reports" in alice.get(reverse("governance:meeting", args=[gov.meeting.pk])).content.decode()
    )
    page = client_for(cast.bob).get(reverse("governance:action", args=[added.pk])).content.decode()
    # Bob reads the plan but is not on the steering group: the meeting is not named to him.
    assert "A meeting of a group you are not a member of" in page


@pytest.mark.django_db
def test_the_plan_shows_the_linked_figure_and_overdue_actions(gov: Governance, cast: Cast, client_for) -> None:
    from stepchange.core.periods import year_containing

    year = year_containing(datetime.date.today())
    MainGrantFactory.create(commissioner=cast.sypa, year=year, final=Decimal("20000000.00"))
    ContractFactory.create(commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("1000000.00"))
    # 1,000,000 × 100 ÷ 20,000,000 = 5.0%: Bob's action's target of 5% is met.
    page = client_for(cast.dave).get(reverse("governance:plan", args=[gov.plan.pk])).content.decode()
    assert "5.0%" in page
    assert "Met" in page
    # Both actions were due in 2006 or 2007 and neither is done: both overdue today.
    assert page.count('govuk-tag--red">Overdue') == 2
