"""The bidding partnerships an organisation is in, on its profile: only those the viewer may see
(a partnership formed for an opportunity is hidden from whoever may not know who is bidding)."""

from __future__ import annotations

from typing import Any

from stepchange.commissioning.access import partnerships_visible_to
from stepchange.commissioning.models import PartnershipMember
from stepchange.organisations.profile_sections import Row, Section


def _partnerships(user: Any, organisation: Any) -> list[Row]:
    members = (
        PartnershipMember.objects.filter(
            organisation=organisation, left_at__isnull=True, partnership__in=partnerships_visible_to(user)
        )
        .select_related("partnership__opportunity", "partnership")
        .order_by("partnership__name")
    )
    return [
        Row(
            m.partnership.name,
            m.partnership.get_absolute_url(),
            f"{'Lead' if m.is_lead else 'Member'} ({m.role}), for {m.partnership.opportunity}"
            + ("" if m.confirmed_at else ", not confirmed yet"),
        )
        for m in members
    ]


SECTIONS = [Section(30, "Bidding partnerships", "No partnership that you may see.", _partnerships)]
