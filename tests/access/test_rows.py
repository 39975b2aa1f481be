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
from decimal import Decimal
from typing import Any

import pytest

from stepchange.returns.models import ProbationReturn
from tests.access.test_matrix import DOWNLOAD_FORMATS, REPORT_NAMES
from tests.access.world import LEEDS, NE, PERSONAS, PUB, SY, VISIBLE, WY, World, build_world
from tests.factories import ContractFactory, ProbationReturnFactory

BULK = tuple(f"SY-BULK-{n:04d}" for n in range(8001, 8031))
# The thirty extra contracts are South Yorkshire's, held by Calder Mentoring (which no persona
# works for) and unpublished: only Alice, Bob and Root may see them.
SEES_BULK = {"alice", "bob", "root"}
# Commissioner and prime's sector of each contract, to work out by hand what a filter leaves.
COMMISSIONER = {SY: "SYPA", WY: "WYPA", PUB: "WYPA", LEEDS: "LEEDS", NE: "NEPA", **dict.fromkeys(BULK, "SYPA")}
PRIVATE = {WY}  # Beacon Services Ltd is private; every other prime is a charity.
ALL_REFERENCES = set(COMMISSIONER)


def visible(persona: str) -> set[str]:
    return VISIBLE[persona] | (set(BULK) if persona in SEES_BULK else set())


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
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


def leaked(body: str, persona: str) -> set[str]:
    return {reference for reference in ALL_REFERENCES - visible(persona) if reference in body}


# Each filter with the contracts it keeps, worked out from COMMISSIONER and PRIVATE above.
FILTERS: list[tuple[dict[str, str], Any]] = [
    ({}, lambda ref: True),
    ({"commissioner": "SYPA"}, lambda ref: COMMISSIONER[ref] == "SYPA"),
    ({"commissioner": "WYPA"}, lambda ref: COMMISSIONER[ref] == "WYPA"),
    ({"commissioner": "LEEDS"}, lambda ref: COMMISSIONER[ref] == "LEEDS"),
    ({"commissioner": "NEPA"}, lambda ref: COMMISSIONER[ref] == "NEPA"),
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
    world: World, client_for: Any, count_requests: Any, persona: str
) -> None:
    client = client_for(world.user(persona))
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
        text = response.content.decode()
        assert not leaked(text, persona), (persona, query, leaked(text, persona))
        assert {row["reference"] for row in csv.DictReader(io.StringIO(text))} == expected, (persona, query)
    count_requests("contracts:list (rows)", personas=len(PERSONAS), requests=requests)


def test_bobs_list_really_runs_to_two_pages(world: World, client_for: Any) -> None:
    """So that walking the pages above is walking more than one."""
    page = client_for(world.cast.bob).get("/contracts/").context["page"]
    assert page.paginator.num_pages == 2
    assert page.paginator.count == 32  # SY-ACORN, the published WY one and the thirty


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_directory_and_profiles_show_no_contract(
    world: World, client_for: Any, count_requests: Any, persona: str
) -> None:
    client = client_for(world.user(persona))
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
    count_requests("organisations (rows)", personas=len(PERSONAS), requests=requests)


def _text_of(response: Any, extension: str) -> str:
    if extension != "xlsx":
        return response.content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


@pytest.mark.parametrize("persona", PERSONAS)
def test_reports_are_the_same_aggregates_for_everyone_and_name_no_contract(
    world: World, client_for: Any, count_requests: Any, persona: str
) -> None:
    client = client_for(world.user(persona))
    signed_out = client_for(None)
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
GRANT_AREAS = {"alice": {"SYPA", "WYPA"}, "bob": {"SYPA"}, "carol": {"WYPA"}, "root": {"SYPA", "WYPA", "NEPA"}}
ACCOUNTS = {
    "alice": {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"},
    "root": {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nora", "root"},
}
RETURN_AREAS = {"alice": {"SYPA"}, "root": {"SYPA", "NEPA"}}


@pytest.mark.parametrize("persona", sorted(GRANT_AREAS))
def test_the_grants_list_shows_only_the_areas_the_persona_manages(world: World, client_for: Any, persona: str) -> None:
    response = client_for(world.user(persona)).get("/manage/grants/")
    assert _grant_areas(response) == GRANT_AREAS[persona]
    body = response.content.decode()
    amounts = {"SYPA": "19,300,000", "WYPA": "30,800,000", "NEPA": "11,100,000"}
    for code, amount in amounts.items():
        assert (amount in body) == (code in GRANT_AREAS[persona]), (persona, code)


@pytest.mark.parametrize("persona", sorted(ACCOUNTS))
def test_the_user_and_return_lists_show_only_the_region_managed(world: World, client_for: Any, persona: str) -> None:
    client = client_for(world.user(persona))
    response = client.get("/manage/users/")
    assert {account.username for account in response.context["accounts"]} == ACCOUNTS[persona]
    assert f"{len(ACCOUNTS[persona])} accounts" in response.content.decode()
    returns = client.get("/manage/returns/").context["returns"]
    assert {r.commissioner.code for r in returns} == RETURN_AREAS[persona]
    # The North East's return date, which Alice must not see, is there for Root to see.
    assert ProbationReturn.objects.filter(commissioner=world.north_east).exists()
