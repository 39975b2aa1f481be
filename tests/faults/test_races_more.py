"""More of the same buttons pressed twenty times at once (see test_races.py for how a race is run):
the management pages' adding forms, reference numbers and invitations, evaluating and running a
tender. Each: no server error, one thing done once, every other press told who did it and when, or
(where a name is someone else's to have taken) refused on the form as any clash is.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from stepchange.accounts.models import Invitation, Role, User
from tests.factories import year_0607
from tests.faults.test_races import (
    SERVER_ERROR,
    Pressed,
    actor_of,
    banners,
    cast,  # noqa: F401
    check_race,
    people,
    press_together,
)
from tests.personas import Cast

pytestmark = pytest.mark.django_db(transaction=True)

TOO_MANY = 429


def errors(text: str) -> list[str]:
    """The messages in the page's error summary."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', text, re.S)
    found = re.findall(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", summary.group(1), re.S) if summary else []
    return [re.sub(r"\s+", " ", e).strip() for e in found]


def check_adding_race(
    pressed: list[Pressed],
    *,
    saved: str,
    winner: User,
    told: str,
    loser_path: str,
    refusal: str,
) -> None:
    """No 500s; one press saw ``saved``, and it was ``winner``'s; every other either met the row on
    the form (``refusal``, status 200) or clashed with it in the database and was sent to
    ``loser_path`` with "<winner> <told> at <time>" at its top."""
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if p.status == 302 and saved in banners(p.text)]
    assert len(winners) == 1, [(p.status, banners(p.text)) for p in pressed]
    assert winners[0].who == winner
    said = re.compile(rf"^{re.escape(winner.get_full_name() or winner.username)} {re.escape(told)} at \d\d:\d\d")
    for loser in pressed:
        if loser is winners[0]:
            continue
        if loser.status == 302:
            assert loser.path == loser_path
            assert [b for b in banners(loser.text) if said.match(b)], banners(loser.text)
        else:
            assert loser.status == 200
            assert refusal in loser.text, errors(loser.text)


# The management pages: adding what there is one of -------------------------------------------


@dataclass
class Adding:
    """One adding form: who may press it, what they post, the row it makes and what a loser meets."""

    name: str
    role: str
    base: Callable[[Cast], User]
    path: str
    data: Callable[[Cast, int], dict[str, Any]]
    made: Callable[[Cast], Any]
    action: str
    saved: str
    told: Callable[[Cast, Any], str]
    loser_path: Callable[[Any], str]
    refusal: Callable[[Cast, Any], str]


def _target(c: Cast) -> Any:
    from stepchange.contracts.models import Target

    return Target.objects.get(commissioner_kind="probation", year=year_0607())


def _pathway(c: Cast) -> Any:
    from stepchange.core.models import Pathway

    return Pathway.objects.get(name="Family Support")


def _figure(c: Cast) -> Any:
    from stepchange.reports.models import PublishedFigure

    return PublishedFigure.objects.get(region=c.region, measure="share_pct")


def _probation_return(c: Cast) -> Any:
    from stepchange.returns.models import ProbationReturn

    return ProbationReturn.objects.get(commissioner=c.sypa, round__isnull=True)


