"""Who may see and do what with funding streams, helped bids and the small grants programme: the
only place that decides it.

- everyone, signed out included: the funding streams, the small grants rounds (their budget,
  dates and criteria) and the grants made (on the round's page and in the 360Giving open data);
- regional commissioner: keeps their own region's funding streams and small grants rounds;
  records and updates the bids of their region's organisations (or to their region's streams);
  reads the applications submitted to their region's rounds (never a draft), assesses them,
  declaring first whether they have a conflict of interest, and awards or declines them unless
  they declared a conflict;
- provider: records and updates their own organisation's helped bids; drafts, changes and
  submits their organisation's application to a round of their organisation's region (one per
  round), and reads it and its decision; never its assessments;
- infrastructure body: nothing more than everyone. They help providers bid, but the access rules
  give that role no records of its own, so the regional team records what they helped with
  (naming them under "who helped");
- everyone else (probation, prisons, analysts, evaluators, the national administrator): nothing
  more than everyone;
- Django superuser: everything a regional commissioner may do, in every region, a conflict
  declared included.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from stepchange.accounts.models import User
from stepchange.core import access
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.funding.models import (
    ApplicationStatus,
    Assessment,
    FundingStream,
    GrantApplication,
    GrantsRound,
    HelpedBid,
)
from stepchange.organisations.models import Organisation


def regions_kept_by(user: Any) -> QuerySet[Region]:
    """The regions whose funding streams and small grants this person keeps: a regional
    commissioner their own, a superuser every region."""
    if access.is_superuser(user):
        return Region.objects.all()
    if access.is_regional_commissioner(user) and (region_id := access.user_region_id(user)) is not None:
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def may_keep_funding(user: Any) -> bool:
    """Whether the funding pages offer this person to add streams and rounds."""
    return regions_kept_by(user).exists()


def applying_organisation_id(user: Any) -> int | None:
    """The organisation this person records bids for and applies for grants for: a provider's
    own; nobody else applies (an infrastructure body supports providers, it does not apply)."""
    if access.has_role(user, Role.PROVIDER):
        return access.own_organisation_id(user)
    return None


# Funding streams


def streams_visible_to(user: Any) -> QuerySet[FundingStream]:
    """Every funding stream, to everyone: they are public information about money to bid for."""
    return FundingStream.objects.all()


def streams_editable_by(user: Any) -> QuerySet[FundingStream]:
    """The streams of the regions this person keeps."""
    return FundingStream.objects.filter(region__in=regions_kept_by(user))


# Helped bids


def helped_bids_visible_to(user: Any) -> QuerySet[HelpedBid]:
    """A regional commissioner sees the bids of their region's organisations and the bids to
    their region's streams; a provider its own organisation's; a superuser every bid."""
    if access.is_superuser(user):
        return HelpedBid.objects.all()
    rule = Q(pk__in=[])
    regions = regions_kept_by(user)
    if regions.exists():
        rule |= Q(organisation__region__in=regions) | Q(stream__region__in=regions)
    if (org_id := applying_organisation_id(user)) is not None:
        rule |= Q(organisation_id=org_id)
    return HelpedBid.objects.filter(rule)


def helped_bids_editable_by(user: Any) -> QuerySet[HelpedBid]:
    """Whoever sees a bid records what became of it."""
    return helped_bids_visible_to(user)


def organisations_helped_by(user: Any) -> QuerySet[Organisation]:
    """The organisations this person records bids for: a regional commissioner any organisation
    of their region, a provider their own, a superuser any."""
    if access.is_superuser(user):
        return Organisation.objects.all()
    rule = Q(pk__in=[])
    regions = regions_kept_by(user)
    if regions.exists():
        rule |= Q(region__in=regions, commissioner__isnull=True)
    if (org_id := applying_organisation_id(user)) is not None:
        rule |= Q(pk=org_id)
    return Organisation.objects.filter(rule)


def may_record_bids(user: Any) -> bool:
    return organisations_helped_by(user).exists()


# Small grants


def rounds_visible_to(user: Any) -> QuerySet[GrantsRound]:
    """Every round, to everyone: a round is a public call for applications."""
    return GrantsRound.objects.all()


def rounds_managed_by(user: Any) -> QuerySet[GrantsRound]:
    return GrantsRound.objects.filter(region__in=regions_kept_by(user))


def rounds_open_to(user: Any) -> QuerySet[GrantsRound]:
    """The rounds this person may apply to for their organisation (``applying_organisation_id``):
    those of their organisation's own region (a region's grants are for its own organisations)."""
    org_id = applying_organisation_id(user)
    if org_id is None:
        return GrantsRound.objects.none()
    return GrantsRound.objects.filter(region__in=Organisation.objects.filter(pk=org_id).values("region_id"))


def may_apply(user: Any, grants_round: GrantsRound) -> bool:
    return rounds_open_to(user).filter(pk=grants_round.pk).exists()


def applications_visible_to(user: Any) -> QuerySet[GrantApplication]:
    """A provider's own organisation's applications, drafts included; the submitted (and decided)
    applications of the rounds a person manages, never a draft."""
    if access.is_superuser(user):
        return GrantApplication.objects.exclude(status=ApplicationStatus.DRAFT)
    rule = Q(round__in=rounds_managed_by(user)) & ~Q(status=ApplicationStatus.DRAFT)
    if (org_id := applying_organisation_id(user)) is not None:
        rule |= Q(organisation_id=org_id)
    return GrantApplication.objects.filter(rule)


def applications_editable_by(user: Any) -> QuerySet[GrantApplication]:
    """The applications this person drafts and submits: their own organisation's (the service
    changes only drafts: ``GrantApplication.is_draft``)."""
    org_id = applying_organisation_id(user)
    if org_id is None:
        return GrantApplication.objects.none()
    return GrantApplication.objects.filter(organisation_id=org_id)


def applications_assessable_by(user: Any) -> QuerySet[GrantApplication]:
    """The submitted applications of the rounds this person manages."""
    return GrantApplication.objects.filter(round__in=rounds_managed_by(user)).exclude(status=ApplicationStatus.DRAFT)


def may_see_assessments(user: Any, application: GrantApplication) -> bool:
    """Assessments are the regional team's: the applicant is told the decision and its reasons."""
    return applications_assessable_by(user).filter(pk=application.pk).exists()


