"""What the consortia pages read, beyond what ``access`` scopes."""

from __future__ import annotations

from dataclasses import dataclass

from stepchange.consortia import access
from stepchange.consortia.models import Consortium
from stepchange.organisations.models import CommissionerKind, ServiceOffer


@dataclass(frozen=True)
class ReachCell:
    area: str  # the probation area's name
    pathway: str
    organisations: tuple[str, ...]  # the current members offering the pathway there, by name


def reach(consortium: Consortium) -> list[ReachCell]:
    """The members' combined reach: every probation area and pathway in which at least one current
    member offers a service, as the directory lists them, with the members that do. Sorted by
    area, then pathway."""
    member_ids = access.current_members(consortium).values("organisation_id")
    offers = (
        ServiceOffer.objects.filter(organisation_id__in=member_ids, area__kind=CommissionerKind.PROBATION)
        .select_related("organisation", "pathway", "area__organisation")
        .order_by()
    )
    cells: dict[tuple[str, str], set[str]] = {}
    for offer in offers:
        key = (offer.area.organisation.name, offer.pathway.name)
        cells.setdefault(key, set()).add(offer.organisation.name)
    return [ReachCell(area, pathway, tuple(sorted(orgs))) for (area, pathway), orgs in sorted(cells.items())]