ADDING = [
    Adding(
        name="target",
        role=Role.NATIONAL_ADMIN,
        base=lambda c: c.nadia,
        path="/manage/targets/new/",
        data=lambda c, i: {"commissioner_kind": "probation", "year": year_0607().pk, "percentage": str(5 + i)},
        made=_target,
        action="target_create",
        saved="The target has been added.",
        told=lambda c, t: f"added this target for {t.year}",
        loser_path=lambda t: f"/manage/targets/{t.pk}/edit/",
        refusal=lambda c, t: f"There is already a target for this kind of commissioner in {t.year}",
    ),
    Adding(
        name="pathway",
        role=Role.NATIONAL_ADMIN,
        base=lambda c: c.nadia,
        path="/manage/pathways/new/",
        data=lambda c, i: {"name": "Family Support", "short_name": f"Family {i}", "order": "90"},
        made=_pathway,
        action="pathway_create",
        saved="The pathway has been added.",
        told=lambda c, p: "added the pathway Family Support",
        loser_path=lambda p: f"/manage/pathways/{p.pk}/edit/",
        refusal=lambda c, p: "There is already a pathway called Family Support",
    ),
    Adding(
        name="published-figure",
        role=Role.REGIONAL_COMMISSIONER,
        base=lambda c: c.alice,
        path="/manage/figures/new/",
        data=lambda c, i: {
            "measure": "share_pct",
            "as_at": "31/3/2007",
            "region": c.region.pk,
            "commissioner": "",
            "label": "",
            "value": str(10 + i),
            "printed": f"{10 + i}%",
            "source": "Annual report, table 3",
        },
        made=_figure,
        action="published_figure_create",
        saved="The published figure has been added.",
        told=lambda c, f: "recorded this figure",
        loser_path=lambda f: f"/manage/figures/{f.pk}/edit/",
        refusal=lambda c, f: "This figure is already recorded for that date",
    ),
    Adding(
        name="probation-return-date",
        role=Role.REGIONAL_COMMISSIONER,
        base=lambda c: c.alice,
        path="/manage/returns/new/",
        data=lambda c, i: {"commissioner": c.sypa.pk, "as_at": "30/6/2006"},
        made=_probation_return,
        action="probation_return_record",
        saved="The return date has been recorded.",
        told=lambda c, r: f"recorded {c.sypa.name}'s return at 30 June 2006",
        loser_path=lambda r: "/manage/returns/",
        refusal=lambda c, r: f"{c.sypa.name} already has a return at 30 June 2006",
    ),
]


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("adding", ADDING, ids=[a.name for a in ADDING])
def test_adding_on_the_management_pages(cast: Cast, adding: Adding) -> None:  # noqa: F811
    pressed = press_together(people(cast, adding.role, adding.base(cast)), adding.path, lambda i: adding.data(cast, i))
    made = adding.made(cast)  # .get(): exactly one row
    check_adding_race(
        pressed,
        saved=adding.saved,
        winner=actor_of(made, adding.action),
        told=adding.told(cast, made),
        loser_path=adding.loser_path(made),
        refusal=adding.refusal(cast, made),
    )


# Names that are someone else's to have taken: refused on the form, not told who -----------------


def check_taken_race(pressed: list[Pressed], *, refusal: str, limited: bool = False) -> Pressed:
    """No 500s; one press was saved (a redirect); every other was refused on the form with ``refusal``
    (or, where ``limited``, met the limit on invitations to one address: 429)."""
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if p.status == 302]
    assert len(winners) == 1, [(p.status, banners(p.text), errors(p.text)) for p in pressed]
    for loser in pressed:
        if loser is not winners[0] and not (limited and loser.status == TOO_MANY):
            assert loser.status == 200
            assert refusal in errors(loser.text), errors(loser.text)
    return winners[0]


def _invitation(c: Cast, username: str, email: str) -> dict[str, Any]:
    return {
        "username": username,
        "first_name": "Priya",
        "last_name": "Shah",
        "email": email,
        "role": Role.AREA_ANALYST,
        "organisation": "",
        "region": c.region.pk,
    }


def test_inviting_the_same_username(cast: Cast) -> None:  # noqa: F811
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(team, "/manage/users/new/", lambda i: _invitation(cast, "pshah", f"priya{i}@example.org"))
    account = User.objects.get(username__iexact="pshah")
    winner = check_taken_race(pressed, refusal="The username pshah is already taken")
    assert winner.who == actor_of(account, "invitation_send")
    assert Invitation.objects.filter(user=account).count() == 1


def test_inviting_the_same_email_address(cast: Cast) -> None:  # noqa: F811
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(team, "/manage/users/new/", lambda i: _invitation(cast, f"pshah{i}", "priya@example.org"))
    account = User.objects.get(email__iexact="priya@example.org")
    winner = check_taken_race(pressed, refusal="That email address already has an account", limited=True)
    assert winner.who == actor_of(account, "invitation_send")


# Contracts ----------------------------------------------------------------------------------------


