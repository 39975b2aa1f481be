"""Which user accounts a person may see, invite, change and close: the only place that decides it.

The regional commissioner manages the accounts of their region: people whose own region is it,
or whose organisation (or its commissioner) is in it. A superuser manages every account.
A regional commissioner never manages a superuser's or a national administrator's account, and
never gives anyone that role.

Nobody sets or learns another person's password, and nobody places a person in a provider
organisation but that organisation itself. So a provider's staff are invited, and their accounts
closed, by the provider's own administrator; the regional team invites a provider's *first*
administrator only, while the organisation has nobody at all (an organisation with people gets
its administrator from among them), and the staff of commissioners (probation areas, prisons,
the regional team, analysts, evaluators). The regional team may change a provider's staff's
names, open or close their accounts and name one of them administrator, but not their e-mail
address, role or organisation: each of those would let them read what the provider alone may.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from stepchange.accounts.models import User
from stepchange.core import access
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.organisations.access import organisations_editable_by
from stepchange.organisations.models import Organisation

# The roles of people who work for a commissioner (or for the region, with no organisation).
COMMISSIONER_ROLES = (
    Role.REGIONAL_COMMISSIONER,
    Role.PROBATION_MANAGER,
    Role.PRISON_COORDINATOR,
    Role.AREA_ANALYST,
    Role.EVALUATOR,
)


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


def is_provider_organisation(organisation: Organisation | None) -> bool:
    """A provider (or infrastructure body) is any organisation that is not a commissioner."""
    return organisation is not None and not hasattr(organisation, "commissioner")


def is_provider_account(account: User) -> bool:
    return is_provider_organisation(account.organisation)


def staff_role_of(organisation: Organisation) -> Role:
    """The role everyone working for a provider organisation has."""
    return Role.INFRASTRUCTURE if organisation.infrastructure_body else Role.PROVIDER


# --- A provider organisation's own administrator -------------------------------------------------


def organisation_administered_by(user: Any) -> Organisation | None:
    """The provider organisation whose people this user administers, or None."""
    if not access.is_signed_in(user) or not user.is_organisation_admin:
        return None
    organisation = user.organisation
    if not is_provider_organisation(organisation) or user.role != staff_role_of(organisation):
        return None
    return organisation


def may_administer_people(user: Any) -> bool:
    return organisation_administered_by(user) is not None


def people_administered_by(user: Any) -> QuerySet[User]:
    organisation = organisation_administered_by(user)
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation=organisation, is_superuser=False).select_related("organisation")


# --- The regional team ------------------------------------------------------------------------------


def commissioner_organisations_for(user: Any) -> QuerySet[Organisation]:
    """The commissioners' organisations whose staff this user may invite and place people in."""
    if not (access.is_regional_commissioner(user) or access.is_superuser(user)):
        return Organisation.objects.none()
    return organisations_editable_by(user).filter(commissioner__isnull=False)


def organisations_open_to_first_admin(user: Any) -> QuerySet[Organisation]:
    """Provider organisations this user may invite an administrator to: those with nobody yet."""
    if not (access.is_regional_commissioner(user) or access.is_superuser(user)):
        return Organisation.objects.none()
    anyone_active = User.objects.filter(organisation=OuterRef("pk"), is_active=True)
    return organisations_editable_by(user).filter(commissioner__isnull=True).exclude(Exists(anyone_active))


def organisations_invitable_by(user: Any) -> QuerySet[Organisation]:
    """The organisations this user may invite someone to, from the regional team's invitation page."""
    return Organisation.objects.filter(
        Q(pk__in=commissioner_organisations_for(user).values("pk"))
        | Q(pk__in=organisations_open_to_first_admin(user).values("pk"))
    )


def regions_open_to_first_commissioner(user: Any) -> QuerySet[Region]:
    """The regions on the service (``holds_contracts``) with no regional commissioner's account yet,
    open or invited: the national administrator (and a superuser) invites their first regional
    commissioner, who sets up the rest of the region. Once a region has one, its own regional
    commissioner invites everyone else."""
    if not (access.is_national_admin(user) or access.is_superuser(user)):
        return Region.objects.none()
    # Of the region by their own region or by their organisation's commissioner's (``user_region_id``).
    commissioner = User.objects.filter(
        Q(region=OuterRef("pk")) | Q(region__isnull=True, organisation__commissioner__region=OuterRef("pk")),
        role=Role.REGIONAL_COMMISSIONER,
        is_active=True,
    )
    return Region.objects.filter(holds_contracts=True).exclude(Exists(commissioner))


def may_invite_first_commissioners(user: Any) -> bool:
    return access.is_national_admin(user) or access.is_superuser(user)


