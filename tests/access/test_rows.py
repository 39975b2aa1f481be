"""No row a persona must not see, in any list, count, search, page or download.

The world of test_matrix, with thirty more South Yorkshire contracts (so Bob's, Alice's and Root's
lists run to two pages) and a North East return date. For every persona: the contract list under
every filter and sort, page by page, and its CSV; the directory; every report page and download;
the management lists. Each check names what must be there too, so none can pass by showing nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from stepchange.commissioning.models import BidOpening
from stepchange.returns.models import ProbationReturn
from tests.access.oracle.reports import DOWNLOAD_FORMATS, REPORT_NAMES
from tests.access.tenders import (
    NE_SEALED_PRICES,
    SEALED_NAME,
    SEALED_PRICES,
    STAGE2_PRICES,
    WITHDRAWN_NAME,
    WITHDRAWN_PRICES,
)
from tests.access.world import DURHAM, LEEDS, NE, PERSONAS, PUB, SY, VISIBLE, WY, World
from tests.factories import ContractFactory, ProbationReturnFactory

BULK = tuple(f"SY-BULK-{n:04d}" for n in range(8001, 8031))
# The thirty extra contracts are South Yorkshire's, held by Calder Mentoring (which no persona
# works for) and unpublished: only Alice, Bob and Root may see them.
SEES_BULK = {"alice", "bob", "root"}
# Commissioner and prime's sector of each contract, to work out by hand what a filter leaves.
COMMISSIONER = {
    SY: "SYPA",
    WY: "WYPA",
    PUB: "WYPA",
    LEEDS: "LEEDS",
    NE: "NEPA",
    DURHAM: "DURH",
    **dict.fromkeys(BULK, "SYPA"),
}
PRIVATE = {WY}  # Beacon Services Ltd is private; every other prime is a charity.
ALL_REFERENCES = set(COMMISSIONER)


def visible(persona: str) -> set[str]:
    return VISIBLE[persona] | (set(BULK) if persona in SEES_BULK else set())


@pytest.fixture(scope="module")
def rows_world(bare_world_once: World, django_db_blocker: Any) -> World:
    """The world of the module (built once, see tests/access/conftest.py) with the bulk contracts
    and the North East return date added once, inside the module's transaction."""
    world = bare_world_once
    with django_db_blocker.unblock():
        for reference in BULK:
            ContractFactory.create(
                reference=reference,
                title=f"Service under {reference}",
                commissioner=world.cast.sypa,
                prime=world.calder,
                annual_value=Decimal("2500.00"),
                pathways=["accommodation"],
            )
        ProbationReturnFactory.create(commissioner=world.north_east, as_at=datetime.date(2006, 10, 1))
    return world


@pytest.fixture
def world(rows_world: World, db: None) -> World:
    """Each test in a savepoint of its own, rolled back when it ends."""
    return rows_world


def leaked(body: str, persona: str) -> set[str]:
    return {reference for reference in ALL_REFERENCES - visible(persona) if reference in body}