def test_adding_a_contract_with_the_same_reference(cast: Cast) -> None:  # noqa: F811
    from stepchange.contracts.models import Contract

    managers = people(cast, Role.PROBATION_MANAGER, cast.bob)
    pressed = press_together(
        managers,
        "/contracts/new/",
        lambda i: {
            "reference": "SYPA-0100",
            "title": f"Floating support ({i})",
            "commissioner": cast.sypa.pk,
            "prime": cast.charity.pk,
            "pathways": ["accommodation"],
            "annual_value": str(24500 + i),
            "start": "1/4/2006",
            "funding_source": "main_grant",
            "kind": "contract",
        },
    )
    contract = Contract.objects.get(reference__iexact="SYPA-0100")
    winner = check_taken_race(pressed, refusal="The reference SYPA-0100 is already in use. Enter another.")
    assert winner.who == actor_of(contract, "contract_create")
    assert winner.path == f"/contracts/{contract.pk}/"


def test_adding_the_same_sub_contract(cast: Cast) -> None:  # noqa: F811
    """Each adds the same partner from a page opened at the contract's version: one is added; the
    rest are told the contract changed meanwhile, and nothing of theirs is saved."""
    from stepchange.contracts.models import SubContract
    from stepchange.core.concurrency import StaleEdit
    from tests.factories import ContractFactory

    contract = ContractFactory.create(
        reference="SYPA-0001", commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("50000")
    )
    managers = people(cast, Role.PROBATION_MANAGER, cast.bob)
    pressed = press_together(
        managers,
        f"/contracts/{contract.pk}/sub-contracts/new/",
        lambda i: {"partner": cast.company.pk, "value": str(20000 + i), "version": contract.version},
    )
    added = SubContract.objects.get(contract=contract)
    winner = check_taken_race(pressed, refusal=StaleEdit.message)
    assert winner.who == actor_of(contract, "sub_contract_add")
    assert added.value == Decimal(20000 + pressed.index(winner))


# Opportunities ------------------------------------------------------------------------------------


def test_adding_an_opportunity_with_the_same_reference(cast: Cast) -> None:  # noqa: F811
    from stepchange.commissioning.models import Opportunity

    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(
        managers,
        "/opportunities/new/",
        lambda i: {
            "commissioner": cast.regional_team.pk,
            "reference": "mentoring-2006",
            "title": f"Mentoring ({i})",
            "description": "Mentoring for people leaving custody.",
            "kind": "tender",
            "pathways": ["ete"],
            "areas": [cast.sypa.code],
            "estimated_value": str(50000 + i),
            "duration_months": "12",
            "contract_start": "1/10/2026",
            "funding_source": "new_investment",
            "funder": "Regional team",
        },
    )
    opportunity = Opportunity.objects.get(reference="mentoring-2006")
    winner = check_taken_race(pressed, refusal="The reference mentoring-2006 is already in use. Enter another.")
    assert winner.who == actor_of(opportunity, "opportunity_create")


# Invitations waiting to be accepted ---------------------------------------------------------------


def _invited(cast: Cast) -> User:  # noqa: F811
    from stepchange.accounts import services as accounts

    invitation = accounts.invitation_send(
        actor=cast.alice,
        username="pshah",
        first_name="Priya",
        last_name="Shah",
        email="priya@example.org",
        role=Role.AREA_ANALYST,
        organisation=None,
        region=cast.region,
        is_organisation_admin=False,
        link_for=lambda token: f"https://stepchange.example/{token}",
    )
    return invitation.user


def test_resending_an_invitation(cast: Cast) -> None:  # noqa: F811
    """Each resend may go (within the limit on one address); however many go at once, one link
    works afterwards and every other sent is withdrawn."""
    account = _invited(cast)
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(team, f"/account/people/{account.pk}/invitation/resend/", lambda i: {})
    assert [p.status for p in pressed if p.status not in (302, TOO_MANY)] == []
    sent = [p for p in pressed if p.status == 302]
    assert sent and all("A new invitation has been sent" in " ".join(banners(p.text)) for p in sent)
    assert Invitation.objects.filter(user=account).count() == len(sent) + 1
    assert Invitation.objects.filter(user=account, used_at__isnull=True, withdrawn_at__isnull=True).count() == 1


def test_cancelling_an_invitation(cast: Cast) -> None:  # noqa: F811
    """One cancels; every other press finds nothing waiting and says so. The account is closed once."""
    account = _invited(cast)
    team = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(team, f"/account/people/{account.pk}/invitation/cancel/", lambda i: {})
    assert [p.status for p in pressed if p.status != 302] == []
    winners = [p for p in pressed if "has been cancelled and the account closed" in " ".join(banners(p.text))]
    assert len(winners) == 1, [banners(p.text) for p in pressed]
    assert winners[0].who == actor_of(account, "invitation_cancel")
    for loser in pressed:
        if loser is not winners[0]:
            assert f"{account} has no invitation waiting to be accepted" in loser.text
    account.refresh_from_db()
    assert account.is_active is False
    assert Invitation.objects.get(user=account).withdrawn_at is not None


