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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from stepchange.contracts.models import Contract
from stepchange.core.exports import SafeCsvWriter
from stepchange.core.streamed_workbook import DropDown, Sheet, Styled, sheets_chunks
from stepchange.organisations.models import Listing, Organisation, Sector
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
            Q(sector=Sector.VCS, region_id=prison_return.commissioner.region_id, listing=Listing.LISTED)
            | Q(pk__in=on_lines)
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


@dataclass
class _Delivering:
    """Who delivers on one line: the directory organisations' names, and the names and sectors of
    those proposed, each in the order the line pages list them (by name). Kept as lists of strings,
    not an object per name: a national return names 100,000."""

    organisations: list[str]
    proposed: list[str]
    sectors: list[str]

    def names(self) -> list[str]:
        return self.organisations + self.proposed


def _delivering(prison_return: PrisonReturn) -> dict[int, _Delivering]:
    """Per pathway id of the return's lines, who delivers on it, read in two queries as plain values."""
    from stepchange.returns.models import ProposedOrganisation

    delivering = {
        pathway_id: _Delivering([], [], []) for pathway_id in prison_return.lines.values_list("pathway_id", flat=True)
    }
    through = PrisonReturnLine.organisations.through.objects.filter(prisonreturnline__prison_return=prison_return)
    for pathway_id, name in through.order_by("organisation__name", "organisation_id").values_list(
        "prisonreturnline__pathway_id", "organisation__name"
    ):
        delivering[pathway_id].organisations.append(name)
    proposed = ProposedOrganisation.objects.filter(line__prison_return=prison_return)
    for pathway_id, name, sector in proposed.order_by("name", "id").values_list("line__pathway_id", "name", "sector"):
        on_line = delivering[pathway_id]
        on_line.proposed.append(name)
        on_line.sectors.append(sector)
    return delivering