# Each filter with the contracts it keeps, worked out from COMMISSIONER and PRIVATE above.
FILTERS: list[tuple[dict[str, str], Any]] = [
    ({}, lambda ref: True),
    ({"commissioner": "SYPA"}, lambda ref: COMMISSIONER[ref] == "SYPA"),
    ({"commissioner": "WYPA"}, lambda ref: COMMISSIONER[ref] == "WYPA"),
    ({"commissioner": "LEEDS"}, lambda ref: COMMISSIONER[ref] == "LEEDS"),
    ({"commissioner": "NEPA"}, lambda ref: COMMISSIONER[ref] == "NEPA"),
    ({"commissioner": "DURH"}, lambda ref: COMMISSIONER[ref] == "DURH"),
    ({"sector": "private"}, lambda ref: ref in PRIVATE),
    ({"sector": "vcs"}, lambda ref: ref not in PRIVATE),
    ({"funding": "main_grant"}, lambda ref: True),
    ({"funding": "new_investment"}, lambda ref: False),
    ({"pathway": "accommodation"}, lambda ref: True),
    ({"pathway": "fbd"}, lambda ref: False),
    ({"live_on": "1/10/2006"}, lambda ref: True),
    ({"live_on": "1/10/2005"}, lambda ref: False),
    ({"sort": "-value"}, lambda ref: True),
    ({"sort": "prime", "commissioner": "SYPA"}, lambda ref: COMMISSIONER[ref] == "SYPA"),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_contract_list_and_its_csv_show_only_what_the_persona_may_see(
    world: World, count_requests: Any, persona: str
) -> None:
    client = world.client(persona)
    requests = 0
    for query, keeps in FILTERS:
        expected = {ref for ref in visible(persona) if keeps(ref)}
        listed: list[str] = []
        page_number = 1
        while True:
            response = client.get("/contracts/", {**query, "page": str(page_number)})
            requests += 1
            assert response.status_code == 200
            body = response.content.decode()
            assert not leaked(body, persona), (persona, query, page_number, leaked(body, persona))
            page = response.context["page"]
            listed += [contract.reference for contract in page]
            caption = re.search(r"govuk-table__caption[^>]*>\s*(\d+) contracts?", body)
            if expected:
                assert caption and int(caption.group(1)) == len(expected), (persona, query)
            if not page.has_next():
                break
            page_number += 1
        # Every page once, none twice: the pages add up to the caption.
        assert len(listed) == len(set(listed)), (persona, query)
        assert set(listed) == expected, (persona, query)

        response = client.get("/contracts.csv", query)
        requests += 1
        text = response.getvalue().decode()
        assert not leaked(text, persona), (persona, query, leaked(text, persona))
        assert {row["reference"] for row in csv.DictReader(io.StringIO(text))} == expected, (persona, query)
    count_requests("contracts:list (rows)", personas=len(PERSONAS), requests=requests)


def test_bobs_list_really_runs_to_two_pages(world: World) -> None:
    """So that walking the pages above is walking more than one."""
    page = world.client("bob").get("/contracts/").context["page"]
    assert page.paginator.num_pages == 2
    assert page.paginator.count == 32  # SY-ACORN, the published WY one and the thirty


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_directory_and_profiles_show_no_contract(world: World, count_requests: Any, persona: str) -> None:
    client = world.client(persona)
    requests = 0
    for query in ({}, {"q": "Acorn"}, {"q": "SY-ACORN"}, {"sector": "private"}):
        response = client.get("/organisations/", query)
        requests += 1
        body = response.content.decode()
        assert not leaked(body, persona)
        names = [organisation.name for organisation in response.context["page"]]
        caption = re.search(r"govuk-table__caption[^>]*>\s*(\d+) organisations?", body)
        assert (caption and int(caption.group(1)) == len(names)) or not names, (persona, query)
    # The directory is public: everyone finds Dave's charity by name.
    response = client.get("/organisations/", {"q": "Acorn"})
    assert [o.name for o in response.context["page"]] == ["Acorn Housing Trust"]
    for organisation in (world.cast.charity, world.cast.company, world.calder, world.tyne):
        response = client.get(f"/organisations/{organisation.pk}/")
        requests += 1
        assert response.status_code == 200
        assert not leaked(response.content.decode(), persona), (persona, organisation.name)
    # Its downloads and gap view: every listed organisation, nothing of a contract.
    for url in (
        "/organisations/download/organisations.csv",
        "/organisations/download/organisations.json",
        "/organisations/download/open-referral.json",
        "/organisations/gaps/download.csv",
    ):
        response = client.get(url)
        requests += 1
        body = response.content.decode()
        assert not leaked(body, persona), (persona, url)
        assert "gaps" in url or ("Acorn Housing Trust" in body and "Tyne Outreach" in body), (persona, url)
    count_requests("organisations (rows)", personas=len(PERSONAS), requests=requests)


def _text_of(response: Any, extension: str) -> str:
    if extension != "xlsx":
        return response.content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


@pytest.mark.parametrize("persona", PERSONAS)
def test_reports_are_the_same_aggregates_for_everyone_and_name_no_contract(
    world: World, count_requests: Any, persona: str
) -> None:
    client = world.client(persona)
    signed_out = world.client("signed out")
    requests = 0
    for name in REPORT_NAMES:
        for url in (f"/reports/{name}/", *(f"/reports/{name}.{ext}" for ext in DOWNLOAD_FORMATS)):
            response = client.get(url, {"at": "2006-10-01"} if name != "share-trend" else {"year": "2006-07"})
            requests += 1
            assert response.status_code == 200, (persona, url)
            text = _text_of(response, url.rsplit(".", 1)[-1])
            # Not even the contracts the persona may see: a report is figures only.
            named = {reference for reference in ALL_REFERENCES if reference in text}
            assert not named, (persona, url, named)
            if url.endswith((".csv", ".json")):
                # Public figures do not change with who asks.
                public = signed_out.get(url, {"at": "2006-10-01"} if name != "share-trend" else {"year": "2006-07"})
                requests += 1
                assert response.content == public.content, (persona, url)
    # The figures are really there: South Yorkshire's counted spend is its two live main-grant
    # contracts with VCS primes (SY-ACORN £12,345.67) and the thirty at £2,500: £87,345.67.
    share = json.loads(client.get("/reports/probation-share.json", {"at": "2006-10-01"}).content)
    sypa = next(row for row in share["rows"] if row["commissioner"] == "SYPA")
    assert Decimal(sypa["counted_spend"]) == Decimal("87345.67")
    response = client.get("/")
    requests += 2
    assert response.status_code == 200 and not {ref for ref in ALL_REFERENCES if ref in response.content.decode()}
    count_requests("reports (rows)", personas=len(PERSONAS), requests=requests)


def _grant_areas(response: Any) -> set[str]:
    return {row.commissioner.code for row in response.context["rows"] if any(grant for _year, grant in row.cells)}


# The management lists, written out: whose grants, accounts and return dates each manager sees.
GRANT_AREAS = {
    "alice": {"SYPA", "WYPA"},
    "bob": {"SYPA"},
    "carol": {"WYPA"},
    "nick": {"NEPA"},
    "olga": {"NEPA"},
    "root": {"SYPA", "WYPA", "NEPA"},
}
Y_AND_H = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}
NORTH_EAST = {"nick", "olga", "pat", "nora", "quinn", "rita"}
# Ivy (invited by Dave) and Pia (invited by Alice) have not yet accepted; Nadia is national.
ACCOUNTS = {
    "alice": Y_AND_H | {"ivy", "pia"},
    "nick": NORTH_EAST,
    "root": Y_AND_H | NORTH_EAST | {"ivy", "pia", "root", "nadia"},
}
RETURN_AREAS = {"alice": {"SYPA"}, "nick": {"NEPA"}, "root": {"SYPA", "NEPA"}}


