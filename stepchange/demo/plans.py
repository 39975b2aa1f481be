"""The demo's sub-contracting plans: the four probation areas' re-worked draft plans for 2007-08,
submitted at the end of December 2006 (paras 5.23-5.36 of the report), each version 1 waiting for
the regional commissioner.

What the report gives, and the demo keeps: the target (10% of main grant by March 2008, already
the service's target for 2007-08), the indicative grants the plans were drafted on (the demo's
2007-08 indicative grants), the kinds of work the plans put forward for sub-contracting (unpaid
work, accredited programmes, mentoring of low-risk offenders, through-the-gate provision, victim
services, ETE, PPO support, accommodation), that every area proposed seconding probation staff to
partners, and that co-commissioning ran through drug action teams, community safety partnerships
(CDRPs), Supporting People and the Learning and Skills Council. What it does not give: a single
planned value, start date, secondment value or co-commissioned sum. Those below are the demo's
own choices, sized so that no area reaches 10% on its draft (as para 5.27 expected), and said so
in each plan's notes and in docs/plans.md.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from stepchange.contracts.models import FundingSource
from stepchange.core.models import FinancialYear, Pathway
from stepchange.organisations.models import Commissioner, Sector
from stepchange.plans.models import OtherKind, OtherMoney, Plan, PlannedContract, PlanVersion

SUBMITTED = datetime.datetime(2006, 12, 29, 12, 0, tzinfo=datetime.UTC)
DRAFTED = datetime.datetime(2006, 12, 1, 9, 0, tzinfo=datetime.UTC)
NOTES = (
    "Re-worked draft plan approved by the Probation Board, submitted in December 2006 on the "
    "indicative grant for 2007-08. Achieving the target would need current service delivery "
    "reconfigured to release resources for partnership delivery; existing VCS and private "
    "partnerships are to be kept and, where possible, expanded. Demo data: the report gives no "
    "planned values, dates or sums; these are the demo's."
)
MAIN, CO, NEW = FundingSource.MAIN_GRANT, FundingSource.CO_COMMISSIONED, FundingSource.NEW_INVESTMENT
VCS, PRIVATE = Sector.VCS, Sector.PRIVATE

# area → (pathway, description, sector, annual value, planned start, funding source, funder)
PLANNED: dict[str, tuple[tuple[str, str, str, str, datetime.date, str, str], ...]] = {
    "SYPA": (
        ("ete", "ETE advice and guidance for offenders on licence", VCS, "240000", datetime.date(2007, 4, 1), MAIN, ""),
        ("offender-management", "Mentoring of low-risk offenders", VCS, "180000", datetime.date(2007, 7, 1), MAIN, ""),
        ("accommodation", "Through-the-gate housing support", VCS, "150000", datetime.date(2007, 10, 1), MAIN, ""),
        (
            "drugs-alcohol",
            "Drug treatment with the drug action team",
            VCS,
            "120000",
            datetime.date(2007, 4, 1),
            CO,
            "Sheffield DAT",
        ),
    ),
    "HYPA": (
        (
            "unpaid-work",
            "Unpaid work placements run by local VCS partners",
            VCS,
            "260000",
            datetime.date(2007, 6, 1),
            MAIN,
            "",
        ),
        ("offender-management", "PPO support and mentoring", PRIVATE, "140000", datetime.date(2007, 9, 1), MAIN, ""),
        (
            "accommodation",
            "Floating support for offenders",
            VCS,
            "90000",
            datetime.date(2007, 4, 1),
            CO,
            "Supporting People",
        ),
    ),
    "NYPA": (
        ("offender-management", "Victim services", VCS, "110000", datetime.date(2007, 4, 1), MAIN, ""),
        ("ete", "Basic skills in the community", PRIVATE, "95000", datetime.date(2007, 9, 1), MAIN, ""),
        (
            "ete",
            "Skills for work with the LSC",
            VCS,
            "60000",
            datetime.date(2007, 4, 1),
            CO,
            "Learning and Skills Council",
        ),
        ("unpaid-work", "Unpaid work in rural districts", VCS, "70000", datetime.date(2008, 4, 1), MAIN, ""),
    ),
    "WYPA": (
        (
            "atb",
            "Accredited programmes delivered by a partner",
            PRIVATE,
            "420000",
            datetime.date(2007, 10, 1),
            MAIN,
            "",
        ),
        ("offender-management", "Mentoring of low-risk offenders", VCS, "300000", datetime.date(2007, 4, 1), MAIN, ""),
        ("accommodation", "Through-the-gate accommodation service", VCS, "210000", datetime.date(2007, 7, 1), MAIN, ""),
        (
            "drugs-alcohol",
            "Drug interventions with the CDRPs",
            VCS,
            "150000",
            datetime.date(2007, 4, 1),
            CO,
            "Leeds CDRP",
        ),
        (
            "children-families",
            "Women's resettlement (Together Women)",
            VCS,
            "130000",
            datetime.date(2007, 4, 1),
            NEW,
            "Together Women",
        ),
    ),
}
# area → (kind, partner or funder, description, annual value)
OTHER: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "SYPA": (
        (
            OtherKind.SECONDMENT,
            "South Yorkshire Housing Association",
            "A probation officer seconded to the housing team",
            "38000",
        ),
        (OtherKind.CO_COMMISSIONED, "Sheffield DAT", "Drug treatment places for offenders", "120000"),
    ),
    "HYPA": (
        (OtherKind.SECONDMENT, "Unpaid work VCS partners", "A senior probation officer, three days a week", "27000"),
        (OtherKind.CO_COMMISSIONED, "Supporting People", "Floating support places", "90000"),
    ),
    "NYPA": (
        (OtherKind.SECONDMENT, "North Yorkshire victim support", "A probation service officer", "24000"),
        (OtherKind.CO_COMMISSIONED, "Learning and Skills Council", "Skills for work", "60000"),
    ),
    "WYPA": (
        (OtherKind.SECONDMENT, "Nacro", "Two probation service officers", "52000"),
        (OtherKind.CO_COMMISSIONED, "Leeds CDRP", "Drug interventions", "150000"),
        (OtherKind.CO_COMMISSIONED, "Bradford DAT", "Drug treatment places", "85000"),
    ),
}


def load_plans(
    loader: Any, *, commissioners: dict[str, Commissioner], pathways: dict[str, Pathway], users: dict[str, Any]
) -> None:
    year = FinancialYear.objects.get(name="2007-08")
    for code in PLANNED:
        plan = loader.save(Plan, {"area": commissioners[code], "year": year}, {"created_at": DRAFTED})
        version = loader.save(
            PlanVersion,
            {"plan": plan, "number": 1},
            {
                "notes": NOTES,
                "created_at": DRAFTED,
                "created_by": users[f"{code.lower()}.manager"],
                "submitted_at": SUBMITTED,
            },
        )
        line = 1
        for pathway, description, sector, value, start, source, funder in PLANNED[code]:
            loader.save(
                PlannedContract,
                {"plan_version": version, "line": line},
                {
                    "pathway": pathways[pathway],
                    "description": description,
                    "sector": sector,
                    "annual_value": Decimal(value),
                    "planned_start": start,
                    "funding_source": source,
                    "funder": funder,
                },
            )
            line += 1
        for kind, party, description, value in OTHER[code]:
            loader.save(
                OtherMoney,
                {"plan_version": version, "line": line},
                {"kind": kind, "party": party, "description": description, "annual_value": Decimal(value)},
            )
            line += 1
        loader.save(Plan, {"pk": plan.pk}, {"next_line": line})
