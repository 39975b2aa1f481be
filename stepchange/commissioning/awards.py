"""The one rule of an opportunity's current award: the award that has not been withdrawn.

An opportunity has at most one (a database constraint keeps it so); a withdrawn award stays on
record but is no longer the award. Every page, report, service and export asks here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from stepchange.commissioning.models import Award, Opportunity


def current_award_q(prefix: str = "") -> Q:
    """The condition on an award (reached through ``prefix``, e.g. ``"award__"``) of being current."""
    return Q(**{f"{prefix}withdrawn_at__isnull": True})


def is_current(award: Award) -> bool:
    return award.withdrawn_at is None


def current_awards(awards: QuerySet[Award]) -> QuerySet[Award]:
    return awards.filter(current_award_q())


def current_award(opportunity: Opportunity) -> Award | None:
    """The opportunity's current award, or None; reads prefetched awards when they are there."""
    return current_award_among(opportunity.awards.all())


def current_award_among(awards: Iterable[Award]) -> Award | None:
    return next((award for award in awards if is_current(award)), None)


def has_current_award(opportunity: Opportunity) -> bool:
    return current_awards(opportunity.awards.all()).exists()
