"""The oracle of commissioning: opportunities, tenders, partnerships and bids."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.commissioning.models import Opportunity
from tests.access.oracle.base import (
    COMMISSIONER_MANAGERS,
    NOT_FOUND,
    SIGNED_IN,
    Case,
    _in,
    allowed,
    everyone,
    guarded,
    post_only,
    public,
    read_only,
)
from tests.access.world import World


def opportunity_pages(world: World) -> list[Case]:
    """A published South Yorkshire opportunity (everyone's to read) and a draft one (its managers')."""

    def opportunity(reference: str, **extra: Any) -> Opportunity:
        return Opportunity.objects.create(
            reference=reference,
            commissioner=world.cast.sypa,
            title=f"Opportunity {reference}",
            description="Housing advice on release",
            estimated_value=Decimal("50000.00"),
            duration_months=12,
            contract_start=datetime.date(2007, 4, 1),
            funding_source="main_grant",
            **extra,
        )

    published = opportunity("sy-published", published_at=timezone.now() - datetime.timedelta(days=1))
    draft = opportunity("sy-draft")
    return [
        public("published", reference=published.reference),
        # Not behind sign-in: a draft is a 404 to anyone who does not manage South Yorkshire.
        Case(
            "draft",
            {"reference": draft.reference},
            get=allowed({"alice", "bob", "root"}, signed_out=NOT_FOUND),
            post=allowed({"alice", "bob", "root"}, signed_out=NOT_FOUND),
        ),
    ]


# Commissioning (docs/access.md, "Sealed bids"; commissioning/access.py). Who manages each tender of tests/access/tenders.py:
# Alice every commissioner of her region, Bob South Yorkshire, Carol West Yorkshire, Root everyone.
TENDER_MANAGERS = {
    "rt-sealed": frozenset({"alice", "root"}),
    "sy-unsealed": frozenset({"alice", "bob", "root"}),
    "wy-awarded": frozenset({"alice", "carol", "root"}),
    # The North East's (Nick the region's, Olga her area's); nothing of Yorkshire and Humberside's.
    "ne-tender": frozenset({"nick", "olga", "root"}),
}
PROVIDERS = frozenset({"dave", "erin", "nora"})


def managed_tenders(w: World, **kwargs: Any) -> list[Case]:
    """A commissioner's page of each tender: its managers only; everyone else a 404."""
    return [guarded(reference, ok, reference=reference, **kwargs) for reference, ok in TENDER_MANAGERS.items()]


def managed_stages(w: World) -> list[Case]:
    return [
        *managed_tenders(w, number=1),
        guarded("a stage the tender does not have", set(), reference="rt-sealed", number=2),
    ]


def tender_buttons(w: World) -> list[Case]:
    """Publish and publish-feedback: refused for every tender (published already; no survey answers)."""
    return [post_only(reference, ok, reference=reference) for reference, ok in TENDER_MANAGERS.items()]


def tender_evaluations(w: World) -> list[Case]:
    return [
        # Nothing of a sealed stage is shown, even to its managers.
        guarded("rt-sealed, stage 1, sealed", set(), reference="rt-sealed", number=1),
        guarded("sy-unsealed, stage 1, closed", TENDER_MANAGERS["sy-unsealed"], reference="sy-unsealed", number=1),
        guarded("sy-unsealed, stage 2, sealed", set(), reference="sy-unsealed", number=2),
        guarded("wy-awarded, stage 1, closed", TENDER_MANAGERS["wy-awarded"], reference="wy-awarded", number=1),
        guarded("ne-tender, stage 1, closed", TENDER_MANAGERS["ne-tender"], reference="ne-tender", number=1),
        guarded("ne-tender, stage 2, sealed", set(), reference="ne-tender", number=2),
    ]


def bid_pages(w: World) -> list[Case]:
    """Each bid's page. The sealed ones are a 404 to everyone outside the partnership, the superuser
    and the commissioner included; a closed stage's to its managers and to Heidi, its evaluator,
    unless she declared a conflict. Heidi's and the managers' openings are logged, so their POSTs
    are rolled back."""
    bids = w.tenders.bids
    sy, wy, ne = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"], TENDER_MANAGERS["ne-tender"]
    expected = {
        "sealed": ({"dave"}, "rt-sealed's stage 1 bid, sealed (Erin's company only invited)"),
        "beacon": ({"erin", "heidi"} | sy, "Beacon's closed stage 1 bid, Heidi cleared"),
        "calder": (set(sy), "Calder's closed stage 1 bid, Heidi conflicted"),
        # Nora's Tyne Outreach leads it: a bidder of the North East on a tender of Y&H.
        "tyne": ({"heidi", "nora"} | sy, "Tyne's closed stage 1 bid, Heidi to declare first"),
        "withdrawn": ({"dave"}, "Acorn's stage 1 bid, withdrawn before the deadline: sealed for ever"),
        "stage 2": ({"erin"}, "Beacon's stage 2 bid, sealed"),
        "winner": ({"dave"} | wy, "the winning bid of wy-awarded"),
        # The North East's: its managers and Quinn; Heidi evaluates nothing there.
        "ne closed": ({"nora", "quinn"} | ne, "ne-tender's closed stage 1 bid, Quinn cleared"),
        "ne sealed": ({"nora"}, "ne-tender's stage 2 bid, sealed"),
    }
    return [
        Case(label, {"pk": bids[name].pk}, get=allowed(ok), post=allowed(ok), rollback=True)
        for name, (ok, label) in expected.items()
    ]


