"""Every write of consortia: keyword-only, one transaction and one audit event each, each asking
``access`` first. The consortium's texts carry a version (two people editing at once: the second
save is refused); a member is added once (the database refuses a second current membership) and
leaves once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stepchange.commissioning.models import BiddingPartnership
from stepchange.consortia import access
from stepchange.consortia.models import Consortium, ConsortiumMember, ConsortiumPartnership
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.organisations.models import Listing, Organisation, Sector

TEXTS = ("name", "purpose", "constitution", "bidding_protocol", "governance", "formed_on")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _name_taken(name: str, but: Consortium | None = None) -> bool:
    others = Consortium.objects.filter(name__iexact=name.strip())
    if but is not None:
        others = others.exclude(pk=but.pk)
    return others.exists()


@transaction.atomic
def consortium_create(
    *, actor: Any, region: Region, texts: dict[str, Any], now: datetime.datetime | None = None
) -> Consortium:
    if not access.may_create_consortium(actor) or access.region_of(actor) != region.pk:
        raise PermissionDenied("Only a regional commissioner sets up a consortium, in their own region.")
    if _name_taken(texts["name"]):
        raise ValidationError("There is already a consortium of that name")
    consortium = Consortium.objects.create(
        region=region, created_by=actor, created_at=_now(now), **{k: texts.get(k) for k in TEXTS}
    )
    audit_record(actor=actor, action="consortium.create", obj=consortium, after=snapshot(consortium))
    return consortium


@transaction.atomic
def consortium_update(*, actor: Any, consortium: Consortium, texts: dict[str, Any], version: int) -> Consortium:
    consortium = Consortium.objects.select_for_update().get(pk=consortium.pk)
    if not access.may_manage_consortium(actor, consortium):
        raise PermissionDenied("Only the regional team and the consortium's lead members change it.")
    if consortium.version != version:
        raise StaleEdit()
    if _name_taken(texts["name"], but=consortium):
        raise ValidationError("There is already a consortium of that name")
    before = snapshot(consortium)
    for key in TEXTS:
        setattr(consortium, key, texts.get(key))
    consortium.version += 1
    consortium.save()
    audit_record(actor=actor, action="consortium.update", obj=consortium, before=before, after=snapshot(consortium))
    return consortium


@transaction.atomic
def member_add(
    *,
    actor: Any,
    consortium: Consortium,
    organisation: Organisation,
    role: str,
    is_lead: bool,
    joined_on: datetime.date,
) -> ConsortiumMember:
    if not access.may_manage_consortium(actor, consortium):
        raise PermissionDenied("Only the regional team and the consortium's lead members change its members.")
    if organisation.sector != Sector.VCS:
        raise ValidationError(f"{organisation.name} is not a voluntary and community organisation")
    if organisation.listing != Listing.LISTED:
        raise ValidationError(f"{organisation.name} is not listed in the directory yet")
    if access.current_members(consortium).filter(organisation=organisation).exists():
        raise ValidationError(f"{organisation.name} is already a member")
    try:
        with transaction.atomic():
            member = ConsortiumMember.objects.create(
                consortium=consortium,
                organisation=organisation,
                role=role.strip(),
                is_lead=is_lead,
                joined_on=joined_on,
            )
    except IntegrityError:
        raise ValidationError(f"{organisation.name} is already a member") from None
    audit_record(actor=actor, action="consortium.member_add", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: ConsortiumMember, left_on: datetime.date) -> ConsortiumMember:
    member = ConsortiumMember.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    if not access.may_manage_consortium(actor, member.consortium):
        raise PermissionDenied("Only the regional team and the consortium's lead members change its members.")
    if member.left_on is not None:
        raise ValidationError(f"{member.organisation.name} has already left")
    if left_on < member.joined_on:
        raise ValidationError(f"The day it left must be on or after the day it joined ({member.joined_on:%-d/%-m/%Y})")
    before = snapshot(member)
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(actor=actor, action="consortium.member_remove", obj=member, before=before, after=snapshot(member))
    return member


@transaction.atomic
def partnership_link(
    *, actor: Any, consortium: Consortium, partnership: BiddingPartnership, now: datetime.datetime | None = None
) -> ConsortiumPartnership:
    if not access.partnerships_linkable_by(actor, consortium).filter(pk=partnership.pk).exists():
        raise PermissionDenied("Only a lead member links a partnership it leads, once.")
    try:
        with transaction.atomic():
            link = ConsortiumPartnership.objects.create(
                consortium=consortium, partnership=partnership, linked_by=actor, linked_at=_now(now)
            )
    except IntegrityError:
        raise ValidationError(f"{partnership.name} is already linked to a consortium") from None
    audit_record(actor=actor, action="consortium.partnership_link", obj=link, after=snapshot(link))
    return link