def workbook_sheets(prison_return: PrisonReturn) -> list[Sheet]:
    """The template's sheets, in order (see the module's description), ready to be written."""
    pathways = list(prison_pathways(prison_return))
    lines = {line.pathway_id: line for line in prison_return.lines.all()}
    delivering = _delivering(prison_return)
    directory = [name for _pk, name in directory_organisations(prison_return).values_list("pk", "name")]
    contracts = [
        f"{reference} {title}"
        for reference, title in area_wide_contracts(prison_return).values_list("reference", "title")
    ]

    def list_range(column: str, count: int) -> str:
        return f"={LISTS}!${column}$2:${column}${max(count, 1) + 1}"

    def heading_row(names: tuple[str, ...]) -> list[Any]:
        return [Styled(name, "heading") for name in names]

    instructions = Sheet(
        "Instructions",
        [
            [Styled(f"{prison_return} – VCS provision return", "title")],
            [],
            [Styled(INSTRUCTIONS[0], "bold")],
            *([text] for text in INSTRUCTIONS[1:]),
        ],
        widths=(120,),
        protected=True,
    )

    # Lines: the figures and the note unlocked, the total row's figures too.
    line_rows: list[list[Any]] = [heading_row(LINES_HEADINGS)]
    for pathway in pathways:
        line = lines.get(pathway.pk)
        if line is None:
            line_rows.append([pathway.name, None, None, None, None, None])
            continue
        line_rows.append(
            [
                pathway.name,
                line.services_running,
                line.services_started,
                line.services_ended,
                float(line.spend) if line.spend is not None else None,
                "Carried over from last quarter: check these figures" if line.carried_over else None,
            ]
        )
    line_rows.append([Styled(TOTAL, "bold"), None, None, None, Styled(None, "unlocked"), Styled(None, None)])
    lines_sheet = Sheet(
        LINES,
        line_rows,
        column_styles=("unlocked", "unlocked", "unlocked", "unlocked", "amount", "unlocked"),
        widths=(34, 18, 18, 18, 14, 50),
        frozen_heading=True,
        protected=True,
        dropdowns=[DropDown(f"A2:A{len(pathways) + 1}", list_range("A", len(pathways)))],
    )

    # Delivery, then the organisations it names. Their rows are made as they are written: a
    # national return's 200,000 rows kept as lists would keep the garbage collector busy.
    on_lines = [(pathway.name, delivering[pathway.pk]) for pathway in pathways if pathway.pk in delivering]
    named: dict[str, str] = {}
    for _pathway_name, on_line in on_lines:
        for name in on_line.organisations:
            named.setdefault(name, "")
        for name, sector in zip(on_line.proposed, on_line.sectors, strict=True):
            named.setdefault(name, SECTORS.get(sector, ""))
    deliveries = sum(len(on_line.organisations) + len(on_line.proposed) for _name, on_line in on_lines)
    last = deliveries + 2 + DELIVERY_ROWS
    organisation_rows_end = ORGANISATION_ROWS + len(named) + 1

    def delivery_rows() -> Iterator[Sequence[Any]]:
        yield heading_row(DELIVERY_HEADINGS)
        for pathway_name, on_line in on_lines:
            for name in on_line.organisations:
                yield (pathway_name, name)
            for name in on_line.proposed:
                yield (pathway_name, name)
        for _blank in range(DELIVERY_ROWS + 1):
            yield (None, None)

    delivery = Sheet(
        DELIVERY,
        delivery_rows(),
        column_styles=("unlocked", "unlocked"),
        widths=(34, 50),
        frozen_heading=True,
        protected=True,
        dropdowns=[
            DropDown(f"A2:A{last}", list_range("A", len(pathways))),
            DropDown(f"B2:B{last}", f"={ORGANISATIONS}!$A$2:$A${organisation_rows_end}"),
        ],
    )

    def organisation_rows() -> Iterator[Sequence[Any]]:
        yield heading_row(ORGANISATIONS_HEADINGS)
        for name in sorted(named):
            yield (name, named[name] or None)
        for _blank in range(ORGANISATION_ROWS):
            yield (None, None)

    organisations_sheet = Sheet(
        ORGANISATIONS,
        organisation_rows(),
        column_styles=("unlocked", "unlocked"),
        widths=(50, 36),
        frozen_heading=True,
        protected=True,
        dropdowns=[
            DropDown(
                f"A2:A{organisation_rows_end}",
                list_range("B", len(directory)),
                strict=False,
                prompt="Choose from the directory, or type the name of a new organisation and choose its sector.",
            ),
            DropDown(f"B2:B{organisation_rows_end}", list_range("D", len(SECTORS))),
        ],
    )

    fte = part_time_fte(prison_return)
    establishment = Sheet(
        ESTABLISHMENT,
        [
            heading_row(ESTABLISHMENT_HEADINGS),
            [POST_QUESTION, Styled(post_label(prison_return.coordinator_post) or None, "unlocked")],
            [FTE_QUESTION, Styled(float(fte) if fte is not None else None, "unlocked")],
        ],
        widths=(34, 30),
        frozen_heading=True,
        protected=True,
        dropdowns=[DropDown("B2", list_range("E", len(CoordinatorPost.labels)))],
    )

    chosen = [contract_label(c) for c in prison_return.area_contracts.all()] if prison_return.pk else []
    contracts_end = CONTRACT_ROWS + len(chosen) + 1
    contract_rows: list[list[Any]] = [heading_row(CONTRACTS_HEADINGS), *([label] for label in chosen)]
    contract_rows += [[None]] * (contracts_end - len(contract_rows))
    contracts_sheet = Sheet(
        CONTRACTS,
        contract_rows,
        column_styles=("unlocked",),
        widths=(70,),
        frozen_heading=True,
        protected=True,
        dropdowns=[DropDown(f"A2:A{contracts_end}", list_range("C", len(contracts)))],
    )

    columns = (
        ("Pathways", [p.name for p in pathways]),
        ("Directory organisations", directory),
        ("Area-wide contracts", contracts),
        ("Sectors", list(SECTORS.values())),
        ("Co-ordinator posts", [str(label) for label in CoordinatorPost.labels]),
    )
    longest = max(len(values) for _title, values in columns)
    list_rows: list[list[Any]] = [[title for title, _values in columns]]
    list_rows += [[values[n] if n < len(values) else None for _title, values in columns] for n in range(longest)]
    lists = Sheet(LISTS, list_rows, hidden=True)

    identity = Sheet(IDENTITY, [list(row) for row in identity_of(prison_return).rows()], protected=True, hidden=True)
    return [
        instructions,
        lines_sheet,
        delivery,
        organisations_sheet,
        establishment,
        contracts_sheet,
        lists,
        identity,
    ]


def workbook_chunks(prison_return: PrisonReturn) -> Iterator[bytes]:
    """The pre-filled template of this return, as the pieces of an .xlsx file, opening on Lines.

    Names people typed (a pathway, the establishment, an organisation, a contract) are in many
    cells here, the hidden lists the drop-downs offer among them: the writer makes every one safe.
    """
    return sheets_chunks(workbook_sheets(prison_return), active=1)


def build_workbook(prison_return: PrisonReturn) -> bytes:
    """The pre-filled template of this return, as the bytes of an .xlsx file."""
    return b"".join(workbook_chunks(prison_return))


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
    lines = {line.pathway_id: line for line in prison_return.lines.all()}
    delivering = _delivering(prison_return)
    for pathway in prison_pathways(prison_return):
        line = lines.get(pathway.pk)
        if line is None:
            writer.writerow([pathway.name, "", "", "", "", "", ""])
            continue
        names = delivering[pathway.pk].names()
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
    proposed = {
        name: sector
        for on_line in delivering.values()
        for name, sector in zip(on_line.proposed, on_line.sectors, strict=True)
    }
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
