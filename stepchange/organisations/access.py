"""Who may see and change organisations: the only place that decides it.

The directory of organisations is public. A provider changes its own organisation's profile,
except the protected fields (``models.PROTECTED_FIELDS``: sector, region, size band and the
BME-led, women-specific and user-led flags, which decide bid eligibility and the figures): for
those it asks, with evidence, and the regional team decides. The regional team is the regional
commissioner of the organisation's region (a provider with no region yet is any regional
commissioner's to place; a commissioner's organisation is always its commissioner's region's) and a
superuser; it changes any field. The requests and the dated
history of protected changes are seen by the regional team and by the organisation's own people.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from stepchange.core import access
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.organisations.models import Claim, Commissioner, Listing, Organisation, ProfileChangeRequest


def may_list_organisations(user: Any) -> bool:
    """Whether the navigation offers the directory: to everyone signed in (its pages are public)."""
    return access.is_signed_in(user)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """The listed organisations, to everyone; one waiting for its check (or refused) only to its
    own people and its regional team."""
    listed = Organisation.objects.filter(listing=Listing.LISTED)
    if not access.is_signed_in(user):
        return listed
    return Organisation.objects.filter(
        Q(listing=Listing.LISTED)
        | Q(pk__in=organisations_of_regional_team(user).values("pk"))
        | Q(pk__in=own_organisations(user).values("pk"))
    )


def may_add_organisations(user: Any) -> bool:
    """Adding an organisation to the directory is the regional commissioner's (and a superuser's)."""
    return access.is_regional_commissioner(user) or access.is_superuser(user)


def organisations_regions_placeable_by(user: Any) -> QuerySet[Region]:
    """The regions this user may place an organisation in, adding it or changing its profile: a
    regional commissioner's own region only; anyone else whom the form offers the field chooses any
    (whether the region may be changed at all is ``may_change_protected``)."""
    if access.is_regional_commissioner(user) and not access.is_superuser(user):
        return Region.objects.filter(pk__in=[access.user_region_id(user)])
    return Region.objects.all()


def organisations_of_regional_team(user: Any) -> QuerySet[Organisation]:
    """The organisations whose every field, protected ones included, this user may change."""
    if access.is_superuser(user):
        return Organisation.objects.all()
    if access.is_regional_commissioner(user):
        # A commissioner's organisation is its region's, whatever the profile's own region says: a
        # region's team never changes another region's probation area or prison.
        region_id = access.user_region_id(user)
        return Organisation.objects.filter(
            Q(commissioner__region_id=region_id)
            | (Q(commissioner__isnull=True) & (Q(region_id=region_id) | Q(region__isnull=True)))
        )
    return Organisation.objects.none()


def own_organisations(user: Any) -> QuerySet[Organisation]:
    """A provider's own organisation, which it keeps the profile of."""
    org_id = access.own_organisation_id(user)
    if access.has_role(user, Role.PROVIDER) and org_id is not None:
        return Organisation.objects.filter(pk=org_id)
    return Organisation.objects.none()


def organisations_editable_by(user: Any) -> QuerySet[Organisation]:
    return organisations_of_regional_team(user) | own_organisations(user)


def may_change_protected(user: Any, organisation: Organisation) -> bool:
    return organisations_of_regional_team(user).filter(pk=organisation.pk).exists()


def may_request_change(user: Any, organisation: Organisation) -> bool:
    """Its own people ask; the regional team, who may change the fields, has nothing to ask."""
    return own_organisations(user).filter(pk=organisation.pk).exists() and not may_change_protected(user, organisation)


def may_see_profile_history(user: Any, organisation: Organisation) -> bool:
    return may_change_protected(user, organisation) or own_organisations(user).filter(pk=organisation.pk).exists()


def change_requests_visible_to(user: Any) -> QuerySet[ProfileChangeRequest]:
    return ProfileChangeRequest.objects.filter(
        Q(organisation__in=organisations_of_regional_team(user)) | Q(organisation__in=own_organisations(user))
    )


