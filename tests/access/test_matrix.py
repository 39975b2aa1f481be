"""The access matrix: every URL of the service, every persona, every method, against a written oracle.

The URL names come from Django's resolver, so a page added without an entry in ``ORACLE`` fails
here with a message saying to add one. The oracle is written out by hand from issue 3's "Who does
what" and the docstrings of the scoping modules; it never calls them, so a scoping function that
drifts from the rules is caught rather than copied.

Outcomes:
  ok        200 (a POST may also redirect, anywhere but the sign-in page)
  404       the page does not admit the thing exists
  sign-in   302 to /account/sign-in/?next=<the page>
  405       the page does not take that method
  redirect  302 somewhere other than the sign-in page (signing in while signed in, signing out)

Every POST carries deliberately invalid data, so an "ok" re-shows a form with its errors and
changes nothing; after every POST the tables are compared with how they were (see
``world.fingerprint``). The one POST that really changes something, removing a sub-contract, puts
the sub-contract back. PUT, PATCH and DELETE are taken by no page: each must answer 405, 404 or a
redirect to sign in, never 200 or a server error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from stepchange.commissioning.models import Opportunity
from stepchange.reports.registry import REPORTS
from tests.access.documents import Documents, build_documents
from tests.access.world import EDITABLE, PERSONAS, SY, VISIBLE, WY, World, build_world, fingerprint

OK, NOT_FOUND, SIGN_IN, NOT_ALLOWED, AWAY = "ok", "404", "sign-in", "405", "redirect"
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"signed out"}
REGION_MANAGERS = frozenset({"alice", "root"})
# Those who manage at least one commissioner's contracts and grants: Alice her region's, Bob and
# Carol their own areas', Root everyone's.
COMMISSIONER_MANAGERS = frozenset({"alice", "bob", "carol", "root"})
INVALID = {"deliberately": "invalid"}
WRITE_METHODS_NO_PAGE_TAKES = ("put", "patch", "delete")

# Written out, not read from the registry, so that a new report must be entered here too.
REPORT_NAMES = (
    "commissioning-feedback",
    "commissioning-funnel",
    "contract-profile",
    "contract-values",
    "national-comparison",
    "not-counted",
    "prison-provision",
    "prison-spend",
    "probation-share",
    "returns-status",
    "sector-split",
    "share-trend",
)
DOWNLOAD_FORMATS = ("csv", "json", "xlsx")


def allowed(ok: set[str] | frozenset[str], *, signed_out: str = SIGN_IN) -> dict[str, str]:
    """``ok`` for the named personas; the rest get a 404, someone signed out ``signed_out``."""
    return {p: OK if p in ok else signed_out if p == "signed out" else NOT_FOUND for p in PERSONAS}


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


@dataclass
class Case:
    label: str
    kwargs: dict[str, Any]
    get: dict[str, str]
    # What a POST gets. Pages that only read answer a POST as a GET and change nothing.
    post: dict[str, str]
    data: dict[str, str] = field(default_factory=lambda: dict(INVALID))
    # Undoes a POST that really changed something (and so is not compared with the fingerprint).
    undo: Callable[[], None] | None = None
    # The POST of those it is "ok" for may really change something (confirm a membership, withdraw
    # a bid, log the opening of a bid): it is sent in a savepoint that is rolled back afterwards.
    rollback: bool = False


def public(label: str, **kwargs: Any) -> Case:
    return Case(label, kwargs, get=everyone(OK), post=everyone(OK))


def guarded(label: str, ok: set[str] | frozenset[str], **kwargs: Any) -> Case:
    """A page behind sign-in that only ``ok`` reach; it takes POST (a form, or a list answering as a GET)."""
    return Case(label, kwargs, get=allowed(ok), post=allowed(ok))


def post_only(label: str, ok: set[str] | frozenset[str], *, rollback: bool = False, **kwargs: Any) -> Case:
    """A button's target: a GET is refused (after sign-in), a POST is ``ok`` for the named personas."""
    return Case(
        label,
        kwargs,
        get={p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS},
        post=allowed(ok),
        rollback=rollback,
    )


def contract_pages(world: World, holders: dict[str, set[str]], *, signed_out: str) -> list[Case]:
    cases = []
    for reference, contract in world.contracts.items():
        ok = {p for p in PERSONAS if reference in holders[p]}
        outcomes = allowed(ok, signed_out=signed_out)
        cases.append(Case(reference, {"pk": contract.pk}, get=outcomes, post=outcomes))
    return cases


