"""Writing action plans and groups: who may, one audit event each, stale saves refused, bad input
named, nothing half-saved; the home page's to-dos; the pack's section at a quarter."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from stepchange.core.audit import AuditEvent
from stepchange.core.concurrency import StaleEdit
from stepchange.core.periods import Quarter
from stepchange.governance import access, pack, services, todo
from stepchange.governance.models import Action, Decision, Paper, ProgressNote, Rag, Status
from tests.access.governance import Governance, build_governance
from tests.personas import Cast

ACTION = {
    "title": "Raise the share to 5%",
    "owner_user": None,
    "owner_name": "Clinks representative",
    "due_on": datetime.date(2007, 3, 31),
    "status": Status.NOT_STARTED,
    "rag": Rag.AMBER,
    "figure": "",
    "figure_area": None,
    "target": None,
}


@pytest.fixture
def gov(cast: Cast) -> Governance:
    return build_governance(cast)


def _events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.django_db
def test_the_regional_commissioner_sets_up_a_plan_and_objectives_with_one_audit_event_each(cast: Cast) -> None:
    before = _events()
    plan = services.plan_create(actor=cast.alice, region=cast.region, title="VCS pathway")
    objective = services.objective_add(actor=cast.alice, plan=plan, number=1, title="Improve access")
    assert (plan.owner, objective.number) == (cast.alice, 1)
    assert _events() == before + 2
    with pytest.raises(ValidationError, match="already has an objective 1"):
        services.objective_add(actor=cast.alice, plan=plan, number=1, title="Again")
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cast.bob, region=cast.region, title="Bob's plan")
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cast.alice, region=cast.other_region, title="Elsewhere")
    with pytest.raises(PermissionDenied):
        services.objective_add(actor=cast.dave, plan=plan, number=2, title="Not his")


@pytest.mark.django_db
def test_an_action_linked_to_an_areas_share_needs_the_area_and_a_target(gov: Governance, cast: Cast) -> None:
    with pytest.raises(ValidationError, match="target the figure should reach"):
        services.action_add(actor=cast.alice, objective=gov.objective, data={**ACTION, "figure": "area-share"})
    with pytest.raises(ValidationError, match="probation area whose share"):
        services.action_add(
            actor=cast.alice, objective=gov.objective, data={**ACTION, "figure": "area-share", "target": Decimal(5)}
        )
    with pytest.raises(ValidationError, match="probation area of the plan's region"):
        services.action_add(
            actor=cast.alice,
            objective=gov.objective,
            data={**ACTION, "figure": "area-share", "target": Decimal(5), "figure_area": cast.leeds},
        )
    with pytest.raises(ValidationError, match="owner"):
        services.action_add(actor=cast.alice, objective=gov.objective, data={**ACTION, "owner_name": " "})
    action = services.action_add(
        actor=cast.alice,
        objective=gov.objective,
        data={**ACTION, "figure": "area-share", "target": Decimal(5), "figure_area": cast.sypa},
    )
    assert (action.figure_area, action.target, action.owner_name) == (cast.sypa, Decimal(5), "Clinks representative")


@pytest.mark.django_db
def test_the_actions_owner_notes_progress_and_the_history_is_kept(gov: Governance, cast: Cast) -> None:
    action = gov.action
    before = _events()
    services.note_add(
        actor=cast.bob, action=action, year="2006-07", quarter=2, text="Plans drafted.", rag=Rag.AMBER, version=1
    )
    services.note_add(actor=cast.bob, action=action, year="2006-07", quarter=3, text="Behind.", rag=Rag.RED, version=2)
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.RED, 3)
    assert [(n.quarter_label, n.rag) for n in action.notes.all()] == [("2006-07 Q3", "red"), ("2006-07 Q2", "amber")]
    assert _events() == before + 2
    # A second person's form, opened at version 2, is refused: nothing is overwritten.
    with pytest.raises(StaleEdit):
        services.note_add(
            actor=cast.alice, action=action, year="2006-07", quarter=3, text="Old", rag=Rag.GREEN, version=2
        )
    with pytest.raises(StaleEdit):
        services.action_update(
            actor=cast.alice, action=action, status=Status.DONE, rag=Rag.GREEN, due_on=action.due_on, version=1
        )
    assert ProgressNote.objects.filter(action=action).count() == 2
    with pytest.raises(ValidationError, match="like 2006-07"):
        services.note_add(actor=cast.bob, action=action, year="2006-08", quarter=3, text="x", rag=Rag.RED, version=3)
    # Carol does not own it and does not own the plan.
    with pytest.raises(PermissionDenied):
        services.note_add(actor=cast.carol, action=action, year="2006-07", quarter=3, text="x", rag=Rag.RED, version=3)
    services.action_update(
        actor=cast.bob, action=action, status=Status.DONE, rag=Rag.GREEN, due_on=action.due_on, version=3
    )
    action.refresh_from_db()
    assert (action.status, action.version) == (Status.DONE, 4)


@pytest.mark.django_db
def test_a_meetings_decision_adds_an_action_that_records_the_meeting(gov: Governance, cast: Cast) -> None:
    before = _events()
    decision = services.decision_add(
        actor=cast.alice,
        meeting=gov.meeting,
        text="Each area drafts a sub-contracting plan",
        objective=gov.objective,
        action={**ACTION, "title": "Collect the areas' plans"},
    )
    added = Action.objects.get(decision=decision)
    assert (added.meeting, added.objective, added.title) == (gov.meeting, gov.objective, "Collect the areas' plans")
    assert _events() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.after is not None
    assert event.after["action"]["title"] == "Collect the areas' plans"


@pytest.mark.django_db
def test_a_decision_whose_action_is_refused_is_not_saved_either(gov: Governance, cast: Cast) -> None:
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError):
        services.decision_add(
            actor=cast.alice,
            meeting=gov.meeting,
            text="Half",
            objective=gov.objective,
            action={**ACTION, "owner_name": ""},
        )
    assert Decision.objects.count() == decisions


@pytest.mark.django_db
def test_the_secretariat_records_meetings_and_papers_but_adds_no_action(gov: Governance, cast: Cast) -> None:
    meeting = services.meeting_add(
        actor=cast.carol, group=gov.steering, held_on=datetime.date(2006, 12, 7), title="Q3", minutes=""
    )
    upload = SimpleUploadedFile("agenda.txt", b"Agenda\n1. Shares\n", content_type="text/plain")
    paper = services.paper_add(actor=cast.carol, meeting=meeting, title="Agenda", upload=upload)
    assert (paper.file_format, bytes(paper.content)) == ("text", b"Agenda\n1. Shares\n")
    with pytest.raises(PermissionDenied):
        services.decision_add(actor=cast.carol, meeting=meeting, text="x", objective=gov.objective, action=ACTION)
    with pytest.raises(PermissionDenied):
        services.meeting_add(
            actor=cast.dave, group=gov.steering, held_on=datetime.date(2006, 12, 7), title="x", minutes=""
        )


@pytest.mark.django_db
def test_a_paper_that_is_not_a_document_is_refused_whole(gov: Governance, cast: Cast) -> None:
    papers = Paper.objects.count()
    binary = SimpleUploadedFile("paper.docx", b"\x00\x01\x02 not a document", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        services.paper_add(actor=cast.alice, meeting=gov.meeting, title="Bad", upload=binary)
    assert "paper.docx" in str(refused.value)
    assert Paper.objects.count() == papers


@pytest.mark.django_db
def test_a_member_is_a_user_of_the_region_or_a_named_person(gov: Governance, cast: Cast) -> None:
    member = services.member_add(
        actor=cast.alice,
        group=gov.working,
        user=None,
        name="BME Panel representative",
        organisation_name="Regional BME Panel",
        sector="vcs",
        role="member",
        joined_on=datetime.date(2007, 4, 1),
    )
    assert (member.display_name, member.display_organisation) == ("BME Panel representative", "Regional BME Panel")
    with pytest.raises(ValidationError, match="already a member"):
        services.member_add(
            actor=cast.alice,
            group=gov.steering,
            user=cast.dave,
            name="",
            organisation_name="",
            sector="vcs",
            role="member",
            joined_on=datetime.date(2007, 4, 1),
        )
    # Dave, now a member of the working group, sees it; Erin, a member of none, sees no group.
    services.member_add(
        actor=cast.alice,
        group=gov.working,
        user=cast.dave,
        name="",
        organisation_name="",
        sector="vcs",
        role="member",
        joined_on=datetime.date(2007, 4, 1),
    )
    assert set(access.groups_visible_to(cast.dave)) == {gov.steering, gov.working}
    assert list(access.groups_visible_to(cast.erin)) == []


@pytest.mark.django_db
def test_the_home_page_lists_overdue_actions_and_notes_due(gov: Governance, cast: Cast) -> None:
    # Bob's action was due on 31 March 2007: on that day it is not overdue, the day after it is.
    on_the_day = timezone.make_aware(datetime.datetime(2007, 3, 31, 12))
    day_after = timezone.make_aware(datetime.datetime(2007, 4, 1, 12))
    assert todo.overdue_actions(cast.bob, on_the_day) == []
    (item,) = todo.overdue_actions(cast.bob, day_after)
    assert (item.text, item.late, item.url) == (
        gov.action.title,
        True,
        reverse("governance:action", args=[gov.action.pk]),
    )
    # Alice owns the plan: two open actions, no note for 2006-07 Q3 yet, due by 31 December.
    in_q3 = timezone.make_aware(datetime.datetime(2006, 11, 1, 12))
    (due,) = todo.notes_due(cast.alice, in_q3)
    assert (due.count, due.deadline) == (2, datetime.date(2006, 12, 31))
    services.note_add(
        actor=cast.bob, action=gov.action, year="2006-07", quarter=3, text="On track.", rag=Rag.GREEN, version=1
    )
    (due,) = todo.notes_due(cast.alice, in_q3)
    assert due.count == 1
    assert todo.notes_due(cast.bob, in_q3) == []


@pytest.mark.django_db
def test_the_packs_section_shows_the_plan_as_it_stood_at_the_quarters_end(gov: Governance, cast: Cast) -> None:
    services.note_add(
        actor=cast.bob, action=gov.action, year="2006-07", quarter=2, text="Drafted.", rag=Rag.GREEN, version=1
    )
    services.note_add(
        actor=cast.bob, action=gov.action, year="2006-07", quarter=4, text="Slipped.", rag=Rag.RED, version=2
    )
    q3 = Quarter(year="2006-07", number=3, start=datetime.date(2006, 10, 1), end=datetime.date(2006, 12, 31))
    future = Quarter(year="2030-31", number=1, start=datetime.date(2030, 4, 1), end=datetime.date(2030, 6, 30))
    # At 2006-07 Q3 Bob's action is green (its Q2 note; the Q4 note comes later); the Clinks
    # action has no note, so it carries its RAG of now, amber. Neither was written before today,
    # so at 2006-07 Q3's end the plan had no action yet.
    section = pack.build(cast.region, future)
    (plan,) = section["plans"]
    assert [(label, n) for _, label, n in plan["rag_counts"]] == [("Red", 1), ("Amber", 1), ("Green", 0)]
    assert pack.build(cast.region, q3)["plans"][0]["rag_counts"][2][2] == 0
    at_q3 = pack.action_at(gov.action, q3)
    assert at_q3.note is not None
    assert (at_q3.rag, at_q3.note.text, at_q3.overdue) == ("green", "Drafted.", False)
    # Bob's action, due 31 March 2007 and still in progress, is overdue at the end of 2030-31 Q1;
    # the Clinks one, due 31 December 2006, too: 2.
    assert plan["overdue"] == 2
    assert pack.SECTIONS[0].template == "governance/pack/_action_plan.html"


@pytest.mark.django_db
def test_the_pack_collects_the_section_and_its_template_renders_it(gov: Governance, cast: Cast) -> None:
    from django.template.loader import render_to_string

    from stepchange.pack.sections import declared_sections

    (section,) = [s for s in declared_sections() if s.slug == "action-plan"]
    services.note_add(
        actor=cast.bob, action=gov.action, year="2006-07", quarter=2, text="Drafted.", rag=Rag.GREEN, version=1
    )
    future = Quarter(year="2030-31", number=1, start=datetime.date(2030, 4, 1), end=datetime.date(2030, 6, 30))
    html = render_to_string(section.template, dict(section.build(cast.region, future)))
    assert "VCS pathway action plan" in html
    assert "Objective 1: Improve offender access to VCS services" in html
    assert "2006-07 Q2: Drafted." in html
    # An empty region says so rather than showing nothing.
    assert "no action plan" in render_to_string(section.template, dict(section.build(cast.other_region, future)))
