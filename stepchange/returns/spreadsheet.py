"""The spreadsheet template of one prison return, as an Excel workbook and as a CSV file.

The workbook (template version ``TEMPLATE_VERSION``) has these sheets, in this order:

``Instructions``  how to fill it in, and what the upload checks;
``Lines``         one row per pathway: services running, started, ended, spend, and a note
                  (the note, in column F, is never read back: it marks figures carried over);
                  below them a ``Total`` row, optional: if a total is given it must equal its parts;
``Delivery``      one row per organisation delivering on a pathway (pathway, organisation), each
                  from a drop-down list. One lines sheet and one delivery sheet rather than a sheet
                  per pathway: nine sheets of one row each are harder to fill and to check;
``Organisations`` every organisation named on ``Delivery``: from the directory (the drop-down), or
                  a new one with its sector, which is proposed for the directory;
``Establishment`` the VCS co-ordinator post and the FTE of a part-time post;
``Area contracts`` the area-wide contracts delivered in the establishment, one per row;
``Lists``         hidden: the lists the drop-downs offer (pathways, directory organisations,
                  area-wide contracts, sectors, posts);
``Identity``      hidden: which return the file is for (return id, establishment code, round,
                  revision), the template version, the return's version it was made from, a
                  random token of the download, and a checksum of those signed with the service's secret key, so that an edited identity
                  is caught rather than trusted.

The header cells and labels are locked by sheet protection **without a password**: it stops a slip
of the keyboard, not a person who means to change them (Excel's Unprotect Sheet undoes it), and
the upload never relies on it: it checks every heading itself.

The CSV form holds the same lines: the identity as ``key,value`` rows, a blank row, then the
Lines table with one more column, ``Organisations``, naming the organisations delivering on each
pathway separated by semicolons (directory organisations, or ones already proposed on the return).
Below the lines, three sections carry what the other sheets of the workbook carry, each under the
same headings as its sheet and checked by the same code: ``Organisation,Sector (of one not in the
directory)`` (a new organisation named in the Organisations column, with its sector, is proposed
for the directory), ``Question,Answer`` (the co-ordinator post and the FTE) and ``Area-wide
contract`` (one per row). A CSV file without a section leaves that part of the return as it is.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from stepchange.contracts.models import Contract
from stepchange.core.exports import SafeCsvWriter, workbook_bytes
from stepchange.organisations.models import Organisation, Sector
from stepchange.returns.models import CoordinatorPost, PrisonReturn, PrisonReturnLine, ProbationReturn
from stepchange.returns.selectors import area_wide_contracts as area_wide_contracts
from stepchange.returns.selectors import prison_pathways

TEMPLATE_VERSION = 1

LINES = "Lines"
DELIVERY = "Delivery"
ORGANISATIONS = "Organisations"
ESTABLISHMENT = "Establishment"
CONTRACTS = "Area contracts"
LISTS = "Lists"
IDENTITY = "Identity"

LINES_HEADINGS = ("Pathway", "Services running", "Services started", "Services ended", "Spend (£)", "Note")
# The figures' columns, by the PrisonLineForm field each one fills.
LINE_FIELDS = {
    "services_running": "B",
    "services_started": "C",
    "services_ended": "D",
    "spend": "E",
}
CSV_ORGANISATIONS_HEADING = "Organisations"
TOTAL = "Total"
DELIVERY_HEADINGS = ("Pathway", "Organisation")
ORGANISATIONS_HEADINGS = ("Organisation", "Sector (of one not in the directory)")
ESTABLISHMENT_HEADINGS = ("Question", "Answer")
POST_QUESTION = "VCS co-ordinator post"
FTE_QUESTION = "FTE of a part-time post"
CONTRACTS_HEADINGS = ("Area-wide contract",)
SECTORS = {Sector.VCS.value: "Voluntary and community", Sector.PRIVATE.value: "Private"}
# Room left for rows on the sheets a person adds rows to (and so for the drop-downs).
DELIVERY_ROWS = 300
ORGANISATION_ROWS = 300
CONTRACT_ROWS = 50

IDENTITY_KEYS = (
    "Return",
    "Establishment",
    "Round",
    "Revision",
    "Template version",
    "Based on version",
    "Download",
    "Checksum",
)
CSV_IDENTITY_TITLE = "StepChange prison return"
# The sections of a CSV file below its lines, by the workbook sheet each stands for, and their headings.
CSV_SECTIONS = {
    ORGANISATIONS: ORGANISATIONS_HEADINGS,
    ESTABLISHMENT: ESTABLISHMENT_HEADINGS,
    CONTRACTS: CONTRACTS_HEADINGS,
}
SIGNING_SALT = "stepchange.returns.template"


@dataclass(frozen=True)
class Identity:
    """Which return a file is for, and from which of its versions it was made."""

    return_id: int
    establishment: str
    round_label: str
    revision: int
    template_version: int
    based_on_version: int
    # Random, one per download: two files made from the same version are still told apart.
    download: str

    def signed_text(self) -> str:
        return "|".join(
            str(part)
            for part in (
                self.return_id,
                self.establishment,
                self.round_label,
                self.revision,
                self.template_version,
                self.based_on_version,
                self.download,
            )
        )

    def checksum(self) -> str:
        # Hexadecimal on purpose: a base64 signature may start with "-", which a CSV check reads as a formula.
        return salted_hmac(SIGNING_SALT, self.signed_text(), algorithm="sha256").hexdigest()

    def describe(self) -> str:
        revision = f", revision {self.revision}" if self.revision > 1 else ""
        return f"the {self.establishment} return for {self.round_label}{revision} (return {self.return_id})"

    def rows(self) -> list[tuple[str, Any]]:
        return list(
            zip(
                IDENTITY_KEYS,
                (
                    self.return_id,
                    self.establishment,
                    self.round_label,
                    self.revision,
                    self.template_version,
                    self.based_on_version,
                    self.download,
                    self.checksum(),
                ),
                strict=True,
            )
        )


def part_time_fte(prison_return: PrisonReturn) -> Any:
    """The FTE the template asks for: a part-time post's (a full-time post's 1.0 and none's 0 go without saying)."""
    return prison_return.coordinator_fte if prison_return.coordinator_post == CoordinatorPost.PART_TIME else None


