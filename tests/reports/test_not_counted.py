"""What does not count toward the target, grouped by who commissioned it, then by funding source
and funder, commissioner by commissioner.

The region of test_probation_share.py, live on 1 October 2006, plus South Yorkshire contracts:
co-commissioned with the Drug Action Team (£12,000 and £8,000), with Supporting People (£5,000),
and an in-kind secondment with no funder named (£3,000).
  Co-commissioned, Drug Action Team:        2 contracts, £20,000
  Co-commissioned, Supporting People:       1, £5,000
  In-kind secondment, not named:            1, £3,000
  Main grant with a public-sector prime:    1, £40,000
  New investment, TWP:                      1, £50,000
  HMPX, main grant of a prison:             1, £9,000
  Regional team, new investment, TWP:       1, £15,000 (the team's, not an area's)
  not counted: 8 contracts, £142,000; counted: 3 contracts (30,000 + 20,000 + 60,000) £110,000.
Over 2006-07 the £7,000 contract that ended on 30 September also counts: 4, £117,000.
"""

import pytest

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector
from tests.factories import ContractFactory, OrganisationFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, cli_json, cli_xlsx, csv_rows, csv_totals, page, xlsx_rows

PARAMS = {"region": "YH", "at": "2006-10-01"}


@pytest.fixture
def region(share_region, cast):
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    for value, source, funder in (
        ("12000", FundingSource.CO_COMMISSIONED, "Drug Action Team"),
        ("8000", FundingSource.CO_COMMISSIONED, "Drug Action Team"),
        ("5000", FundingSource.CO_COMMISSIONED, "Supporting People"),
        ("3000", FundingSource.IN_KIND, ""),
    ):
        ContractFactory.create(
            commissioner=cast.sypa, prime=vcs, annual_value=value, funding_source=source, funder=funder
        )
    ContractFactory.create(
        commissioner=cast.regional_team,
        prime=vcs,
        annual_value="15000",
        funding_source=FundingSource.NEW_INVESTMENT,
        funder="TWP",
    )
    return share_region


def _groups(data):
    return {
        (r["commissioned_by"], r["commissioner"], r["reason"], r["funder"]): (r["contracts"], int(float(r["value"])))
        for r in data["rows"]
    }


def test_grouped_by_who_commissioned_then_funding_source_and_funder(region, cast):
    data = cli_json("not-counted", **PARAMS)
    team = cast.regional_team.code
    assert _groups(data) == {
        ("Probation area", "SYPA", "Co-commissioned with a non-criminal-justice funder", "Drug Action Team"): (
            2,
            20000,
        ),
        ("Probation area", "SYPA", "Co-commissioned with a non-criminal-justice funder", "Supporting People"): (
            1,
            5000,
        ),
        ("Probation area", "SYPA", "In-kind secondment", "Not named"): (1, 3000),
        ("Probation area", "SYPA", "Main grant with a public-sector prime", "Main grant"): (1, 40000),
        ("Probation area", "SYPA", "New investment from outside the main grant", "TWP"): (1, 50000),
        ("Prison", "HMPX", "Main grant of a prison or the regional team, not an area's", "Main grant"): (1, 9000),
        ("Regional team", team, "New investment from outside the main grant", "TWP"): (1, 15000),
    }
    # In that order: probation areas first, then prisons, then the regional team.
    assert [r["commissioned_by"] for r in data["rows"]][-2:] == ["Prison", "Regional team"]
    totals = data["totals"]
    assert (totals["contracts"], int(float(totals["value"]))) == (8, 142000)
    assert (totals["counted_contracts"], int(float(totals["counted_value"]))) == (3, 110000)
    assert [int(float(totals[f"{kind}_value"])) for kind in ("probation", "prison", "regional")] == [
        118000,
        9000,
        15000,
    ]


def test_the_regional_teams_new_investment_is_not_an_areas(region, cast):
    data = cli_json("not-counted", **PARAMS)
    twp = [r for r in data["rows"] if r["funder"] == "TWP"]
    assert {(r["commissioner"], int(float(r["value"]))) for r in twp} == {
        ("SYPA", 50000),
        (cast.regional_team.code, 15000),
    }


def test_over_the_year_a_contract_that_ended_still_counts(region, client):
    totals = as_json(client, "not-counted", region="YH", year="2006-07")["totals"]
    assert (totals["counted_contracts"], int(float(totals["counted_value"]))) == (4, 117000)


def test_every_format_carries_the_groups(region, client, tmp_path):
    html = page(client, "not-counted", **PARAMS)
    assert "Drug Action Team" in html and "£20,000" in html and "£142,000" in html
    rows = as_csv(client, "not-counted", **PARAMS)
    dat = next(r for r in csv_rows(rows) if r["Funder or programme"] == "Drug Action Team")
    assert float(dat["Annual value"]) == 20000 and dat["Contracts"] == "2"
    assert float(csv_totals(rows)["Annual value counted"]) == 110000
    for book in (as_xlsx(client, "not-counted", **PARAMS), cli_xlsx(tmp_path, "not-counted", **PARAMS)):
        assert sum(r["Contracts"] for r in xlsx_rows(book)) == 8