def partnership_pages(w: World) -> list[Case]:
    ps = w.tenders.partnerships
    sy, wy, ne = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"], TENDER_MANAGERS["ne-tender"]
    return [
        # The commissioner may not learn who is bidding before the deadline.
        guarded("the sealed consortium (Erin's company invited)", {"dave", "erin"}, pk=ps["sealed"].pk),
        guarded("Beacon's, bid unsealed", {"erin", "heidi"} | sy, pk=ps["beacon"].pk),
        guarded("Calder's, Heidi conflicted", sy, pk=ps["calder"].pk),
        # Heidi sees nothing of a partnership (members, shares, numbers, prices) before declaring.
        guarded("Tyne's, Heidi to declare first", {"nora"} | sy, pk=ps["tyne"].pk),
        guarded("Acorn's, its only bid withdrawn", {"dave"}, pk=ps["withdrawn"].pk),
        guarded("Beacon's, the runner-up", {"erin"} | wy, pk=ps["runner-up"].pk),
        guarded("Tyne North, with a closed and a sealed bid", {"nora", "quinn"} | ne, pk=ps["tyne north"].pk),
    ]


def tender_questions(w: World) -> list[Case]:
    items = w.tenders.clarifications
    return [
        guarded(f"{reference}'s question", TENDER_MANAGERS[reference], pk=items[reference[:2]].pk)
        for reference in TENDER_MANAGERS
    ]


def published_tenders(w: World, ok: frozenset[str]) -> list[Case]:
    return [guarded(reference, ok, reference=reference) for reference in TENDER_MANAGERS]


