"""Who may ask, answer and see monitoring requests, and who sees which rows of the provider burden:
the only place that decides it.

- Monitoring requests are asked by whoever manages the contract (``contracts_editable_by``: the
  region's commissioners, a probation area's contracts manager for its own), seen by them and by the
  people of the contract's prime provider, who answer them.
- The provider burden by organisation: a regional commissioner sees every organisation of their
  region; a provider's people see their own organisation's row only; a Django superuser sees all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.burden.models import MonitoringRequest
from stepchange.contracts.access import commissioners_managed_by, contracts_editable_by
from stepchange.contracts.models import Contract
from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.organisations.models import Organisation


def _provider_org(user: Any) -> int | None:
    return access.own_organisation_id(user) if access.has_role(user, Role.PROVIDER) else None


def contracts_askable_by(user: Any) -> QuerySet[Contract]:
    """The contracts whose prime this user may ask for monitoring information."""
    return contracts_editable_by(user).select_related("prime")


def may_ask_monitoring(user: Any) -> bool:
    return access.is_superuser(user) or commissioners_managed_by(user).exists()


def may_answer_monitoring(user: Any) -> bool:
    return _provider_org(user) is not None


def may_use_monitoring(user: Any) -> bool:
    """Whether the navigation offers the monitoring requests: to those who ask and those who answer."""
    return may_ask_monitoring(user) or may_answer_monitoring(user)


def monitoring_requests_visible_to(user: Any) -> QuerySet[MonitoringRequest]:
    everything = MonitoringRequest.objects.select_related("contract", "contract__prime", "asked_by", "answered_by")
    if access.is_superuser(user):
        return everything.all()
    if not access.is_signed_in(user):
        return everything.none()
    rule = Q(contract__in=contracts_editable_by(user))
    org_id = _provider_org(user)
    if org_id is not None:
        rule |= Q(contract__prime_id=org_id)
    return everything.filter(rule)


def monitoring_requests_answerable_by(user: Any) -> QuerySet[MonitoringRequest]:
    """The unanswered requests this user's organisation, as the contract's prime, is asked."""
    org_id = _provider_org(user)
    if org_id is None:
        return MonitoringRequest.objects.none()
    return MonitoringRequest.objects.filter(contract__prime_id=org_id, answered_at__isnull=True)


def may_answer(user: Any, request: MonitoringRequest) -> bool:
    return monitoring_requests_answerable_by(user).filter(pk=request.pk).exists()


def may_see_burden(user: Any) -> bool:
    return access.is_superuser(user) or access.is_regional_commissioner(user) or _provider_org(user) is not None


def burden_organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """The organisations whose burden rows this user sees."""
    if access.is_superuser(user):
        return Organisation.objects.all()
    if access.is_regional_commissioner(user):
        region_id = access.user_region_id(user)
        if region_id is None:
            return Organisation.objects.none()
        # A prison or probation area's organisation may have no region of its own: its commissioner's.
        return Organisation.objects.filter(Q(region_id=region_id) | Q(commissioner__region_id=region_id))
    org_id = _provider_org(user)
    return Organisation.objects.filter(pk=org_id) if org_id is not None else Organisation.objects.none()
