"""The demo's governance: the Step Change Steering Group as section 2.5 of the report lists its
membership, the VCS Pathway Action Team it was to be folded into (section 10), and the refreshed
regional reducing re-offending plan's VCS section: its four objectives (10.3) with actions drawn
from the exit strategy's recommendations (10.5-10.20).

The report names the bodies on the steering group, not the people; where the demo has a user for
the body (the regional team, the four probation areas, the area office) the member is that user,
otherwise the member is the body's representative by role. The report gives no dates for the last
steering group meeting, the actions' due dates or their RAG ratings: those are demo choices, said
so in the meeting's minutes.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.governance.models import (
    Action,
    ActionPlan,
    Decision,
    Group,
    Meeting,
    Member,
    MemberRole,
    MemberSector,
    Objective,
    ProgressNote,
    Rag,
    Status,
)

PLAN = "Reducing re-offending action plan: VCS pathway"
STEERING = "Step Change Steering Group"
PATHWAY_TEAM = "VCS Pathway Action Team"
SET_UP = datetime.date(2006, 1, 20)
LAST_MEETING = datetime.date(2007, 3, 15)

OBJECTIVES = {
    1: "Improve offenders' access to voluntary and community sector services that reduce re-offending",
    2: (
        "Give the sector's views on and experience of NOMS commissioning a route to the strategic level, "
        "and improve its part in the market"
    ),
    3: (
        "Make race equality a major priority of the plan and use the sector's expertise so that services "
        "are culturally competent"
    ),
    4: "Support and enable service users to take part in reducing re-offending",
}

# Steering group members: (user, or None for a body's representative by role; name; organisation;
# sector; role).
STEERING_MEMBERS: tuple[tuple[str | None, str, str, str, str], ...] = (
    ("rom.commissioner", "", "", MemberSector.PUBLIC, MemberRole.CHAIR),
    (None, "Commissioning manager", "Regional NOMS commissioning team", MemberSector.PUBLIC, MemberRole.MEMBER),
    (None, "Strategic partnership manager", "Regional NOMS", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("area.analyst", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("sypa.manager", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("hypa.manager", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("nypa.manager", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("wypa.manager", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    (None, "Representative", "Home Office Active Communities Unit", MemberSector.PUBLIC, MemberRole.MEMBER),
    (None, "Representative", "NOMS National Voluntary Sector Unit", MemberSector.PUBLIC, MemberRole.MEMBER),
    (
        None,
        "Representative",
        "National Probation Directorate Business Change Unit",
        MemberSector.PUBLIC,
        MemberRole.MEMBER,
    ),
    (None, "Representative", "SOVA", MemberSector.VCS, MemberRole.MEMBER),
    (None, "Representative", "Clinks", MemberSector.VCS, MemberRole.MEMBER),
    (None, "Representative", "GSL UK Ltd", MemberSector.PRIVATE, MemberRole.MEMBER),
    (None, "Step Change development manager", "Step Change", MemberSector.PUBLIC, MemberRole.SECRETARIAT),
)
PATHWAY_MEMBERS: tuple[tuple[str | None, str, str, str, str], ...] = (
    (None, "VCS lead", "Yorkshire and Humber Regional Forum", MemberSector.VCS, MemberRole.CHAIR),
    ("rom.commissioner", "", "", MemberSector.PUBLIC, MemberRole.MEMBER),
    ("foundation.provider", "", "", MemberSector.VCS, MemberRole.MEMBER),
    (None, "Representative", "Regional BME Panel", MemberSector.VCS, MemberRole.MEMBER),
    (
        None,
        "Reducing re-offending manager",
        "Regional reducing re-offending team",
        MemberSector.PUBLIC,
        MemberRole.SECRETARIAT,
    ),
)

DECISION = (
    "Keep the Step Change structures after the project ends: fold the steering group's membership into "
    "a re-configured VCS Pathway Action Team."
)

# (objective, title, owner user or None, owner name, due, status, RAG, figure, target, from the decision)
ACTIONS: tuple[tuple[int, str, str | None, str, datetime.date, str, str, str, Decimal | None, bool], ...] = (
    (
        1,
        "Raise the region's probation spend with VCS and private providers to the 10% target of 2007-08",
        "rom.commissioner",
        "",
        datetime.date(2008, 3, 31),
        Status.IN_PROGRESS,
        Rag.RED,
        "region-weighted-share",
        Decimal("10"),
        False,
    ),
    (
        1,
        "Keep monitoring and reporting VCS delivery across the prison establishments, with investment figures",
        "area.analyst",
        "",
        datetime.date(2007, 6, 30),
        Status.IN_PROGRESS,
        Rag.GREEN,
        "",
        None,
        False,
    ),
    (
        1,
        "Keep providing data and analysis of probation spend on VCS provision by pathway",
        None,
        "Probation regional business development manager",
        datetime.date(2007, 6, 30),
        Status.IN_PROGRESS,
        Rag.GREEN,
        "",
        None,
        False,
    ),
    (
        2,
        "Re-configure the VCS Pathway Action Team to take in the steering group's members",
        "rom.commissioner",
        "",
        datetime.date(2007, 6, 30),
        Status.IN_PROGRESS,
        Rag.AMBER,
        "",
        None,
        True,
    ),
    (
        2,
        "Offer the team's advice on commissioning models to probation boards drafting sub-contracting plans",
        None,
        "Chair, VCS Pathway Action Team",
        datetime.date(2007, 9, 30),
        Status.NOT_STARTED,
        Rag.AMBER,
        "",
        None,
        False,
    ),
    (
        2,
        "Support a capacity-building bid to Future Builders, managed by Clinks across the four sub-regions",
        "rom.commissioner",
        "",
        datetime.date(2007, 6, 30),
        Status.IN_PROGRESS,
        Rag.AMBER,
        "",
        None,
        False,
    ),
    (
        3,
        "Form a race equality expert working group across all pathways, reporting to the plan's board",
        None,
        "Reducing re-offending manager",
        datetime.date(2007, 9, 30),
        Status.NOT_STARTED,
        Rag.AMBER,
        "",
        None,
        False,
    ),
    (
        3,
        "Encourage prison and probation managers to commission VCS diversity and equality training",
        "rom.commissioner",
        "",
        datetime.date(2007, 12, 31),
        Status.NOT_STARTED,
        Rag.AMBER,
        "",
        None,
        False,
    ),
    (
        4,
        "Form a service user engagement expert working group across all pathways",
        None,
        "Reducing re-offending manager",
        datetime.date(2007, 9, 30),
        Status.NOT_STARTED,
        Rag.AMBER,
        "",
        None,
        False,
    ),
)
# (action title's start, quarter, text, RAG)
NOTES = (
    (
        "Raise the region's",
        4,
        "The region stood well short of the 5% of 2006-07; the areas' sub-contracting plans aim at 10% for 2007-08.",
        Rag.RED,
    ),
    ("Re-configure", 4, "The steering group agreed the proposal at its last meeting.", Rag.AMBER),
)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))).astimezone(datetime.UTC)


def _members(loader: Any, group: Group, specs: Any, users: dict[str, Any], joined: datetime.date) -> None:
    for username, name, organisation, sector, role in specs:
        if username is not None:
            lookup = {"group": group, "user": users[username]}
            values = {"name": "", "organisation_name": ""}
        else:
            lookup = {"group": group, "user": None, "name": name, "organisation_name": organisation}
            values = {}
        loader.save(Member, lookup, {**values, "sector": sector, "role": role, "joined_on": joined})


def load_governance(loader: Any, *, region: Any, users: dict[str, Any]) -> None:
    rom = users["rom.commissioner"]
    plan: ActionPlan = loader.save(
        ActionPlan, {"region": region, "title": PLAN}, {"owner": rom, "created_at": at(SET_UP)}
    )
    objectives = {
        n: loader.save(Objective, {"plan": plan, "number": n}, {"title": title}) for n, title in OBJECTIVES.items()
    }
    steering: Group = loader.save(
        Group,
        {"region": region, "name": STEERING},
        {
            "kind": Group.Kind.STEERING,
            "purpose": "Oversees the Step Change initiative; chaired by the regional offender manager; meets quarterly.",
            "created_at": at(SET_UP),
        },
    )
    _members(loader, steering, STEERING_MEMBERS, users, datetime.date(2006, 4, 1))
    team: Group = loader.save(
        Group,
        {"region": region, "name": PATHWAY_TEAM},
        {
            "kind": Group.Kind.PATHWAY,
            "purpose": "Delivers the VCS section of the regional reducing re-offending plan.",
            "created_at": at(SET_UP),
        },
    )
    _members(loader, team, PATHWAY_MEMBERS, users, datetime.date(2007, 4, 1))
    meeting: Meeting = loader.save(
        Meeting,
        {"group": steering, "held_on": LAST_MEETING},
        {
            "title": "Last Step Change meeting",
            "minutes": (
                "The exit strategy was discussed. Demo data: the report does not date this meeting; "
                "the date, the actions' due dates and their ratings are the demo's."
            ),
            "created_at": at(LAST_MEETING),
        },
    )
    decision: Decision = loader.save(
        Decision, {"meeting": meeting, "text": DECISION}, {"recorded_at": at(LAST_MEETING)}
    )
    actions = {}
    for number, title, owner, owner_name, due, status, rag, figure, target, arising in ACTIONS:
        actions[title] = loader.save(
            Action,
            {"objective": objectives[number], "title": title},
            {
                "owner_user": users[owner] if owner else None,
                "owner_name": owner_name,
                "due_on": due,
                "status": status,
                "rag": rag,
                "figure": figure,
                "target": target,
                "meeting": meeting if arising else None,
                "decision": decision if arising else None,
                "created_at": at(LAST_MEETING),
            },
        )
    for start, quarter, text, rag in NOTES:
        action = next(a for title, a in actions.items() if title.startswith(start))
        loader.save(
            ProgressNote,
            {"action": action, "year": "2006-07", "quarter": quarter},
            {"text": text, "rag": rag, "written_by": rom, "written_at": at(datetime.date(2007, 3, 30))},
        )