def commissioning_oracle() -> dict[str, Callable[[World], list[Case]]]:
    def t(w: World) -> Any:
        return w.tenders

    return _in(
        "tenders",
        {
            "commissioning:edit": managed_tenders,
            "commissioning:stage-add": managed_tenders,
            "commissioning:rule-add": managed_tenders,
            "commissioning:cancel": managed_tenders,
            "commissioning:close": managed_tenders,
            "commissioning:award-withdraw": managed_tenders,
            "commissioning:audit": managed_tenders,
            "commissioning:question-add": managed_stages,
            "commissioning:criterion-add": managed_stages,
            "commissioning:evaluator-add": managed_stages,
            # A stage still open, to its managers; a closed stage's deadline is changed by nobody.
            "commissioning:stage-deadline": lambda w: [
                guarded("rt-sealed, stage 1, open", TENDER_MANAGERS["rt-sealed"], reference="rt-sealed", number=1),
                guarded("sy-unsealed, stage 1, closed", set(), reference="sy-unsealed", number=1),
                guarded(
                    "sy-unsealed, stage 2, open", TENDER_MANAGERS["sy-unsealed"], reference="sy-unsealed", number=2
                ),
                guarded("wy-awarded, stage 1, closed", set(), reference="wy-awarded", number=1),
                guarded("ne-tender, stage 1, closed", set(), reference="ne-tender", number=1),
                guarded("ne-tender, stage 2, open", TENDER_MANAGERS["ne-tender"], reference="ne-tender", number=2),
            ],
            "commissioning:publish": tender_buttons,
            "commissioning:feedback-publish": tender_buttons,
            "commissioning:evaluation": tender_evaluations,
            "commissioning:moderate": lambda w: [
                guarded(
                    "Beacon's closed bid",
                    TENDER_MANAGERS["sy-unsealed"],
                    pk=t(w).bids["beacon"].pk,
                    criterion=t(w).criterion.pk,
                ),
                guarded("the sealed bid", set(), pk=t(w).bids["sealed"].pk, criterion=t(w).sealed_criterion.pk),
                # A criterion of another stage, through a bid its managers may see.
                guarded(
                    "another stage's criterion", set(), pk=t(w).bids["beacon"].pk, criterion=t(w).sealed_criterion.pk
                ),
                guarded(
                    "the North East's closed bid",
                    TENDER_MANAGERS["ne-tender"],
                    pk=t(w).bids["ne closed"].pk,
                    criterion=t(w).ne_criterion.pk,
                ),
            ],
            "commissioning:clarification-answer": tender_questions,
            "commissioning:challenge-answer": lambda w: [
                guarded("Beacon's challenge", TENDER_MANAGERS["wy-awarded"], pk=t(w).challenge.pk)
            ],
            "commissioning:bid": bid_pages,
            # Providers only: a question is asked, and a partnership formed, for an organisation.
            "commissioning:ask": lambda w: published_tenders(w, PROVIDERS),
            "commissioning:partnership-create": lambda w: published_tenders(w, PROVIDERS),
            "commissioning:partnership": partnership_pages,
            "commissioning:member-invite": lambda w: [
                guarded("the sealed consortium", {"dave"}, pk=t(w).partnerships["sealed"].pk),
                guarded("Beacon's", {"erin"}, pk=t(w).partnerships["beacon"].pk),
                guarded("Calder's", set(), pk=t(w).partnerships["calder"].pk),
                guarded("Tyne North", {"nora"}, pk=t(w).partnerships["tyne north"].pk),
            ],
            # Who is on each bid: the bid team reads it, the lead's team changes it (a POST naming
            # nobody changes nothing). Erin, only invited to the sealed consortium, is not on it.
            "commissioning:bid-team": lambda w: [
                guarded("the sealed consortium", {"dave"}, pk=t(w).partnerships["sealed"].pk),
                guarded("Beacon's", {"erin"}, pk=t(w).partnerships["beacon"].pk),
                guarded("Calder's", set(), pk=t(w).partnerships["calder"].pk),
            ],
            # The invited organisation confirms; the lead may not confirm for it. Dave re-confirming
            # his own lead membership is answered (it was already confirmed) and changes nothing.
            "commissioning:member-confirm": lambda w: [
                post_only("Erin's invitation", {"erin"}, rollback=True, pk=t(w).erin_invited.pk),
                post_only("Dave's lead membership", {"dave"}, rollback=True, pk=t(w).dave_leads.pk),
            ],
            # The member leaves, or the lead removes it; the lead's own row is refused (with a message).
            "commissioning:member-leave": lambda w: [
                post_only("Erin's invitation", {"erin", "dave"}, rollback=True, pk=t(w).erin_invited.pk),
                post_only("Dave's lead membership", {"dave"}, rollback=True, pk=t(w).dave_leads.pk),
            ],
            "commissioning:bid-edit": lambda w: [
                Case(
                    label,
                    {"pk": t(w).partnerships[name].pk, "number": number},
                    get=allowed(ok),
                    post=allowed(ok),
                    rollback=True,
                )
                for label, name, number, ok in (
                    ("the sealed consortium, stage 1 (Erin only invited)", "sealed", 1, {"dave"}),
                    ("Beacon's, stage 1, closed", "beacon", 1, {"erin"}),
                    ("Beacon's, stage 2, open", "beacon", 2, {"erin"}),
                    ("Calder's, stage 1", "calder", 1, set()),
                    # Tyne's was rejected at stage 1: Nora, on its bid team, is not let bid at stage 2.
                    ("Tyne's, stage 2, rejected at stage 1", "tyne", 2, set()),
                    ("Tyne North, stage 2, open", "tyne north", 2, {"nora"}),
                )
            ],
            "commissioning:bid-withdraw": lambda w: [
                post_only("the sealed bid", {"dave"}, rollback=True, pk=t(w).bids["sealed"].pk),
                post_only("Beacon's closed bid", {"erin"}, rollback=True, pk=t(w).bids["beacon"].pk),
                post_only("the winning bid", {"dave"}, rollback=True, pk=t(w).bids["winner"].pk),
                post_only("the North East's sealed bid", {"nora"}, rollback=True, pk=t(w).bids["ne sealed"].pk),
            ],
            # The bidders of an awarded tender, during its standstill; there is nothing to challenge
            # on a tender not awarded.
            "commissioning:challenge-raise": lambda w: [
                guarded("the runner-up", {"erin"}, pk=t(w).partnerships["runner-up"].pk),
                guarded("the winner", {"dave"}, pk=t(w).partnerships["winner"].pk),
                guarded("the sealed consortium, no award", set(), pk=t(w).partnerships["sealed"].pk),
            ],
            "commissioning:survey": lambda w: [
                Case(
                    "the runner-up's",
                    {"pk": t(w).surveys["runner-up"].pk},
                    get=allowed({"erin"}),
                    post=allowed({"erin"}),
                    rollback=True,
                ),
                Case(
                    "the winner's",
                    {"pk": t(w).surveys["winner"].pk},
                    get=allowed({"dave"}),
                    post=allowed({"dave"}),
                    rollback=True,
                ),
            ],
        },
    )


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # Commissioning: opportunities are public once published; their commissioner's managers
    # create them and see drafts; anyone signed in has a (possibly empty) list of evaluations.
    "commissioning:list": lambda w: [public("list")],
    # The bulletin's feed of published opportunities: everyone's, the same for all. GET only.
    "commissioning:feed": lambda w: [read_only("feed")],
    "commissioning:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "commissioning:evaluations": lambda w: [guarded("mine", SIGNED_IN)],
    "commissioning:detail": lambda w: [
        *opportunity_pages(w),
        public("rt-sealed, with a sealed bid", reference=w.tenders.sealed.reference),
    ],
    # The open data of a published opportunity is everyone's; a draft has none, even for its managers.
    # A download: GET only.
    "commissioning:ocds": lambda w: [
        read_only("rt-sealed", reference=w.tenders.sealed.reference),
        read_only("wy-awarded", reference=w.tenders.awarded.reference),
        *(
            read_only(case.label, everyone(NOT_FOUND), **case.kwargs)
            for case in opportunity_pages(w)
            if case.label == "draft"
        ),
    ],
    **commissioning_oracle(),
}
