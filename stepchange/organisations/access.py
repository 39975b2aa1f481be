"""Who may see and change organisations: the only place that decides it.

The directory of organisations is public. A provider changes its own organisation's profile;
the regional commissioner changes any organisation of the region, or with no region yet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.accounts.models import Role
from stepchange.core import access
from stepchange.organisations.models import Organisation


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.all()


def organisations_editable_by(user: Any) -> QuerySet[Organisation]:
    if access.is_superuser(user):
        return Organisation.objects.all()
    if access.is_regional_commissioner(user):
        return Organisation.objects.filter(Q(region_id=access.user_region_id(user)) | Q(region__isnull=True))
    org_id = access.own_organisation_id(user)
    if access.has_role(user, Role.PROVIDER) and org_id is not None:
        return Organisation.objects.filter(pk=org_id)
    return Organisation.objects.none()