def may_decide_change_requests(user: Any) -> bool:
    """Whether this person is a regional team, with a list of requests to decide."""
    return access.is_regional_commissioner(user) or access.is_superuser(user)


def change_requests_decidable_by(user: Any) -> QuerySet[ProfileChangeRequest]:
    return ProfileChangeRequest.objects.filter(organisation__in=organisations_of_regional_team(user))


# --- Setting up a region's commissioners --------------------------------------------------------


def may_set_up_commissioners(user: Any) -> bool:
    """Adding and changing a region's probation areas, prisons and regional team is its regional
    commissioner's (their own region only) and a superuser's."""
    return (access.is_regional_commissioner(user) and access.user_region_id(user) is not None) or access.is_superuser(
        user
    )


def commissioner_regions_for(user: Any) -> QuerySet[Region]:
    """The regions whose commissioners this person sets up: a regional commissioner their own, a superuser any."""
    if access.is_superuser(user):
        return Region.objects.all()
    if access.is_regional_commissioner(user) and (region_id := access.user_region_id(user)) is not None:
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def commissioners_set_up_by(user: Any) -> QuerySet[Commissioner]:
    """The commissioners whose name, prison type and operator this person changes."""
    return Commissioner.objects.filter(region__in=commissioner_regions_for(user)).select_related(
        "organisation", "region"
    )


def own_organisation_listed(user: Any) -> bool:
    return own_organisations(user).filter(listing=Listing.LISTED).exists()


# --- Registrations waiting for the regional team's check ------------------------------------------


def may_register(user: Any) -> bool:
    """Anyone signed out registers an organisation (and their own account with it)."""
    return not access.is_signed_in(user)


def registrations_decidable_by(user: Any) -> QuerySet[Organisation]:
    """The registrations this regional team checks: those of its region still waiting."""
    return organisations_of_regional_team(user).filter(listing=Listing.WAITING)


# --- Claims of an existing entry -----------------------------------------------------------------


def may_claim(user: Any, organisation: Organisation) -> bool:
    """A provider user with no listed organisation of their own (none yet, or a registration
    still waiting) asks to keep a listed entry's profile."""
    if not access.has_role(user, Role.PROVIDER) or organisation.listing != Listing.LISTED:
        return False
    if hasattr(organisation, "commissioner"):
        return False
    return not own_organisation_listed(user)


def claims_visible_to(user: Any) -> QuerySet[Claim]:
    if not access.is_signed_in(user):
        return Claim.objects.none()
    return Claim.objects.filter(Q(organisation__in=organisations_of_regional_team(user)) | Q(claimant=user))


def claims_decidable_by(user: Any) -> QuerySet[Claim]:
    return Claim.objects.filter(organisation__in=organisations_of_regional_team(user))


# --- Duplicates and merges -----------------------------------------------------------------------


def may_merge_organisations(user: Any) -> bool:
    """Whether this person is a regional team, with duplicates to look at and merge."""
    return may_decide_change_requests(user)


def merge_refusal(user: Any, *, kept: Organisation, duplicate: Organisation) -> str:
    """Why this person may not merge ``duplicate`` into ``kept`` ('' when they may)."""
    team = organisations_of_regional_team(user)
    if kept.pk == duplicate.pk:
        return "Choose two different organisations."
    if not (team.filter(pk=kept.pk).exists() and team.filter(pk=duplicate.pk).exists()):
        return "Only the regional team of both organisations' region merges them."
    if hasattr(kept, "commissioner") and hasattr(duplicate, "commissioner"):
        return "Both organisations are commissioners; two commissioners are never merged."
    if kept.region_id and duplicate.region_id and kept.region_id != duplicate.region_id:
        return "The organisations are in different regions; an organisation is merged only within its region."
    return ""


# --- Services offered ----------------------------------------------------------------------------


def may_keep_services(user: Any, organisation: Organisation) -> bool:
    """An organisation's services are kept by its own people and its regional team."""
    return organisations_editable_by(user).filter(pk=organisation.pk).exists()
