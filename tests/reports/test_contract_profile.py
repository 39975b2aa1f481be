"""The contract profile by area and pathway, with its reconciliation and the gap pathways.

Counted contracts live on 1 October 2006:
  South Yorkshire: A on Accommodation and ETE, B on Accommodation, C on no pathway.
    Accommodation 2, ETE 1: 3 pathway entries for 3 contracts (A counts twice, C not at all),
    1 contract on several pathways, 1 on none.
  West Yorkshire: D on Health: 1 entry, 1 contract.
Region: Accommodation 2, ETE 1, Health 1, the other six 0. Gap pathways for the region: the six
with none, and the fewest of the rest (ETE and Health, 1 each).
The report printed 4 Accommodation entries for South Yorkshire (we count 2: −2) and 3 contracts
(we count 3: a match).
"""

import datetime
import re
from decimal import Decimal

import pytest

from stepchange.organisations.models import Sector
from stepchange.reports.models import Measure, PublishedFigure
from tests.factories import ContractFactory, OrganisationFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, cli_json, cli_xlsx, csv_rows, csv_totals, page, xlsx_rows

OCT = datetime.date(2006, 10, 1)
PARAMS = {"region": "YH", "at": "2006-10-01"}
NONE_IN_REGION = ["drugs-alcohol", "fbd", "children-families", "atb", "offender-management", "unpaid-work"]


@pytest.fixture
def region(cast):
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    ContractFactory.create(commissioner=cast.sypa, prime=vcs, pathways=["accommodation", "ete"])
    ContractFactory.create(commissioner=cast.sypa, prime=vcs, pathways=["accommodation"])
    ContractFactory.create(commissioner=cast.sypa, prime=vcs)
    ContractFactory.create(commissioner=cast.wypa, prime=vcs, pathways=["health"])
    for measure, label, printed in ((Measure.PATHWAY_ENTRIES, "accommodation", "4"), (Measure.CONTRACT_COUNT, "", "3")):
        PublishedFigure.objects.create(
            measure=measure,
            as_at=OCT,
            commissioner=cast.sypa,
            label=label,
            value=Decimal(printed),
            printed=printed,
            source="Report",
        )
    return cast.region


def test_counts_each_pathway_of_a_contract_and_reconciles_with_the_contracts(region):
    data = cli_json("contract-profile", **PARAMS)
    sy = next(r for r in data["rows"] if r["commissioner"] == "SYPA")
    assert (sy["accommodation"], sy["ete"], sy["health"]) == (2, 1, 0)
    assert (sy["pathway_entries"], sy["contracts"], sy["difference"]) == (3, 3, 0)
    assert (sy["contracts_without_pathway"], sy["contracts_on_several_pathways"]) == (1, 1)
    wy = next(r for r in data["rows"] if r["commissioner"] == "WYPA")
    assert (wy["health"], wy["pathway_entries"], wy["contracts"]) == (1, 1, 1)
    totals = data["totals"]
    assert (totals["accommodation"], totals["ete"], totals["health"], totals["fbd"]) == (2, 1, 1, 0)
    assert totals["gap_pathways"] == [*NONE_IN_REGION, "ete", "health"]
    # South Yorkshire's own gaps: every pathway it has no contract on.
    assert sy["gap_pathways"] == ["health", *NONE_IN_REGION, "ete"]


def test_the_published_profile_is_reconciled(region, client):
    rows = {r["figure"]: r for r in as_json(client, "contract-profile", **PARAMS)["reconciliation"]}
    entries = next(r for f, r in rows.items() if "Accommodation" in f)
    assert entries["published"] == "4" and entries["difference"] == "-2" and entries["matches"] is False
    count = next(r for f, r in rows.items() if "Number of contracts" in f)
    assert count["matches"] is True


def test_gaps_are_marked_for_sight_and_for_screen_readers(region, client):
    html = page(client, "contract-profile", **PARAMS)
    sy_match = re.search(r"South Yorkshire Probation Area</th>(.*?)</tr>", html, re.S)
    assert sy_match
    sy_row = sy_match.group(1)
    cells = re.findall(r"<td class=\"([^\"]*)\"[^>]*>(.*?)</td>", sy_row)
    # Columns after the area: the nine pathways in order; FBD (the fifth) has none, so is a gap.
    fbd_class, fbd_text = cells[4]
    assert "app-highlight" in fbd_class and "(gap)" in fbd_text
    accommodation_class, accommodation_text = cells[0]
    assert (
        "app-highlight" not in accommodation_class
        and re.sub(r"<[^>]+>|: the contracts behind this figure", "", accommodation_text) == "2"
    )
    totals_match = re.search(r'app-totals-row">(.*?)</tr>', html, re.S)
    assert totals_match
    assert totals_match.group(1).count("(gap)") == len(NONE_IN_REGION) + 2


