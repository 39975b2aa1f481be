"""The commissioning part of the access world: three tenders, built row by row, either side of
their deadlines (see docs/access.md, "Sealed bids", and the docstring of commissioning/access.py).

  rt-sealed    the regional team's (Alice and Root manage it); stage 1 closes in ten days.
               "Sealed Acorn Consortium" (Dave's charity leads; Erin's company invited, not yet
               confirmed) has submitted its stage 1 bid at £98,765.43: nobody but Dave may know.
  sy-unsealed  South Yorkshire's (Alice, Bob, Root); stage 1 closed five days ago, stage 2 closes in
               ten. Heidi evaluates both. Stage 1 bids: Beacon's (Erin; taken forward, Heidi declared
               no conflict), Calder's (Heidi declared a conflict), Tyne's (Heidi has not declared),
               and Acorn's, withdrawn before the deadline, so sealed for ever. Beacon's stage 2 bid
               (£44,444.44, not submitted) is sealed.
  wy-awarded   West Yorkshire's (Alice, Carol, Root); its one stage closed a month ago and was
               awarded to Acorn's partnership; Beacon's partnership lost, challenges the award in
               the standstill, and both are invited to the survey.

  ne-tender    the North East probation area's (Nick, Olga, Root), of the other region; stage 1
               closed five days ago, stage 2 closes in ten, Quinn evaluates both. "Tyne North
               Partnership" (Nora's Tyne Outreach leads) has a stage 1 bid, shortlisted, Quinn
               declared no conflict; its stage 2 bid (£88,888.88, submitted) is sealed.

Each tender has an unanswered clarification question.

``SEALED_BIDS`` and ``SEALED_PARTNERSHIPS`` name what nobody outside the bidding partnership may
learn anything of (the access matrix takes them out and asks again: tests/access/sealed.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.commissioning import sealing
from stepchange.commissioning.models import (
    Award,
    Bid,
    BiddingPartnership,
    Challenge,
    ClarificationQuestion,
    ConflictDeclaration,
    Criterion,
    Opportunity,
    Outcome,
    PartnershipMember,
    Question,
    Stage,
    SurveyInvitation,
)
from stepchange.organisations.models import Commissioner, Organisation

DAY = datetime.timedelta(days=1)

SEALED_NAME = "Sealed Acorn Consortium"
# How a price may be printed: the bid's own page, a CSV, a JSON number.
SEALED_PRICES = ("98,765", "98765")
STAGE2_PRICES = ("44,444", "44444")
WITHDRAWN_NAME = "Withdrawn Acorn Alliance"
WITHDRAWN_PRICES = ("31,313", "31313")
NE_SEALED_PRICES = ("88,888", "88888")
# The bids on stages still open, and the one withdrawn before its deadline (sealed for ever), by
# their names in ``Tenders.bids``; the partnerships that have no other bid, by theirs in
# ``Tenders.partnerships``.
SEALED_BIDS = ("sealed", "stage 2", "withdrawn", "ne sealed")
SEALED_PARTNERSHIPS = ("sealed", "withdrawn")


@dataclass
class Tenders:
    sealed: Opportunity
    unsealed: Opportunity
    awarded: Opportunity
    north_east: Opportunity
    # Partnerships and bids, by a short name.
    partnerships: dict[str, BiddingPartnership]
    bids: dict[str, Bid]
    # The memberships that matter: Erin's invitation to the sealed consortium, Dave's lead row of it.
    erin_invited: PartnershipMember
    dave_leads: PartnershipMember
    criterion: Criterion  # of sy-unsealed's stage 1
    sealed_criterion: Criterion  # of rt-sealed's stage 1
    ne_criterion: Criterion  # of ne-tender's stage 1
    clarifications: dict[str, ClarificationQuestion]
    challenge: Challenge
    surveys: dict[str, SurveyInvitation]


def build_tenders(
    *,
    regional: Commissioner,
    sypa: Commissioner,
    wypa: Commissioner,
    acorn: Organisation,
    beacon: Organisation,
    calder: Organisation,
    tyne: Organisation,
    heidi: User,
    dave: User,
    erin: User,
    north: Any,
) -> Tenders:
    now = timezone.now()

    def opportunity(reference: str, commissioner: Commissioner, published: datetime.datetime) -> Opportunity:
        return Opportunity.objects.create(
            reference=reference,
            commissioner=commissioner,
            title=f"Tender {reference}",
            description="Mentoring on release",
            estimated_value=Decimal("100000.00"),
            duration_months=12,
            contract_start=(now + 90 * DAY).date(),
            funding_source="main_grant",
            published_at=published,
        )

    def stage(
        opp: Opportunity, number: int, deadline: datetime.datetime, *, evaluated: bool, evaluator: User = heidi
    ) -> tuple[Stage, Criterion]:
        s = Stage.objects.create(opportunity=opp, number=number, name=f"Stage {number}", deadline=deadline)
        Question.objects.create(stage=s, number=1, text="How will you reach people on release?")
        criterion = Criterion.objects.create(stage=s, name="Quality", weight=100)
        if evaluated:
            s.evaluators.add(evaluator)
        return s, criterion

    def partnership(opp: Opportunity, name: str, lead: Organisation, *, since: datetime.datetime) -> BiddingPartnership:
        p = BiddingPartnership.objects.create(opportunity=opp, name=name, lead=lead, created_at=since)
        member = PartnershipMember.objects.create(
            partnership=p, organisation=lead, role="Lead", share=Decimal(60), invited_at=since, confirmed_at=since
        )
        # The lead's provider people are its bid team (Dave for Acorn, Erin for Beacon).
        member.team.add(*User.objects.filter(organisation=lead, role=Role.PROVIDER))
        return p

    def bid(p: BiddingPartnership, s: Stage, price: str, *, submitted: bool = True, **extra: Any) -> Bid:
        at = s.deadline - 2 * DAY
        made = Bid.objects.create(
            partnership=p, stage=s, submitted_at=at if submitted else None, created_at=at, **extra
        )
        sealing.seal_bid(made, answers={"1": f"The answer of {p.name}"}, price=Decimal(price))
        return made

    # rt-sealed: open, its one bid sealed.
    sealed = opportunity("rt-sealed", regional, now - 5 * DAY)
    sealed_stage, sealed_criterion = stage(sealed, 1, now + 10 * DAY, evaluated=True)
    consortium = partnership(sealed, SEALED_NAME, acorn, since=now - 4 * DAY)
    erin_invited = PartnershipMember.objects.create(
        partnership=consortium, organisation=beacon, role="Employment", share=Decimal(20), invited_at=now - 3 * DAY
    )
    bids = {"sealed": bid(consortium, sealed_stage, "98765.43")}

    # sy-unsealed: stage 1 closed and decided, stage 2 open.
    unsealed = opportunity("sy-unsealed", sypa, now - 30 * DAY)
    first, criterion = stage(unsealed, 1, now - 5 * DAY, evaluated=True)
    second, _ = stage(unsealed, 2, now + 10 * DAY, evaluated=True)
    partnerships = {
        "sealed": consortium,
        "beacon": partnership(unsealed, "Beacon Open Partnership", beacon, since=now - 20 * DAY),
        "calder": partnership(unsealed, "Calder Partnership", calder, since=now - 20 * DAY),
        "tyne": partnership(unsealed, "Tyne Partnership", tyne, since=now - 20 * DAY),
        "withdrawn": partnership(unsealed, WITHDRAWN_NAME, acorn, since=now - 20 * DAY),
    }
    decided: dict[str, Any] = {"outcome_at": now - 2 * DAY}
    bids["beacon"] = bid(partnerships["beacon"], first, "55555.00", outcome=Outcome.SHORTLISTED, **decided)
    bids["calder"] = bid(partnerships["calder"], first, "66666.00", outcome=Outcome.REJECTED, **decided)
    bids["tyne"] = bid(partnerships["tyne"], first, "77777.00", outcome=Outcome.REJECTED, **decided)
    bids["withdrawn"] = bid(partnerships["withdrawn"], first, "31313.00", withdrawn_at=first.deadline - DAY)
    bids["stage 2"] = bid(partnerships["beacon"], second, "44444.44", submitted=False)
    ConflictDeclaration.objects.create(
        bid=bids["beacon"], evaluator=heidi, has_conflict=False, declared_at=first.deadline + DAY
    )
    ConflictDeclaration.objects.create(
        bid=bids["calder"],
        evaluator=heidi,
        has_conflict=True,
        details="I was a trustee of Calder Mentoring",
        declared_at=first.deadline + DAY,
    )

    # wy-awarded: decided and awarded, in the standstill, challenged.
    awarded = opportunity("wy-awarded", wypa, now - 60 * DAY)
    only, _ = stage(awarded, 1, now - 30 * DAY, evaluated=False)
    partnerships["winner"] = partnership(awarded, "Acorn Winning Partnership", acorn, since=now - 50 * DAY)
    partnerships["runner-up"] = partnership(awarded, "Beacon Runner-up Partnership", beacon, since=now - 50 * DAY)
    bids["winner"] = bid(partnerships["winner"], only, "90000.00", outcome=Outcome.AWARDED, **decided)
    bids["runner-up"] = bid(partnerships["runner-up"], only, "95000.00", outcome=Outcome.REJECTED, **decided)
    award = Award.objects.create(
        opportunity=awarded,
        bid=bids["winner"],
        value=Decimal("90000.00"),
        awarded_at=now - 2 * DAY,
        standstill_ends=(now + 8 * DAY).date(),
    )
    challenge = Challenge.objects.create(
        award=award,
        partnership=partnerships["runner-up"],
        raised_by=erin,
        raised_at=now - DAY,
        grounds="The price was not scored as published",
        answer_due=now + 10 * DAY,
    )
    surveys = {
        name: SurveyInvitation.objects.create(opportunity=awarded, partnership=partnerships[name], invited_at=now - DAY)
        for name in ("winner", "runner-up")
    }
    # ne-tender: the North East's, stage 1 closed and decided, stage 2 open with a sealed bid.
    north_east = opportunity("ne-tender", north.probation, now - 30 * DAY)
    ne_first, ne_criterion = stage(north_east, 1, now - 5 * DAY, evaluated=True, evaluator=north.quinn)
    ne_second, _ = stage(north_east, 2, now + 10 * DAY, evaluated=True, evaluator=north.quinn)
    partnerships["tyne north"] = partnership(north_east, "Tyne North Partnership", tyne, since=now - 20 * DAY)
    bids["ne closed"] = bid(partnerships["tyne north"], ne_first, "70000.00", outcome=Outcome.SHORTLISTED, **decided)
    bids["ne sealed"] = bid(partnerships["tyne north"], ne_second, "88888.88")
    ConflictDeclaration.objects.create(
        bid=bids["ne closed"], evaluator=north.quinn, has_conflict=False, declared_at=ne_first.deadline + DAY
    )

    clarifications = {
        reference: ClarificationQuestion.objects.create(
            opportunity=opp, asked_by=asker, asked_at=now - 3 * DAY, question=f"May a partnership bid for {reference}?"
        )
        for reference, opp, asker in (
            ("rt", sealed, dave),
            ("sy", unsealed, erin),
            ("wy", awarded, dave),
            ("ne", north_east, north.nora),
        )
    }
    return Tenders(
        sealed=sealed,
        unsealed=unsealed,
        awarded=awarded,
        north_east=north_east,
        partnerships=partnerships,
        bids=bids,
        erin_invited=erin_invited,
        dave_leads=consortium.members.get(organisation=acorn),
        criterion=criterion,
        sealed_criterion=sealed_criterion,
        ne_criterion=ne_criterion,
        clarifications=clarifications,
        challenge=challenge,
        surveys=surveys,
    )