@pytest.mark.parametrize("persona", sorted(GRANT_AREAS))
def test_the_grants_list_shows_only_the_areas_the_persona_manages(world: World, persona: str) -> None:
    response = world.client(persona).get("/manage/grants/")
    assert _grant_areas(response) == GRANT_AREAS[persona]
    body = response.content.decode()
    amounts = {"SYPA": "19,300,000", "WYPA": "30,800,000", "NEPA": "11,100,000"}
    for code, amount in amounts.items():
        assert (amount in body) == (code in GRANT_AREAS[persona]), (persona, code)


@pytest.mark.parametrize("persona", sorted(ACCOUNTS))
def test_the_user_and_return_lists_show_only_the_region_managed(world: World, persona: str) -> None:
    client = world.client(persona)
    response = client.get("/manage/users/")
    assert {account.username for account in response.context["accounts"]} == ACCOUNTS[persona]
    assert f"{len(ACCOUNTS[persona])} accounts" in response.content.decode()
    returns = client.get("/manage/returns/").context["returns"]
    assert {r.commissioner.code for r in returns} == RETURN_AREAS[persona]
    # The North East's return date, which Alice must not see, is there for Root to see.
    assert ProbationReturn.objects.filter(commissioner=world.north_east).exists()


# Commissioning and returns ----------------------------------------------------------------------
# The tenders of tests/access/tenders.py and the rounds of tests/access/rounds.py. What of a bid
# each persona may ever read, written out from the sealed-bid rules (docs/access.md): the sealed consortium's
# name its members (Dave's charity leads, Erin's company is invited); its price, and the withdrawn
# bid's name and price, Dave's charity only; Beacon's sealed stage 2 price Erin's company only.
MAY_READ = {
    "sealed name": {"dave", "erin"},
    "sealed price": {"dave"},
    "withdrawn": {"dave"},
    "stage 2 price": {"erin"},
    "ne sealed price": {"nora"},
}


