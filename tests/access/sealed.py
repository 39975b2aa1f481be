"""Sealed means sealed: what the access matrix (test_matrix.py) and the export commands'
differential (test_sealed_differential.py) need to ask everything again without the sealed bids.

``SEALED_BIDS`` (those on stages still open, and the one withdrawn before its deadline) are taken
out with their documents, openings and declarations, and so are the partnerships that have no other
bid (``SEALED_PARTNERSHIPS``) with their members and documents; for a bidder (Dave, Erin, Nora), all
of that but what is their own partnership's to see (``hidden_from``). Every other row keeps its
primary key, so each answer can be compared with the one given with the sealed bids there: same
status, same headers that carry content (type, disposition, location, validators), same body once
what legitimately changes from one request to the next is masked (``answer``): CSRF tokens, CSP
nonces, the time "now", the request id an error page gives for support, the seconds the session has
left, a return template's random download id. PostgreSQL's sequences are put back after a POST that
redirects (``sequences``, ``restore``), so a row it made is numbered alike in both passes.

Every request is sent in a savepoint that is rolled back (``rolled_back``: an opening logged, a
session renewed), so each pass starts from the same database, less the sealed bids.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stepchange.commissioning.models import Bid, BiddingPartnership
from tests.access.tenders import SEALED_BIDS, SEALED_PARTNERSHIPS, Tenders
from tests.access.world import PERSONAS, database_hash

T = TypeVar("T")

# Who is inside what is sealed: a bid's readers are its partnership's confirmed members (Dave's
# Acorn leads the sealed consortium and the withdrawn alliance, Erin's Beacon bids alone on
# sy-unsealed's open stage 2, Nora's Tyne Outreach on ne-tender's); a partnership's, its members,
# invited ones too (Erin's Beacon is invited to the consortium, not yet confirmed).
BID_READERS = {"sealed": {"dave"}, "stage 2": {"erin"}, "withdrawn": {"dave"}, "ne sealed": {"nora"}}
PARTNERSHIP_MEMBERS = {"sealed": {"dave", "erin"}, "withdrawn": {"dave"}}


def hidden_from(persona: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sealed bids and partnerships a persona may learn nothing of, by their names in ``Tenders``."""
    return (
        tuple(name for name in SEALED_BIDS if persona not in BID_READERS[name]),
        tuple(name for name in SEALED_PARTNERSHIPS if persona not in PARTNERSHIP_MEMBERS[name]),
    )


# More of the same pages, where a query changes what is counted or listed.
QUERIES: dict[str, list[dict[str, str]]] = {
    "commissioning:list": [{"closing_soon": "on"}, {"q": "Consortium"}, {"page": "2"}],
    "reports:report": [{"region": "NE"}],
    "reports:download": [{"region": "NE"}],
}
# Pages that are new at each request by design, where the body is not compared: setting up two-factor
# sign-in draws a new secret (and its QR code) each time. Status and headers still are.
NEW_EACH_TIME = frozenset({"accounts:two-factor-setup"})
# A return's template and lines carry a download id, drawn at random, and the checksum over it.
DOWNLOAD_IDS = frozenset(
    {"returns:prison-template", "returns:prison-csv", "returns:probation-template", "returns:probation-csv"}
)
DOWNLOAD_ID = re.compile(rb"(?<![0-9a-f])(?:[0-9a-f]{16}|[0-9a-f]{64})(?![0-9a-f])")

HEADERS = ("Content-Type", "Content-Disposition", "Location", "ETag", "Last-Modified", "Content-Length")

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
REQUEST_ID = re.compile(rb'(Reference for support: <span class="app-nowrap">)[0-9a-f]+')
SESSION_LEFT = re.compile(rb'(data-seconds-left=")\d+')
NONCE = re.compile(rb"(nonce=\"|'nonce-)[A-Za-z0-9+/=_-]+")
ISO_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
RFC_TIME = re.compile(rb"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:[+-]\d{4}|GMT)")


