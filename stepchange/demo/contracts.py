"""The demo's contracts, as plain data: the counted ones solved to the report's aggregates, and the
ones that do not count (new investment, co-commissioned, in kind, public primes, prisons).

The report prints no single contract. Each area's counted contracts are listed here with their
sector, pathways, when they started and a relative size; their values are the area's published
totals shared out by size (largest remainder, to the pound), so every total is exact and the
values are skewed: many small contracts and a few large ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from stepchange.demo import figures

D = datetime.date

NOTES = (
    "Demo data: generated to match the published aggregates of the Step Change final report 2006-07 "
    "(Yorkshire and Humberside); the report names no individual contracts."
)

# Relative sizes: small, medium, large, extra large.
SIZES = {"s": 1, "m": 3, "l": 8, "x": 20}
PATHWAY_LETTERS = {
    "A": "accommodation",
    "E": "ete",
    "H": "health",
    "D": "drugs-alcohol",
    "F": "fbd",
    "C": "children-families",
    "T": "atb",
    "O": "offender-management",
    "U": "unpaid-work",
}
# Phases of a counted contract in 2006-07: live at the baseline and still on 1 October; started
# 2 April to 1 July; started 2 July to 1 October.
BASE, Q1, Q2 = "base", "q1", "q2"
BASE_STARTS = (D(2003, 4, 1), D(2004, 4, 1), D(2004, 10, 1), D(2005, 4, 1), D(2005, 7, 1), D(2006, 1, 1), D(2006, 4, 1))
BASE_ENDS: tuple[datetime.date | None, ...] = (None, D(2007, 3, 31), D(2008, 3, 31), None, D(2009, 3, 31))
NEW_STARTS = {Q1: (D(2006, 5, 1), D(2006, 6, 1), D(2006, 7, 1)), Q2: (D(2006, 8, 1), D(2006, 9, 1), D(2006, 10, 1))}
NEW_ENDS: tuple[datetime.date | None, ...] = (D(2008, 3, 31), None)

# One row per counted contract live on 1 October 2006:
# (sector v/p, pathway letters, phase, size, title, named prime or "").
Row = tuple[str, str, str, str, str, str]

COUNTED: dict[str, list[Row]] = {
    "SYPA": [
        ("v", "AE", BASE, "x", "Supported housing with employment support", ""),
        ("v", "ED", BASE, "m", "Employment support for drug-using offenders", ""),
        ("v", "A", BASE, "m", "Supported housing for offenders", "Foundation Housing"),
        ("v", "A", BASE, "s", "Tenancy support", ""),
        ("v", "E", BASE, "l", "South Yorkshire Offender Partnership: employment and training", "SOVA"),
        ("v", "E", BASE, "s", "Basic skills tuition", ""),
        ("v", "E", BASE, "s", "Job search club", ""),
        ("v", "E", BASE, "m", "Construction skills placements", ""),
        ("v", "E", BASE, "s", "IT skills workshops", ""),
        ("v", "E", Q1, "m", "Education, training and employment advice", ""),
        ("v", "E", BASE, "s", "Volunteering placements", ""),
        ("v", "H", BASE, "s", "Mental health support", ""),
        ("v", "D", BASE, "m", "Alcohol treatment programme", ""),
        ("v", "D", BASE, "s", "Drink impaired drivers programme", ""),
        ("v", "D", Q1, "s", "Drug intervention aftercare", ""),
        ("v", "D", BASE, "s", "Women's substance misuse group", ""),
        ("p", "D", BASE, "m", "Drug testing services", ""),
        ("v", "O", BASE, "s", "Victim awareness sessions", ""),
        ("v", "O", BASE, "m", "Mentoring for prolific and priority offenders", ""),
        ("v", "O", BASE, "s", "Restorative justice service", ""),
        ("p", "O", Q2, "m", "Approved premises night cover", ""),
        ("v", "O", BASE, "s", "Community interpreting service", ""),
        ("p", "U", BASE, "m", "Unpaid work transport and supervision", ""),
    ],
    "HYPA": [
        ("v", "A", BASE, "m", "Supported housing for offenders", ""),
        ("v", "E", Q2, "s", "Education, training and employment advice", ""),
        ("p", "E", BASE, "m", "Employability programme", ""),
        ("v", "D", BASE, "m", "Alcohol counselling service", ""),
        ("p", "D", BASE, "l", "Drug testing services", ""),
        ("p", "D", BASE, "s", "Drug awareness programme", ""),
        ("v", "C", Q1, "s", "Support for offenders' families", ""),
        ("v", "T", BASE, "s", "Mentoring for young adult offenders", ""),
        ("v", "O", BASE, "s", "Victim liaison support", ""),
        ("p", "O", BASE, "x", "Approved premises night cover", ""),
        ("p", "O", BASE, "m", "Psychology assessment service", ""),
        ("p", "O", Q1, "m", "Interpreting and translation", ""),
        ("p", "O", BASE, "s", "Approved premises catering", ""),
        ("p", "O", BASE, "m", "Hostel maintenance and security", ""),
        ("p", "U", BASE, "l", "Unpaid work supervision and transport", ""),
    ],
    "NYPA": [
        ("v", "AD", BASE, "m", "Supported housing with alcohol support", ""),
        ("v", "D", BASE, "s", "Alcohol brief interventions", ""),
        ("v", "D", Q1, "m", "Drug intervention aftercare", ""),
        ("v", "D", BASE, "s", "Rural drug outreach", ""),
        ("p", "D", BASE, "s", "Drug testing services", ""),
        ("v", "T", Q2, "s", "Mentoring for low-risk offenders", ""),
        ("v", "O", BASE, "s", "Victim awareness sessions", ""),
        ("v", "O", Q2, "m", "Restorative justice service", ""),
        ("v", "O", BASE, "s", "Volunteer mentors in offender management", ""),
        ("p", "O", Q1, "l", "Approved premises night cover", ""),
        ("p", "O", BASE, "s", "Interpreting and translation", ""),
        ("p", "O", BASE, "s", "Approved premises catering", ""),
        ("p", "O", BASE, "s", "Psychology assessment service", ""),
    ],
    "WYPA": [
        ("v", "A", BASE, "l", "Supported housing for offenders", "Foundation Housing"),
        ("v", "E", BASE, "m", "Education, training and employment advice", "Nacro"),
        ("v", "H", BASE, "m", "Mental health support", ""),
        ("v", "H", Q1, "s", "Health trainers", ""),
        ("v", "H", BASE, "s", "Dual diagnosis support", ""),
        ("p", "H", Q2, "m", "Psychiatric assessment service", ""),
        ("v", "D", BASE, "m", "Alcohol treatment programme", ""),
        ("v", "D", BASE, "s", "Drink impaired drivers programme", ""),
        ("v", "D", Q1, "s", "Drug intervention aftercare", ""),
        ("p", "D", BASE, "l", "Drug testing services", ""),
        ("v", "T", BASE, "s", "Mentoring for young adult offenders", ""),
        ("v", "T", Q2, "m", "Women's offending behaviour group", ""),
        ("v", "O", BASE, "s", "Victim awareness sessions", ""),
        ("v", "O", BASE, "m", "Restorative justice service", ""),
        ("v", "O", BASE, "s", "Volunteer mentors in offender management", ""),
        ("v", "O", Q1, "m", "Mentoring for prolific and priority offenders", ""),
        ("v", "O", BASE, "s", "Court-based advice", ""),
        ("v", "O", BASE, "s", "Community interpreting service", ""),
        ("p", "O", BASE, "x", "Approved premises night cover", ""),
        ("p", "O", BASE, "m", "Approved premises catering", ""),
        ("p", "O", BASE, "s", "Interpreting and translation", ""),
        ("p", "O", BASE, "m", "Psychology assessment service", ""),
        ("p", "O", Q2, "l", "Hostel maintenance and security", ""),
        ("p", "O", BASE, "s", "Offender transport", ""),
        ("p", "O", BASE, "s", "Court report typing service", ""),
        ("p", "O", BASE, "m", "Accredited programme materials", ""),
        ("v", "U", BASE, "s", "Unpaid work placements", ""),
        ("v", "U", BASE, "s", "Unpaid work community garden project", ""),
        ("v", "U", Q1, "s", "Unpaid work placements with charity shops", ""),
        ("p", "U", BASE, "l", "Unpaid work supervision and transport", ""),
        ("p", "U", BASE, "m", "Unpaid work tools and equipment", ""),
        ("p", "U", BASE, "m", "Unpaid work site supervision, Bradford", ""),
        ("p", "U", BASE, "m", "Unpaid work site supervision, Leeds", ""),
        ("p", "U", Q2, "x", "Unpaid work workshop", ""),
        ("p", "U", BASE, "s", "Unpaid work catering placements", ""),
        ("v", "", BASE, "s", "Service user consultation", ""),
        ("v", "", BASE, "s", "Volunteer co-ordination", ""),
        ("p", "", BASE, "m", "Staff training on partnership working", ""),
    ],
}
# The counted contract of each area that was live on 1 April and ended before 1 October.
ENDED: dict[str, tuple[str, str, str]] = {
    "SYPA": ("v", "A", "Rent deposit and bond scheme"),
    "HYPA": ("p", "O", "Offender transport"),
    "NYPA": ("v", "E", "Basic skills tuition"),
    "WYPA": ("v", "A", "Rent deposit and bond scheme"),
}
# Partners sub-contracted by the prime of a counted contract: (area, row number from 1) -> partners.
SUB_CONTRACTS: dict[tuple[str, int], tuple[tuple[str, Decimal], ...]] = {
    ("SYPA", 5): (("Demo Community Project 20", Decimal("18000")), ("Demo Community Project 21", Decimal("12500"))),
    ("HYPA", 15): (("Demo Community Project 22", Decimal("9000")),),
    ("WYPA", 1): (("Demo Community Project 23", Decimal("15000")),),
}

DEMO_VCS_PROVIDERS = 24
DEMO_PRIVATE_PROVIDERS = 10


@dataclass
class ContractSpec:
    reference: str
    title: str
    commissioner: str
    prime: str
    annual_value: Decimal
    start: datetime.date
    end: datetime.date | None
    funding_source: str = "main_grant"
    kind: str = "contract"
    funder: str = ""
    pathways: tuple[str, ...] = ()
    sub_contracts: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)
    notes: str = NOTES


def share_out(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split a whole-pound total in proportion to weights, to the pound (largest remainder, ties by order)."""
    pounds = int(total)
    assert pounds == total, "totals are whole pounds"
    whole = sum(weights)
    floors = [pounds * w // whole for w in weights]
    remainders = [(pounds * w % whole, -i) for i, w in enumerate(weights)]
    short = pounds - sum(floors)
    for _, neg_i in sorted(remainders, reverse=True)[:short]:
        floors[-neg_i] += 1
    return [Decimal(v) for v in floors]


def size_weight(size: str, row: int) -> int:
    """The row's size, varied by up to 30% either way so that no two neighbours cost the same."""
    return SIZES[size] * (100 + (row * 37) % 61 - 30)


def counted_contracts() -> list[ContractSpec]:
    """Every counted contract live at some time in 2006-07, with values solved to the published totals."""
    specs: list[ContractSpec] = []
    vcs_turn = private_turn = 0
    for area, rows in COUNTED.items():
        ended_value, ended_on = figures.ENDED_BEFORE_OCTOBER[area]
        continuing_total = figures.SPEND_BASELINE[area] - ended_value
        new_total = figures.SPEND_OCTOBER[area] - continuing_total
        base_rows = [i for i, row in enumerate(rows) if row[2] == BASE]
        new_rows = [i for i, row in enumerate(rows) if row[2] != BASE]
        values: dict[int, Decimal] = {}
        for chosen, total in ((base_rows, continuing_total), (new_rows, new_total)):
            weights = [size_weight(rows[i][3], i) for i in chosen]
            for i, value in zip(chosen, share_out(total, weights), strict=True):
                values[i] = value
        starts_used = {BASE: 0, Q1: 0, Q2: 0}
        for i, (sector, letters, phase, size, title, named) in enumerate(rows):
            if named:
                prime = named
            elif sector == "v":
                prime = f"Demo Community Project {vcs_turn % DEMO_VCS_PROVIDERS + 1:02d}"
                vcs_turn += 1
            else:
                prime = f"Demo Services Ltd {private_turn % DEMO_PRIVATE_PROVIDERS + 1:02d}"
                private_turn += 1
            turn = starts_used[phase]
            starts_used[phase] += 1
            if phase == BASE:
                start, end = BASE_STARTS[turn % len(BASE_STARTS)], BASE_ENDS[turn % len(BASE_ENDS)]
            else:
                start, end = NEW_STARTS[phase][turn % 3], NEW_ENDS[turn % len(NEW_ENDS)]
            if sector == "v" and size == "s" and i % 3 == 0:
                kind = "grant"
            elif sector == "p" and size == "m" and i % 4 == 1:
                kind = "sla"
            else:
                kind = "contract"
            specs.append(
                ContractSpec(
                    reference=f"DEMO-{area}-{i + 1:03d}",
                    title=f"{title} (demo)",
                    commissioner=area,
                    prime=prime,
                    annual_value=values[i],
                    start=start,
                    end=end,
                    kind=kind,
                    pathways=tuple(PATHWAY_LETTERS[letter] for letter in letters),
                    sub_contracts=SUB_CONTRACTS.get((area, i + 1), ()),
                )
            )
        sector, letters, title = ENDED[area]
        if sector == "v":
            prime = f"Demo Community Project {vcs_turn % DEMO_VCS_PROVIDERS + 1:02d}"
            vcs_turn += 1
        else:
            prime = f"Demo Services Ltd {private_turn % DEMO_PRIVATE_PROVIDERS + 1:02d}"
            private_turn += 1
        specs.append(
            ContractSpec(
                reference=f"DEMO-{area}-{len(rows) + 1:03d}",
                title=f"{title} (demo)",
                commissioner=area,
                prime=prime,
                annual_value=ended_value,
                start=D(2004, 4, 1),
                end=ended_on,
                pathways=tuple(PATHWAY_LETTERS[letter] for letter in letters),
            )
        )
    return specs


# Prison contracts live on 1 April 2006, per pathway: (prison code, title, prime, weight). Each
# pathway's values are the baseline spend of paras 5.45-5.46 shared out by weight.
PRISON_BASELINE: dict[str, list[tuple[str, str, str, int]]] = {
    "accommodation": [
        ("LEEDS", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 5),
        ("HULL", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 4),
        ("MOORLAND", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 3),
        ("LINDHOLME", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 2),
        ("NEWHALL", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 2),
        ("WEALSTUN", "Housing advice (area contract lot)", "Demo Housing Advice Trust", 2),
        ("DONCASTER", "Housing advice service", "Demo Community Project 05", 3),
    ],
    "ete": [
        ("LEEDS", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 5),
        ("HULL", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 4),
        ("EVERTHORPE", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 3),
        ("HATFIELD", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 2),
        ("ASKHAM", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 2),
        ("WETHERBY", "Employment and training advice (area contract lot)", "Demo Learning and Work Trust", 3),
        ("WOLDS", "Employment and training workshops", "Demo Services Ltd 04", 2),
    ],
    "drugs-alcohol": [
        ("LEEDS", "CARATS (area contract lot)", "Demo Drug Services Trust", 6),
        ("HULL", "CARATS (area contract lot)", "Demo Drug Services Trust", 5),
        ("WAKEFIELD", "CARATS (area contract lot)", "Demo Drug Services Trust", 2),
        ("FULLSUTTON", "CARATS (area contract lot)", "Demo Drug Services Trust", 2),
        ("EVERTHORPE", "CARATS (area contract lot)", "Demo Drug Services Trust", 3),
        ("MOORLAND", "CARATS (area contract lot)", "Demo Drug Services Trust", 4),
        ("LINDHOLME", "CARATS (area contract lot)", "Demo Drug Services Trust", 3),
        ("NEWHALL", "CARATS (area contract lot)", "Demo Drug Services Trust", 3),
        ("WEALSTUN", "CARATS (area contract lot)", "Demo Drug Services Trust", 3),
        ("DONCASTER", "Drug treatment and throughcare", "Demo Services Ltd 06", 5),
    ],
    "children-families": [
        ("LEEDS", "Visitors' centre", "Demo Visitors' Centre Trust", 3),
        ("HULL", "Visitors' centre", "Demo Visitors' Centre Trust", 2),
        ("WAKEFIELD", "Visitors' centre", "Demo Visitors' Centre Trust", 2),
    ],
}


def prison_contracts() -> list[ContractSpec]:
    """Prison contracts live on 1 April 2006 whose sums per pathway are the report's baseline, and two
    services Hull started after its June 2006 conference (after the baseline, so outside it)."""
    specs: list[ContractSpec] = []
    numbers: dict[str, int] = {}

    def reference(code: str) -> str:
        numbers[code] = numbers.get(code, 0) + 1
        return f"DEMO-{code}-{numbers[code]:03d}"

    for pathway, lots in PRISON_BASELINE.items():
        values = share_out(figures.PRISON_BASELINE_SPEND[pathway], [lot[3] for lot in lots])
        for (code, title, prime, _), value in zip(lots, values, strict=True):
            specs.append(
                ContractSpec(
                    reference=reference(code),
                    title=f"{title} (demo)",
                    commissioner=code,
                    prime=prime,
                    annual_value=value,
                    start=D(2005, 4, 1),
                    end=D(2008, 3, 31),
                    kind="sla" if code in {"DONCASTER", "WOLDS"} else "contract",
                    pathways=(pathway,),
                )
            )
    for title, pathway, prime, value in (
        ("Debt and benefits advice", "fbd", "Demo Community Project 09", Decimal("14500")),
        ("Peer mentoring for short-sentence prisoners", "atb", "Demo Community Project 10", Decimal("9800")),
    ):
        specs.append(
            ContractSpec(
                reference=reference("HULL"),
                title=f"{title} (demo)",
                commissioner="HULL",
                prime=prime,
                annual_value=value,
                start=D(2006, 7, 1),
                end=D(2007, 6, 30),
                kind="grant",
                pathways=(pathway,),
            )
        )
    return specs


def not_counted_contracts() -> list[ContractSpec]:
    """What the report describes but the target does not count: new investment, co-commissioning,
    in-kind secondments and a public-sector prime. Values are invented, plausibly."""
    return [
        ContractSpec(
            reference="DEMO-ROM-YH-001",
            title="Together Women Programme, Yorkshire and Humberside (demo values)",
            commissioner="ROM-YH",
            prime="Foundation Housing",
            annual_value=Decimal("1150000"),
            start=D(2006, 9, 1),
            end=D(2008, 3, 31),
            funding_source="new_investment",
            funder="Together Women Programme (Home Office)",
            pathways=("accommodation", "ete", "health", "fbd", "children-families"),
            sub_contracts=(
                ("Shelter", Decimal("180000")),
                ("DISC", Decimal("160000")),
                ("Touchstone", Decimal("140000")),
                ("Doncaster Women's Centre", Decimal("95000")),
            ),
        ),
        ContractSpec(
            reference="DEMO-ROM-YH-002",
            title="Y&H Bail Support Scheme (demo values)",
            commissioner="ROM-YH",
            prime="Nacro",
            annual_value=Decimal("480000"),
            start=D(2006, 7, 1),
            end=D(2009, 3, 31),
            funding_source="new_investment",
            funder="Invest to Save Budget",
            pathways=("accommodation", "offender-management"),
            sub_contracts=(("SOVA", Decimal("150000")), ("Foundation Housing", Decimal("120000"))),
        ),
        ContractSpec(
            reference="DEMO-SYPA-101",
            title="Drug treatment for offenders, co-commissioned (demo)",
            commissioner="SYPA",
            prime="Demo Community Project 11",
            annual_value=Decimal("85000"),
            start=D(2005, 4, 1),
            end=D(2008, 3, 31),
            funding_source="co_commissioned",
            funder="Sheffield Drug Action Team",
            pathways=("drugs-alcohol",),
        ),
        ContractSpec(
            reference="DEMO-WYPA-101",
            title="Floating support for ex-offenders, co-commissioned (demo)",
            commissioner="WYPA",
            prime="Demo Community Project 12",
            annual_value=Decimal("120000"),
            start=D(2005, 10, 1),
            end=None,
            funding_source="co_commissioned",
            funder="Leeds Supporting People",
            pathways=("accommodation",),
        ),
        ContractSpec(
            reference="DEMO-HYPA-101",
            title="Basic skills for offenders, co-commissioned (demo)",
            commissioner="HYPA",
            prime="Demo Community Project 13",
            annual_value=Decimal("64500"),
            start=D(2006, 4, 1),
            end=D(2007, 7, 31),
            funding_source="co_commissioned",
            funder="Learning and Skills Council (Humberside)",
            pathways=("ete",),
        ),
        ContractSpec(
            reference="DEMO-NYPA-101",
            title="Prolific offender mentoring, co-commissioned (demo)",
            commissioner="NYPA",
            prime="Demo Community Project 14",
            annual_value=Decimal("28000"),
            start=D(2006, 1, 1),
            end=D(2007, 12, 31),
            funding_source="co_commissioned",
            funder="York Community Safety Partnership",
            pathways=("atb",),
        ),
        ContractSpec(
            reference="DEMO-WYPA-102",
            title="Voluntary Sector Co-ordinator, Leeds district: probation officer seconded (demo)",
            commissioner="WYPA",
            prime="Nacro",
            annual_value=Decimal("36000"),
            start=D(2006, 12, 1),
            end=D(2007, 4, 30),
            funding_source="in_kind",
            kind="secondment",
            funder="West Yorkshire Probation Area (staff time)",
        ),
        ContractSpec(
            reference="DEMO-WYPA-103",
            title="Voluntary Sector Co-ordinator, Bradford district: probation officer seconded (demo)",
            commissioner="WYPA",
            prime="Demo Community Project 15",
            annual_value=Decimal("36000"),
            start=D(2006, 12, 1),
            end=D(2007, 4, 30),
            funding_source="in_kind",
            kind="secondment",
            funder="West Yorkshire Probation Area (staff time)",
        ),
        ContractSpec(
            reference="DEMO-HYPA-102",
            title="Unpaid Work Step Change Project: senior probation officer seconded three days a week (demo)",
            commissioner="HYPA",
            prime="Demo Community Project 16",
            annual_value=Decimal("26000"),
            start=D(2006, 10, 1),
            end=D(2007, 3, 31),
            funding_source="in_kind",
            kind="secondment",
            funder="Humberside Probation Area (staff time; project funded by the Cabinet Office)",
            pathways=("unpaid-work",),
        ),
        ContractSpec(
            reference="DEMO-NYPA-102",
            title="Accommodation officer in the council housing service (demo)",
            commissioner="NYPA",
            prime="Demo District Council Housing Service",
            annual_value=Decimal("31500"),
            start=D(2005, 4, 1),
            end=None,
            kind="sla",
            pathways=("accommodation",),
        ),
        ContractSpec(
            reference="DEMO-WYPA-104",
            title="Support for children and families of offenders of south Asian origin, Kirklees (demo values)",
            commissioner="WYPA",
            prime="Pakistani and Kashmiri Welfare Association",
            annual_value=Decimal("42000"),
            start=D(2007, 1, 1),
            end=D(2008, 3, 31),
            funding_source="new_investment",
            kind="grant",
            funder="NOMS VCS Grants Fund",
            pathways=("children-families",),
        ),
    ]


def all_contracts() -> list[ContractSpec]:
    return counted_contracts() + prison_contracts() + not_counted_contracts()
