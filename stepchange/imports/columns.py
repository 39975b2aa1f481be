"""The columns of each kind of import: headings, what each holds, and the lists a cell is chosen
from. The templates (``imports.templates``) and the checking (``imports.checking``) both read them,
so a column is described once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stepchange.contracts.models import ContractKind, FundingSource
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.imports.models import ImportKind
from stepchange.organisations.models import Commissioner, EstablishmentType, Operator, Sector, SizeBand

YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Column:
    heading: str
    notes: str
    required: bool = False
    # The codes a cell may hold, for the template's dropdown and the Notes sheet (None: free text).
    choices: Callable[[Region], list[str]] | None = None
    # A cell may list several codes, separated by semicolons (pathways).
    many: bool = False


def _pathways(region: Region) -> list[str]:
    return list(Pathway.objects.order_by("order").values_list("code", flat=True))


def _commissioners(region: Region) -> list[str]:
    return list(Commissioner.objects.filter(region=region).order_by("code").values_list("code", flat=True))


def _years(region: Region) -> list[str]:
    return list(FinancialYear.objects.order_by("start").values_list("name", flat=True))


def _codes(choices: type) -> Callable[[Region], list[str]]:
    return lambda region: [str(value) for value in choices.values]  # type: ignore[attr-defined]


ID = Column(
    "ID",
    "Your own identifier of the row, unique in the file. Uploading the file again updates the same records.",
    required=True,
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.ORGANISATIONS: (
        ID,
        Column("Name", "The organisation's name, as it is registered.", required=True),
        Column("Sector", "vcs (voluntary and community), private or public.", required=True, choices=_codes(Sector)),
        Column("Charity number", "Its registered charity number in England and Wales, if any: 6 or 7 digits."),
        Column("Company number", "Its Companies House number, if any: 8 digits, or 2 letters and 6 digits."),
        Column(
            "Size band", "micro, small, medium, large or major (annual income), if known.", choices=_codes(SizeBand)
        ),
        Column(
            "Pathways served",
            "The codes of the pathways it serves, separated by semicolons.",
            choices=_pathways,
            many=True,
        ),
        Column("BME-led", "yes or no.", choices=lambda region: list(YES_NO)),
        Column("Women-specific", "yes or no.", choices=lambda region: list(YES_NO)),
        Column("User-led", "yes or no.", choices=lambda region: list(YES_NO)),
        Column("Infrastructure body", "yes or no.", choices=lambda region: list(YES_NO)),
    ),
    ImportKind.CONTRACTS: (
        ID,
        Column("Reference", "The contract's reference, unique across the service.", required=True),
        Column("Title", "What the contract is for.", required=True),
        Column(
            "Commissioner", "The code of the region's commissioner who holds it.", required=True, choices=_commissioners
        ),
        Column(
            "Prime",
            "The lead provider: its ID in your organisations file, or its name exactly as in the directory.",
            required=True,
        ),
        Column("Pathways", "The codes of its pathways, separated by semicolons.", choices=_pathways, many=True),
        Column("Annual value", "Pounds and pence a year, 0 or more, for example 24500 or 24500.50.", required=True),
        Column("Start", "The first day, as 1/4/2006 or 2006-04-01.", required=True),
        Column("End", "The last day, on or after the start; empty for an open-ended contract."),
        Column(
            "Funding source",
            "main_grant (counts toward the target), new_investment, co_commissioned or in_kind.",
            required=True,
            choices=_codes(FundingSource),
        ),
        Column(
            "Funder", "The programme or funder behind money that is not the main grant (needed for co_commissioned)."
        ),
        Column("Kind", "contract, grant, sla or secondment; empty means contract.", choices=_codes(ContractKind)),
    ),
    ImportKind.SUB_CONTRACTS: (
        ID,
        Column(
            "Contract",
            "The contract it is part of: its ID in your contracts file, or its reference.",
            required=True,
        ),
        Column(
            "Partner",
            "The partner organisation: its ID in your organisations file, or its name exactly as in the directory.",
            required=True,
        ),
        Column(
            "Value",
            "Pounds and pence a year, 0 or more. A contract's sub-contracts together cannot be worth more than it.",
            required=True,
        ),
    ),
    ImportKind.GRANTS: (
        ID,
        Column("Commissioner", "The code of the region's commissioner.", required=True, choices=_commissioners),
        Column("Financial year", "The year, as 2006-07.", required=True, choices=_years),
        Column("Indicative", "The indicative grant in pounds, more than 0; give it, the final one or both."),
        Column("Final", "The final grant in pounds, more than 0."),
    ),
    ImportKind.ESTABLISHMENTS: (
        ID,
        Column("Code", "A short code: letters, digits and hyphens, unique across the service.", required=True),
        Column("Name", "The establishment's name, for example HMP Leeds.", required=True),
        Column("Operator", "public or private: who runs it.", required=True, choices=_codes(Operator)),
        Column(
            "Establishment type",
            "local, cat_b, cat_c, womens, open or yoi, if known.",
            choices=_codes(EstablishmentType),
        ),
    ),
}


def headings(kind: str) -> tuple[str, ...]:
    return tuple(column.heading for column in COLUMNS[kind])