def masking_now(text: bytes, started: datetime.datetime) -> bytes:
    """Each timestamp within ten minutes of the test's start is "now", and differs between passes."""

    def mask(match: re.Match[bytes], parse: Any) -> bytes:
        try:
            when = parse(match.group(0).decode())
        except ValueError:
            return match.group(0)
        if timezone.is_naive(when):
            when = timezone.make_aware(when, datetime.UTC)
        return b"<now>" if abs(when - started) < datetime.timedelta(minutes=10) else match.group(0)

    text = ISO_TIME.sub(lambda m: mask(m, lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))), text)
    return RFC_TIME.sub(lambda m: mask(m, parsedate_to_datetime), text)


def normalised_bytes(content: bytes, started: datetime.datetime) -> bytes:
    if content.startswith(b"PK\x03\x04"):
        # A workbook: each part's text, in order, its timestamps masked (docProps/core.xml).
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = [name.encode() + b"\n" + book.read(name) for name in sorted(book.namelist())]
        content = b"\n".join(parts)
    content = CSRF.sub(rb"\1<csrf>\2", content)
    content = NONCE.sub(rb"\1<nonce>", content)
    content = REQUEST_ID.sub(rb"\1<request id>", content)
    content = SESSION_LEFT.sub(rb"\1<seconds>", content)
    return masking_now(content, started)


def sequences() -> list[tuple[str, int, bool]]:
    """PostgreSQL's sequences as they stand (SQLite's counters roll back with the savepoint)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || sequencename, coalesce(last_value, start_value), last_value IS NOT NULL"
            " FROM pg_sequences"
        )
        return [(name, value, called) for name, value, called in cursor.fetchall()]


def restore(numbered: list[tuple[str, int, bool]]) -> None:
    """Put the sequences back: a row a POST made, and rolled back, is numbered alike in both passes."""
    if not numbered:
        return
    with connection.cursor() as cursor:
        names, values, called = zip(*numbered, strict=True)
        cursor.execute(
            "SELECT setval(name::regclass, value, called)"
            " FROM unnest(%s::text[], %s::bigint[], %s::boolean[]) AS s(name, value, called)",
            [list(names), list(values), list(called)],
        )


Answer = tuple[int, dict[str, str], bytes]
Answers = dict[tuple[str, str, str], Answer]


def answer(name: str, response: Any, started: datetime.datetime) -> Answer:
    """What is compared of a response to a request to the URL pattern ``name``."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = {header: str(response.get(header, "")) for header in HEADERS}
    if content.startswith(b"PK\x03\x04") or name in NEW_EACH_TIME:
        del headers["Content-Length"]  # a workbook's zip differs in its timestamps, its length need not
    if name in NEW_EACH_TIME:
        content = b""
    content = normalised_bytes(content, started)
    if name in DOWNLOAD_IDS:
        content = DOWNLOAD_ID.sub(b"<download id>", content)
    for header in ("ETag", "Last-Modified"):
        headers[header] = masking_now(headers[header].encode(), started).decode()
    return response.status_code, headers, content


class RolledBack(Exception):
    pass


@contextmanager
def undone() -> Iterator[None]:
    """A savepoint whose work is rolled back when the block ends (an error in it still propagates)."""
    try:
        with transaction.atomic():
            yield
            raise RolledBack
    except RolledBack:
        pass


def sent_and_undone(send: Callable[[], Any], after: Callable[[], T], *, watch: Reads | None = None) -> tuple[Any, T]:
    """Send a request in a savepoint, read it whole, call ``after`` (to see what the request
    changed), then roll back what it did: the response and what ``after`` gave. ``watch``, when
    given, is told of the request's statements (not of ``after``'s)."""
    with undone():
        with watch.watching() if watch else nullcontext():
            response = send()
            if response.streaming:
                # Read inside the savepoint: a streamed body queries as it goes.
                response.streaming_content = [b"".join(response.streaming_content)]
        seen = after()
    return response, seen


def rolled_back(
    send: Callable[[], Any], *, inside: Callable[[], object] | None = None, watch: Reads | None = None
) -> Any:
    """Send a request in a savepoint, read it whole, and roll back what it did; ``inside``, when
    given, is called before the rollback (to check what the request changed)."""
    response, _ = sent_and_undone(send, inside or (lambda: None), watch=watch)
    return response