def has_declared_conflict(user: Any, application: GrantApplication) -> bool:
    return Assessment.objects.filter(application=application, assessor_id=user.pk, conflict=True).exists()


def may_assess(user: Any, application: GrantApplication) -> bool:
    """A manager of the round assesses a submitted application once: declaring a conflict, or
    scoring it and recommending."""
    return (
        application.awaits_decision
        and applications_assessable_by(user).filter(pk=application.pk).exists()
        and not Assessment.objects.filter(application=application, assessor_id=user.pk).exists()
    )


def may_decide(user: Any, application: GrantApplication) -> bool:
    """A manager of the round who has assessed the application without a conflict awards or
    declines it, while it waits for a decision."""
    return (
        application.awaits_decision
        and applications_assessable_by(user).filter(pk=application.pk).exists()
        and Assessment.objects.filter(application=application, assessor_id=user.pk, conflict=False).exists()
    )


def applications_decidable_by(user: Any) -> QuerySet[GrantApplication]:
    """The applications ``may_decide`` allows, as a list."""
    own_clear = Assessment.objects.filter(application=OuterRef("pk"), assessor_id=user.pk, conflict=False)
    return applications_assessable_by(user).filter(status=ApplicationStatus.SUBMITTED).filter(Exists(own_clear))


def people_told_of_decision(application: GrantApplication) -> QuerySet[User]:
    """Who is told that an application was awarded or declined: the applying organisation's people."""
    return User.objects.filter(organisation_id=application.organisation_id, role=Role.PROVIDER, is_active=True)
