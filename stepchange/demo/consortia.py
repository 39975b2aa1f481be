"""The demo's standing consortium (section 4 of the report): MOVE, Nacro's Managing Offenders
through Voluntary Sector Engagement project in Leeds, counted consortium development among its key
interventions for small local voluntary organisations working with West Yorkshire Probation Area
and HMP Leeds.

The report names no consortium's members, dates or constitution. The demo builds one from its own
organisations working in West Yorkshire: Nacro its accountable lead, Foundation Housing the chair,
Touchstone, the Pakistani and Kashmiri Welfare Association and two demo community projects, one of
which left when its work moved to South Yorkshire. Those are demo choices, said so in its purpose.
It formed the demo's Nacro Women's Resettlement Partnership for the women's services tender.

Saved through the demo Loader by natural key, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from stepchange.commissioning.models import BiddingPartnership
from stepchange.consortia.models import Consortium, ConsortiumMember, ConsortiumPartnership

NAME = "MOVE Consortium"
FORMED = datetime.date(2006, 9, 1)

# (organisation, role, lead member, joined on, left on)
MEMBERS: tuple[tuple[str, str, bool, datetime.date, datetime.date | None], ...] = (
    ("Nacro", "Accountable body: bid writing and contract management", True, FORMED, None),
    ("Foundation Housing", "Chair; supported housing", True, FORMED, None),
    ("Touchstone", "Mental health services", False, FORMED, None),
    ("Pakistani and Kashmiri Welfare Association", "Children and families of south Asian origin", False, FORMED, None),
    ("Demo Community Project 08", "Women's services", False, datetime.date(2006, 11, 6), None),
    ("Demo Community Project 05", "Mentoring", False, FORMED, datetime.date(2007, 3, 31)),
)
PARTNERSHIP = "Nacro Women's Resettlement Partnership"

TEXTS = {
    "purpose": (
        "Small and medium voluntary and community organisations of Leeds and West Yorkshire bidding "
        "together for offender services, with Nacro as accountable body, as the MOVE project "
        "encouraged. Demo data: the report says MOVE developed consortia; the demo chose these "
        "members, dates and texts."
    ),
    "constitution": (
        "An unincorporated association of voluntary and community organisations working with "
        "offenders in West Yorkshire. Any such organisation may join by agreement of the members; a "
        "member leaves by giving one month's notice in writing. Each member has one vote."
    ),
    "bidding_protocol": (
        "A member proposes an opportunity; the members decide within ten working days whether to "
        "bid and who takes part. Nacro is the accountable body and signs the contract unless the "
        "members agree another lead. Each partner's share of the work and the price follows the "
        "services it delivers, agreed before the bid is submitted."
    ),
    "governance": (
        "The members meet quarterly, chaired by Foundation Housing; decisions by simple majority of "
        "those present, bids by consensus of the members taking part. Disputes go first to the chair, "
        "then to an independent mediator from the Yorkshire and Humber Regional Forum."
    ),
}


def at(day: datetime.date) -> datetime.datetime:
    """Noon in London on the day, held in UTC as the database returns it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))).astimezone(datetime.UTC)


def load_consortia(loader: Any, *, region: Any, organisations: dict[str, Any], users: dict[str, Any]) -> None:
    consortium: Consortium = loader.save(
        Consortium,
        {"name": NAME},
        {
            "region": region,
            "formed_on": FORMED,
            "created_by": users["rom.commissioner"],
            "created_at": at(FORMED),
            **TEXTS,
        },
    )
    for name, role, is_lead, joined_on, left_on in MEMBERS:
        loader.save(
            ConsortiumMember,
            {"consortium": consortium, "organisation": organisations[name], "joined_on": joined_on},
            {"role": role, "is_lead": is_lead, "left_on": left_on},
        )
    partnership = BiddingPartnership.objects.filter(name=PARTNERSHIP, lead=organisations["Nacro"]).first()
    if partnership is not None:
        loader.save(
            ConsortiumPartnership,
            {"partnership": partnership},
            {"consortium": consortium, "linked_by": None, "linked_at": partnership.created_at},
        )
