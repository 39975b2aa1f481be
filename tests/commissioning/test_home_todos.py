"""Commissioning on each person's home page, on the tender of tests/commissioning/world.py: a
provider's invitations, bids in progress, outcomes and matching opportunities; the manager's closed
stages, moderation, outcomes to decide and challenges; the evaluator's declarations and scores.
Each item links to the page where it is done, and nobody sees another's (never a sealed bid).
The pages stand on a clock moved to each moment (``at``); each client signs in at that moment."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.commissioning import services
from stepchange.commissioning.models import SurveyInvitation
from stepchange.core.models import Pathway
from tests.commissioning.world import DAY, HOUR, award_tender, build_tender, score_bid, second_bidder
from tests.core.todo_pages import home, links, section
from tests.factories import OrganisationFactory, UserFactory, persona
from tests.fixture_types import ClientFor

pytestmark = pytest.mark.django_db

TITLE = "Women's services"
STAGE1 = f"{TITLE}, stage 1 (Outline)"
STAGE2 = f"{TITLE}, stage 2 (Full bid)"


@contextmanager
def at(moment: datetime.datetime) -> Iterator[None]:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


def page_at(client_for: ClientFor, user: User | None, moment: datetime.datetime) -> str:
    with at(moment):
        return home(client_for(user))


def services_survey_url(partnership) -> str:
    invitation = SurveyInvitation.objects.get(partnership=partnership, answered=False)
    return f"/opportunities/surveys/{invitation.pk}/"


def test_a_provider_is_shown_the_invitation_of_its_organisation_only(cast, client_for):
    tender = build_tender(cast)
    beacon = services.partnership_create(
        actor=cast.erin,
        opportunity=tender.opportunity,
        name="Beacon Partnership",
        lead_role="Lead",
        lead_share=Decimal(50),
        now=tender.start + HOUR,
    )
    services.member_invite(
        actor=cast.erin,
        partnership=beacon,
        organisation=cast.charity,
        role="Housing",
        share=Decimal(50),
        now=tender.start + HOUR,
    )
    moment = tender.start + 4 * HOUR
    dave = section(page_at(client_for, cast.dave, moment), "invitations")
    assert dave is not None
    assert links(dave) == {
        f"Beacon Partnership, led by Beacon Services Ltd, for {TITLE}": f"/opportunities/partnerships/{beacon.pk}/"
    }
    assert "Invited as Housing, with a 50% share" in dave
    # Erin leads it; Wendy's centre was not invited to it.
    assert links(section(page_at(client_for, cast.erin, moment), "invitations")) == {}
    assert links(section(page_at(client_for, tender.wendy, moment), "invitations")) == {}


def test_the_bid_team_sees_its_bid_in_progress_and_nobody_else_sees_a_sealed_bid(cast, client_for):
    tender = build_tender(cast)
    harry, hope_bid = second_bidder(cast, tender)
    moment = tender.start + 4 * HOUR
    acorn_url = f"/opportunities/partnerships/{tender.partnership.pk}/stages/1/bid/"
    hope_url = f"/opportunities/partnerships/{hope_bid.partnership.pk}/stages/1/bid/"
    bids = section(page_at(client_for, cast.dave, moment), "bids")
    assert bids is not None
    # Only the stage open now: stage 2 is not yet theirs to write.
    assert links(bids) == {f"Acorn Women's Partnership: {STAGE1}": acorn_url}
    assert "Submitted" in bids
    assert links(section(page_at(client_for, harry, moment), "bids")) == {f"Hope Partnership: {STAGE1}": hope_url}
    # Wendy's centre is in both partnerships and she is on both bid teams.
    assert links(section(page_at(client_for, tender.wendy, moment), "bids")) == {
        f"Acorn Women's Partnership: {STAGE1}": acorn_url,
        f"Hope Partnership: {STAGE1}": hope_url,
    }
    # Erin's organisation is in no partnership; the commissioner and the evaluator see nothing of
    # either bid before the deadline, not even that a stage has bids.
    assert links(section(page_at(client_for, cast.erin, moment), "bids")) == {}
    for person in (cast.alice, cast.heidi):
        page = page_at(client_for, person, moment)
        assert "Partnership" not in page, person
    assert links(section(page_at(client_for, cast.alice, moment), "stages")) == {}
    coming = section(page_at(client_for, cast.heidi, moment), "coming")
    assert links(coming) == {STAGE1: "/opportunities/evaluations/", STAGE2: "/opportunities/evaluations/"}


def test_after_the_deadline_the_evaluator_declares_then_scores_and_the_manager_follows_the_stage(cast, client_for):
    tender = build_tender(cast)
    _harry, hope_bid = second_bidder(cast, tender)
    after = tender.after_stage1
    acorn, hope = f"/opportunities/bids/{tender.bid.pk}/", f"/opportunities/bids/{hope_bid.pk}/"
    evaluation = "/opportunities/womens-services/stages/1/evaluation/"

    heidi = page_at(client_for, cast.heidi, after)
    assert links(section(heidi, "declare")) == {
        f"Acorn Women's Partnership: {STAGE1}": acorn,
        f"Hope Partnership: {STAGE1}": hope,
    }
    assert links(section(heidi, "score")) == {}
    stages = section(page_at(client_for, cast.alice, after), "stages")
    assert links(stages) == {STAGE1: evaluation}
    assert stages is not None
    assert "2 bids being scored" in stages
    # The bid team no longer has a bid in progress at the closed stage.
    assert links(section(page_at(client_for, cast.dave, after), "bids")) == {}

    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after)
    heidi = page_at(client_for, cast.heidi, after)
    assert links(section(heidi, "declare")) == {f"Hope Partnership: {STAGE1}": hope}
    assert links(section(heidi, "score")) == {f"Acorn Women's Partnership: {STAGE1}": acorn}

    score_bid(cast.heidi, hope_bid, 5, 5, after)
    quality, price = tender.bid.stage.criteria.order_by("id")
    services.score_save(actor=cast.heidi, bid=tender.bid, criterion=quality, score=7, justification="Q.", now=after)
    services.score_save(actor=cast.heidi, bid=tender.bid, criterion=price, score=6, justification="P.", now=after)
    stages = section(page_at(client_for, cast.alice, after), "stages")
    assert stages is not None
    assert "1 bid being scored" in stages
    services.scores_submit(actor=cast.heidi, bid=tender.bid, now=after)

    heidi = page_at(client_for, cast.heidi, after)
    assert links(section(heidi, "declare")) == {} and links(section(heidi, "score")) == {}
    alice = page_at(client_for, cast.alice, after)
    assert links(section(alice, "stages")) == {}
    assert links(section(alice, "outcomes")) == {f"Choose who goes forward from {STAGE1}": evaluation}
    # Another region's commissioner, and a probation manager who does not manage the regional
    # team's opportunities, have none of it.
    nick = persona("nick-home", Role.REGIONAL_COMMISSIONER, region=cast.other_region)
    for person in (nick, cast.bob):
        page = page_at(client_for, person, after)
        assert "Women" not in page, person


def test_scores_too_far_apart_are_listed_to_moderate_with_the_moderation_page(cast, client_for):
    tender = build_tender(cast)
    ivan = UserFactory.create(username="ivan", role=Role.EVALUATOR, region=cast.region)
    tender.stage1.evaluators.add(ivan)
    after = tender.after_stage1
    score_bid(cast.heidi, tender.bid, 9, 6, after)
    score_bid(ivan, tender.bid, 2, 6, after)
    quality = tender.stage1.criteria.get(name="Quality")
    alice = page_at(client_for, cast.alice, after)
    moderation = section(alice, "moderation")
    assert moderation is not None
    assert links(moderation) == {
        f"Acorn Women's Partnership: Quality, {STAGE1}": f"/opportunities/bids/{tender.bid.pk}/moderate/{quality.pk}/"
    }
    assert "Scores 7 apart" in moderation
    assert links(section(alice, "outcomes")) == {}

    services.moderation_record(
        actor=cast.alice, bid=tender.bid, criterion=quality, moderated_score=Decimal(6), note="Agreed.", now=after
    )
    alice = page_at(client_for, cast.alice, after)
    assert links(section(alice, "moderation")) == {}
    assert list(links(section(alice, "outcomes"))) == [f"Choose who goes forward from {STAGE1}"]


def test_outcomes_reach_the_bidders_and_a_challenge_reaches_the_manager_with_its_days_left(cast, client_for):
    tender = build_tender(cast)
    awarded = award_tender(cast, tender)
    after2 = awarded.after2
    hope = page_at(client_for, awarded.harry, after2)
    survey = services_survey_url(awarded.hope_bid.partnership)
    assert links(section(hope, "feedback")) == {
        f"Hope Partnership: {STAGE1}: not taken forward": f"/opportunities/partnerships/{awarded.hope_bid.partnership.pk}/",
        f"{TITLE}: tell us how the process went": survey,
    }
    dave = links(section(page_at(client_for, cast.dave, after2), "feedback"))
    assert dave == {
        f"Acorn Women's Partnership: {STAGE2}: awarded": f"/opportunities/partnerships/{tender.partnership.pk}/",
        f"Acorn Women's Partnership: {STAGE1}: taken forward": f"/opportunities/partnerships/{tender.partnership.pk}/",
        f"{TITLE}: tell us how the process went": services_survey_url(tender.partnership),
    }
    assert links(section(page_at(client_for, cast.erin, after2), "feedback")) == {}
    # Awarded: nothing is left to decide.
    assert links(section(page_at(client_for, cast.alice, after2), "outcomes")) == {}

    raised = after2 + HOUR
    challenge = services.challenge_raise(actor=awarded.harry, award=awarded.award, grounds="Unfair.", now=raised)
    alice = section(page_at(client_for, cast.alice, raised), "challenges")
    assert alice is not None
    assert links(alice) == {
        f"Challenge by Hope Partnership to the award of {TITLE}": f"/opportunities/challenges/{challenge.pk}/answer/"
    }
    left = (timezone.localdate(challenge.answer_due) - timezone.localdate(raised)).days
    assert f"({left} days left)" in alice
    assert f"Standstill ends on {awarded.award.standstill_ends:%-d %B %Y}" in alice
    assert "Late" not in alice
    late = section(page_at(client_for, cast.alice, challenge.answer_due + HOUR), "challenges")
    assert late is not None
    assert "Late" in late
    nick = persona("nick-home", Role.REGIONAL_COMMISSIONER, region=cast.other_region)
    assert f"/opportunities/challenges/{challenge.pk}/" not in page_at(client_for, nick, raised)

    services.challenge_answer(actor=cast.alice, challenge=challenge, answer="Scores were moderated.", now=raised)
    assert links(section(page_at(client_for, cast.alice, raised), "challenges")) == {}


def test_an_open_opportunity_is_offered_to_an_organisation_serving_its_pathways_and_areas(cast, client_for):
    tender = build_tender(cast)
    moment = tender.start + 4 * HOUR
    cast.company.pathways_served.set(Pathway.objects.filter(code="accommodation"))
    cast.company.areas_served.set([cast.sypa])
    elsewhere = OrganisationFactory.create(name="Far Away Trust")
    elsewhere.pathways_served.set(Pathway.objects.filter(code="accommodation"))
    elsewhere.areas_served.set([cast.leeds])
    far = persona("fiona", Role.PROVIDER, organisation=elsewhere)

    erin = section(page_at(client_for, cast.erin, moment), "matching")
    assert links(erin) == {TITLE: "/opportunities/womens-services/"}
    assert erin is not None
    assert f"Bids close on {timezone.localtime(tender.stage1.deadline):%-d %B %Y %H:%M}" in erin
    # An area it does not serve; and Dave's charity is already bidding for it.
    assert links(section(page_at(client_for, far, moment), "matching")) == {}
    assert links(section(page_at(client_for, cast.dave, moment), "matching")) == {}
    # Once the first stage has closed it is open no more.
    assert links(section(page_at(client_for, cast.erin, tender.after_stage1), "matching")) == {}
    assert tender.after_stage1 - moment > DAY
