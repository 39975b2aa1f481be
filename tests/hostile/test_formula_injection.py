"""No download lets text run as a spreadsheet formula.

Names people typed (an organisation, a region, a pathway, an establishment, a contract's title, a
funder) start here with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. Every CSV and XLSX
the service offers (the contract list, the directory and its gap view, each registered report in both
formats, a prison return's template and its CSV form, the import templates, and the ``report`` command's files) is opened, and no text cell may
start with one of those un-neutralised: numbers are numbers, text that would run has a leading '.
A workbook is read twice: through openpyxl (no cell is a formula) and as its XML (no ``<f>``
element anywhere, and every drop-down's list is a range of cells, never names written inline).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from stepchange.contracts.models import FundingSource
from stepchange.core.exports import FORMULA_STARTS
from stepchange.core.models import FinancialYear, Pathway
from stepchange.funding.models import ApplicationStatus
from stepchange.organisations.models import Sector, ServiceOffer
from stepchange.plans.models import Plan, PlanVersion
from stepchange.reports.registry import REPORTS
from stepchange.returns import services as return_services
from stepchange.returns.models import PrisonReturn, ProbationReturn, ProbationReturnLine
from tests.engagement.world import make_link
from tests.factories import (
    ContractFactory,
    GrantApplicationFactory,
    GrantsRoundFactory,
    MainGrantFactory,
    OrganisationFactory,
    ProbationReturnFactory,
    TargetFactory,
    open_prison_round,
)
from tests.fixture_types import ClientFor
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db

HOSTILE = {
    "region": '=HYPERLINK("http://evil.example","Yorkshire")',
    "area": "+cmd|' /C calc'!A0",
    "prime": "-2+3+cmd|' /C calc'!A0",
    "partner": "@SUM(1+1)*cmd|' /C calc'!A0",
    "title": "\t=1+1",
    "funder": "\r=1+1",
    "pathway": '=HYPERLINK("http://evil.example","x")',
    "establishment": "+1+1",
    "charity": "-2",
    "proposed": "=1+1",
    "area contract": "@SUM(A1)",  # listed after its reference, so harmless as it stands
}


@pytest.fixture
def hostile_names(cast: Cast):
    clock = datetime.datetime(2006, 7, 3, 10, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", lambda: clock):
        _name_everything_hostile(cast)
        yield


def _name_everything_hostile(cast: Cast) -> None:
    cast.region.name = HOSTILE["region"]
    cast.region.save()
    # The hostile area's sub-contracting plan, so the plans' roll-up download names it.
    plan = Plan.objects.create(
        area=cast.sypa, year=FinancialYear.objects.get(name="2007-08"), created_at=timezone.now()
    )
    PlanVersion.objects.create(plan=plan, number=1, created_at=timezone.now())
    sypa = cast.sypa.organisation
    sypa.name = HOSTILE["area"]
    sypa.save()
    prime = OrganisationFactory.create(name=HOSTILE["prime"], sector="vcs", region=cast.region)
    # Its service, in the hostile area, is in the directory's download and counted in the gap view.
    ServiceOffer.objects.create(organisation=prime, pathway=Pathway.objects.get(code="accommodation"), area=cast.sypa)
    MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19300000"))
    TargetFactory.create()
    ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 4, 1))
    october = ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    # A probation return whose template names a contract the area added, and its pathway.
    added = ProbationReturnLine.objects.create(
        probation_return=october, title=HOSTILE["title"], annual_value=Decimal("100"), change="new", sector="vcs"
    )
    added.pathways.set(Pathway.objects.filter(code="accommodation"))
    ContractFactory.create(
        reference="SYPA-0001",
        title=HOSTILE["title"],
        commissioner=cast.sypa,
        prime=prime,
        pathways=["accommodation", "fbd"],
        annual_value=Decimal("24500"),
        published=True,
    )
    ContractFactory.create(
        reference="SYPA-0002",
        title="Drug intervention",
        commissioner=cast.sypa,
        prime=OrganisationFactory.create(name=HOSTILE["partner"], sector="private"),
        funding_source=FundingSource.CO_COMMISSIONED,
        funder=HOSTILE["funder"],
        published=True,
    )
    # A prison return whose template names them all: a pathway, the establishment, a directory
    # organisation delivering on a line, one proposed for the directory, an area-wide contract.
    Pathway.objects.filter(code="accommodation").update(name=HOSTILE["pathway"])
    leeds = cast.leeds.organisation
    leeds.name = HOSTILE["establishment"]
    leeds.save()
    cast.charity.name = HOSTILE["charity"]
    cast.charity.save()
    area_contract = ContractFactory.create(
        reference="ROM-0001", title=HOSTILE["area contract"], commissioner=cast.regional_team, published=True
    )
    the_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    return_services.prison_line_save(
        actor=cast.frank,
        prison_return=the_return,
        expected_version=the_return.version,
        pathway=Pathway.objects.get(code="accommodation"),
        organisations=[cast.charity],
        proposed=[(HOSTILE["proposed"], Sector.VCS)],
        services_running=3,
        services_started=1,
        services_ended=0,
        spend=Decimal("1200.00"),
    )
    the_return.refresh_from_db()
    return_services.area_contract_add(
        actor=cast.frank, prison_return=the_return, expected_version=the_return.version, contract=area_contract
    )
    # A small grant made to the charity, for a project titled like a formula, by the region's team
    # (named after the region): the 360Giving CSV names all three.
    GrantApplicationFactory.create(
        round=GrantsRoundFactory.create(region=cast.region, name=HOSTILE["proposed"]),
        organisation=cast.charity,
        project_title=HOSTILE["title"],
        summary=HOSTILE["funder"],
        status=ApplicationStatus.AWARDED,
        amount_awarded=Decimal("1000.00"),
        decided_on=datetime.date(2006, 7, 1),
        decision_reasons="Good.",
    )
    # A community-engagement link of the establishment with the charity, every text like a formula;
    # the links CSV names the partner, the directory organisation and the pathway as well.
    link = make_link(
        cast.leeds,
        HOSTILE["partner"],
        groups=("bme",),
        pathways=("accommodation",),
        organisation=cast.charity,
        purpose=HOSTILE["title"],
        evaluation=HOSTILE["funder"],
        future_plans=HOSTILE["proposed"],
    )
    assert link.pk


# A number as the downloads write one, not all that Decimal parses: "-Infinity" would run as a formula.
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def is_number(text: str) -> bool:
    return bool(PLAIN_NUMBER.match(text))


def unsafe_csv_cells(body: bytes) -> list[str]:
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for cell in row]
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not is_number(cell)]


# A drop-down's list as the template writes it: a range of cells on a sheet, e.g. Lists!$A$2:$A$10.
CELL_RANGE = re.compile(r"^=?('[^']+'|\w+)!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+$")


def unsafe_xlsx_cells(body: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(body), data_only=False)
    unsafe = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                    unsafe.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
        for validation in sheet.data_validations.dataValidation:
            if validation.formula1 is not None and not CELL_RANGE.match(validation.formula1):
                unsafe.append(f"{sheet.title} drop-down {validation.sqref}: {validation.formula1!r}")
    return unsafe + formulas_in_xml(body)


def formulas_in_xml(body: bytes) -> list[str]:
    """Any <f> element in any part of the package, as another reader than openpyxl would see it."""
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        return [
            f"{info.filename}: <f>"
            for info in package.infolist()
            if info.filename.endswith(".xml") and re.search(rb"<(\w+:)?f[\s>/]", package.read(info))
        ]


def all_text(body: bytes, extension: str) -> str:
    if extension == "csv":
        return "\n".join(cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for cell in row)
    workbook = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )


def downloads() -> list[tuple[str, str]]:
    """Every download URL; {return} stands for the prison return's id, {probation} for the probation
    one's, {leeds} for HMP Leeds's (its community-engagement links)."""
    found = [
        ("/contracts.csv", "csv"),
        ("/contracts.xlsx", "xlsx"),
        ("/returns/prison/{return}/template.xlsx", "xlsx"),
        ("/returns/prison/{return}/lines.csv", "csv"),
        ("/returns/probation/{probation}/template.xlsx", "xlsx"),
        ("/returns/probation/{probation}/contracts.csv", "csv"),
        ("/organisations/download/organisations.csv", "csv"),
        ("/organisations/gaps/download.csv?region=YH", "csv"),
        ("/funding/360giving.csv", "csv"),
        ("/plans/region.csv?region=YH&year=2007-08", "csv"),
        ("/engagement/establishments/{leeds}/links.csv", "csv"),
    ]
    # The import templates' lists (commissioners, organisations' codes, pathways) name what people typed.
    for kind in ("organisations", "contracts", "sub-contracts", "grants", "establishments"):
        found += [(f"/imports/YH/{kind}/template.xlsx", "xlsx"), (f"/imports/YH/{kind}/template.csv", "csv")]
    for name in sorted(REPORTS):
        found += [
            (f"/reports/{name}.csv?region=YH&at=2006-10-01", "csv"),
            (f"/reports/{name}.xlsx?region=YH&at=2006-10-01", "xlsx"),
        ]
    return found


# The URL names of the downloads above, each a spreadsheet or may be one (a report's extension).
DOWNLOAD_NAMES = {
    "contracts:list-csv",
    "contracts:list-xlsx",
    "returns:prison-template",
    "returns:prison-csv",
    "returns:probation-template",
    "returns:probation-csv",
    "reports:download",
    "organisations:download-csv",
    "organisations:gaps-download",
    "funding:360giving-csv",
    "plans:rollup-csv",
    "engagement:download",
    "imports:template",
    "imports:template-csv",
}


def spreadsheet_routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """Every URL pattern that serves a CSV or XLSX, by name: its route names the file's type."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from spreadsheet_routes(pattern.url_patterns, route, inner)
        elif route.endswith((".csv", ".xlsx", "<slug:extension>")):
            yield f"{namespace}:{pattern.name}", route


