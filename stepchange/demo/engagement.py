"""The demo's community-engagement records (section 7 of the report): HMP Leeds's and HMP Hull's
links with community organisations, their reviews, business requirements, gaps and action plans.

What the report says, and the demo keeps to: the race equality order of September 2006 asks each
establishment for a database of its community links in ten fields, revised every year, and for its
business requirements, the gaps against them and an action plan; the Step Change race equality
conference of June 2006 began links with BME-led groups; the regional BME Panel and the area's
diversity co-ordinator began the work on community engagement; the Pakistani and Kashmiri Welfare
Association led a Kirklees coalition for the children and families of offenders of south Asian
origin; Nacro's MOVE project worked with small groups alongside HMP Leeds; Hull built links with new
VCS partners from its June 2006 conference at the Deep; the order names Gypsies and Travellers
among the groups most over-represented; the co-ordinator, diversity manager and race equality
officer work on it together.

What the demo fills in: which partners each prison's database lists (Hull's new partners are the
report's unnamed ones, so the demo's generated organisations stand in), every date, every text of
the ten fields, the requirements and their priorities, and the actions. Each partner_nature or
evaluation the demo wrote says so where it matters.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from stepchange.core.models import Pathway
from stepchange.demo.consortia import at
from stepchange.engagement.models import Action, Link, Requirement, Review, ServedGroup
from stepchange.engagement.selectors import link_fields

D = datetime.date

# establishment code → links: (partner, directory organisation or "", groups, pathways, fields)
LINKS: dict[str, list[tuple[str, str, tuple[str, ...], tuple[str, ...], dict[str, Any]]]] = {
    "LEEDS": [
        (
            "Yorkshire and Humber Regional BME Panel",
            "Yorkshire and Humber Regional BME Panel",
            ("bme",),
            (),
            {
                "partner_contact": "Through the Prison Service Area Diversity Co-ordinator",
                "establishment_contact": "Race Equality Officer",
                "partner_nature": "The forum of the region's black and minority ethnic voluntary and community groups",
                "purpose": "Consult on the establishment's race equality policies and their impact",
                "benefits": "A credible community view in impact assessments; introductions to local BME groups",
                "partner_funding": "Travel expenses for panel members attending",
                "contact_nature": "Consultation meetings; panel members on the Race Equality Action Team",
                "contact_details": "First met at the Step Change race equality conference, June 2006; "
                "quarterly meetings since",
                "evaluation": "Two impact assessments reviewed with the panel; its members now attend the "
                "Race Equality Action Team",
                "future_plans": "Involve panel members in delivering race equality training to staff",
                "started_on": D(2006, 6, 29),
            },
        ),
        (
            # Recorded under the coalition's name and not yet matched to the directory: the link's
            # page suggests the directory's Pakistani and Kashmiri Welfare Association.
            "Pakistani & Kashmiri Welfare Association coalition",
            "",
            ("bme", "faith"),
            ("children-families",),
            {
                "partner_contact": "Coalition co-ordinator, Kirklees",
                "establishment_contact": "VCS Co-ordinator",
                "partner_nature": "A BME-led community organisation leading a coalition in Kirklees",
                "purpose": "Support for the children and families of prisoners of south Asian origin",
                "benefits": "Family ties kept for prisoners the visits service reached least",
                "partner_funding": "None from the establishment: the coalition's NOMS grant funds it",
                "contact_nature": "Family support sessions in the visits hall",
                "contact_details": "Monthly sessions from October 2006",
                "evaluation": "Well used; families say they would not otherwise have visited",
                "future_plans": "Extend the sessions to the induction wing",
                "started_on": D(2006, 10, 2),
            },
        ),
        (
            "Nacro MOVE project",
            "Nacro",
            (),
            ("ete",),
            {
                "partner_contact": "MOVE project manager, Leeds",
                "establishment_contact": "VCS Co-ordinator",
                "partner_nature": "A national crime reduction charity's Leeds project for small local groups",
                "purpose": "Help small local voluntary groups to work in the prison",
                "benefits": "New providers inducted and supported to work on the wings",
                "partner_funding": "None",
                "contact_nature": "Induction and support of small groups; joint events",
                "contact_details": "From April 2006; joint VCS fair, November 2006",
                "evaluation": "Four small groups inducted in the year",
                "future_plans": "The project ended in March 2007: see the end of the link",
                "started_on": D(2006, 4, 3),
                "ended_on": D(2007, 3, 31),
                "end_reason": "The MOVE project's funding ended",
            },
        ),
    ],
    "HULL": [
        (
            "Yorkshire and Humber Regional BME Panel",
            "Yorkshire and Humber Regional BME Panel",
            ("bme",),
            (),
            {
                "partner_contact": "Through the Prison Service Area Diversity Co-ordinator",
                "establishment_contact": "Diversity Manager",
                "partner_nature": "The forum of the region's black and minority ethnic voluntary and community groups",
                "purpose": "Consult on race equality policies; introductions to East Riding BME groups",
                "benefits": "External scrutiny the local communities trust",
                "partner_funding": "Travel expenses",
                "contact_nature": "Consultation meetings",
                "contact_details": "From the conference at the Deep, June 2006; twice a year since",
                "evaluation": "Useful, though the panel has few members near Hull",
                "future_plans": "Ask the panel for local contacts in Hull",
                "started_on": D(2006, 6, 22),
            },
        ),
        (
            "Demo Community Project 03",
            "Demo Community Project 03",
            ("bme", "young-people"),
            ("atb",),
            {
                "partner_contact": "Project worker",
                "establishment_contact": "VCS Co-ordinator",
                "partner_nature": "Demo data: a BME-led community project, one of the new partners the "
                "report says Hull found at the Deep",
                "purpose": "Mentoring young black and minority ethnic prisoners",
                "benefits": "A service the establishment could not otherwise offer",
                "partner_funding": "Room and escort time",
                "contact_nature": "Weekly mentoring sessions",
                "contact_details": "From September 2006",
                "evaluation": "Demo data: twelve prisoners mentored",
                "future_plans": "Continue; seek a grant for a second worker",
                "started_on": D(2006, 9, 4),
            },
        ),
        (
            "Demo Community Project 19",
            "Demo Community Project 19",
            ("women",),
            ("children-families",),
            {
                "partner_contact": "Centre manager",
                "establishment_contact": "VCS Co-ordinator",
                "partner_nature": "Demo data: a women's community project",
                "purpose": "Support the female partners of prisoners",
                "benefits": "Family ties kept",
                "partner_funding": "None",
                "contact_nature": "Drop-in at the visitors' centre",
                "contact_details": "From November 2006",
                "evaluation": "Demo data: well used at weekends",
                "future_plans": "Continue",
                "started_on": D(2006, 11, 6),
            },
        ),
    ],
}

# establishment code → partner → reviews: (reviewed on, notes, changes from the link as it stands)
REVIEWS: dict[str, dict[str, list[tuple[datetime.date, str, dict[str, Any]]]]] = {
    "LEEDS": {
        "Yorkshire and Humber Regional BME Panel": [
            (
                D(2006, 12, 14),
                "First mapping of the establishment's links for the community engagement strategy.",
                {
                    "evaluation": "One meeting held; too early to judge",
                    "future_plans": "Meet quarterly; invite the panel to the Race Equality Action Team",
                },
            ),
            (D(2007, 6, 28), "Annual revision: the panel's members now sit on the action team.", {}),
        ],
        "Pakistani & Kashmiri Welfare Association coalition": [
            (D(2006, 12, 14), "First mapping of the establishment's links.", {}),
        ],
    },
    "HULL": {
        "Yorkshire and Humber Regional BME Panel": [
            (D(2007, 1, 18), "First mapping of the establishment's links.", {}),
        ],
        "Demo Community Project 03": [
            (D(2007, 3, 15), "Demo data: mentoring reviewed with the project worker.", {}),
        ],
    },
}

# Reviews the area office analyst has approved: (code, partner, reviewed on) → (approved on, comment).
APPROVED: dict[tuple[str, str, datetime.date], tuple[datetime.date, str]] = {
    ("LEEDS", "Yorkshire and Humber Regional BME Panel", D(2006, 12, 14)): (
        D(2007, 1, 10),
        "A good start; bring the panel onto the Race Equality Action Team.",
    ),
    ("HULL", "Yorkshire and Humber Regional BME Panel", D(2007, 1, 18)): (D(2007, 2, 2), ""),
}

# establishment code → requirements: (group or "", pathway or "", priority, description, actions)
# an action: (description, owner, due on, status)
REQUIREMENTS: dict[str, list[tuple[str, str, str, str, list[tuple[str, str, datetime.date, str]]]]] = {
    "LEEDS": [
        ("bme", "", "high", "Consult local black and minority ethnic communities on policies and their impact", []),
        (
            "gypsies-travellers",
            "",
            "high",
            "Links with Gypsy and Traveller organisations: a group the order names as over-represented",
            [
                (
                    "Ask the regional BME Panel and the Area Diversity Co-ordinator for Gypsy and Traveller "
                    "organisations in West Yorkshire",
                    "Diversity Manager",
                    D(2007, 9, 28),
                    "in_progress",
                ),
                ("Invite those found to the next VCS fair", "VCS Co-ordinator", D(2007, 11, 30), "not_started"),
            ],
        ),
        (
            "foreign-nationals",
            "",
            "medium",
            "Support for foreign national prisoners from community organisations",
            [
                (
                    "Map the community organisations supporting foreign nationals in Leeds",
                    "Race Equality Officer",
                    D(2007, 10, 31),
                    "not_started",
                )
            ],
        ),
        (
            "",
            "ete",
            "medium",
            "Small local groups supported to work in the prison, as MOVE did",
            [
                (
                    "Find a successor to the MOVE project's induction of small groups",
                    "VCS Co-ordinator",
                    D(2007, 7, 31),
                    "in_progress",
                )
            ],
        ),
        ("", "children-families", "high", "Family support for prisoners of every community", []),
    ],
    "HULL": [
        ("bme", "", "high", "Consult local black and minority ethnic communities on policies and their impact", []),
        ("women", "", "low", "Support for prisoners' female partners and families", []),
        (
            "disability",
            "",
            "medium",
            "Links with disabled people's organisations",
            [
                (
                    "Ask the Regional Forum for disabled people's organisations in Hull",
                    "Diversity Manager",
                    D(2007, 8, 31),
                    "not_started",
                )
            ],
        ),
        (
            "faith",
            "",
            "medium",
            "Links with local faith communities beyond the chaplaincy",
            [
                ("Meet the chaplaincy to list the faith groups it knows", "VCS Co-ordinator", D(2007, 5, 31), "done"),
                ("Invite two faith groups to the VCS fair", "VCS Co-ordinator", D(2007, 9, 28), "in_progress"),
            ],
        ),
    ],
}


def load_engagement(
    loader: Any, *, commissioners: dict[str, Any], organisations: dict[str, Any], users: dict[str, Any]
) -> None:
    groups = {g.code: g for g in ServedGroup.objects.all()}
    pathways = {p.code: p for p in Pathway.objects.all()}
    for code, links in LINKS.items():
        establishment = commissioners[code]
        keeper = users.get(f"{code.lower()}.coordinator")
        for partner, organisation, group_codes, pathway_codes, fields in links:
            link = loader.save(
                Link,
                {"establishment": establishment, "partner_name": partner},
                {
                    "organisation": organisations.get(organisation) if organisation else None,
                    "created_by": keeper,
                    "created_at": at(fields["started_on"]),
                    "ended_on": None,
                    "end_reason": "",
                    **fields,
                },
                m2m={
                    "groups": [groups[g] for g in group_codes],
                    "pathways": [pathways[p] for p in pathway_codes],
                },
            )
            for reviewed_on, notes, then in REVIEWS.get(code, {}).get(partner, []):
                kept = link_fields(link) | then
                approved_on, comment = APPROVED.get((code, partner, reviewed_on), (None, ""))
                loader.save(
                    Review,
                    {"link": link, "reviewed_on": reviewed_on},
                    {
                        "reviewed_by": keeper,
                        "notes": notes,
                        "fields": kept,
                        "recorded_at": at(reviewed_on),
                        "approved_by": users["area.analyst"] if approved_on else None,
                        "approved_at": at(approved_on) if approved_on else None,
                        "analyst_comment": comment,
                    },
                )
        for group, pathway, priority, description, actions in REQUIREMENTS[code]:
            requirement = loader.save(
                Requirement,
                {
                    "establishment": establishment,
                    "group": groups[group] if group else None,
                    "pathway": pathways[pathway] if pathway else None,
                },
                {"priority": priority, "description": description, "created_at": at(D(2006, 12, 14))},
            )
            for text, owner, due_on, status in actions:
                loader.save(
                    Action,
                    {"requirement": requirement, "description": text},
                    {"owner": owner, "due_on": due_on, "status": status},
                )
