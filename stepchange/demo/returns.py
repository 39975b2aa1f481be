"""Demo returns: the probation return dates of the report, and four quarters of prison returns.

Everything is saved through the demo Loader by natural keys, so running the demo twice changes
nothing; dates and times are fixed, never "now".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

UTC = datetime.UTC


def approved_when_recorded(day: datetime.date) -> datetime.datetime:
    """A demo return date recorded (and so approved) at nine in the morning of its own date."""
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=UTC)


# Prison returns ---------------------------------------------------------------------------------
# Per establishment: services running in Q1 2006-07, services added each quarter after it, the
# pathways its services run on (filled in turn), and its co-ordinator post. Leeds, Doncaster and
# Hull have full-time co-ordinators and add the most services; Hull rises most (6 to 18, three
# times over, after its June 2006 conference). Nothing ends, so the regional trend rises.
PRISON_PROVISION: dict[str, tuple[int, int, tuple[str, ...], str]] = {
    "HULL": (6, 4, ("ete", "accommodation", "drugs-alcohol", "fbd", "atb", "children-families"), "full_time"),
    "LEEDS": (12, 3, ("ete", "accommodation", "drugs-alcohol", "health", "children-families", "atb"), "full_time"),
    "DONCASTER": (10, 3, ("drugs-alcohol", "ete", "accommodation", "health", "fbd"), "full_time"),
    "WAKEFIELD": (4, 1, ("drugs-alcohol", "children-families", "health"), "part_time"),
    "FULLSUTTON": (3, 1, ("drugs-alcohol", "atb"), "none"),
    "EVERTHORPE": (4, 1, ("ete", "drugs-alcohol"), "part_time"),
    "WOLDS": (5, 1, ("ete", "health", "drugs-alcohol"), "part_time"),
    "MOORLAND": (5, 1, ("accommodation", "drugs-alcohol", "ete"), "part_time"),
    "LINDHOLME": (3, 1, ("accommodation", "drugs-alcohol"), "none"),
    "HATFIELD": (2, 1, ("ete", "accommodation"), "none"),
    "ASKHAM": (3, 1, ("ete", "children-families"), "part_time"),
    "NEWHALL": (4, 1, ("accommodation", "drugs-alcohol", "children-families"), "part_time"),
    "WEALSTUN": (3, 1, ("accommodation", "drugs-alcohol"), "none"),
    "WETHERBY": (4, 1, ("ete", "atb", "children-families"), "part_time"),
}
# The round still open (2007-08 Q1): Wolds waits for approval, Doncaster was returned for
# correction, Wealstun has not started and is overdue; the rest are approved.
# Organisations not in the directory that the open round's returns propose for it, by (establishment,
# pathway): the regional commissioner's review queue. No figure reads them (docs/figures.md).
PROPOSED = {
    ("LEEDS", "accommodation"): "Leeds Tenancy Rescue Project",
    ("DONCASTER", "ete"): "The Doncaster Skills Exchange Ltd",
}
OPEN_ROUND_SUBMITTED = "WOLDS"
OPEN_ROUND_RETURNED = "DONCASTER"
OPEN_ROUND_OVERDUE = "WEALSTUN"
RETURNED_REASON = "Drugs & Alcohol: 7 services running but none named as delivering. Please add the providers."


def at_nine(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=UTC)


def services_by_pathway(total: int, added: int, pathways: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """(running, started) per pathway: services are placed on the pathways in turn, and the last
    ``added`` of them are the ones started this quarter."""
    out = {code: [0, 0] for code in pathways}
    for n in range(total):
        code = pathways[n % len(pathways)]
        out[code][0] += 1
        if n >= total - added:
            out[code][1] += 1
    return {code: (running, started) for code, (running, started) in out.items()}


def load_prison_returns(loader: Any, region: Any, commissioners: dict[str, Any], users: dict[str, Any]) -> None:
    from stepchange.core.models import FinancialYear, Pathway
    from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProposedOrganisation, ReturnKind, ReturnRound

    analyst = users["area.analyst"]
    coordinators = {"LEEDS": users["leeds.coordinator"], "DONCASTER": users["doncaster.coordinator"]}
    pathways = list(Pathway.objects.filter(applies_to_prisons=True).order_by("order"))
    prisons = [commissioners[code] for code in PRISON_PROVISION]
    periods = [("2006-07", q) for q in (1, 2, 3, 4)] + [("2007-08", 1)]
    for index, (year_name, quarter) in enumerate(periods):
        year = FinancialYear.objects.get(name=year_name)
        first_month = {1: 7, 2: 10, 3: 1, 4: 4}[quarter]
        opens = datetime.date(year.start.year + (1 if quarter >= 3 else 0), first_month, 1)
        deadline = opens + datetime.timedelta(days=30)
        the_round = loader.save(
            ReturnRound,
            {"region": region, "kind": ReturnKind.PRISON, "year": year, "quarter": quarter},
            {"opens_on": opens, "deadline": deadline, "opened_by": analyst, "rules_version": 1},
            m2m={"commissioners": prisons},
        )
        still_open = index == len(periods) - 1
        for offset, (code, (base, added, on, post)) in enumerate(PRISON_PROVISION.items()):
            commissioner = commissioners[code]
            submitted = at_nine(deadline - datetime.timedelta(days=10 - offset % 7))
            values: dict[str, Any] = {
                "started_at": submitted - datetime.timedelta(days=3),
                "submitted_at": submitted,
                "submitted_by": coordinators.get(code),
                "rules_version": 1,
                "approved_at": submitted + datetime.timedelta(days=2),
                "approved_by": analyst,
                "returned_at": None,
                "returned_reason": "",
                "coordinator_post": post,
                "coordinator_fte": {"part_time": Decimal("0.5"), "full_time": Decimal(1), "none": Decimal(0)}[post],
                "area_contracts_answered": True,
            }
            if still_open and code == OPEN_ROUND_SUBMITTED:
                values.update(approved_at=None, approved_by=None)
            if still_open and code == OPEN_ROUND_RETURNED:
                values.update(
                    approved_at=None,
                    approved_by=None,
                    submitted_at=None,
                    returned_at=submitted + datetime.timedelta(days=1),
                    returned_reason=RETURNED_REASON,
                )
            if still_open and code == OPEN_ROUND_OVERDUE:
                values.update(
                    started_at=None,
                    submitted_at=None,
                    submitted_by=None,
                    approved_at=None,
                    approved_by=None,
                    coordinator_post="",
                    coordinator_fte=None,
                    area_contracts_answered=False,
                )
            prison_return = loader.save(
                PrisonReturn, {"round": the_round, "commissioner": commissioner, "revision": 1}, values
            )
            if still_open and code == OPEN_ROUND_OVERDUE:
                loader.delete(PrisonReturnLine.objects.filter(prison_return=prison_return))
                continue
            # Prisons are not asked the probation lines (Offender Management, Unpaid Work).
            loader.delete(
                PrisonReturnLine.objects.filter(prison_return=prison_return, pathway__applies_to_prisons=False)
            )
            total = base + added * index
            figures = services_by_pathway(total, added, on)
            for pathway in pathways:
                running, started = figures.get(pathway.code, (0, 0))
                line = loader.save(
                    PrisonReturnLine,
                    {"prison_return": prison_return, "pathway": pathway},
                    {
                        "services_running": running,
                        "services_started": started,
                        "services_ended": 0,
                        "spend": None,
                        "carried_over": False,
                    },
                )
                proposed = PROPOSED.get((code, pathway.code)) if still_open else None
                if proposed is not None:
                    # Awaiting the regional commissioner's review (a new load puts it back so).
                    loader.save(
                        ProposedOrganisation,
                        {"line": line, "name": proposed},
                        {
                            "sector": "vcs",
                            "organisation": None,
                            "decided_at": None,
                            "decided_by": None,
                            "rejected_reason": "",
                        },
                    )
