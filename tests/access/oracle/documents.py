"""The oracle of commissioning documents: an opportunity's, a partnership's and a bid's."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.documents import Documents
from tests.access.oracle.base import (
    NOT_ALLOWED,
    NOT_FOUND,
    SIGN_IN,
    Case,
    _in,
    allowed,
    everyone,
    guarded,
    post_only,
    read_only,
)
from tests.access.oracle.commissioning import TENDER_MANAGERS, managed_tenders
from tests.access.world import PERSONAS, World


def document_oracle() -> dict[str, Callable[[World], list[Case]]]:
    """Documents (tests/access/documents.py): an opportunity's with the opportunity; a partnership's
    to its members and, once they may see the partnership, the tender's managers (never Heidi); a
    bid's sealed with the bid's content (Heidi only after declaring no conflict). Downloads take
    GET only; removals a POST, rolled back where it really removes."""

    def docs(w: World) -> Documents:
        return w.documents

    sy, wy, ne = TENDER_MANAGERS["sy-unsealed"], TENDER_MANAGERS["wy-awarded"], TENDER_MANAGERS["ne-tender"]
    sy_draft = frozenset({"alice", "bob", "root"})
    download_post = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}

    def opportunity_downloads(w: World) -> list[Case]:
        d = docs(w).opportunity
        return [
            read_only("rt-sealed's", reference="rt-sealed", pk=d["published"].pk),
            read_only(
                "a draft's",
                allowed(sy_draft, signed_out=NOT_FOUND),
                reference="sy-draft-documents",
                pk=d["draft"].pk,
            ),
            read_only(
                "rt-sealed's, under another tender", everyone(NOT_FOUND), reference="sy-unsealed", pk=d["published"].pk
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
                # Heidi scores Beacon's bid (she declared no conflict): she sees the partnership whole.
                ("Beacon's, bid unsealed, Heidi scoring it", "beacon", {"erin", "heidi"} | sy),
                ("Calder's", "calder", set(sy)),
                ("the runner-up's", "runner-up", {"erin"} | wy),
                ("Tyne North's, Quinn scoring it", "tyne north", {"nora", "quinn"} | ne),
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
        "tyne": {"nora"} | sy,
        "withdrawn": {"dave"},
        "stage 2": {"erin"},
        "winner": {"dave"} | wy,
        "ne closed": {"nora", "quinn"} | ne,
        "ne sealed": {"nora"},
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


ORACLE = document_oracle()