def invitation_refusal(
    actor: Any,
    *,
    organisation: Organisation | None,
    role: str,
    is_organisation_admin: bool,
    region: Region | None = None,
) -> str | None:
    """Why ``actor`` may not invite someone to this place, or None when they may."""
    if access.is_national_admin(actor) and not access.is_superuser(actor):
        first = region is not None and regions_open_to_first_commissioner(actor).filter(pk=region.pk).exists()
        if role == Role.REGIONAL_COMMISSIONER and organisation is None and not is_organisation_admin and first:
            return None
        return "You can invite only the first regional commissioner of a region on the service that has none yet"
    administered = organisation_administered_by(actor)
    if administered is not None:
        if organisation != administered or role != staff_role_of(administered) or is_organisation_admin:
            return "You can invite people to your own organisation only"
        return None
    if is_provider_organisation(organisation):
        assert organisation is not None
        if not organisations_open_to_first_admin(actor).filter(pk=organisation.pk).exists():
            return (
                f"{organisation} already has people: its administrator invites its staff. "
                "You can make one of its people its administrator instead"
            )
        if role != staff_role_of(organisation) or not is_organisation_admin:
            return f"Someone invited to {organisation} is its administrator, with the role {staff_role_of(organisation).label}"
        return None
    if role not in staff_roles_grantable_by(actor):
        return "Choose a commissioner's role, or a provider organisation with nobody yet"
    if organisation is not None and not commissioner_organisations_for(actor).filter(pk=organisation.pk).exists():
        return "You cannot invite people to that organisation"
    if not (access.is_regional_commissioner(actor) or access.is_superuser(actor)) or is_organisation_admin:
        return "You cannot invite people to that organisation"
    return None


def invitations_managed_by(user: Any) -> QuerySet[User]:
    """Accounts whose pending invitation this user may re-send or cancel: those they could invite."""
    if may_administer_people(user):
        return people_administered_by(user).filter(is_organisation_admin=False)
    providers = Q(organisation__isnull=False, organisation__commissioner__isnull=True)
    return users_managed_by(user).filter(~providers | Q(is_organisation_admin=True))


def emails_changeable_by(user: Any) -> QuerySet[User]:
    """Accounts whose address this user may ask to change: their own, and for the regional team the
    commissioners' staff they manage. Never a provider's staff: whoever controls an account's
    address can reset its password.
    """
    if not access.is_signed_in(user):
        return User.objects.none()
    providers = Q(organisation__isnull=False, organisation__commissioner__isnull=True)
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=users_managed_by(user).exclude(providers).values("pk")))


def may_change_email_of(actor: Any, account: User) -> bool:
    return emails_changeable_by(actor).filter(pk=account.pk).exists()


def accounts_closable_by(actor: Any) -> QuerySet[User]:
    """The accounts this person may close: those they administer or manage, never their own."""
    if not access.is_signed_in(actor):
        return User.objects.none()
    managed = Q(pk__in=people_administered_by(actor).values("pk")) | Q(pk__in=users_managed_by(actor).values("pk"))
    return User.objects.filter(managed).exclude(pk=actor.pk)


def may_close_account(actor: Any, account: User) -> bool:
    return accounts_closable_by(actor).filter(pk=account.pk).exists()


def invitation_regions_for(user: Any) -> QuerySet[Region]:
    """The regions an inviter may place a commissioner's new staff member in: a regional
    commissioner their own region only, a superuser any."""
    if access.is_superuser(user):
        return Region.objects.all()
    return Region.objects.filter(pk__in=[access.user_region_id(user)])


def roles_grantable_by(user: Any) -> list[str]:
    """The roles a person may give an account: a national administrator is made by a superuser only,
    since the role changes what every region is measured against."""
    if access.is_superuser(user):
        return list(Role.values)
    return [role for role in Role.values if role != Role.NATIONAL_ADMIN]


def staff_roles_grantable_by(user: Any) -> list[Role]:
    """The roles of the commissioners' side this user may invite someone to or give an account."""
    return [role for role in (*COMMISSIONER_ROLES, Role.NATIONAL_ADMIN) if role in roles_grantable_by(user)]


# The roles whose people must sign in with a code from an app as well as their password.
ROLES_THAT_MUST_USE_TWO_FACTOR = {Role.REGIONAL_COMMISSIONER, Role.AREA_ANALYST, Role.EVALUATOR, Role.NATIONAL_ADMIN}


def must_use_two_factor(user: Any) -> bool:
    """Whether the person must use two-factor sign-in: a superuser, a regional commissioner, an
    area office analyst, an evaluator or the national administrator. Anyone else may choose to."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in ROLES_THAT_MUST_USE_TWO_FACTOR))