def sub_contract_removals(world: World) -> list[Case]:
    def undo(reference: str) -> Callable[[], None]:
        def put_back() -> None:
            world.subs[reference].save(force_insert=True)

        return put_back

    cases = []
    for reference in (SY, WY):
        ok = {p for p in PERSONAS if reference in EDITABLE[p]}
        kwargs = {"pk": world.contracts[reference].pk, "sub_pk": world.subs[reference].pk}
        cases.append(Case(reference, kwargs, get=allowed(ok), post=allowed(ok), data={}, undo=undo(reference)))
    # A sub-contract reached through a contract it is not on: nobody, not even Root.
    crossed = {"pk": world.contracts[SY].pk, "sub_pk": world.subs[WY].pk}
    cases.append(Case("WY's sub-contract through SY", crossed, get=allowed(set()), post=allowed(set()), data={}))
    return cases


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


# Commissioning (issue 6; commissioning/access.py). Who manages each tender of tests/access/tenders.py:
# Alice every commissioner of her region, Bob South Yorkshire, Carol West Yorkshire, Root everyone.
SEES_LEEDS = {"alice", "frank", "grace", "root"}
TENDER_MANAGERS = {
    "rt-sealed": frozenset({"alice", "root"}),
    "sy-unsealed": frozenset({"alice", "bob", "root"}),
    "wy-awarded": frozenset({"alice", "carol", "root"}),
}
PROVIDERS = frozenset({"dave", "erin"})


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
    ]


def bid_pages(w: World) -> list[Case]:
    """Each bid's page. The sealed ones are a 404 to everyone outside the partnership, the superuser
    and the commissioner included; a closed stage's to its managers and to Heidi, its evaluator,
    unless she declared a conflict. Heidi's and the managers' openings are logged, so their POSTs
    are rolled back."""
    bids = w.tenders.bids
    sy, wy = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"]
    expected = {
        "sealed": ({"dave"}, "rt-sealed's stage 1 bid, sealed (Erin's company only invited)"),
        "beacon": ({"erin", "heidi"} | sy, "Beacon's closed stage 1 bid, Heidi cleared"),
        "calder": (set(sy), "Calder's closed stage 1 bid, Heidi conflicted"),
        "tyne": ({"heidi"} | sy, "Tyne's closed stage 1 bid, Heidi to declare first"),
        "withdrawn": ({"dave"}, "Acorn's stage 1 bid, withdrawn before the deadline: sealed for ever"),
        "stage 2": ({"erin"}, "Beacon's stage 2 bid, sealed"),
        "winner": ({"dave"} | wy, "the winning bid of wy-awarded"),
    }
    return [
        Case(label, {"pk": bids[name].pk}, get=allowed(ok), post=allowed(ok), rollback=True)
        for name, (ok, label) in expected.items()
    ]


def partnership_pages(w: World) -> list[Case]:
    ps = w.tenders.partnerships
    sy, wy = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"]
    return [
        # The commissioner may not learn who is bidding before the deadline.
        guarded("the sealed consortium (Erin's company invited)", {"dave", "erin"}, pk=ps["sealed"].pk),
        guarded("Beacon's, bid unsealed", {"erin", "heidi"} | sy, pk=ps["beacon"].pk),
        guarded("Calder's, Heidi conflicted", sy, pk=ps["calder"].pk),
        guarded("Acorn's, its only bid withdrawn", {"dave"}, pk=ps["withdrawn"].pk),
        guarded("Beacon's, the runner-up", {"erin"} | wy, pk=ps["runner-up"].pk),
    ]


def tender_questions(w: World) -> list[Case]:
    items = w.tenders.clarifications
    return [
        guarded(f"{reference}'s question", TENDER_MANAGERS[reference], pk=items[reference[:2]].pk)
        for reference in TENDER_MANAGERS
    ]


def published_tenders(w: World, ok: frozenset[str]) -> list[Case]:
    return [guarded(reference, ok, reference=reference) for reference in TENDER_MANAGERS]