# Evaluating and deciding a tender (the pages run on a clock set after the stage closes) ----------


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _stage1_scored(cast: Cast) -> tuple[Any, Any]:  # noqa: F811
    """Acorn's and Hope's stage 1 bids, both scored and submitted by Heidi."""
    from tests.commissioning.world import build_tender, score_bid, second_bidder

    tender = build_tender(cast)
    _, hope_bid = second_bidder(cast, tender)
    score_bid(cast.heidi, tender.bid, 7, 6, tender.after_stage1)
    score_bid(cast.heidi, hope_bid, 5, 5, tender.after_stage1)
    return tender, hope_bid


def test_shortlisting(cast: Cast) -> None:  # noqa: F811
    tender, hope_bid = _stage1_scored(cast)
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    reference = tender.opportunity.reference
    with clock_at(tender.after_stage1):
        pressed = press_together(
            managers, f"/opportunities/{reference}/stages/1/evaluation/", lambda i: {"bids": [tender.bid.pk]}
        )
    tender.bid.refresh_from_db()
    hope_bid.refresh_from_db()
    assert tender.bid.outcome and hope_bid.outcome
    check_race(
        pressed,
        won=lambda p: "Outcomes decided; every bidder has been told, with its scores" in banners(p.text),
        winner=actor_of(tender.bid, "bid_outcome"),
        loser_says="decided the outcomes of stage 1",
        loser_path=f"/opportunities/{reference}/stages/1/evaluation/",
    )


def test_moderating_a_score(cast: Cast) -> None:  # noqa: F811
    from stepchange.commissioning.models import Moderation

    tender, _ = _stage1_scored(cast)
    quality = tender.stage1.criteria.order_by("id").first()
    assert quality is not None
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    with clock_at(tender.after_stage1):
        pressed = press_together(
            managers,
            f"/opportunities/bids/{tender.bid.pk}/moderate/{quality.pk}/",
            lambda i: {"moderated_score": "7", "note": f"The panel agreed ({i})."},
        )
    moderation = Moderation.objects.get(bid=tender.bid, criterion=quality)
    assert moderation.recorded_by is not None
    check_race(
        pressed,
        won=lambda p: "Moderated score recorded; it is now frozen" in banners(p.text),
        winner=moderation.recorded_by,
        loser_says=f"moderated the {quality.name} score of this bid",
        loser_path=f"/opportunities/bids/{tender.bid.pk}/moderate/{quality.pk}/",
    )


def _ready_to_award(cast: Cast) -> tuple[Any, Any, datetime.datetime]:  # noqa: F811
    """Acorn shortlisted at stage 1, its stage 2 bid submitted and scored: ready to award."""
    from stepchange.commissioning import services as commissioning
    from tests.commissioning.world import HOUR, score_bid

    tender, _ = _stage1_scored(cast)
    after1 = tender.after_stage1
    commissioning.stage_shortlist(actor=cast.alice, stage=tender.stage1, shortlisted=[tender.bid], now=after1)
    bid2 = commissioning.bid_save(
        actor=cast.dave,
        partnership=tender.partnership,
        stage=tender.stage2,
        answers={"1": "Fully."},
        price=Decimal("150000"),
        now=after1,
    )
    bid2 = commissioning.bid_submit(actor=cast.dave, bid=bid2, now=after1)
    after2 = tender.stage2.deadline + HOUR
    score_bid(cast.heidi, bid2, 9, 8, after2)
    return tender, bid2, after2


def test_awarding(cast: Cast) -> None:  # noqa: F811
    from stepchange.commissioning.models import Award

    tender, bid2, after2 = _ready_to_award(cast)
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    reference = tender.opportunity.reference
    with clock_at(after2):
        pressed = press_together(
            managers, f"/opportunities/{reference}/stages/2/evaluation/", lambda i: {"bids": [bid2.pk]}
        )
    award = Award.objects.get(opportunity=tender.opportunity)
    assert award.awarded_by is not None
    check_race(
        pressed,
        won=lambda p: "Outcomes decided; every bidder has been told, with its scores" in banners(p.text),
        winner=award.awarded_by,
        loser_says="awarded this opportunity",
        loser_path=award.get_absolute_url(),
    )


