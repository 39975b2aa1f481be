"""The directory its sector keeps: registrations checked, claims decided, services offered and
duplicates merged. One transaction and one audit event per service; who may is asked of access.py.

The person a decision concerns is e-mailed here (``mail.py``): the notifications app sits above
this one, so the directory cannot write to its outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, save_if_unchanged
from stepchange.organisations import access, mail
from stepchange.organisations.models import (
    Claim,
    Listing,
    Organisation,
    OrganisationAlias,
    OrganisationMerge,
    ServiceOffer,
)

# Models whose row, when the kept organisation has its twin, is dropped rather than refusing the merge.
TWINS_DROPPED: tuple[type[models.Model], ...] = (ServiceOffer,)
ONLY_THE_TEAM = "Only the regional team of the organisation's region decides this."


def _people_of(organisation: Organisation) -> list[Any]:
    return list(get_user_model().objects.filter(organisation=organisation, is_active=True).exclude(email=""))


# --- Registrations -------------------------------------------------------------------------------


@transaction.atomic
def registration_decide(
    *, actor: Any, organisation: Organisation, approve: bool, refusal_reason: str = ""
) -> Organisation:
    """The regional team lists a registered organisation, or refuses it with a reason; its people
    are e-mailed the decision."""
    if not access.registrations_decidable_by(actor).filter(pk=organisation.pk).exists():
        current = Organisation.objects.filter(pk=organisation.pk).first()
        if current is not None and current.listing != Listing.WAITING and access.may_change_protected(actor, current):
            raise already_done(
                current, did="decided this registration", then="here it is.", actions=["registration_decide"]
            )
        raise PermissionDenied(ONLY_THE_TEAM)
    if not approve and not refusal_reason.strip():
        raise ValidationError({"refusal_reason": "Say why the registration is refused; the organisation is told it."})
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.listing != Listing.WAITING:
        raise already_done(locked, did="decided this registration", then="here it is.", actions=["registration_decide"])
    before = snapshot(locked)
    locked.listing = Listing.LISTED if approve else Listing.REFUSED
    locked.listing_refusal_reason = "" if approve else refusal_reason.strip()
    locked.version += 1
    locked.save(update_fields=["listing", "listing_refusal_reason", "version"])
    mail.send_registration_decision(organisation=locked, people=_people_of(locked))
    audit_record(actor=actor, action="registration_decide", obj=locked, before=before, after=snapshot(locked))
    return locked


# --- Claims --------------------------------------------------------------------------------------


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "organisation": claim.organisation.name,
        "claimant": claim.claimant.username,
        "reason": claim.reason,
        "status": claim.status,
        "refusal_reason": claim.refusal_reason,
    }


@transaction.atomic
def claim_create(*, actor: Any, organisation: Organisation, reason: str) -> Claim:
    if not access.may_claim(actor, organisation):
        raise PermissionDenied("You cannot claim this organisation.")
    if not reason.strip():
        raise ValidationError({"reason": "Say who you are in the organisation and how the regional team can check it."})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    if Claim.objects.filter(organisation=organisation, claimant=actor, decided_at__isnull=True).exists():
        raise ValidationError({"reason": "You have already claimed this organisation; wait for the regional team."})
    claim = Claim.objects.create(
        organisation=organisation, claimant=actor, reason=reason.strip(), asked_at=timezone.now()
    )
    audit_record(actor=actor, action="claim_create", obj=claim, after=claim_snapshot(claim))
    return claim


@transaction.atomic
def claim_decide(*, actor: Any, claim: Claim, approve: bool, refusal_reason: str = "") -> Claim:
    """Approved, the claimant becomes one of the organisation's people (its administrator, who
    invites the rest); the claimant is e-mailed the decision either way."""
    if not access.claims_decidable_by(actor).filter(pk=claim.pk).exists():
        raise PermissionDenied(ONLY_THE_TEAM)
    locked = Claim.objects.select_for_update().select_related("organisation", "claimant").get(pk=claim.pk)
    if not locked.is_pending:
        raise already_done(
            locked, by=locked.decided_by, at=locked.decided_at, did="decided this claim", then="here it is."
        )
    if not approve and not refusal_reason.strip():
        raise ValidationError({"refusal_reason": "Say why the claim is refused; the person who claimed is told it."})
    before = claim_snapshot(locked)
    if approve:
        claimant = get_user_model().objects.select_for_update().get(pk=locked.claimant_id)
        if access.own_organisation_listed(claimant):
            raise ValidationError(
                {"decision": f"{claimant} already keeps another organisation's profile; refuse the claim."}
            )
        claimant.organisation = locked.organisation
        claimant.is_organisation_admin = True
        claimant.save(update_fields=["organisation", "is_organisation_admin"])
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.approved = approve
    locked.refusal_reason = "" if approve else refusal_reason.strip()
    locked.save(update_fields=["decided_at", "decided_by", "approved", "refusal_reason"])
    mail.send_claim_decision(claim=locked)
    audit_record(
        actor=actor,
        action="claim_approve" if approve else "claim_refuse",
        obj=locked,
        before=before,
        after=claim_snapshot(locked),
    )
    return locked


# --- Services offered ----------------------------------------------------------------------------


@transaction.atomic
def services_set(
    *, actor: Any, organisation: Organisation, expected_version: int, offers: Iterable[tuple[Any, Any]]
) -> list[ServiceOffer]:
    """Replace the organisation's services by these (pathway, probation area) pairs, if nobody has
    changed its profile since the form was read (else StaleEdit); the profile's version moves on."""
    if not access.may_keep_services(actor, organisation):
        raise PermissionDenied
    save_if_unchanged(organisation, expected_version=expected_version, fields={})
    wanted = {(pathway.pk, area.pk): (pathway, area) for pathway, area in offers}
    before = sorted(str(offer) for offer in organisation.services.select_related("pathway", "area__organisation"))
    organisation.services.exclude(
        pk__in=[o.pk for o in organisation.services.all() if (o.pathway_id, o.area_id) in wanted]
    ).delete()
    have = set(organisation.services.values_list("pathway_id", "area_id"))
    ServiceOffer.objects.bulk_create(
        [
            ServiceOffer(organisation=organisation, pathway=p, area=a)
            for key, (p, a) in wanted.items()
            if key not in have
        ]
    )
    result = list(organisation.services.select_related("pathway", "area__organisation"))
    audit_record(
        actor=actor,
        action="services_set",
        obj=organisation,
        before={"services": before},
        after={"services": sorted(str(o) for o in result)},
    )
    return result