def _in(part: str, entries: dict[str, Callable[[World], list[Case]]]) -> dict[str, Callable[[World], list[Case]]]:
    """The entries, each building its part of the world (tenders or rounds) first."""

    def building(cases: Callable[[World], list[Case]]) -> Callable[[World], list[Case]]:
        def build_then_list(w: World) -> list[Case]:
            getattr(w, part)
            return cases(w)

        return build_then_list

    return {name: building(cases) for name, cases in entries.items()}


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
            ],
            # The invited organisation confirms; the lead may not confirm for it. Dave re-confirming
            # his own lead membership is taken (and rolled back).
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
                )
            ],
            "commissioning:bid-withdraw": lambda w: [
                post_only("the sealed bid", {"dave"}, rollback=True, pk=t(w).bids["sealed"].pk),
                post_only("Beacon's closed bid", {"erin"}, rollback=True, pk=t(w).bids["beacon"].pk),
                post_only("the winning bid", {"dave"}, rollback=True, pk=t(w).bids["winner"].pk),
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


def document_oracle() -> dict[str, Callable[[World], list[Case]]]:
    """Documents (tests/access/documents.py): an opportunity's with the opportunity; a partnership's
    to its members and, once they may see the partnership, the tender's managers (never Heidi); a
    bid's sealed with the bid's content (Heidi only after declaring no conflict). Downloads take
    GET only; removals a POST, rolled back where it really removes."""

    def docs(w: World) -> Documents:
        return build_documents(w.tenders, sypa=w.cast.sypa)

    sy, wy = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"]
    sy_draft = frozenset({"alice", "bob", "root"})
    download_post = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}

    def opportunity_downloads(w: World) -> list[Case]:
        d = docs(w).opportunity
        return [
            Case(
                "rt-sealed's", {"reference": "rt-sealed", "pk": d["published"].pk}, everyone(OK), everyone(NOT_ALLOWED)
            ),
            Case(
                "a draft's",
                {"reference": "sy-draft-documents", "pk": d["draft"].pk},
                get=allowed(sy_draft, signed_out=NOT_FOUND),
                post=everyone(NOT_ALLOWED),
            ),
            Case(
                "rt-sealed's, under another tender",
                {"reference": "sy-unsealed", "pk": d["published"].pk},
                everyone(NOT_FOUND),
                everyone(NOT_ALLOWED),
            ),
        ]

    def opportunity_replace(w: World) -> list[Case]:
        d = docs(w).opportunity
        return [
            guarded("rt-sealed's", TENDER_MANAGERS["rt-sealed"], reference="rt-sealed", pk=d["published"].pk),
            guarded("a draft's", sy_draft, reference="sy-draft-documents", pk=d["draft"].pk),
            guarded("rt-sealed's, under another tender", set(), reference="sy-unsealed", pk=d["published"].pk),
        ]

    def opportunity_remove(w: World) -> list[Case]:
        d = docs(w).opportunity
        return [
            # Published: refused with a message (only replaced), so nothing changes.
            post_only("rt-sealed's", TENDER_MANAGERS["rt-sealed"], reference="rt-sealed", pk=d["published"].pk),
            post_only("a draft's", sy_draft, rollback=True, reference="sy-draft-documents", pk=d["draft"].pk),
        ]

    def partnership_downloads(w: World) -> list[Case]:
        d = docs(w).partnership
        ps = w.tenders.partnerships
        return [
            Case(label, {"pk": ps[name].pk, "document": d[name].pk}, get=allowed(ok), post=download_post)
            for label, name, ok in (
                ("the sealed consortium's (Erin's company invited)", "sealed", {"dave", "erin"}),
                ("Beacon's, bid unsealed, Heidi not", "beacon", {"erin"} | sy),
                ("Calder's", "calder", set(sy)),
                ("the runner-up's", "runner-up", {"erin"} | wy),
            )
        ] + [
            Case(
                "Beacon's, under another partnership",
                {"pk": ps["calder"].pk, "document": d["beacon"].pk},
                get=allowed(set()),
                post=download_post,
            )
        ]

    def partnership_removals(w: World) -> list[Case]:
        d = docs(w).partnership
        ps = w.tenders.partnerships
        return [
            post_only(label, ok, rollback=True, pk=ps[name].pk, document=d[name].pk)
            for label, name, ok in (
                ("the sealed consortium's (Erin only invited)", "sealed", {"dave"}),
                ("Beacon's", "beacon", {"erin"}),
                ("Calder's", "calder", set()),
            )
        ]

    # Who may read each bid's content now: as bid_pages, less Heidi where she has not declared.
    bid_readers = {
        "sealed": {"dave"},
        "beacon": {"erin", "heidi"} | sy,
        "calder": set(sy),
        "tyne": set(sy),
        "withdrawn": {"dave"},
        "stage 2": {"erin"},
        "winner": {"dave"} | wy,
    }

    def bid_downloads(w: World) -> list[Case]:
        d = docs(w).bid
        bids = w.tenders.bids
        return [
            Case(f"{name}'s", {"pk": bids[name].pk, "document": d[name].pk}, get=allowed(ok), post=download_post)
            for name, ok in bid_readers.items()
        ] + [
            Case(
                "Beacon's, under another bid",
                {"pk": bids["calder"].pk, "document": d["beacon"].pk},
                get=allowed(set()),
                post=download_post,
            )
        ]

    def bid_removals(w: World) -> list[Case]:
        d = docs(w).bid
        bids = w.tenders.bids
        return [
            post_only(label, ok, rollback=True, pk=bids[name].pk, document=d[name].pk)
            for label, name, ok in (
                ("the sealed bid's", "sealed", {"dave"}),
                ("Beacon's closed bid's (frozen: refused)", "beacon", {"erin"}),
                ("the winning bid's", "winner", {"dave"}),
            )
        ]

    return _in(
        "tenders",
        {
            "commissioning:document": opportunity_downloads,
            "commissioning:document-add": managed_tenders,
            "commissioning:document-replace": opportunity_replace,
            "commissioning:document-remove": opportunity_remove,
            "commissioning:partnership-document-add": lambda w: [
                guarded("the sealed consortium (Erin only invited)", {"dave"}, pk=w.tenders.partnerships["sealed"].pk),
                guarded("Beacon's", {"erin"}, pk=w.tenders.partnerships["beacon"].pk),
                guarded("Calder's", set(), pk=w.tenders.partnerships["calder"].pk),
            ],
            "commissioning:partnership-document": partnership_downloads,
            "commissioning:partnership-document-remove": partnership_removals,
            # The partnership's own bids, open or not (a closed one's page says it is frozen).
            "commissioning:bid-document-add": lambda w: [
                guarded("the sealed bid", {"dave"}, pk=w.tenders.bids["sealed"].pk),
                guarded("Beacon's closed bid", {"erin"}, pk=w.tenders.bids["beacon"].pk),
                guarded("Calder's closed bid", set(), pk=w.tenders.bids["calder"].pk),
            ],
            "commissioning:bid-document": bid_downloads,
            "commissioning:bid-document-remove": bid_removals,
        },
    )