def test_withdrawing_an_award(cast: Cast) -> None:  # noqa: F811
    from tests.commissioning.world import HOUR, award_tender, build_tender

    awarded = award_tender(cast, build_tender(cast))
    award = awarded.award
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    reference = award.opportunity.reference
    with clock_at(awarded.after2 + HOUR):
        pressed = press_together(
            managers, f"/opportunities/{reference}/award/withdraw/", lambda i: {"reason": f"Wrong prices ({i})."}
        )
    award.refresh_from_db()
    check_race(
        pressed,
        won=lambda p: "Done: every bidder has been told" in banners(p.text),
        winner=actor_of(award, "award_withdraw"),
        loser_says="withdrew this award",
        loser_path=award.get_absolute_url(),
    )


def test_answering_a_challenge(cast: Cast) -> None:  # noqa: F811
    from stepchange.commissioning import services as commissioning
    from tests.commissioning.world import HOUR, award_tender, build_tender

    awarded = award_tender(cast, build_tender(cast))
    challenge = commissioning.challenge_raise(
        actor=awarded.harry, award=awarded.award, grounds="The prices were misread.", now=awarded.after2 + HOUR
    )
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    with clock_at(awarded.after2 + 2 * HOUR):
        pressed = press_together(
            managers, f"/opportunities/challenges/{challenge.pk}/answer/", lambda i: {"answer": f"They were not ({i})."}
        )
    challenge.refresh_from_db()
    assert challenge.answered_at is not None
    check_race(
        pressed,
        won=lambda p: "Challenge answered" in banners(p.text),
        winner=actor_of(challenge, "challenge_answer"),
        loser_says="answered this challenge",
        loser_path=f"/opportunities/challenges/{challenge.pk}/answer/",
    )


def test_publishing_the_feedback_summary(cast: Cast) -> None:  # noqa: F811
    from stepchange.commissioning import services as commissioning
    from stepchange.commissioning.models import SurveyInvitation
    from tests.commissioning.world import HOUR, award_tender, build_tender

    awarded = award_tender(cast, build_tender(cast))
    opportunity = awarded.award.opportunity
    invitation = SurveyInvitation.objects.get(opportunity=opportunity, partnership__lead=cast.charity)
    commissioning.survey_answer(
        actor=cast.dave,
        invitation=invitation,
        clarity=4,
        time_to_form_partnership=3,
        transparency=4,
        effort_hours=20,
        effort_people=2,
        now=awarded.after2 + HOUR,
    )
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    with clock_at(awarded.after2 + 2 * HOUR):
        pressed = press_together(managers, f"/opportunities/{opportunity.reference}/feedback/publish/", lambda i: {})
    opportunity.refresh_from_db()
    assert opportunity.feedback_published_at is not None
    check_race(
        pressed,
        won=lambda p: "The anonymous feedback summary is published on the opportunity's page" in banners(p.text),
        winner=actor_of(opportunity, "feedback_publish"),
        loser_says="published the feedback summary",
        loser_path=f"/opportunities/{opportunity.reference}/",
    )


# An evaluator's own buttons, pressed many times at once from many windows -----------------------


def test_declaring_on_conflicts(cast: Cast) -> None:  # noqa: F811
    """One declaration is kept; a press that raced it is refused on the form, one after it reads the bid."""
    from stepchange.commissioning.models import ConflictDeclaration
    from tests.commissioning.world import build_tender

    tender = build_tender(cast)
    with clock_at(tender.after_stage1):
        pressed = press_together(
            [cast.heidi], f"/opportunities/bids/{tender.bid.pk}/", lambda i: {"has_conflict": "no"}
        )
    assert ConflictDeclaration.objects.get(bid=tender.bid, evaluator=cast.heidi).has_conflict is False
    assert actor_of(tender.bid, "conflict_declare") == cast.heidi
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    assert len([p for p in pressed if p.status == 302]) == 1, [(p.status, errors(p.text)) for p in pressed]
    for loser in pressed:
        if loser.status != 302:
            assert loser.status == 200
            refused = "You have already declared on this bid." in errors(loser.text)
            assert refused or "Declare any conflict of interest" not in loser.text