def identity_of(the_return: PrisonReturn | ProbationReturn) -> Identity:
    """The identity of a template made now from a prison or probation return (commissioners' codes
    are unique, so a file of one kind never passes as the other's)."""
    return Identity(
        return_id=the_return.pk,
        establishment=the_return.commissioner.code,
        round_label=the_return.round.label if the_return.round else "",
        revision=the_return.revision,
        template_version=TEMPLATE_VERSION,
        based_on_version=the_return.version,
        download=secrets.token_hex(8),
    )


# What the drop-downs offer -------------------------------------------------------------------------


def directory_organisations(prison_return: PrisonReturn) -> QuerySet[Organisation]:
    """The organisations the pathway pages offer: the region's VCS organisations, and any already
    named on one of the return's lines."""
    on_lines = PrisonReturnLine.organisations.through.objects.filter(
        prisonreturnline__prison_return=prison_return
    ).values("organisation_id")
    return (
        Organisation.objects.filter(
            Q(sector=Sector.VCS, region_id=prison_return.commissioner.region_id) | Q(pk__in=on_lines)
        )
        .distinct()
        .order_by("name")
    )


def contract_label(contract: Contract) -> str:
    return f"{contract.reference} {contract.title}"


def post_label(post: str) -> str:
    return str(CoordinatorPost(post).label) if post else ""


# The workbook --------------------------------------------------------------------------------------

INSTRUCTIONS = (
    "How to fill in this return",
    "",
    "Lines: one row per pathway. Give services running, started and ended this quarter as whole numbers "
    "(0 if there are none), and the spend in pounds if you know it. Started cannot be more than running; "
    "ended cannot be more than running and started together.",
    "The Total row is optional. If you fill it in, each total must equal the pathways above it.",
    "Figures marked 'Carried over' in the Note column come from last quarter: check them.",
    "Delivery: one row for each organisation delivering on a pathway. Choose both from the drop-down lists.",
    "Organisations: every organisation named on Delivery. Choose one from the directory, or type the name "
    "of a new one and choose its sector: it is proposed for the directory.",
    "Establishment: the VCS co-ordinator post, and the FTE of a part-time post (a number between 0 and 1).",
    "Area contracts: the area-wide contracts delivered in the establishment, one per row.",
    "",
    "Type values, not formulas. Do not rename the sheets or change the headings.",
    "Upload the file on the return's page. The whole file is checked first: if anything is wrong, nothing "
    "is saved and every problem is listed with its sheet, row and column. If all is well, everything in it "
    "is saved to your draft, and you check and submit the return as you would on the web pages.",
    "This template is for one return only and for the figures as they were when you downloaded it.",
)