def test_every_format_carries_the_profile(region, client, tmp_path):
    rows = as_csv(client, "contract-profile", **PARAMS)
    sy = next(r for r in csv_rows(rows) if r["Probation area"] == "South Yorkshire Probation Area")
    assert (sy["Accommodation"], sy["Pathway entries"], sy["Contracts with no pathway"]) == ("2", "3", "1")
    assert csv_totals(rows)["Accommodation"] == "2"
    for book in (as_xlsx(client, "contract-profile", **PARAMS), cli_xlsx(tmp_path, "contract-profile", **PARAMS)):
        wy = next(r for r in xlsx_rows(book) if r["Probation area"] == "West Yorkshire Probation Area")
        assert wy["Health"] == 1 and wy["Contracts"] == 1


def test_each_area_marks_its_fewest_pathways_as_well_as_those_with_none(region):
    data = cli_json("contract-profile", **PARAMS)
    sy = next(r for r in data["rows"] if r["commissioner"] == "SYPA")
    wy = next(r for r in data["rows"] if r["commissioner"] == "WYPA")
    # South Yorkshire: Accommodation 2, ETE 1, so ETE is its fewest; West Yorkshire: Health only.
    assert sy["fewest_pathways"] == ["ete"] and "ete" in sy["gap_pathways"]
    assert wy["fewest_pathways"] == ["health"] and "health" in wy["gap_pathways"]
    assert "accommodation" not in sy["gap_pathways"]


def test_at_an_approved_return_date_the_profile_reads_the_returns_lines(region, cast, client_for):
    """South Yorkshire's return at its date ends B (Accommodation) and C (no pathway), corrects A
    (Accommodation and ETE) and adds a new VCS contract on Health, entered by Bob on the return's
    form: from the return, 2 contracts, Accommodation 1, ETE 1, Health 1; the contract records
    would give 3 contracts, Accommodation 2 and no Health."""
    from django.utils import timezone

    from stepchange.core.models import FinancialYear
    from stepchange.returns import services
    from stepchange.returns.models import ProbationLineChange, ProbationReturn, ReturnKind

    the_round = services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=FinancialYear.objects.get(name="2006-07"),
        quarter=3,
        commissioners=[cast.sypa],
        opens_on=datetime.date(2007, 1, 1),
        deadline=datetime.date(2007, 1, 31),
    )
    sypa = ProbationReturn.objects.get(round=the_round, commissioner=cast.sypa)
    lines = list(sypa.lines.select_related("contract").prefetch_related("contract__pathways"))
    assert len(lines) == 3
    for line in lines:
        assert line.contract is not None
        on = {p.code for p in line.contract.pathways.all()}
        if on == {"accommodation", "ete"}:
            line.change, line.annual_value = ProbationLineChange.CORRECTED, Decimal("12345")
        else:
            line.change = ProbationLineChange.ENDED
        line.save()
    response = client_for(cast.bob).post(
        f"/returns/probation/{sypa.pk}/contracts/new/",
        {
            "version": ProbationReturn.objects.get(pk=sypa.pk).version,
            "title": "New mentoring",
            "annual_value": "5000",
            "sector": "vcs",
            "pathways": ["health"],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    new_line = sypa.lines.get(change="new")
    assert [p.code for p in new_line.pathways.all()] == ["health"]
    ProbationReturn.objects.filter(pk=sypa.pk).update(submitted_at=timezone.now(), approved_at=timezone.now())
    at = sypa.as_at.isoformat()

    data = cli_json("contract-profile", region="YH", at=at)
    sy = next(r for r in data["rows"] if r["commissioner"] == "SYPA")
    assert (sy["accommodation"], sy["ete"], sy["health"], sy["contracts"]) == (1, 1, 1, 2)
    assert (sy["contracts_without_pathway"], sy["contracts_on_several_pathways"]) == (0, 1)
    # As the share counts it: the same two contracts.
    share = cli_json("probation-share", region="YH", at=at)
    assert next(r for r in share["rows"] if r["commissioner"] == "SYPA")["contracts"] == sy["contracts"]
    # Its figures are the return's, so they do not link to the contract records.
    html = page(client_for(None), "contract-profile", region="YH", at=at)
    assert "commissioner=SYPA" not in html and "commissioner=WYPA" in html