@pytest.fixture
def tenders_world(rows_world: World, db: None) -> Iterator[World]:
    """The same world with its tenders and returns rounds, built in the test's own savepoint; rolled
    back with it, so the world forgets them when the test ends."""
    world = rows_world
    world.tenders  # noqa: B018 (built on first use)
    world.rounds  # noqa: B018
    yield world
    world._tenders = world._rounds = world._documents = None


def _secrets(persona: str) -> dict[str, tuple[str, ...]]:
    texts = {
        "sealed name": (SEALED_NAME,),
        "sealed price": SEALED_PRICES,
        "withdrawn": (WITHDRAWN_NAME, *WITHDRAWN_PRICES),
        "stage 2 price": STAGE2_PRICES,
        "ne sealed price": NE_SEALED_PRICES,
    }
    return {what: texts[what] for what, readers in MAY_READ.items() if persona not in readers}


def _commissioning_urls(world: World, persona: str) -> list[str]:
    t = world.tenders
    urls = ["/", "/opportunities/", "/opportunities/?closing_soon=on", "/opportunities/evaluations/"]
    urls += ["/opportunities/feed.xml"]
    for opportunity in (t.sealed, t.unsealed, t.awarded, t.north_east):
        ref = opportunity.reference
        urls += [f"/opportunities/{ref}/", f"/opportunities/{ref}/ocds.json", f"/opportunities/{ref}/audit/"]
        urls += [f"/opportunities/{ref}/stages/{n}/evaluation/" for n in (1, 2)]
    urls += [f"/opportunities/partnerships/{p.pk}/" for p in t.partnerships.values()]
    urls += [f"/opportunities/bids/{b.pk}/" for b in t.bids.values()]
    for name in ("commissioning-funnel", "commissioning-feedback"):
        urls += [f"/reports/{name}/", *(f"/reports/{name}.{ext}" for ext in DOWNLOAD_FORMATS)]
    if persona == "root":
        urls += ["/django-admin/", *(f"/django-admin/commissioning/{m}/" for m in ("bid", "biddingpartnership"))]
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_count_or_download_gives_a_sealed_bid_away(
    tenders_world: World, count_requests: Any, persona: str
) -> None:
    world = tenders_world
    client = world.client(persona)
    secrets = _secrets(persona)
    requests = 0
    for url in _commissioning_urls(world, persona):
        response = client.get(url)
        requests += 1
        if response.status_code != 200:
            continue
        text = _text_of(response, url.rsplit(".", 1)[-1] if url.endswith(".xlsx") else "")
        told = {what for what, words in secrets.items() if any(word in text for word in words)}
        assert not told, (persona, url, told)
    # Counts: the funnel counts no bid of a sealed stage (not even zero), and no withdrawn bid.
    funnel = json.loads(client.get("/reports/commissioning-funnel.json").content)
    rows = {(row["reference"], row["stage"]): row for row in funnel["rows"]}
    assert rows[("rt-sealed", 1)]["bids"] is None and rows[("rt-sealed", 1)]["partnerships"] == 0
    assert rows[("sy-unsealed", 2)]["bids"] is None
    assert rows[("sy-unsealed", 1)]["bids"] == 3  # Beacon's, Calder's, Tyne's; not the withdrawn one
    assert rows[("sy-unsealed", 1)]["partnerships"] == 3, rows[("sy-unsealed", 1)]
    # The North East's, in the North East's funnel.
    funnel = json.loads(client.get("/reports/commissioning-funnel.json", {"region": "NE"}).content)
    rows = {(row["reference"], row["stage"]): row for row in funnel["rows"]}
    assert set(rows) == {("ne-tender", 1), ("ne-tender", 2)}
    assert rows[("ne-tender", 2)]["bids"] is None
    assert rows[("ne-tender", 1)]["bids"] == 1
    # Heidi's list of evaluations: the closed stage's bids less the one she declared a conflict on.
    if persona != "signed out":
        listed = {bid.pk for bid in client.get("/opportunities/evaluations/").context["bids"]}
        bids = world.tenders.bids
        evaluating = {"heidi": {bids["beacon"].pk, bids["tyne"].pk}, "quinn": {bids["ne closed"].pk}}
        assert listed == evaluating.get(persona, set()), persona
    requests += 3
    count_requests("commissioning (rows)", personas=len(PERSONAS), requests=requests)