def redirects(response: Any) -> bool:
    return response.status_code in (301, 302, 303)


def asked(
    client: Any, url: str, data: dict[str, str], numbered: list[tuple[str, int, bool]], *, watch: Reads | None = None
) -> tuple[Any, Any]:
    """A GET and a POST of ``url``, each rolled back; the sequences put back after a POST that redirects."""
    got = rolled_back(lambda: client.get(url), watch=watch)
    posted = rolled_back(lambda: client.post(url, data), watch=watch)
    if redirects(posted):
        restore(numbered)
    return got, posted


def without_what_is_hidden(
    tenders: Tenders, ask: Callable[[str], Answers], *, asks_anything: Callable[[str], bool] = lambda persona: True
) -> Answers:
    """Each persona's answers (``ask(persona)``) once what is hidden from them is taken out: everything
    sealed, for all but the three bidders; for each bidder, everything sealed but their own. The
    sealed rows are put back afterwards. Where ``asks_anything`` says none of the personas a removal
    is for will send a request, they are given their answers without it."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for persona in PERSONAS:
        groups.setdefault(hidden_from(persona), []).append(persona)
    without: Answers = {}
    for (bids, partnerships), members in groups.items():
        if not any(asks_anything(persona) for persona in members):
            for persona in members:
                without.update(ask(persona))
            continue
        with undone():
            assert remove_sealed(tenders, bids, partnerships) > 0
            for persona in members:
                without.update(ask(persona))
    return without


def tables_removing_changes(tenders: Tenders) -> frozenset[str]:
    """The tables whose rows taking out everything sealed changes: removed with the bids and
    partnerships, with what hangs on them, set to null, or written by a database trigger (the whole
    database is compared, the sessions aside). Taking out less, for a bidder, changes no other table."""
    before = database_hash()
    with undone():
        remove_sealed(tenders)
        after = database_hash()
    return frozenset(table for table, digest in after.items() if digest != before[table])


class Reads:
    """Whether any statement sent inside ``watching()`` named one of ``tables``.

    A request none of whose statements named a table the removal changes was given the same rows
    with the sealed bids as it would be without them, and so gives the same answer: it need not be
    asked again. (A statement names every table it reads or writes; the rows a foreign key or a
    unique constraint looks up are checked at commit, which a rolled-back request never reaches.)
    """

    def __init__(self, tables: frozenset[str]) -> None:
        self.pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(tables)) + r")\b", re.IGNORECASE)
        self.seen = False

    @contextmanager
    def watching(self) -> Iterator[None]:
        with CaptureQueriesContext(connection) as sent:
            yield
        self.seen = self.seen or any(self.pattern.search(query["sql"]) for query in sent.captured_queries)


def remove_sealed(
    tenders: Tenders, bids: tuple[str, ...] = SEALED_BIDS, partnerships: tuple[str, ...] = SEALED_PARTNERSHIPS
) -> int:
    """Take the sealed bids out, with all that hangs on them; return how many rows went."""
    removed, _ = Bid.objects.filter(pk__in=[tenders.bids[name].pk for name in bids]).delete()
    gone, _ = BiddingPartnership.objects.filter(
        pk__in=[tenders.partnerships[name].pk for name in partnerships]
    ).delete()
    return removed + gone


def differences(before: Answers, after: Answers) -> list[str]:
    """Each answer that differs without the sealed bids, with the first lines of how."""
    told = []
    for key, (status, headers, body) in before.items():
        status_after, headers_after, body_after = after[key]
        persona, method, url = key
        if (status, headers) != (status_after, headers_after):
            told.append(
                f"{persona} {method.upper()} {url}: {status} {headers} with, {status_after} {headers_after} without"
            )
        if body != body_after:
            diff = difflib.unified_diff(
                body.decode("utf-8", "replace").splitlines(),
                body_after.decode("utf-8", "replace").splitlines(),
                "with the sealed bids",
                "without",
                n=1,
                lineterm="",
            )
            told.append(f"{persona} {method.upper()} {url}: the bodies differ\n" + "\n".join(list(diff)[:24]))
    return told
