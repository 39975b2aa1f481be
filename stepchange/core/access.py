"""Who a user is, for the scoping functions each app defines (``contracts_visible_to`` and the like).

Nothing outside the scoping functions looks at roles to decide what someone may see.
"""

from __future__ import annotations

from typing import Any

from stepchange.core.roles import Role


def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user: Any, *roles: str) -> bool:
    return is_signed_in(user) and user.role in roles


def is_superuser(user: Any) -> bool:
    return is_signed_in(user) and user.is_superuser


def is_regional_commissioner(user: Any) -> bool:
    return has_role(user, Role.REGIONAL_COMMISSIONER)


def is_national_admin(user: Any) -> bool:
    return has_role(user, Role.NATIONAL_ADMIN)


def own_commissioner(user: Any) -> Any:
    """The commissioner a user works for, or None."""
    return user.commissioner if is_signed_in(user) else None


def own_organisation_id(user: Any) -> int | None:
    return user.organisation_id if is_signed_in(user) else None


def user_region_id(user: Any) -> int | None:
    """The region a user works in: their own, or their commissioner's."""
    if not is_signed_in(user):
        return None
    if user.region_id:
        return int(user.region_id)
    commissioner = own_commissioner(user)
    return commissioner.region_id if commissioner else None


def region_worked_in(user: Any) -> int | None:
    """The region a person works in: their own or their commissioner's, else their organisation's
    (a provider's). The apps whose records belong to a region (capacity building, consortia,
    governance, packs) scope by it."""
    region_id = user_region_id(user)
    if region_id is None and is_signed_in(user) and user.organisation_id:
        region_id = user.organisation.region_id
    return region_id
