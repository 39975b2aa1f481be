"""Bidding partnerships: forming them, inviting, confirming and losing members."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from stepchange.commissioning import access, notices, sealed
from stepchange.commissioning.models import (
    BiddingPartnership,
    Opportunity,
    PartnershipMember,
)
from stepchange.commissioning.services._common import (
    HUNDRED,
    _now,
)
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, already_done, save_if_unchanged
from stepchange.organisations import identifiers
from stepchange.organisations.models import Organisation


class AlreadyConfirmed(ValidationError):
    """A membership confirmed before: nothing was changed."""

    def __init__(self, member: PartnershipMember) -> None:
        when = timezone.localtime(member.confirmed_at).strftime("%-d %B %Y") if member.confirmed_at else ""
        super().__init__(
            f"{member.organisation.name}'s membership was already confirmed on {when}: nothing has changed."
        )


def partnership_snapshot(partnership: BiddingPartnership) -> dict[str, Any]:
    data = snapshot(partnership)
    data["lead"] = partnership.lead.name
    data["members"] = [
        f"{m.organisation.name} ({', '.join(filter(None, [m.registered_numbers, m.role, f'{m.share}%']))}"
        f"{'' if m.confirmed_at else ', not confirmed'})"
        for m in partnership.active_members()
    ]
    return data


def member_numbers(organisation: Organisation, *, charity_number: str = "", company_number: str = "") -> dict[str, str]:
    """The numbers a member bids under: those entered (format-checked), else its profile's.

    A number entered must agree with one the organisation's profile already records: two numbers
    for one organisation would let a partner be named differently in the award than in the
    directory. A profile with no number keeps none; the membership carries the one entered.
    """
    errors: dict[str, str] = {}
    numbers = {}
    for field, clean, label in (
        ("charity_number", identifiers.clean_charity_number, "charity"),
        ("company_number", identifiers.clean_company_number, "company"),
    ):
        entered = charity_number if field == "charity_number" else company_number
        recorded = getattr(organisation, field)
        try:
            value = clean(entered)
        except ValidationError as wrong:
            errors[field] = wrong.messages[0]
            continue
        if value and recorded and value != recorded:
            errors[field] = (
                f"{organisation.name}'s profile records {label} number {recorded}. "
                f"Enter {recorded}, or leave this blank to use it."
            )
        numbers[field] = value or recorded
    if errors:
        raise ValidationError(errors)
    return numbers


def _open_for_bidding(opportunity: Opportunity, now: datetime.datetime) -> None:
    if opportunity.published_at is None or opportunity.published_at > now or opportunity.is_ended:
        raise ValidationError({"name": "This opportunity is not open."})
    if not opportunity.stages.filter(sealed.sealed_q(now)).exists():
        raise ValidationError({"name": "Every stage of this opportunity has closed."})


@transaction.atomic
def partnership_create(
    *,
    actor: Any,
    opportunity: Opportunity,
    name: str,
    lead_role: str,
    lead_share: Decimal,
    constitution: str = "",
    bidding_protocol: str = "",
    charity_number: str = "",
    company_number: str = "",
    now: datetime.datetime | None = None,
) -> BiddingPartnership:
    now = _now(now)
    org_id = access.provider_organisation_id(actor)
    if org_id is None:
        raise PermissionDenied("Only a provider can lead a bidding partnership.")
    _open_for_bidding(opportunity, now)
    numbers = member_numbers(
        Organisation.objects.get(pk=org_id), charity_number=charity_number, company_number=company_number
    )
    # The opportunity's row is locked first: of two people of one organisation forming its
    # partnership at once, the second waits here, then is sent to the first's partnership.
    Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    existing = BiddingPartnership.objects.filter(opportunity=opportunity, lead_id=org_id).first()
    if existing is not None:
        raise already_done(
            existing,
            actions=["partnership_create"],
            did=f"formed your organisation's partnership for this opportunity ({existing.name})",
            then="here it is.",
        )
    partnership = BiddingPartnership.objects.create(
        opportunity=opportunity,
        name=name.strip(),
        lead_id=org_id,
        constitution=constitution,
        bidding_protocol=bidding_protocol,
        created_by=actor,
        created_at=now,
    )
    lead_member = PartnershipMember.objects.create(
        partnership=partnership,
        organisation_id=org_id,
        role=lead_role.strip() or "Lead",
        share=lead_share,
        invited_at=now,
        confirmed_at=now,
        **numbers,
    )
    lead_member.team.add(actor)
    audit_record(actor=actor, action="partnership_create", obj=partnership, after=partnership_snapshot(partnership))
    return partnership


def _led(actor: Any, partnership: BiddingPartnership) -> None:
    if not access.partnerships_led_by(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied("Only the lead organisation changes the partnership.")


def _check_share(partnership: BiddingPartnership, share: Decimal, *, leaving_out: int | None = None) -> None:
    members = partnership.active_members()
    if leaving_out is not None:
        members = members.exclude(pk=leaving_out)
    others = members.aggregate(total=Sum("share"))["total"] or Decimal(0)
    if share < 0 or others + share > HUNDRED:
        raise ValidationError({"share": f"The shares would add up to {others + share}%; they cannot pass 100%."})


@transaction.atomic
def member_invite(
    *,
    actor: Any,
    partnership: BiddingPartnership,
    organisation: Organisation,
    role: str,
    share: Decimal,
    charity_number: str = "",
    company_number: str = "",
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> PartnershipMember:
    """Invite a member; with ``expected_version`` (the invite page's), refused if the partnership
    changed since the page was opened."""
    now = _now(now)
    _led(actor, partnership)
    current = BiddingPartnership.objects.select_for_update().get(pk=partnership.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit()
    _open_for_bidding(partnership.opportunity, now)
    if partnership.active_members().filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} is already in this partnership."})
    if not role.strip():
        raise ValidationError({"role": "Enter the member's role, for example mental health services."})
    _check_share(partnership, share)
    numbers = member_numbers(organisation, charity_number=charity_number, company_number=company_number)
    before = partnership_snapshot(partnership)
    member = PartnershipMember.objects.create(
        partnership=partnership, organisation=organisation, role=role.strip(), share=share, invited_at=now, **numbers
    )
    save_if_unchanged(current, expected_version=current.version, fields={})
    audit_record(
        actor=actor, action="member_invite", obj=partnership, before=before, after=partnership_snapshot(partnership)
    )
    notices.partnership_invited(member)
    return member


@transaction.atomic
def member_confirm(*, actor: Any, member: PartnershipMember, now: datetime.datetime | None = None) -> PartnershipMember:
    """The invited organisation confirms its membership, once: confirming again changes nothing
    (the date it confirmed never moves) and is refused with the date it was confirmed."""
    if access.provider_organisation_id(actor) != member.organisation_id or member.left_at:
        raise PermissionDenied("Only the invited organisation confirms its membership.")
    current = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    if current.confirmed_at is not None:
        raise AlreadyConfirmed(current)
    before = partnership_snapshot(member.partnership)
    member.confirmed_at = _now(now)
    PartnershipMember.objects.filter(pk=member.pk, confirmed_at__isnull=True).update(confirmed_at=member.confirmed_at)
    member.team.add(actor)
    audit_record(
        actor=actor,
        action="member_confirm",
        obj=member.partnership,
        before=before,
        after=partnership_snapshot(member.partnership),
    )
    return member


@transaction.atomic
def member_leave(*, actor: Any, member: PartnershipMember, now: datetime.datetime | None = None) -> PartnershipMember:
    """A member leaves (or the lead removes it); the row stays as history."""
    org_id = access.provider_organisation_id(actor)
    if org_id not in (member.organisation_id, member.partnership.lead_id) or member.left_at:
        raise PermissionDenied("You cannot change this membership.")
    if member.is_lead:
        raise ValidationError({"organisation": "The lead cannot leave its own partnership."})
    before = partnership_snapshot(member.partnership)
    member.left_at = _now(now)
    member.save(update_fields=["left_at"])
    audit_record(
        actor=actor,
        action="member_leave",
        obj=member.partnership,
        before=before,
        after=partnership_snapshot(member.partnership),
    )
    return member


# --- Bid teams -----------------------------------------------------------------------------------


def _team_changer(actor: Any, member: PartnershipMember) -> PartnershipMember:
    if member.left_at or member.confirmed_at is None or not access.may_name_bid_team(actor, member.partnership):
        raise PermissionDenied("Only the lead's bid team names the people on the bid.")
    return PartnershipMember.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def bid_team_add(*, actor: Any, member: PartnershipMember, person: Any) -> PartnershipMember:
    """Name a person of a member organisation on the bid: they then see and write its bids."""
    current = _team_changer(actor, member)
    if not access.may_join_bid_team(person, current):
        raise ValidationError({"person": f"Choose a person of {current.organisation.name}."})
    if current.team.filter(pk=person.pk).exists():
        raise ValidationError({"person": f"{person.get_full_name() or person.username} is already on the bid."})
    before = partnership_snapshot(current.partnership)
    current.team.add(person)
    audit_record(
        actor=actor,
        action="bid_team_add",
        obj=current.partnership,
        before=before,
        after=partnership_snapshot(current.partnership) | {"named": f"{person.username} for {current.organisation}"},
    )
    return current


@transaction.atomic
def bid_team_remove(*, actor: Any, member: PartnershipMember, person: Any) -> PartnershipMember:
    """Take a person off the bid; the lead's own team keeps at least one person."""
    current = _team_changer(actor, member)
    if not current.team.filter(pk=person.pk).exists():
        raise ValidationError({"person": "That person is not on the bid."})
    if current.is_lead and current.team.count() == 1:
        raise ValidationError({"person": "The lead must keep at least one person on the bid."})
    before = partnership_snapshot(current.partnership)
    current.team.remove(person)
    audit_record(
        actor=actor,
        action="bid_team_remove",
        obj=current.partnership,
        before=before,
        after=partnership_snapshot(current.partnership) | {"removed": f"{person.username} for {current.organisation}"},
    )
    return current