def test_every_url_serving_a_spreadsheet_is_walked_here() -> None:
    # A new download joins the walk below, or this test names it.
    assert {name for name, _ in spreadsheet_routes(get_resolver().url_patterns)} == DOWNLOAD_NAMES


def test_every_download_is_found() -> None:
    # Every report, both formats, and the contract list in both: a new report joins this test by registering.
    assert len(downloads()) == 21 + 2 * len(REPORTS)
    assert len(REPORTS) >= 5


@pytest.mark.parametrize(("url", "extension"), downloads())
def test_no_cell_of_any_download_would_run_as_a_formula(
    cast: Cast, client_for: ClientFor, hostile_names, tally: Tally, url, extension
) -> None:
    tally.add()
    the_return = PrisonReturn.objects.get(commissioner=cast.leeds)
    probation = ProbationReturn.objects.get(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    url = url.replace("{return}", str(the_return.pk)).replace("{probation}", str(probation.pk))
    url = url.replace("{leeds}", str(cast.leeds.pk))
    response = client_for(cast.alice).get(url)

    assert response.status_code == 200
    body = response.getvalue()
    unsafe = unsafe_csv_cells(body) if extension == "csv" else unsafe_xlsx_cells(body)
    assert unsafe == []


def test_the_contract_csv_keeps_every_hostile_name_neutralised_but_readable(
    cast: Cast, client_for: ClientFor, hostile_names
) -> None:
    text = all_text(client_for(cast.alice).get("/contracts.csv").getvalue(), "csv")

    for key in ("area", "prime", "partner", "title", "funder"):
        assert "'" + HOSTILE[key] in text, key


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_report_naming_the_hostile_area_shows_it_neutralised(
    cast: Cast, client_for: ClientFor, hostile_names, extension
) -> None:
    body = client_for(None).get(f"/reports/probation-share.{extension}?region=YH&at=2006-10-01").content

    assert "'" + HOSTILE["area"] in all_text(body, extension)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_report_command_writes_no_formula_either(cast: Cast, hostile_names, tmp_path: Path, extension) -> None:
    unsafe = []
    for name in sorted(REPORTS):
        output = tmp_path / f"{name}.{extension}"
        call_command(
            "report",
            name,
            "--param",
            "region=YH",
            "--param",
            "at=2006-10-01",
            "--format",
            extension,
            "--output",
            str(output),
            stderr=io.StringIO(),
        )
        body = output.read_bytes()
        unsafe += unsafe_csv_cells(body) if extension == "csv" else unsafe_xlsx_cells(body)
    assert unsafe == []


def template_text(cast: Cast, client_for: ClientFor, extension: str) -> str:
    the_return = PrisonReturn.objects.get(commissioner=cast.leeds)
    name = "template.xlsx" if extension == "xlsx" else "lines.csv"
    return all_text(client_for(cast.frank).get(f"/returns/prison/{the_return.pk}/{name}").content, extension)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_return_template_names_every_hostile_name_as_quoted_text(
    cast: Cast, client_for: ClientFor, hostile_names, extension
) -> None:
    text = template_text(cast, client_for, extension)

    for key in ("pathway", "charity", "proposed"):
        assert "'" + HOSTILE[key] in text, key
    if extension == "xlsx":  # the workbook's title names the establishment
        assert "'" + HOSTILE["establishment"] in text


@pytest.mark.parametrize(("extension", "name"), [("csv", "contracts.csv"), ("xlsx", "template.xlsx")])
def test_the_probation_template_names_the_hostile_contract_and_pathway_as_quoted_text(
    cast: Cast, client_for: ClientFor, hostile_names, extension, name
) -> None:
    probation = ProbationReturn.objects.get(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1))
    body = client_for(cast.bob).get(f"/returns/probation/{probation.pk}/{name}").content
    text = all_text(body, extension)

    for key in ("title", "pathway"):
        assert "'" + HOSTILE[key] in text, key
