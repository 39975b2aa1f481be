"""Sealed means sealed: the service answers exactly the same whether or not the sealed bids exist.

The world of the access matrix (tests/access/world.py, with its tenders, documents and rounds) is
built whole, once for the module (``world_once``), then for every URL pattern the resolver knows, with the kwargs the matrix's oracle
gives it (so every page, list, download format, feed, OCDS package and report), every persona
GETs and POSTs (the oracle's data) each URL.
Then the sealed bids (``SEALED_BIDS``: those on stages still open, and the one withdrawn before its
deadline) are taken out with their documents, openings and declarations, and so are the
partnerships that have no other bid (``SEALED_PARTNERSHIPS``) with their members and documents;
for a bidder (Dave, Erin, Nora), all of that but what is their own partnership's to see.
Every other row keeps its primary key, so every URL is asked again and must get the same answer:
same status, same headers that carry content (type, disposition, location, validators), same body
once what legitimately changes from one request to the next (CSRF tokens, CSP nonces, the time
"now") is masked (and the request id an error page gives for support, and the seconds the session
has left, PostgreSQL's sequences are put back after a POST that redirects, so a row it made is numbered alike in both passes). A URL that names a sealed thing must, to these personas, answer as it does once
the thing is gone: as if it had never existed.

The export commands (``export_ocds --all``, ``export_ocds --contracts``, ``report`` in each format)
are compared the same way, and so is a probe with valid data naming what is sealed (a partnership
formed under the sealed consortium's name).

Every request runs in a savepoint that is rolled back (an opening logged, a session renewed), so
the second pass starts from the same database as the first, less the sealed bids.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
import zipfile
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning.models import Bid, BiddingPartnership
from tests.access.oracle.reports import DOWNLOAD_FORMATS, REPORT_NAMES
from tests.access.tenders import SEALED_BIDS, SEALED_NAME, SEALED_PARTNERSHIPS, Tenders
from tests.access.test_matrix import ORACLE, SERVICE_URLS
from tests.access.world import PERSONAS, World

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
# URLs with many cases are checked in parts, so that xdist's two workers share them evenly.
PARTS = {"reports:download": 8, "reports:report": 2}

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


def _masking_now(text: bytes, started: datetime.datetime) -> bytes:
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


def _normalised_bytes(content: bytes, started: datetime.datetime) -> bytes:
    if content.startswith(b"PK\x03\x04"):
        # A workbook: each part's text, in order, its timestamps masked (docProps/core.xml).
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = [name.encode() + b"\n" + book.read(name) for name in sorted(book.namelist())]
        content = b"\n".join(parts)
    content = CSRF.sub(rb"\1<csrf>\2", content)
    content = NONCE.sub(rb"\1<nonce>", content)
    content = REQUEST_ID.sub(rb"\1<request id>", content)
    content = SESSION_LEFT.sub(rb"\1<seconds>", content)
    return _masking_now(content, started)


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


def _restore(numbered: list[tuple[str, int, bool]]) -> None:
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


def _answer(name: str, response: Any, started: datetime.datetime) -> tuple[int, dict[str, str], bytes]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = {header: str(response.get(header, "")) for header in HEADERS}
    if content.startswith(b"PK\x03\x04") or name in NEW_EACH_TIME:
        del headers["Content-Length"]  # a workbook's zip differs in its timestamps, its length need not
    if name in NEW_EACH_TIME:
        content = b""
    content = _normalised_bytes(content, started)
    if name in DOWNLOAD_IDS:
        content = DOWNLOAD_ID.sub(b"<download id>", content)
    for header in ("ETag", "Last-Modified"):
        headers[header] = _masking_now(headers[header].encode(), started).decode()
    return response.status_code, headers, content


class _RolledBack(Exception):
    pass


def _rolled_back(send: Any) -> Any:
    response = None
    try:
        with transaction.atomic():
            response = send()
            if response.streaming:
                # Read inside the savepoint: a streamed body queries as it goes.
                response.streaming_content = [b"".join(response.streaming_content)]
            raise _RolledBack
    except _RolledBack:
        pass
    return response


def remove_sealed(
    tenders: Tenders, bids: tuple[str, ...] = SEALED_BIDS, partnerships: tuple[str, ...] = SEALED_PARTNERSHIPS
) -> int:
    """Take the sealed bids out, with all that hangs on them; return how many rows went."""
    removed, _ = Bid.objects.filter(pk__in=[tenders.bids[name].pk for name in bids]).delete()
    gone, _ = BiddingPartnership.objects.filter(
        pk__in=[tenders.partnerships[name].pk for name in partnerships]
    ).delete()
    return removed + gone


def _urls(world: World, name: str, part: int) -> list[tuple[str, dict[str, str]]]:
    cases = ORACLE[name](world)[part :: PARTS.get(name, 1)]
    urls = []
    for case in cases:
        url = reverse(name, kwargs=case.kwargs)
        for query in [{}, *QUERIES.get(name, [])]:
            urls.append((f"{url}?{urlencode(query)}" if query else url, case.data))
    return urls


def _snapshot(
    name: str,
    world: World,
    urls: list[tuple[str, dict[str, str]]],
    client_for: Any,
    started: datetime.datetime,
    personas: list[str],
) -> dict[tuple[str, str, str], tuple[int, dict[str, str], bytes]]:
    answers = {}
    for persona in personas:
        # A fresh client each pass: signing out (rolled back in the database) still clears the cookie.
        client: Client = client_for(world.user(persona))
        numbered = sequences()  # after signing in, which is kept
        for url, data in urls:
            for method in ("get", "post"):
                if method == "get":
                    response = _rolled_back(lambda c=client, u=url: c.get(u))
                else:
                    response = _rolled_back(lambda c=client, u=url, d=data: c.post(u, d))
                    if response.status_code in (301, 302, 303):
                        _restore(numbered)
                answers[(persona, method, url)] = _answer(name, response, started)
    return answers


def _differences(before: dict[Any, Any], after: dict[Any, Any]) -> list[str]:
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


def _url_parts() -> list[Any]:
    return [
        pytest.param(name, part, id=name if PARTS.get(name, 1) == 1 else f"{name}-{part + 1}")
        for name in sorted(SERVICE_URLS)
        if name in ORACLE
        for part in range(PARTS.get(name, 1))
    ]


@pytest.mark.parametrize(("name", "part"), _url_parts())
def test_no_answer_changes_with_the_sealed_bids_for_those_outside_them(
    name: str, part: int, world_once: World, db: None, client_for: Any, count_requests: Any
) -> None:
    started = timezone.now()
    # The world of the matrix, built once for the module (tests/access/conftest.py), tenders and
    # every document of theirs, sealed ones included; this test's own rows roll back with it.
    world = world_once
    urls = _urls(world, name, part)
    with_sealed = _snapshot(name, world, urls, client_for, started, list(PERSONAS))
    # Each persona asks again without what is hidden from them: everything sealed, for all but the
    # three bidders; for each bidder, everything sealed but their own.
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for persona in PERSONAS:
        groups.setdefault(hidden_from(persona), []).append(persona)
    without = {}
    for (bids, partnerships), personas in groups.items():
        try:
            with transaction.atomic():
                assert remove_sealed(world.tenders, bids, partnerships) > 0
                without.update(_snapshot(name, world, urls, client_for, started, personas))
                raise _RolledBack
        except _RolledBack:
            pass
    count_requests(f"{name} (sealed differential)", personas=len(PERSONAS), requests=2 * len(with_sealed))
    told = _differences(with_sealed, without)
    assert not told, "\n\n".join(told)


def _command_outputs(tmp_path: Path, started: datetime.datetime) -> dict[str, bytes]:
    outputs = {}
    for which in ("--all", "--contracts"):
        out = io.StringIO()
        call_command("export_ocds", which, stdout=out)
        outputs[f"export_ocds {which}"] = out.getvalue().encode()
    for name in REPORT_NAMES:
        for extension in DOWNLOAD_FORMATS:
            for params in ([], ["--param", "region=NE"]):
                target = tmp_path / f"{name}-{len(params)}.{extension}"
                call_command(
                    "report", name, "--format", extension, "--output", str(target), *params, stderr=io.StringIO()
                )
                outputs[f"report {name} {' '.join(params)} ({extension})"] = target.read_bytes()
    return {what: _normalised_bytes(content, started) for what, content in outputs.items()}


def test_the_open_data_and_report_commands_write_the_same_with_and_without_the_sealed_bids(
    world_once: World, db: None, tmp_path: Path
) -> None:
    started = timezone.now()
    world = world_once
    with_sealed = _command_outputs(tmp_path, started)
    assert remove_sealed(world.tenders) > 0
    without = _command_outputs(tmp_path, started)
    differ = [what for what in with_sealed if with_sealed[what] != without[what]]
    assert not differ, differ
    # The package is really there to compare: it holds the tender whose bid was sealed.
    assert b"rt-sealed" in with_sealed["export_ocds --all"]


# Probes: a POST with valid data that names what is sealed, by someone who may send it but is outside.
# Nora (Tyne Outreach, not in the sealed consortium) forms a partnership for rt-sealed under the
# sealed consortium's name.
PROBE_URL = ("commissioning:partnership-create", {"reference": "rt-sealed"})
PROBE_DATA = {"name": SEALED_NAME, "lead_role": "Lead", "lead_share": "40"}
PROBER = "nora"
NUMBERS = re.compile(r"\d+")


def _probe(world: World, client_for: Any, started: datetime.datetime) -> tuple[int, str, bytes]:
    client = client_for(world.user(PROBER))
    response = _rolled_back(lambda: client.post(reverse(PROBE_URL[0], kwargs=PROBE_URL[1]), PROBE_DATA))
    # A new partnership's page: its primary key may differ (PostgreSQL's sequences are not rolled back).
    location = NUMBERS.sub("<pk>", str(response.get("Location", "")))
    return response.status_code, location, _normalised_bytes(response.content, started)


def _probe_without_what_is_hidden(world: World, client_for: Any, started: datetime.datetime) -> tuple[int, str, bytes]:
    answer = None
    try:
        with transaction.atomic():
            assert remove_sealed(world.tenders, *hidden_from(PROBER)) > 0
            answer = _probe(world, client_for, started)
            raise _RolledBack
    except _RolledBack:
        pass
    assert answer is not None
    return answer


def test_the_probe_is_taken_where_there_is_no_sealed_partnership(world_once: World, db: None, client_for: Any) -> None:
    """So that the probe below sends valid data: without the sealed bids, Nora's partnership is formed."""
    world = world_once
    status, location, _ = _probe_without_what_is_hidden(world, client_for, timezone.now())
    assert (status, location) == (302, "/opportunities/partnerships/<pk>/")


def test_naming_a_partnership_as_a_sealed_one_is_answered_as_if_it_did_not_exist(
    world_once: World, db: None, client_for: Any
) -> None:
    started = timezone.now()
    world = world_once
    with_sealed = _probe(world, client_for, started)
    without = _probe_without_what_is_hidden(world, client_for, started)
    assert with_sealed == without
