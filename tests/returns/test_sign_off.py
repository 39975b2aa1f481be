"""A prison return from draft to approval, told as Frank (HMP Leeds) and Grace (the analyst) live it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stepchange.core.audit import history_of
from stepchange.core.concurrency import AlreadyDone
from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import CoordinatorPost, PrisonReturn, PrisonReturnLine, Status
from stepchange.returns.selectors import approved_prison_returns
from tests.factories import Clock, fill_prison_return, open_prison_round
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def test_a_new_round_gives_each_covered_prison_a_return_not_started(cast, clock):
    the_round = open_prison_round(cast)
    prison_return = PrisonReturn.objects.get(round=the_round)
    assert prison_return.commissioner == cast.leeds
    assert prison_return.status == Status.NOT_STARTED
    assert prison_return.status_tag(datetime.date(2006, 7, 3)) == ("Not started", "govuk-tag--grey")
    # The deadline is 31 July: the next day the return is overdue.
    assert not prison_return.is_overdue(datetime.date(2006, 7, 31))
    assert prison_return.status_tag(datetime.date(2006, 8, 1))[0] == "Overdue"


def test_frank_cannot_submit_until_every_pathway_and_the_post_are_filled_in(cast, clock):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    ete = Pathway.objects.get(code="ete")
    services.prison_line_save(
        actor=cast.frank,
        prison_return=prison_return,
        expected_version=prison_return.version,
        pathway=ete,
        organisations=[cast.charity],
        proposed=[("Leeds Reading Circle", "vcs")],
        services_running=3,
        services_started=1,
        services_ended=0,
        spend=Decimal("1200.00"),
    )
    prison_return.refresh_from_db()
    assert prison_return.status == Status.DRAFT
    with pytest.raises(services.SubmissionRefused) as refused:
        services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    codes = {e.code for e in refused.value.errors}
    # Eight pathways not filled in (nine less ETE) and the post unanswered.
    assert codes == {
        f"missing:{p.code}" for p in Pathway.objects.filter(applies_to_prisons=True).exclude(code="ete")
    } | {"post-missing"}
    prison_return.refresh_from_db()
    assert prison_return.submitted_at is None


def test_started_above_running_is_refused_by_the_service_and_by_the_database(cast, clock):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    health = Pathway.objects.get(code="health")
    with pytest.raises(ValidationError) as refused:
        services.prison_line_save(
            actor=cast.frank,
            prison_return=prison_return,
            expected_version=prison_return.version,
            pathway=health,
            organisations=[],
            proposed=[],
            services_running=1,
            services_started=2,
            services_ended=0,
            spend=None,
        )
    assert "services_started" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        PrisonReturnLine.objects.create(
            prison_return=prison_return, pathway=health, services_running=1, services_started=2
        )
    assert not PrisonReturnLine.objects.exists()


def test_returned_with_a_reason_then_resubmitted_and_approved_with_every_step_in_the_history(cast, clock):
    prison_return = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)),
        cast.frank,
        {"ete": (4, 1, 0, Decimal("5000.00"))},
    )
    clock.set(datetime.date(2006, 7, 20))
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert prison_return.status == Status.SUBMITTED
    assert prison_return.rules_version == 1
    assert not prison_return.is_late

    with pytest.raises(ValidationError):
        services.return_send_back(
            actor=cast.grace, the_return=prison_return, expected_version=prison_return.version, reason="  "
        )
    services.return_send_back(
        actor=cast.grace,
        the_return=prison_return,
        expected_version=prison_return.version,
        reason="ETE spend looks like the annual figure",
    )
    assert prison_return.status == Status.RETURNED
    assert prison_return.is_open
    assert not approved_prison_returns().exists()

    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    services.return_approve(actor=cast.grace, the_return=prison_return, expected_version=prison_return.version)
    assert prison_return.status == Status.APPROVED
    assert list(approved_prison_returns()) == [prison_return]
    with pytest.raises(ValidationError):
        services.prison_line_save(
            actor=cast.frank,
            prison_return=prison_return,
            expected_version=prison_return.version,
            pathway=Pathway.objects.get(code="ete"),
            organisations=[],
            proposed=[],
            services_running=9,
            services_started=0,
            services_ended=0,
            spend=None,
        )
    actions = [e.action for e in history_of(prison_return).order_by("at", "id")]
    assert actions[0] == "return_create"
    assert actions[-4:] == ["return_submit", "return_send_back", "return_submit", "return_approve"]


def test_a_late_return_is_marked_late_and_accepted_only_with_a_reason(cast, clock):
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    clock.set(datetime.date(2006, 8, 1))  # the deadline was 31 July
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert prison_return.is_late
    with pytest.raises(ValidationError) as refused:
        services.return_approve(actor=cast.grace, the_return=prison_return, expected_version=prison_return.version)
    assert "late_reason" in refused.value.message_dict
    services.return_approve(
        actor=cast.grace,
        the_return=prison_return,
        expected_version=prison_return.version,
        late_reason="Co-ordinator on leave; agreed by phone",
    )
    assert prison_return.late_accepted_reason == "Co-ordinator on leave; agreed by phone"
    assert prison_return.status == Status.APPROVED


def test_a_nil_return_is_its_own_state_and_cannot_report_services(cast, clock):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version, nil=True)
    assert prison_return.status == Status.NIL
    assert prison_return.status.label == "Nil return submitted"

    other = PrisonReturn.objects.get(round=open_prison_round(cast, quarter=2))
    fill_prison_return(other, cast.frank, {"health": (2, 0, 0, None)})
    with pytest.raises(services.SubmissionRefused) as refused:
        services.return_submit(actor=cast.frank, the_return=other, expected_version=other.version, nil=True)
    assert [e.code for e in refused.value.errors] == ["nil-with-services"]


def test_warnings_need_a_reason_and_the_reason_is_kept(cast, clock):
    q1 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (10, 2, 0, None)}
    )
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    services.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)

    clock.set(datetime.date(2006, 10, 2))
    q2 = PrisonReturn.objects.get(round=open_prison_round(cast, quarter=2))
    # Carried over from Q1: ETE's 10 services, marked as carried over, started and ended not.
    ete_line = q2.lines.get(pathway__code="ete")
    assert (ete_line.services_running, ete_line.services_started, ete_line.carried_over) == (10, 0, True)
    # 6 ended, so 10 − 6 = 4 running, which reconciles; but 4 is fewer than half of 10 (4 × 2 = 8 < 10):
    # a warning. Spend on Health with no services: another.
    fill_prison_return(q2, cast.frank, {"ete": (4, 0, 6, None), "health": (0, 0, 0, Decimal("300.00"))})
    with pytest.raises(services.SubmissionRefused) as refused:
        services.return_submit(actor=cast.frank, the_return=q2, expected_version=q2.version)
    assert refused.value.errors == []
    assert [w.code for w in refused.value.unconfirmed] == ["fell-by-half:ete", "spend-without-services:health"]
    services.return_submit(
        actor=cast.frank,
        the_return=q2,
        expected_version=q2.version,
        reasons={"fell-by-half:ete": "Two providers' funding ended", "spend-without-services:health": "Set-up costs"},
    )
    assert [w["reason"] for w in q2.confirmed_warnings] == ["Two providers' funding ended", "Set-up costs"]


def test_exactly_half_is_not_a_fall_of_more_than_half(cast, clock):
    q1 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (10, 0, 0, None)}
    )
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    services.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)
    q2 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast, quarter=2)), cast.frank, {"ete": (5, 0, 5, None)}
    )
    services.return_submit(actor=cast.frank, the_return=q2, expected_version=q2.version)
    assert q2.status == Status.SUBMITTED


def test_a_correction_after_approval_is_a_new_revision_and_the_old_one_is_kept(cast, clock):
    original = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (3, 0, 0, None)}
    )
    services.return_submit(actor=cast.frank, the_return=original, expected_version=original.version)
    services.return_approve(actor=cast.grace, the_return=original, expected_version=original.version)
    with pytest.raises(ValidationError):
        services.return_reopen(actor=cast.frank, the_return=original, reason="")
    correction = services.return_reopen(actor=cast.frank, the_return=original, reason="ETE had 5 services, not 3")
    assert (correction.revision, correction.status) == (2, Status.DRAFT)
    assert correction.lines.get(pathway__code="ete").services_running == 3
    # Until the correction is approved, the original counts.
    assert list(approved_prison_returns()) == [original]

    fill_prison_return(correction, cast.frank, {"ete": (5, 0, 0, None)})
    services.return_submit(actor=cast.frank, the_return=correction, expected_version=correction.version)
    services.return_approve(actor=cast.grace, the_return=correction, expected_version=correction.version)
    original.refresh_from_db()
    assert original.status == Status.SUPERSEDED
    assert original.lines.get(pathway__code="ete").services_running == 3
    assert list(approved_prison_returns()) == [correction]


def test_the_post_part_time_needs_an_fte_below_one(cast, clock):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    for fte in (None, Decimal("1.0"), Decimal("0")):
        with pytest.raises(ValidationError):
            services.coordinator_post_save(
                actor=cast.frank,
                prison_return=prison_return,
                expected_version=prison_return.version,
                post=CoordinatorPost.PART_TIME,
                fte=fte,
            )
    services.coordinator_post_save(
        actor=cast.frank,
        prison_return=prison_return,
        expected_version=prison_return.version,
        post=CoordinatorPost.PART_TIME,
        fte=Decimal("0.6"),
    )
    assert prison_return.coordinator_fte == Decimal("0.6")


def test_a_round_covers_only_prisons_of_its_region_once_per_quarter(cast, clock):
    with pytest.raises(ValidationError):
        open_prison_round(cast, commissioners=[cast.sypa])
    the_round = open_prison_round(cast)
    with pytest.raises(AlreadyDone, match=r"^Grace opened this round \(Prison returns 2006-07 Q1\) at 11:00") as again:
        open_prison_round(cast)
    assert again.value.url == f"/returns/rounds/{the_round.pk}/"


def test_only_a_return_awaiting_sign_off_is_approved_or_sent_back_and_only_an_approved_one_reopened(
    cast: Cast, clock: Clock
) -> None:
    draft = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (3, 0, 0, None)}
    )
    assert (draft.status, draft.awaits_sign_off, draft.is_reopenable) == (Status.DRAFT, False, False)
    with pytest.raises(ValidationError, match="Only a submitted return can be approved; this one is draft"):
        services.return_approve(actor=cast.grace, the_return=draft, expected_version=draft.version)
    with pytest.raises(ValidationError, match="Only a submitted return can be returned; this one is draft"):
        services.return_send_back(actor=cast.grace, the_return=draft, expected_version=draft.version, reason="x")
    with pytest.raises(ValidationError, match="Only an approved return of a round can be reopened"):
        services.return_reopen(actor=cast.frank, the_return=draft, reason="a correction")

    services.return_submit(actor=cast.frank, the_return=draft, expected_version=draft.version)
    assert (draft.awaits_sign_off, draft.is_reopenable) == (True, False)
    with pytest.raises(ValidationError, match="Only an approved return of a round can be reopened"):
        services.return_reopen(actor=cast.frank, the_return=draft, reason="a correction")