def test_opening_a_bid_is_logged_for_those_outside_it_only(tenders_world: World) -> None:
    bid = tenders_world.tenders.bids["beacon"]
    for persona in ("erin", "alice", "heidi"):
        assert tenders_world.client(persona).get(f"/opportunities/bids/{bid.pk}/").status_code == 200
    openers = BidOpening.objects.filter(bid=bid).values_list("opened_by__username", flat=True)
    assert set(openers) == {"alice", "heidi"}


# Which rounds, and which returns in them, each persona sees: written out from the returns rules (docs/access.md).
ROUNDS = {
    "alice": {"prison Y&H", "probation Y&H"},
    "bob": {"probation Y&H"},
    "carol": {"probation Y&H"},
    "frank": {"prison Y&H"},
    "grace": {"prison Y&H"},
    "root": {"prison Y&H", "prison NE", "probation Y&H", "probation NE"},
    "nick": {"prison NE", "probation NE"},
    "olga": {"probation NE"},
    "pat": {"prison NE"},
    "rita": {"prison NE"},
}
ROUND_RETURNS = {
    "prison Y&H": {
        "alice": {"LEEDS", "DONC"},
        "frank": {"LEEDS"},
        "grace": {"LEEDS", "DONC"},
        "root": {"LEEDS", "DONC"},
    },
    "prison NE": {"nick": {"DURH"}, "pat": {"DURH"}, "rita": {"DURH"}, "root": {"DURH"}},
    "probation Y&H": {"alice": {"SYPA", "WYPA"}, "bob": {"SYPA"}, "carol": {"WYPA"}, "root": {"SYPA", "WYPA"}},
    "probation NE": {"nick": {"NEPA"}, "olga": {"NEPA"}, "root": {"NEPA"}},
}
OWN_RETURNS = {"bob": {"SYPA"}, "carol": {"WYPA"}, "frank": {"LEEDS"}, "olga": {"NEPA"}, "pat": {"DURH"}}
# Names of what a persona may not see, which must not appear on any returns page of theirs.
NAMES = {"LEEDS": "HMP Leeds", "DONC": "HMP Doncaster", "DURH": "HMP Durham"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_returns_lists_show_only_the_rounds_and_returns_the_persona_may_see(
    tenders_world: World, count_requests: Any, persona: str
) -> None:
    world = tenders_world
    r = world.rounds
    rounds = {
        "prison Y&H": r.prison,
        "prison NE": r.north_east,
        "probation Y&H": r.probation,
        "probation NE": r.north_east_probation,
    }
    client = world.client(persona)
    requests = 1
    response = client.get("/returns/")
    if persona not in ROUNDS:
        assert response.status_code in (302, 404), persona
        count_requests("returns (rows)", personas=len(PERSONAS), requests=requests)
        return
    listed = {row["round"].pk for row in response.context["rounds"]}
    assert listed == {rounds[name].pk for name in ROUNDS[persona]}, persona
    mine = {row["the_return"].commissioner.code for row in response.context["mine"]}
    assert mine == OWN_RETURNS.get(persona, set()), persona
    bodies = [response.content.decode()]
    for name, the_round in rounds.items():
        response = client.get(f"/returns/rounds/{the_round.pk}/")
        requests += 1
        if name not in ROUNDS[persona]:
            assert response.status_code == 404, (persona, name)
            continue
        codes = {row["the_return"].commissioner.code for row in response.context["rows"]}
        assert codes == ROUND_RETURNS[name][persona], (persona, name)
        bodies.append(response.content.decode())
    seen = set().union(*(ROUND_RETURNS[name].get(persona, set()) for name in ROUNDS[persona]))
    # Each prison return's downloads name its own establishment and no other.
    prison_returns = {"LEEDS": r.leeds, "DONC": r.doncaster, "DURH": r.durham}
    for code in seen & set(prison_returns):
        for download in ("template.xlsx", "lines.csv"):
            response = client.get(f"/returns/prison/{prison_returns[code].pk}/{download}")
            requests += 1
            assert response.status_code == 200, (persona, code, download)
            text = _text_of(response, download.rsplit(".", 1)[-1])
            others = {name for other, name in NAMES.items() if other != code and name in text}
            assert not others, (persona, code, download, others)
    for code, name in NAMES.items():
        if code not in seen:
            assert not any(name in body for body in bodies), (persona, name)
    count_requests("returns (rows)", personas=len(PERSONAS), requests=requests)
