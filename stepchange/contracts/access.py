"""Who may see and change which contracts and grants: the only place that decides it.

- regional commissioner: every contract and grant of their region, to see and to change;
- probation contracts manager: their own area's, to see and to change;
- prison co-ordinator: their own establishment's, to see;
- area office analyst: the prisons' of their region, to see;
- provider: the contracts their organisation holds or sub-contracts on, to see;
- everyone, signed out included: published contracts, to see, without their notes (which are
  for those who see the contract because of their work: ``contracts_worked_with_by``);
- Django superuser: everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.contracts.models import Contract, MainGrant, SubContract
from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.organisations.models import Commissioner, CommissionerKind


def may_list_contracts(user: Any) -> bool:
    """Whether the navigation offers the contract list: to everyone signed in (``contracts_visible_to``
    decides which contracts it shows)."""
    return access.is_signed_in(user)


def may_see_contract_history(user: Any) -> bool:
    """Whether a contract's page shows who changed what: to people signed in (who work with
    contracts), never to the public, who see the published contract only."""
    return access.is_signed_in(user)


def commissioners_managed_by(user: Any) -> QuerySet[Commissioner]:
    """The commissioners whose contracts and grants this user may add and change."""
    everyone = Commissioner.objects.select_related("organisation")
    if access.is_superuser(user):
        return everyone.all()
    if access.is_regional_commissioner(user):
        region_id = access.user_region_id(user)
        return everyone.filter(region_id=region_id) if region_id is not None else everyone.none()
    if access.has_role(user, Role.PROBATION_MANAGER) and access.own_commissioner(user):
        return everyone.filter(pk=access.own_commissioner(user).pk, kind=CommissionerKind.PROBATION)
    return everyone.none()


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    """Published contracts, to everyone (signed out included), and the contracts this person works with."""
    if access.is_superuser(user):
        return Contract.objects.all()
    return Contract.objects.filter(Q(published=True) | _worked_with(user))


def contracts_worked_with_by(user: Any) -> QuerySet[Contract]:
    """The contracts this person sees because of their work, not because they are published: their
    private fields (the notes) are for these people only."""
    if access.is_superuser(user):
        return Contract.objects.all()
    return Contract.objects.filter(_worked_with(user))


def may_see_contract_notes(user: Any, contract: Contract) -> bool:
    """A contract's notes are internal: a published contract's page shows the public its other
    fields, never the notes."""
    return contracts_worked_with_by(user).filter(pk=contract.pk).exists()


def _worked_with(user: Any) -> Q:
    if not access.is_signed_in(user):
        return Q(pk__in=[])
    rule = Q(commissioner__in=commissioners_managed_by(user))
    if access.has_role(user, Role.PRISON_COORDINATOR) and (commissioner := access.own_commissioner(user)):
        rule |= Q(commissioner=commissioner)
    if access.has_role(user, Role.AREA_ANALYST):
        rule |= Q(commissioner__kind=CommissionerKind.PRISON, commissioner__region_id=access.user_region_id(user))
    org_id = access.own_organisation_id(user)
    if access.has_role(user, Role.PROVIDER) and org_id:
        # A subquery, not a join: a join to sub-contracts would repeat a contract once for each.
        sub_contracted = SubContract.objects.filter(partner_id=org_id).values("contract_id")
        rule |= Q(prime_id=org_id) | Q(pk__in=sub_contracted)
    # Every part of the rule follows a single-valued relation, so each contract appears once.
    return rule


def contracts_editable_by(user: Any) -> QuerySet[Contract]:
    return Contract.objects.filter(commissioner__in=commissioners_managed_by(user))


def grants_visible_to(user: Any) -> QuerySet[MainGrant]:
    """Grant amounts are the denominators of published shares; the editable ones are listed."""
    return MainGrant.objects.filter(commissioner__in=commissioners_managed_by(user))
