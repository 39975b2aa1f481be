"""Where the money reaches, worked by hand.

Organisations: Prime Plc (private, major), Small Steps (VCS, small, BME-led), Women Together (VCS,
micro, women-specific, user-led), Middle Trust (VCS, medium, BME-led), County Council (public, no
size band). Contracts of the Yorkshire and Humberside region:

  1. SYPA, main grant, Prime Plc £100,000 from 1 April 2006, Accommodation and ETE;
     sub-contracts Small Steps £20,000, Women Together £10,000: Prime Plc keeps £70,000.
  2. SYPA, main grant, Small Steps £30,000 from 1 April 2005, Accommodation; none passed on.
  3. WYPA, new investment (TWP), Middle Trust £50,000 from 1 April 2006, no pathway;
     sub-contract Women Together £5,000: Middle Trust keeps £45,000.
  4. HMP Leeds, main grant, County Council £40,000 from 1 April 2006, Health;
     sub-contract Middle Trust £8,000: the council keeps £32,000.
  5. SYPA, main grant, Prime Plc £60,000, 1 April 2005 to 31 March 2006 (not live in 2006-07);
     sub-contract Small Steps £6,000.

Live on 1 October 2006: contracts 1 to 4, £220,000; passed on 20,000 + 10,000 + 5,000 + 8,000 =
£43,000, 43,000 × 100 ÷ 220,000 = 19.5454...%. What reaches each: Prime Plc 70,000; Small Steps
30,000 + 20,000 = 50,000; Women Together 10,000 + 5,000 = 15,000; Middle Trust 45,000 + 8,000 =
53,000; County Council 32,000; together £220,000 (nothing added on top).
  Small (micro and small bands): as primes 30,000, through sub-contracts 35,000, £65,000, 29.5454...%
  BME-led: as primes 30,000 + 45,000 = 75,000, through 20,000 + 8,000 = 28,000, £103,000, 46.8181...%
  Women-specific and user-led: through sub-contracts £15,000, 6.8181...%
Five providers, so the ten largest hold everything: 100%.
In 2005-06, contracts 2 and 5: £90,000, passed on 6,000 (6.666...%), Small Steps 36,000 (40%).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector, SizeBand
from stepchange.reports.registry import run_report
from tests.factories import ContractFactory, OrganisationFactory, SubContractFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, page

AT = {"region": "YH", "at": "2006-10-01"}


def d(value: str) -> Decimal:
    return Decimal(value)


@pytest.fixture
def region(cast):
    prime = OrganisationFactory.create(name="Prime Plc", sector=Sector.PRIVATE, size_band=SizeBand.MAJOR)
    small = OrganisationFactory.create(name="Small Steps", size_band=SizeBand.SMALL, bme_led=True)
    women = OrganisationFactory.create(
        name="Women Together", size_band=SizeBand.MICRO, women_specific=True, user_led=True
    )
    middle = OrganisationFactory.create(name="Middle Trust", size_band=SizeBand.MEDIUM, bme_led=True)
    council = OrganisationFactory.create(name="County Council", sector=Sector.PUBLIC)
    one = ContractFactory.create(
        commissioner=cast.sypa, prime=prime, annual_value=d("100000"), pathways=["accommodation", "ete"]
    )
    SubContractFactory.create(contract=one, partner=small, value=d("20000"))
    SubContractFactory.create(contract=one, partner=women, value=d("10000"))
    ContractFactory.create(
        commissioner=cast.sypa,
        prime=small,
        annual_value=d("30000"),
        start=datetime.date(2005, 4, 1),
        pathways=["accommodation"],
    )
    three = ContractFactory.create(
        commissioner=cast.wypa,
        prime=middle,
        annual_value=d("50000"),
        funding_source=FundingSource.NEW_INVESTMENT,
        funder="TWP",
    )
    SubContractFactory.create(contract=three, partner=women, value=d("5000"))
    four = ContractFactory.create(commissioner=cast.leeds, prime=council, annual_value=d("40000"), pathways=["health"])
    SubContractFactory.create(contract=four, partner=middle, value=d("8000"))
    five = ContractFactory.create(
        commissioner=cast.sypa,
        prime=prime,
        annual_value=d("60000"),
        start=datetime.date(2005, 4, 1),
        end=datetime.date(2006, 3, 31),
    )
    SubContractFactory.create(contract=five, partner=small, value=d("6000"))
    return cast.region


def _rows(result):
    return {(r["breakdown"], r["name"]): r for r in result.rows}


def test_what_reaches_each_group_directly_and_through_sub_contracts(region):
    result = run_report("money-reach", AT)
    totals = result.totals
    assert (totals["contracts"], totals["value"], totals["passed_on"]) == (4, d("220000"), d("43000"))
    assert totals["passed_on_pct"] == d("43000") * 100 / d("220000")
    assert (totals["small_direct"], totals["small_sub"], totals["small_value"]) == (
        d("30000"),
        d("35000"),
        d("65000"),
    )
    assert totals["small_pct"] == d("65000") * 100 / d("220000")
    assert (totals["bme_direct"], totals["bme_sub"], totals["bme_value"]) == (d("75000"), d("28000"), d("103000"))
    assert totals["bme_pct"] == d("103000") * 100 / d("220000")
    for group in ("women", "user"):
        assert (totals[f"{group}_direct"], totals[f"{group}_sub"]) == (d("0"), d("15000"))
        assert totals[f"{group}_pct"] == d("15000") * 100 / d("220000")
    # Five providers, so the ten largest hold it all.
    assert (totals["providers"], totals["top_ten_value"], totals["top_ten_pct"]) == (5, d("220000"), d("100"))


def test_sub_contracts_are_never_added_on_top_of_their_prime(region):
    result = run_report("money-reach", AT)
    top = {r["name"]: (r["direct"], r["sub"], r["value"]) for r in result.tables[2].rows}
    assert top == {
        "Prime Plc": (d("70000"), d("0"), d("70000")),
        "Middle Trust": (d("45000"), d("8000"), d("53000")),
        "Small Steps": (d("30000"), d("20000"), d("50000")),
        "County Council": (d("32000"), d("0"), d("32000")),
        "Women Together": (d("0"), d("15000"), d("15000")),
    }
    assert [r["rank"] for r in result.tables[2].rows] == [1, 2, 3, 4, 5]
    assert sum(value for _, _, value in top.values()) == result.totals["value"] == d("220000")
    assert result.tables[2].rows[-1]["cumulative_pct"] == d("100")


def test_by_commissioner_funding_and_pathway(region):
    rows = _rows(run_report("money-reach", AT))
    assert list(rows)[:6] == [
        ("Region", "Yorkshire and Humberside"),
        ("Funding", "Counts toward the target"),
        ("Funding", "Does not count"),
        ("Commissioner", "South Yorkshire Probation Area"),
        ("Commissioner", "West Yorkshire Probation Area"),
        ("Commissioner", "HMP Leeds"),
    ]
    sypa = rows[("Commissioner", "South Yorkshire Probation Area")]
    assert (sypa["contracts"], sypa["value"], sypa["passed_on"]) == (2, d("130000"), d("30000"))
    assert sypa["passed_on_pct"] == d("30000") * 100 / d("130000")
    # Small Steps' own 30,000, its 20,000 sub-contract and Women Together's 10,000.
    assert sypa["small_value"] == d("60000")
    assert rows[("Commissioner", "West Yorkshire Probation Area")]["passed_on_pct"] == d("10")
    leeds = rows[("Commissioner", "HMP Leeds")]
    assert (leeds["value"], leeds["passed_on_pct"], leeds["bme_value"]) == (d("40000"), d("20"), d("8000"))
    # Only SYPA's main-grant contracts with a private or VCS prime count: contracts 1 and 2.
    assert rows[("Funding", "Counts toward the target")]["value"] == d("130000")
    assert rows[("Funding", "Does not count")]["value"] == d("90000")
    # A contract on two pathways counts in full under each; one on none under "No pathway recorded".
    by_pathway = {name: r["value"] for (kind, name), r in rows.items() if kind == "Pathway"}
    assert by_pathway == {
        "Accommodation": d("130000"),
        "Education, Training & Employment": d("100000"),
        "Health": d("40000"),
        "No pathway recorded": d("50000"),
    }


def test_by_size_band_and_what_each_prime_passes_on(region):
    result = run_report("money-reach", AT)
    bands, primes = result.tables[0], result.tables[1]
    assert [(r["size_band"], r["organisations"], r["direct"], r["sub"], r["value"]) for r in bands.rows] == [
        ("Micro (under £10,000)", 1, d("0"), d("15000"), d("15000")),
        ("Small (£10,000 to £100,000)", 1, d("30000"), d("20000"), d("50000")),
        ("Medium (£100,000 to £1 million)", 1, d("45000"), d("8000"), d("53000")),
        ("Large (£1 million to £10 million)", 0, d("0"), d("0"), d("0")),
        ("Major (over £10 million)", 1, d("70000"), d("0"), d("70000")),
        ("Size not given", 1, d("32000"), d("0"), d("32000")),
    ]
    assert [(r["name"], r["value"], r["passed_on"], r["kept"], r["passed_on_pct"]) for r in primes.rows] == [
        ("Prime Plc", d("100000"), d("30000"), d("70000"), d("30")),
        ("Middle Trust", d("50000"), d("5000"), d("45000"), d("10")),
        ("County Council", d("40000"), d("8000"), d("32000"), d("20")),
        ("Small Steps", d("30000"), d("0"), d("30000"), d("0")),
    ]


def test_year_by_year_from_the_earliest_contract(region):
    years = {r["year"]: r for r in run_report("money-reach", AT).tables[3].rows}
    assert list(years) == ["2005-06", "2006-07"]
    before = years["2005-06"]
    assert (before["contracts"], before["value"]) == (2, d("90000"))
    assert before["passed_on_pct"] == d("6000") * 100 / d("90000")
    assert (before["small_pct"], before["bme_pct"], before["women_pct"]) == (d("40"), d("40"), d("0"))
    assert before["top_ten_pct"] == d("100")
    assert years["2006-07"]["value"] == d("220000")
    # A year asked for gives the contracts live at any time in it: the same four.
    assert run_report("money-reach", {"region": "YH", "year": "2006-07"}).totals["value"] == d("220000")


def test_the_ten_largest_providers_leave_out_the_eleventh_and_twelfth(cast):
    # Twelve primes of £1,000 to £12,000: £78,000; the ten largest hold 3,000 + ... + 12,000 = £75,000.
    for n in range(1, 13):
        prime = OrganisationFactory.create(name=f"Provider {n:02d}")
        ContractFactory.create(commissioner=cast.sypa, prime=prime, annual_value=Decimal(n * 1000))
    result = run_report("money-reach", AT)
    assert (result.totals["providers"], result.totals["top_ten_value"]) == (12, d("75000"))
    assert result.totals["top_ten_pct"] == d("75000") * 100 / d("78000")
    assert [r["name"] for r in result.tables[2].rows][:2] == ["Provider 12", "Provider 11"]
    assert len(result.tables[2].rows) == 10


def test_signed_in_only_and_the_same_figures_in_each_form(region, cast, client_for):
    signed_out = client_for(None)
    for url in ("/reports/money-reach/", *(f"/reports/money-reach.{ext}" for ext in ("csv", "json", "xlsx"))):
        response = signed_out.get(url, AT)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url
    alice = client_for(cast.alice)
    data = as_json(alice, "money-reach", **AT)
    assert Decimal(str(data["totals"]["small_value"])) == d("65000")
    assert ["Share held by the ten largest providers", "100"] in as_csv(alice, "money-reach", **AT)
    book = as_xlsx(alice, "money-reach", **AT)
    assert {"Rows", "Totals", "By size band", "What each prime passes on", "The ten largest providers"} <= set(book)
    assert ["2005-06", 2, 90000, *book["Year by year"][1][3:]] == book["Year by year"][1]
    html = page(alice, "money-reach", **AT)
    # 65,000 of 220,000 reaches small organisations: 29.5% to one place; the chart's table is the years'.
    assert "29.5%" in html and "£220,000" in html and "2005-06" in html
    assert 'role="img"' in html and "Reaches BME-led organisations" in html