# --- Merging a duplicate -------------------------------------------------------------------------


def _relations() -> list[models.ForeignObjectRel]:
    """Every foreign key pointing at an organisation, in every app (many-to-many tables included)."""
    return [
        rel
        for rel in Organisation._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ForeignObjectRel) and not isinstance(rel, models.ManyToManyRel)
    ]


def _label(rel: models.ForeignObjectRel) -> str:
    model = rel.related_model
    return f"{model._meta.label_lower}.{rel.field.name}"  # type: ignore[union-attr]


@transaction.atomic
def organisation_merge(*, actor: Any, kept: Organisation, duplicate: Organisation) -> OrganisationMerge:
    """Move everything that points at ``duplicate`` to ``kept``, keep the duplicate's name as an
    alias and a record of what it was and what moved, then delete it: all or nothing.

    A row that cannot move because ``kept`` already has its twin (the same organisation twice in a
    many-to-many list, the same service offered) is dropped; any other clash (both sub-contracting
    on one contract, both leading partnerships for one opportunity) refuses the whole merge, naming it.
    """
    locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])}
    if len(locked) != 2:
        raise ValidationError("One of the organisations no longer exists; it may have been merged already.")
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    refusal = access.merge_refusal(actor, kept=kept, duplicate=duplicate)
    if refusal:
        raise ValidationError(refusal)
    profile = snapshot(duplicate)
    moved: dict[str, int] = {}
    for rel in _relations():
        model = rel.related_model
        field = rel.field.name
        if rel.one_to_one:
            # A commissioner's organisation: moves only when the kept organisation is none.
            rows = model._default_manager.filter(**{field: duplicate})  # type: ignore[union-attr]
            if rows.exists():
                model._default_manager.filter(**{field: duplicate}).update(**{field: kept})  # type: ignore[union-attr]
                moved[_label(rel)] = 1
            continue
        count = 0
        # A row whose twin the kept organisation has (the same organisation twice in a many-to-many
        # list, the same service) says nothing the kept one does not: it is dropped.
        twins_drop = bool(model._meta.auto_created) or model in TWINS_DROPPED  # type: ignore[union-attr]
        for row in model._default_manager.filter(**{field: duplicate}):  # type: ignore[union-attr]
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=row.pk).update(**{field: kept})  # type: ignore[union-attr]
            except IntegrityError:
                if not twins_drop:
                    raise ValidationError(
                        f"{kept.name} already has what {duplicate.name}'s {model._meta.verbose_name} "  # type: ignore[union-attr]
                        f"“{row}” would become; resolve it before merging."
                    ) from None
                row.delete()
            count += 1
        if count:
            moved[_label(rel)] = count
    # Its areas and pathways served join the kept organisation's.
    kept.areas_served.add(*duplicate.areas_served.all())
    kept.pathways_served.add(*duplicate.pathways_served.all())
    merge = OrganisationMerge.objects.create(
        kept=kept,
        merged_id=duplicate.pk,
        merged_name=duplicate.name,
        merged_profile=profile,
        moved=moved,
        merged_by=actor,
        merged_at=timezone.now(),
    )
    OrganisationAlias.objects.get_or_create(organisation=kept, name=duplicate.name)
    for field in ("charity_number", "company_number", "contact_email", "website", "description"):
        if not getattr(kept, field) and getattr(duplicate, field):
            setattr(kept, field, getattr(duplicate, field))
    kept.version += 1
    kept.save()
    duplicate.delete()
    audit_record(
        actor=actor,
        action="organisation_merge",
        obj=kept,
        before={"merged": profile},
        after={"kept": snapshot(kept), "moved": moved},
    )
    return merge