def test_submitting_scores(cast: Cast) -> None:  # noqa: F811
    """One submission; a press that raced it is refused on the form, one after it finds no form."""
    from stepchange.commissioning import services as commissioning
    from stepchange.commissioning.models import Score
    from stepchange.core.models import AuditEvent
    from tests.commissioning.world import build_tender

    tender = build_tender(cast)
    commissioning.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=tender.after_stage1)
    criteria = list(tender.stage1.criteria.order_by("id"))

    def scores(i: int) -> dict[str, Any]:
        form: dict[str, Any] = {"submit": "yes"}
        for criterion in criteria:
            form[f"score_{criterion.pk}"] = str(i % 10)
            form[f"why_{criterion.pk}"] = f"Reason {i}."
        return form

    with clock_at(tender.after_stage1):
        pressed = press_together([cast.heidi], f"/opportunities/bids/{tender.bid.pk}/", scores)
    assert [p.status for p in pressed if p.status == SERVER_ERROR] == []
    winners = [p for p in pressed if "Scores submitted" in banners(p.text)]
    assert len(winners) == 1, [(p.status, banners(p.text), errors(p.text)) for p in pressed]
    kept = Score.objects.filter(bid=tender.bid, evaluator=cast.heidi)
    assert kept.count() == len(criteria) and all(s.submitted_at for s in kept)
    assert {s.score for s in kept} == {pressed.index(winners[0]) % 10}
    submitted = AuditEvent.objects.filter(object_id=str(tender.bid.pk), action="scores_submit")
    assert submitted.count() == 1
    for loser in pressed:
        if loser is not winners[0]:
            assert loser.status == 200
            refused = "You have submitted your scores for this bid; they cannot change." in errors(loser.text)
            assert refused or "score_" not in loser.text


def test_saving_scores(cast: Cast) -> None:  # noqa: F811
    """Saves take turns: each is kept until the next, and one score per criterion remains."""
    from stepchange.commissioning import services as commissioning
    from stepchange.commissioning.models import Score
    from tests.commissioning.world import build_tender

    tender = build_tender(cast)
    commissioning.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=tender.after_stage1)
    criteria = list(tender.stage1.criteria.order_by("id"))

    def scores(i: int) -> dict[str, Any]:
        form: dict[str, Any] = {}
        for criterion in criteria:
            form[f"score_{criterion.pk}"] = str(i % 10)
            form[f"why_{criterion.pk}"] = f"Reason {i}."
        return form

    with clock_at(tender.after_stage1):
        pressed = press_together([cast.heidi], f"/opportunities/bids/{tender.bid.pk}/", scores)
    assert [p.status for p in pressed if p.status != 302] == []
    assert all("Scores saved, not yet submitted" in banners(p.text) for p in pressed)
    kept = Score.objects.filter(bid=tender.bid, evaluator=cast.heidi)
    assert kept.count() == len(criteria)
    last = {s.justification for s in kept}
    assert len(last) == 1 and not any(s.submitted_at for s in kept)


# Building an opportunity: each change takes its turn on the opportunity's row ---------------------


def test_adding_the_same_stage(cast: Cast) -> None:  # noqa: F811
    """Twenty add stage 2 at once: one stage 2; every other is refused on the form, having waited
    for the first and then seen it."""
    from stepchange.commissioning.models import Stage
    from tests.faults.test_races import draft_tender

    opportunity = draft_tender(cast)
    managers = people(cast, Role.REGIONAL_COMMISSIONER, cast.alice)
    pressed = press_together(
        managers,
        f"/opportunities/{opportunity.reference}/stages/new/",
        lambda i: {"number": "2", "name": f"Full bid ({i})", "deadline": "30/6/2036 12:00"},
    )
    stage = Stage.objects.get(opportunity=opportunity, number=2)
    winner = check_taken_race(pressed, refusal="There is already a stage 2.")
    assert stage.name == f"Full bid ({pressed.index(winner)})"
    from stepchange.core.audit import history_of

    added = history_of(opportunity).filter(action="stage_add").order_by("-at", "-id")
    assert added.count() == 2  # stage 1, then stage 2 once
    latest = added.first()
    assert latest is not None and latest.actor == winner.who