# Quarterly returns (issue 5; returns/access.py): filled in by the prison's co-ordinator or the
# area's probation manager, seen by the region's analyst (prisons) and commissioner (all), signed
# off by the analyst (prisons) and the regional commissioner (probation). See tests/access/rounds.py.
def returns_oracle() -> dict[str, Callable[[World], list[Case]]]:
    def r(w: World) -> Any:
        return w.rounds

    def each(pages: dict[str, tuple[Any, set[str]]], **extra: Any) -> list[Case]:
        return [guarded(label, ok, pk=obj.pk, **extra) for label, (obj, ok) in pages.items()]

    def filling(w: World, **extra: Any) -> list[Case]:
        return each(
            {
                "HMP Leeds": (r(w).leeds, {"frank", "root"}),
                "HMP Doncaster": (r(w).doncaster, {"root"}),
                "HMP Durham, North East": (r(w).durham, {"root"}),
            },
            **extra,
        )

    def by_kind(w: World, prison: dict[str, set[str]], probation: dict[str, set[str]]) -> list[Case]:
        returns = {
            "HMP Leeds": r(w).leeds,
            "HMP Doncaster": r(w).doncaster,
            "HMP Durham, North East": r(w).durham,
            "SYPA": r(w).sypa,
            "WYPA": r(w).wypa,
        }
        cases = [guarded(f"prison, {label}", ok, kind="prison", pk=returns[label].pk) for label, ok in prison.items()]
        cases += [
            guarded(f"probation, {label}", ok, kind="probation", pk=returns[label].pk)
            for label, ok in probation.items()
        ]
        cases.append(guarded("a kind of return there is not", set(), kind="nonsense", pk=r(w).leeds.pk))
        return cases

    def read_only(ok: set[str]) -> dict[str, dict[str, str]]:
        return {"get": allowed(ok), "post": {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}}

    def downloads(w: World) -> list[Case]:
        return [
            Case("HMP Leeds", {"pk": r(w).leeds.pk}, **read_only(SEES_LEEDS)),
            Case("HMP Doncaster", {"pk": r(w).doncaster.pk}, **read_only({"alice", "grace", "root"})),
            Case("HMP Durham, North East", {"pk": r(w).durham.pk}, **read_only({"root"})),
        ]

    def stored_upload(w: World) -> Any:
        leeds = r(w).leeds
        found = leeds.uploads.first()
        if found is None:
            content = b"not the template at all"
            found = leeds.uploads.create(
                uploaded_by=w.cast.frank,
                uploaded_at=timezone.now(),
                file_format="csv",
                display_name="leeds-q1.csv",
                content=content,
                sha256="0" * 64,
                size=len(content),
                template_version=1,
                rules_version=1,
                based_on_version=leeds.version,
                result_version=leeds.version,
            )
        return found

    return _in(
        "rounds",
        {
            "returns:rounds": lambda w: [guarded("list", {"alice", "bob", "carol", "frank", "grace", "root"})],
            "returns:round-create": lambda w: [guarded("open", {"alice", "grace", "root"})],
            "returns:round": lambda w: each(
                {
                    "prison Q1, Y&H": (r(w).prison, {"alice", "frank", "grace", "root"}),
                    "prison Q1, North East": (r(w).north_east, {"root"}),
                    "probation Q3, Y&H": (r(w).probation, {"alice", "bob", "carol", "root"}),
                }
            ),
            "returns:prison": lambda w: each(
                {
                    "HMP Leeds": (r(w).leeds, {"alice", "frank", "grace", "root"}),
                    "HMP Doncaster": (r(w).doncaster, {"alice", "grace", "root"}),
                    "HMP Durham, North East": (r(w).durham, {"root"}),
                }
            ),
            "returns:prison-pathway": lambda w: filling(w, code="accommodation"),
            "returns:prison-post": filling,
            "returns:prison-contracts": filling,
            # The spreadsheet route: whoever sees a prison return downloads its template (GET only);
            # whoever fills it in uploads; a stored upload is seen with its return.
            "returns:prison-template": lambda w: downloads(w),
            "returns:prison-csv": lambda w: downloads(w),
            "returns:prison-upload": filling,
            "returns:prison-upload-detail": lambda w: [
                Case(
                    "HMP Leeds's upload",
                    {"pk": r(w).leeds.pk, "upload_pk": stored_upload(w).pk},
                    **read_only(SEES_LEEDS),
                ),
                Case(
                    "HMP Leeds's upload through HMP Doncaster's return",
                    {"pk": r(w).doncaster.pk, "upload_pk": stored_upload(w).pk},
                    **read_only(set()),
                ),
            ],
            "returns:probation": lambda w: each(
                {"SYPA": (r(w).sypa, {"alice", "bob", "root"}), "WYPA": (r(w).wypa, {"alice", "carol", "root"})}
            ),
            "returns:probation-add": lambda w: each(
                {"SYPA": (r(w).sypa, {"bob", "root"}), "WYPA": (r(w).wypa, {"carol", "root"})}
            ),
            "returns:probation-line": lambda w: [
                guarded("SYPA's line", {"bob", "root"}, pk=r(w).sypa.pk, line_pk=r(w).sypa_line.pk),
                guarded("WYPA's line", {"carol", "root"}, pk=r(w).wypa.pk, line_pk=r(w).wypa_line.pk),
                guarded("WYPA's line through SYPA's return", set(), pk=r(w).sypa.pk, line_pk=r(w).wypa_line.pk),
            ],
            "returns:check": lambda w: by_kind(
                w,
                {"HMP Leeds": {"frank", "root"}, "HMP Doncaster": {"root"}},
                {"SYPA": {"bob", "root"}, "WYPA": {"carol", "root"}},
            ),
            "returns:approve": lambda w: by_kind(
                w,
                {"HMP Leeds": {"grace", "root"}, "HMP Durham, North East": {"root"}},
                {"SYPA": {"alice", "root"}, "WYPA": {"alice", "root"}},
            ),
            "returns:send-back": lambda w: by_kind(
                w,
                {"HMP Leeds": {"grace", "root"}, "HMP Durham, North East": {"root"}},
                {"SYPA": {"alice", "root"}, "WYPA": {"alice", "root"}},
            ),
            "returns:reopen": lambda w: by_kind(
                w,
                {"HMP Leeds": {"frank", "grace", "root"}, "HMP Doncaster": {"grace", "root"}},
                {"SYPA": {"alice", "bob", "root"}, "WYPA": {"alice", "carol", "root"}},
            ),
        },
    )


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The dashboard and the management index.
    "core:home": lambda w: [public("home")],
    "core:manage": lambda w: [guarded("index", REGION_MANAGERS)],
    # The session-timeout banner's "Stay signed in": a POST that renews the session and goes back.
    "core:stay-signed-in": lambda w: [
        Case(
            "stay signed in",
            {},
            get={p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS},
            post={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            data={},
        )
    ],
    # Signing in and out, and resetting a password: open to everyone, signed out or not.
    "accounts:sign-in": lambda w: [
        Case(
            "sign in",
            {},
            # Someone already signed in is sent on to the home page.
            get={p: OK if p == "signed out" else AWAY for p in PERSONAS},
            post={p: OK if p == "signed out" else AWAY for p in PERSONAS},
            data={"username": "", "password": ""},
        )
    ],
    # Signing out is a POST only (a link could be followed by a crawler); it is the last request
    # each persona's client makes in this case, so the persona is signed out only afterwards.
    "accounts:sign-out": lambda w: [Case("sign out", {}, get=everyone(NOT_ALLOWED), post=everyone(AWAY), data={})],
    # Two-factor sign-in is offered to everyone signed in. The test clients of Alice, Grace, Heidi
    # and Root have passed it already, so "verify" sends them on; the others have no app to verify
    # with and are sent to set one up.
    "accounts:two-factor": lambda w: [guarded("overview", SIGNED_IN)],
    "accounts:two-factor-setup": lambda w: [
        Case("set up", {}, get=allowed(SIGNED_IN), post=allowed(SIGNED_IN), data={"code": "not a code"})
    ],
    "accounts:two-factor-verify": lambda w: [
        Case(
            "verify",
            {},
            get={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            post={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            data={"code": "not a code"},
        )
    ],
    "accounts:password-reset": lambda w: [
        Case("ask", {}, get=everyone(OK), post=everyone(OK), data={"email": "not an address"})
    ],
    "accounts:password-reset-sent": lambda w: [Case("sent", {}, get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "accounts:password-reset-confirm": lambda w: [
        # A link that is not valid says so, to anyone; nothing is changed.
        Case("a wrong link", {"uidb64": "MQ", "token": "not-a-token"}, get=everyone(OK), post=everyone(OK))
    ],
    "accounts:password-reset-complete": lambda w: [Case("complete", {}, get=everyone(OK), post=everyone(NOT_ALLOWED))],
    # The directory is public; a provider changes its own profile, Alice any of her region's.
    "organisations:list": lambda w: [public("directory")],
    "organisations:create": lambda w: [guarded("add", REGION_MANAGERS)],
    "organisations:detail": lambda w: [
        public("Dave's charity", pk=w.cast.charity.pk),
        public("Erin's company", pk=w.cast.company.pk),
        public("Tyne Outreach, North East", pk=w.tyne.pk),
    ],
    "organisations:edit": lambda w: [
        guarded("Dave's charity", {"alice", "dave", "root"}, pk=w.cast.charity.pk),
        guarded("Erin's company", {"alice", "erin", "root"}, pk=w.cast.company.pk),
        guarded("Calder Mentoring, Y&H, nobody's own", {"alice", "root"}, pk=w.calder.pk),
        guarded("Tyne Outreach, North East", {"root"}, pk=w.tyne.pk),
    ],
    # Contracts: the list and its CSV and XLSX show anyone what they may see (test_rows checks the rows).
    "contracts:list": lambda w: [public("list")],
    "contracts:list-csv": lambda w: [public("CSV")],
    "contracts:list-xlsx": lambda w: [public("XLSX")],
    "contracts:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    # Not behind sign-in: a published contract is public, so someone signed out gets a 404 too.
    "contracts:detail": lambda w: contract_pages(w, VISIBLE, signed_out=NOT_FOUND),
    "contracts:edit": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-add": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-remove": sub_contract_removals,
    # Reports are aggregate figures, public to everyone.
    "reports:index": lambda w: [public("index")],
    "reports:report": lambda w: [
        *(public(name, name=name) for name in REPORT_NAMES),
        Case("no such report", {"name": "no-such-report"}, get=everyone(NOT_FOUND), post=everyone(NOT_FOUND)),
    ],
    "reports:download": lambda w: [
        *(public(f"{name}.{ext}", name=name, extension=ext) for name in REPORT_NAMES for ext in DOWNLOAD_FORMATS),
        Case(
            "a format reports do not come in",
            {"name": "probation-share", "extension": "pdf"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
        Case(
            "no such report",
            {"name": "no-such-report", "extension": "csv"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
    ],
    # Commissioning: opportunities are public once published; their commissioner's managers
    # create them and see drafts; anyone signed in has a (possibly empty) list of evaluations.
    "commissioning:list": lambda w: [public("list")],
    # The bulletin's feed of published opportunities: everyone's, the same for all. GET only.
    "commissioning:feed": lambda w: [Case("feed", {}, get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "commissioning:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "commissioning:evaluations": lambda w: [guarded("mine", SIGNED_IN)],
    "commissioning:detail": lambda w: [
        *opportunity_pages(w),
        public("rt-sealed, with a sealed bid", reference=w.tenders.sealed.reference),
    ],
    # The open data of a published opportunity is everyone's; a draft has none, even for its managers.
    # A download: GET only.
    "commissioning:ocds": lambda w: [
        Case("rt-sealed", {"reference": w.tenders.sealed.reference}, get=everyone(OK), post=everyone(NOT_ALLOWED)),
        Case("wy-awarded", {"reference": w.tenders.awarded.reference}, get=everyone(OK), post=everyone(NOT_ALLOWED)),
        *(
            Case(case.label, case.kwargs, get=everyone(NOT_FOUND), post=everyone(NOT_ALLOWED))
            for case in opportunity_pages(w)
            if case.label == "draft"
        ),
    ],
    **commissioning_oracle(),
    **document_oracle(),
    **returns_oracle(),
    # Main grants: whoever manages a commissioner, for that commissioner only.
    "manage:grants": lambda w: [guarded("list", COMMISSIONER_MANAGERS)],
    "manage:grant-create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "manage:grant-edit": lambda w: [
        guarded("SYPA's grant", {"alice", "bob", "root"}, pk=w.grants["SYPA"].pk),
        guarded("WYPA's grant", {"alice", "carol", "root"}, pk=w.grants["WYPA"].pk),
        guarded("the North East's grant", {"root"}, pk=w.grants["NEPA"].pk),
    ],
    # Targets, pathways, published figures, return dates and accounts: the region's managers.
    "manage:targets": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:target-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:target-edit": lambda w: [guarded("2006-07 probation", REGION_MANAGERS, pk=w.target.pk)],
    "manage:pathways": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:pathway-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:pathway-edit": lambda w: [guarded("FBD", REGION_MANAGERS, pk=w.pathway.pk)],
    "manage:figures": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:figure-create": lambda w: [guarded("add", REGION_MANAGERS)],
    # Published figures are other regions' by nature (the national comparison): Alice keeps them.
    "manage:figure-edit": lambda w: [guarded("North East share", REGION_MANAGERS, pk=w.figure.pk)],
    "manage:returns": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:return-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:users": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:user-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:user-edit": lambda w: [
        guarded("Dave, a provider of the region", REGION_MANAGERS, pk=w.cast.dave.pk),
        guarded("Bob, of a probation area of the region", REGION_MANAGERS, pk=w.cast.bob.pk),
        guarded("Nora, of the North East", {"root"}, pk=w.nora.pk),
        # A superuser's account is beyond a regional commissioner.
        guarded("Root", {"root"}, pk=w.cast.root.pk),
    ],
}


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str | None, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            # Django's own admin has its own test below; it is not how any role does its work.
            if pattern.app_name == "admin":
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if route.startswith(settings.STATIC_URL.lstrip("/")):
                continue
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else None, route


def service_urls() -> dict[str, str]:
    """Every URL pattern of the service, by name, with its route (for messages)."""
    urls: dict[str, str] = {}
    for name, route in _walk(get_resolver().url_patterns, "", ""):
        urls[name or f"(unnamed) {route}"] = route
    return urls


SERVICE_URLS = service_urls()


def _location(response: Any) -> str:
    return str(response.get("Location", ""))


def _is_sign_in_redirect(response: Any, path: str) -> bool:
    return response.status_code == 302 and _location(response) == f"{reverse('accounts:sign-in')}?next={quote(path)}"


def _meets(response: Any, outcome: str, path: str, *, method: str) -> bool:
    status = response.status_code
    if outcome == OK:
        if method == "get":
            return status == 200
        return status == 200 or (status == 302 and not _location(response).startswith(reverse("accounts:sign-in")))
    if outcome == NOT_FOUND:
        return status == 404
    if outcome == NOT_ALLOWED:
        return status == 405
    if outcome == SIGN_IN:
        return _is_sign_in_redirect(response, path)
    if outcome == AWAY:
        return status == 302 and not _location(response).startswith(reverse("accounts:sign-in"))
    raise AssertionError(f"unknown outcome {outcome!r}")


def _explain(persona: str, method: str, url: str, case: Case, outcome: str, response: Any) -> str:
    where = f" to {_location(response)}" if response.status_code in (301, 302) else ""
    return f"{persona} {method.upper()} {url} ({case.label}): expected {outcome}, got {response.status_code}{where}"


class _RolledBack(Exception):
    pass


def _post_rolled_back(client: Client, url: str, data: dict[str, str]) -> Any:
    """POST inside a savepoint, then undo whatever it did."""
    response = None
    try:
        with transaction.atomic():
            response = client.post(url, data)
            raise _RolledBack
    except _RolledBack:
        pass
    return response


# URLs with many cases are checked in parts, so that xdist's two workers share them evenly.
PARTS = {"reports:download": 6, "reports:report": 2}


def _url_parts() -> list[Any]:
    return [
        pytest.param(name, part, id=name if PARTS.get(name, 1) == 1 else f"{name}-{part + 1}")
        for name in sorted(SERVICE_URLS)
        for part in range(PARTS.get(name, 1))
    ]


@pytest.mark.parametrize(("name", "part"), _url_parts())
def test_every_persona_gets_what_the_rules_say_on(
    name: str, part: int, db: None, client_for: Any, count_requests: Any
) -> None:
    assert name in ORACLE, (
        f"The URL {name!r} (/{SERVICE_URLS[name]}) has no entry in ORACLE in tests/access/test_matrix.py: "
        "add one saying, for objects each persona owns and does not, what GET and POST give them."
    )
    world = build_world()
    clients: dict[str, Client] = {persona: client_for(world.user(persona)) for persona in PERSONAS}
    cases = ORACLE[name](world)
    assert cases, f"{name}: the oracle lists no case"
    cases = cases[part :: PARTS.get(name, 1)]
    requests = 0
    wrong: list[str] = []
    for case in cases:
        assert set(case.get) == set(case.post) == EVERYONE, f"{name} ({case.label}): name every persona"
        url = reverse(name, kwargs=case.kwargs)
        path = url
        for persona in PERSONAS:
            client = clients[persona]
            response = client.get(url)
            requests += 1
            if not _meets(response, case.get[persona], path, method="get"):
                wrong.append(_explain(persona, "get", url, case, case.get[persona], response))
            # The methods no page takes, then POST last (signing out ends the client's session).
            before = fingerprint()
            for method in WRITE_METHODS_NO_PAGE_TAKES:
                response = getattr(client, method)(url)
                requests += 1
                if not (response.status_code in (404, 405) or _is_sign_in_redirect(response, path)):
                    wrong.append(_explain(persona, method, url, case, "405, 404 or sign-in", response))
            if case.rollback and case.post[persona] == OK:
                response = _post_rolled_back(client, url, case.data)
            else:
                response = client.post(url, case.data)
            requests += 1
            if not _meets(response, case.post[persona], path, method="post"):
                wrong.append(_explain(persona, "post", url, case, case.post[persona], response))
            if case.undo is not None and response.status_code == 302 and case.post[persona] == OK:
                case.undo()
            else:
                assert fingerprint() == before, (
                    f"{persona} PUT, PATCH, DELETE or POST {url} ({case.label}) changed something"
                )
    count_requests(name, personas=len(PERSONAS), requests=requests)
    assert not wrong, "\n".join(wrong)


def test_the_oracle_names_only_urls_that_exist() -> None:
    stale = sorted(set(ORACLE) - set(SERVICE_URLS))
    assert not stale, f"ORACLE in tests/access/test_matrix.py names URLs the service no longer has: {stale}"


def test_the_oracle_lists_every_registered_report() -> None:
    assert set(REPORT_NAMES) == set(REPORTS), "add the new report to REPORT_NAMES in tests/access/test_matrix.py"


def _admin_pages(root: Any) -> list[tuple[str, int]]:
    """The admin's index and, for each of the service's own models there, its list and its add
    page, each with what the superuser gets: a read-only model's add page (returns) is a 403."""
    request = RequestFactory().get("/")
    request.user = root
    pages = [(reverse("admin:index"), 200)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not opts.app_config.name.startswith("stepchange."):
            continue
        pages.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), 200))
        adds = model_admin.has_add_permission(request)
        pages.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), 200 if adds else 403))
    return pages


def test_only_a_superuser_reaches_the_django_admin(db: None, client_for: Any, count_requests: Any) -> None:
    world = build_world()
    pages = _admin_pages(world.cast.root)
    pages.append((reverse("admin:contracts_contract_change", args=[world.contracts[SY].pk]), 200))
    requests = 0
    for persona in PERSONAS:
        client = client_for(world.user(persona))
        for page, for_root in pages:
            response = client.get(page)
            requests += 1
            if persona == "root":
                assert response.status_code == for_root, (persona, page, response.status_code)
            else:
                # Alice manages the region, but through the service's own pages, never the admin.
                assert response.status_code == 302, (persona, page, response.status_code)
                assert _location(response).startswith(reverse("admin:login")), (persona, page, _location(response))
            before = fingerprint()
            response = client.post(page, INVALID)
            requests += 1
            if persona != "root":
                assert response.status_code == 302 and _location(response).startswith(reverse("admin:login"))
            assert fingerprint() == before, (persona, page)
    count_requests("django-admin", personas=len(PERSONAS), requests=requests)
