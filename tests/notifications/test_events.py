"""Each event e-mails the right people once, through a real SMTP server, with its link and why.

The tender is tests/commissioning/world.py's: Dave's charity (Acorn) leads, Wendy's women's centre
is invited and confirms; Harry's Hope Trust bids too. Alice manages it (the regional team's).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from stepchange.commissioning import services
from stepchange.notifications.models import Notification
from stepchange.returns import services as return_services
from stepchange.returns.models import PrisonReturn
from tests.commissioning.world import DAY, HOUR, award_tender, build_tender
from tests.factories import fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


def subjects(smtp, person):
    return sorted(str(m["Subject"]) for m in smtp.to(person.email))


def only(smtp, person, containing):
    found = [m for m in smtp.to(person.email) if containing in str(m["Subject"])]
    assert len(found) == 1, subjects(smtp, person)
    return smtp.body(found[0]).replace("\r\n", "\n")


def test_an_invited_organisation_is_told_and_must_confirm(cast, smtp, send):
    tender = build_tender(cast)
    send()
    body = only(smtp, tender.wendy, "is invited to bid with Acorn Women's Partnership")
    assert f"Open it: http://localhost:8000{tender.partnership.get_absolute_url()}" in body
    assert (
        "Why you got this: You are a provider's person at Riverside Women's Centre, the organisation invited." in body
    )
    assert "cannot be turned off" in body
    # Nobody of Dave's charity, which invited it, is told of its own invitation.
    assert not [s for s in subjects(smtp, cast.dave) if "invited" in s]
    assert send().startswith("0 sent")


def test_a_change_after_bids_asks_the_bid_team_to_reconfirm(cast, smtp, send):
    tender = build_tender(cast)
    send()
    smtp.messages.clear()
    opportunity = type(tender.opportunity).objects.get(pk=tender.opportunity.pk)
    services.opportunity_update(
        actor=cast.alice,
        opportunity=opportunity,
        expected_version=opportunity.version,
        description="Changed scope.",
        now=tender.start + 5 * DAY,
    )
    assert send().startswith("2 sent")
    for person in (cast.dave, tender.wendy):
        body = only(smtp, person, "Women's services has changed")
        assert "re-confirm your bid" in body
        assert "Why you got this: You are on the bid team of Acorn Women's Partnership for Women's services." in body
        assert f"http://localhost:8000{tender.partnership.get_absolute_url()}" in body
    assert smtp.to(cast.alice.email) == []


def test_results_award_challenge_answer_and_feedback_reach_their_people(cast, smtp, send):
    tender = build_tender(cast, submit=False)
    done = award_tender(cast, tender)
    harry = done.harry
    send()
    # Stage 1: Acorn taken forward, Hope not; the last stage: Acorn awarded.
    assert len([s for s in subjects(smtp, cast.dave) if "stage 1:" in s]) == 1
    assert len([s for s in subjects(smtp, cast.dave) if "stage 2:" in s]) == 1
    hope_result = only(smtp, harry, "stage 1:")
    assert "Your weighted total: 50.00 out of 100." in hope_result
    assert "Why you got this: You are on the bid team of Hope Partnership for Women's services." in hope_result
    # Wendy's centre is on both partnerships' bid teams: she hears each partnership's news once.
    assert len([s for s in subjects(smtp, tender.wendy) if "stage 1:" in s]) == 2
    # Harry challenges: the opportunity's managers are told; Bob (another area's) and Heidi are not.
    smtp.messages.clear()
    challenge = services.challenge_raise(
        actor=harry, award=done.award, grounds="Scoring inconsistent.", now=done.after2 + HOUR
    )
    assert send() == "1 sent, 0 to try again, 0 failed, 0 uncertain.\n"
    body = only(smtp, cast.alice, "has been challenged")
    assert "Hope Partnership challenges the award:\nScoring inconsistent." in body
    assert f"http://localhost:8000{tender.opportunity.get_absolute_url()}" in body
    assert f"Why you got this: You manage {cast.regional_team.name}'s opportunities." in body
    assert smtp.to(cast.bob.email) == [] and smtp.to(cast.heidi.email) == []
    services.challenge_answer(
        actor=cast.alice, challenge=challenge, answer="Scores were moderated.", now=done.after2 + DAY
    )
    send()
    assert "Scores were moderated." in only(smtp, harry, "Your challenge to the award")
    assert [s for s in subjects(smtp, cast.dave) if "challenge" in s.lower()] == []
    # The survey answered, the feedback summary published: each bidder's team is told once.
    invitation = tender.opportunity.survey_invitations.get(partnership=done.hope_bid.partnership)
    services.survey_answer(
        actor=harry,
        invitation=invitation,
        clarity=4,
        time_to_form_partnership=1,
        transparency=3,
        effort_hours=80,
        effort_people=3,
        now=done.after2 + DAY,
    )
    smtp.messages.clear()
    services.feedback_publish(actor=cast.alice, opportunity=tender.opportunity, now=done.after2 + 2 * DAY)
    send()
    for person in (cast.dave, harry):
        assert "anonymous summary" in only(smtp, person, "feedback summary of Women's services is published")
    assert send().startswith("0 sent")


def test_a_declined_optional_kind_is_not_sent_but_results_are(cast, smtp, send, client_for):
    tender = build_tender(cast, submit=False)
    client_for(cast.dave).post(
        "/notifications/preferences/",
        {"shown": ["feedback_published", "stage_deadline"], "wanted": ["stage_deadline"]},
    )
    done = award_tender(cast, tender)
    services.survey_answer(
        actor=done.harry,
        invitation=tender.opportunity.survey_invitations.get(partnership=done.hope_bid.partnership),
        clarity=4,
        time_to_form_partnership=1,
        transparency=3,
        effort_hours=80,
        effort_people=3,
        now=done.after2 + DAY,
    )
    services.feedback_publish(actor=cast.alice, opportunity=tender.opportunity, now=done.after2 + 2 * DAY)
    send()
    assert not [s for s in subjects(smtp, cast.dave) if "feedback summary" in s]
    assert [s for s in subjects(smtp, done.harry) if "feedback summary" in s]
    assert [s for s in subjects(smtp, cast.dave) if "stage 2:" in s]  # required: sent all the same


def test_a_stage_closing_soon_is_told_once_per_deadline_to_those_whose_bid_is_not_in(cast, smtp, send):
    tender = build_tender(cast, submit=False)  # stage 1 closes at start + 10 days

    def run(now):
        out = io.StringIO()
        call_command("notify_stage_deadlines", "--now", now.isoformat(), stdout=out)
        return out.getvalue()

    assert run(tender.start + 2 * DAY) == "0 people told of a deadline.\n"  # 8 days before
    assert run(tender.start + 3 * DAY) == "2 people told of a deadline.\n"  # Dave and Wendy
    assert run(tender.start + 4 * DAY) == "0 people told of a deadline.\n"
    send()
    body = only(smtp, cast.dave, "Stage 1 of Women's services closes")
    assert "is not submitted" in body
    services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 4 * DAY)
    stage = tender.stage1
    stage.deadline += DAY  # a moved deadline is a new one, but the bid is in now
    stage.save(update_fields=["deadline"])
    assert run(tender.start + 5 * DAY) == "0 people told of a deadline.\n"


def test_a_return_returned_and_approved_tells_who_fills_it_in(cast, clock, smtp, send):
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    return_services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    return_services.return_send_back(
        actor=cast.grace, the_return=prison_return, expected_version=prison_return.version, reason="Check ETE"
    )
    send()
    body = only(smtp, cast.frank, "Returned for correction")
    assert "Check ETE" in body
    assert f"http://localhost:8000{prison_return.get_absolute_url()}" in body
    assert "Why you got this: You fill in HMP Leeds's prison returns." in body
    assert smtp.to(cast.grace.email) == []
    # The daily reminder of the returned state is that same message: nothing more is sent.
    call_command("send_return_reminders", "--today", "2006-07-05", stdout=io.StringIO())
    assert send().startswith("0 sent")
    return_services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    return_services.return_approve(actor=cast.grace, the_return=prison_return, expected_version=prison_return.version)
    send()
    assert "was approved" in only(smtp, cast.frank, "Approved:")
    assert Notification.objects.filter(recipient=cast.frank).count() == 2
