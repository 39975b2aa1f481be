"""Which user accounts a person may see and change: the only place that decides it.

The regional commissioner manages the accounts of their region: people whose own region is it,
or whose organisation (or its commissioner) is in it, but never a superuser's or a national
administrator's, and never gives anyone that role. A superuser manages every account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.accounts.models import Role, User
from stepchange.core import access


def users_managed_by(user: Any) -> QuerySet[User]:
    everyone = User.objects.select_related("organisation", "region")
    if access.is_superuser(user):
        return everyone.all()
    if access.is_regional_commissioner(user):
        region_id = access.user_region_id(user)
        return everyone.filter(
            Q(region_id=region_id)
            | Q(organisation__region_id=region_id)
            | Q(organisation__commissioner__region_id=region_id)
        ).exclude(Q(is_superuser=True) | Q(role=Role.NATIONAL_ADMIN))
    return everyone.none()


def roles_grantable_by(user: Any) -> list[str]:
    """The roles a person may give an account: a national administrator is made by a superuser only,
    since the role changes what every region is measured against."""
    if access.is_superuser(user):
        return list(Role.values)
    return [role for role in Role.values if role != Role.NATIONAL_ADMIN]