def build_workbook(prison_return: PrisonReturn) -> bytes:
    """The pre-filled template of this return, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    pathways = list(prison_pathways())
    lines = {
        line.pathway_id: line
        for line in prison_return.lines.select_related("pathway").prefetch_related("organisations", "proposed")
    }
    directory = list(directory_organisations(prison_return))
    contracts = list(area_wide_contracts(prison_return))
    bold = Font(bold=True)
    heading_fill = PatternFill("solid", fgColor="DDDDDD")
    unlocked = Protection(locked=False)

    workbook = Workbook()
    about = workbook.active
    about.title = "Instructions"
    about.column_dimensions["A"].width = 120
    about["A1"] = f"{prison_return} – VCS provision return"
    about["A1"].font = Font(bold=True, size=14)
    for row, text in enumerate(INSTRUCTIONS, start=3):
        about.cell(row=row, column=1, value=text)
    about["A3"].font = bold
    about.protection.sheet = True

    def headings(sheet: Any, names: tuple[str, ...], widths: tuple[int, ...]) -> None:
        for column, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
            cell = sheet.cell(row=1, column=column, value=name)
            cell.font = bold
            cell.fill = heading_fill
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = "A2"
        sheet.protection.sheet = True

    def unlock(sheet: Any, first_row: int, last_row: int, columns: int) -> None:
        for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
            for cell in row:
                cell.protection = unlocked

    def dropdown(sheet: Any, source: str, cells: str, *, strict: bool = True, prompt: str = "") -> None:
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.showErrorMessage = strict
        validation.error = "Choose a value from the list."
        validation.errorTitle = "Not in the list"
        if prompt:
            validation.prompt = prompt
            validation.showInputMessage = True
        sheet.add_data_validation(validation)
        validation.add(cells)

    # The hidden lists first, so that the drop-downs can point at them.
    lists = workbook.create_sheet(LISTS)
    for column, (title, values) in enumerate(
        (
            ("Pathways", [p.name for p in pathways]),
            ("Directory organisations", [o.name for o in directory]),
            ("Area-wide contracts", [contract_label(c) for c in contracts]),
            ("Sectors", list(SECTORS.values())),
            ("Co-ordinator posts", [str(label) for label in CoordinatorPost.labels]),
        ),
        start=1,
    ):
        lists.cell(row=1, column=column, value=title)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    def list_range(column: str, count: int) -> str:
        return f"{LISTS}!${column}$2:${column}${max(count, 1) + 1}"

    # Lines.
    sheet = workbook.create_sheet(LINES, 1)
    headings(sheet, LINES_HEADINGS, (34, 18, 18, 18, 14, 50))
    for row, pathway in enumerate(pathways, start=2):
        line = lines.get(pathway.pk)
        sheet.cell(row=row, column=1, value=pathway.name)
        if line is not None:
            sheet.cell(row=row, column=2, value=line.services_running)
            sheet.cell(row=row, column=3, value=line.services_started)
            sheet.cell(row=row, column=4, value=line.services_ended)
            sheet.cell(row=row, column=5, value=float(line.spend) if line.spend is not None else None)
            if line.carried_over:
                sheet.cell(row=row, column=6, value="Carried over from last quarter: check these figures")
        sheet.cell(row=row, column=5).number_format = "#,##0.00"
    total_row = len(pathways) + 2
    sheet.cell(row=total_row, column=1, value=TOTAL).font = bold
    unlock(sheet, 2, len(pathways) + 1, 6)
    for cell in sheet[total_row][1:5]:
        cell.protection = unlocked
    dropdown(sheet, "=" + list_range("A", len(pathways)), f"A2:A{len(pathways) + 1}")

    # Delivery, then the organisations it names.
    sheet = workbook.create_sheet(DELIVERY, 2)
    headings(sheet, DELIVERY_HEADINGS, (34, 50))
    row = 2
    named: dict[str, str] = {}
    for pathway in pathways:
        line = lines.get(pathway.pk)
        if line is None:
            continue
        for organisation in line.organisations.all():
            sheet.cell(row=row, column=1, value=pathway.name)
            sheet.cell(row=row, column=2, value=organisation.name)
            named.setdefault(organisation.name, "")
            row += 1
        for proposed in line.proposed.all():
            sheet.cell(row=row, column=1, value=pathway.name)
            sheet.cell(row=row, column=2, value=proposed.name)
            named.setdefault(proposed.name, SECTORS.get(proposed.sector, ""))
            row += 1
    last = max(row, 2) + DELIVERY_ROWS
    unlock(sheet, 2, last, 2)
    dropdown(sheet, "=" + list_range("A", len(pathways)), f"A2:A{last}")
    dropdown(sheet, f"={ORGANISATIONS}!$A$2:$A${ORGANISATION_ROWS + len(named) + 1}", f"B2:B{last}")

    sheet = workbook.create_sheet(ORGANISATIONS, 3)
    headings(sheet, ORGANISATIONS_HEADINGS, (50, 36))
    for row, (name, sector) in enumerate(sorted(named.items()), start=2):
        sheet.cell(row=row, column=1, value=name)
        sheet.cell(row=row, column=2, value=sector or None)
    last = ORGANISATION_ROWS + len(named) + 1
    unlock(sheet, 2, last, 2)
    dropdown(
        sheet,
        "=" + list_range("B", len(directory)),
        f"A2:A{last}",
        strict=False,
        prompt="Choose from the directory, or type the name of a new organisation and choose its sector.",
    )
    dropdown(sheet, "=" + list_range("D", len(SECTORS)), f"B2:B{last}")

    sheet = workbook.create_sheet(ESTABLISHMENT, 4)
    headings(sheet, ESTABLISHMENT_HEADINGS, (34, 30))
    sheet["A2"] = POST_QUESTION
    sheet["B2"] = post_label(prison_return.coordinator_post) or None
    sheet["A3"] = FTE_QUESTION
    sheet["B3"] = float(fte) if (fte := part_time_fte(prison_return)) is not None else None
    sheet["B2"].protection = unlocked
    sheet["B3"].protection = unlocked
    dropdown(sheet, "=" + list_range("E", len(CoordinatorPost.labels)), "B2")

    sheet = workbook.create_sheet(CONTRACTS, 5)
    headings(sheet, CONTRACTS_HEADINGS, (70,))
    chosen = list(prison_return.area_contracts.all()) if prison_return.pk else []
    for row, contract in enumerate(chosen, start=2):
        sheet.cell(row=row, column=1, value=contract_label(contract))
    last = CONTRACT_ROWS + len(chosen) + 1
    unlock(sheet, 2, last, 1)
    dropdown(sheet, "=" + list_range("C", len(contracts)), f"A2:A{last}")

    identity = workbook.create_sheet(IDENTITY)
    for row, (key, value) in enumerate(identity_of(prison_return).rows(), start=1):
        identity.cell(row=row, column=1, value=key)
        identity.cell(row=row, column=2, value=value)
    identity.protection.sheet = True
    identity.sheet_state = "hidden"

    workbook.active = 1
    # Names people typed (a pathway, the establishment, an organisation, a contract) are in many
    # cells here, the hidden lists the drop-downs offer among them: every one is made safe on saving.
    return workbook_bytes(workbook)


# The CSV -------------------------------------------------------------------------------------------


def build_csv(prison_return: PrisonReturn) -> str:
    """The return's lines as CSV: its identity, a blank row, then one row per pathway and a total row."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow([CSV_IDENTITY_TITLE, ""])
    for key, value in identity_of(prison_return).rows():
        writer.writerow([key, value])
    writer.writerow([])
    writer.writerow([*LINES_HEADINGS, CSV_ORGANISATIONS_HEADING])
    lines = {line.pathway_id: line for line in prison_return.lines.prefetch_related("organisations", "proposed")}
    for pathway in prison_pathways():
        line = lines.get(pathway.pk)
        if line is None:
            writer.writerow([pathway.name, "", "", "", "", "", ""])
            continue
        names = [o.name for o in line.organisations.all()] + [p.name for p in line.proposed.all()]
        writer.writerow(
            [
                pathway.name,
                line.services_running,
                line.services_started,
                line.services_ended,
                line.spend,
                "Carried over from last quarter: check these figures" if line.carried_over else "",
                "; ".join(names),
            ]
        )
    writer.writerow([TOTAL, "", "", "", "", "", ""])
    writer.writerow([])
    writer.writerow(list(ORGANISATIONS_HEADINGS))
    proposed = {p.name: p.sector for line in lines.values() for p in line.proposed.all()}
    for name in sorted(proposed, key=str.casefold):
        writer.writerow([name, SECTORS.get(proposed[name], proposed[name])])
    writer.writerow([])
    writer.writerow(list(ESTABLISHMENT_HEADINGS))
    post = prison_return.coordinator_post
    writer.writerow([POST_QUESTION, CoordinatorPost(post).label if post else ""])
    fte = part_time_fte(prison_return)
    writer.writerow([FTE_QUESTION, "" if fte is None else fte.normalize()])
    writer.writerow([])
    writer.writerow(list(CONTRACTS_HEADINGS))
    for contract in prison_return.area_contracts.order_by("reference"):
        writer.writerow([contract_label(contract)])
    return out.getvalue()
