"""Reads of the management pages, already scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from stepchange.accounts.access import users_managed_by
from stepchange.accounts.models import User
from stepchange.accounts.selectors import with_invitation
from stepchange.contracts.access import commissioners_managed_by, grants_visible_to
from stepchange.contracts.models import MainGrant, Target
from stepchange.core.models import FinancialYear
from stepchange.core.periods import year_name_for
from stepchange.manage.access import probation_areas_managed_by
from stepchange.organisations.models import Commissioner, CommissionerKind
from stepchange.returns.models import ProbationReturn


@dataclass(frozen=True)
class GrantRow:
    commissioner: Commissioner
    cells: list[tuple[FinancialYear, MainGrant | None]]  # one per year of the table, in order


def grant_table(user: Any, *, today: Any) -> tuple[list[FinancialYear], list[GrantRow]]:
    """Probation areas (and any other managed commissioner with a grant) × the years with grants.

    The current financial year is always a column, so this year's grant can be added from it.
    """
    grants = list(grants_visible_to(user).select_related("year", "commissioner__organisation"))
    year_names = {g.year.name for g in grants} | {year_name_for(today)}
    years = list(FinancialYear.objects.filter(name__in=year_names).order_by("start"))
    with_grants = {g.commissioner_id for g in grants}
    commissioners = commissioners_managed_by(user).filter(Q(kind=CommissionerKind.PROBATION) | Q(pk__in=with_grants))
    by_key = {(g.commissioner_id, g.year_id): g for g in grants}
    rows = [GrantRow(c, [(y, by_key.get((c.pk, y.pk))) for y in years]) for c in commissioners.order_by("kind", "code")]
    return years, rows


def targets() -> QuerySet[Target]:
    return Target.objects.select_related("year").order_by("-year__start", "commissioner_kind")


def probation_returns_managed_by(user: Any) -> QuerySet[ProbationReturn]:
    return (
        ProbationReturn.objects.filter(commissioner__in=probation_areas_managed_by(user))
        .select_related("commissioner__organisation", "recorded_by")
        .order_by("-as_at", "commissioner__code")
    )


def users_of_region(user: Any) -> QuerySet[User]:
    return with_invitation(users_managed_by(user)).order_by("last_name", "first_name", "username")
