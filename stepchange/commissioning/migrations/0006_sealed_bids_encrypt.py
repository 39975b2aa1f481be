"""Sealed bids, step 2 of 3: encrypt every existing bid and bid document, name the bid teams.

Needs the master keys from the environment (``BID_SEALING_KEYS``): each opportunity with bids gets
its key, wrapped by the current master key. Existing confirmed memberships keep the people who could
read their bids until now, every active provider user of the member organisation; from here on only
the people named see a bid. Audit events of bids written before sealing held the answers and price
in plain text: those two values are replaced by "(sealed)", the one edit ever made to audit events,
so that no copy of a sealed bid stays readable in the database.
"""

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

REDACTED = "(sealed)"


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from stepchange.commissioning import sealing

    bid_model = apps.get_model("commissioning", "Bid")
    document_model = apps.get_model("commissioning", "BidDocument")
    key_model = apps.get_model("commissioning", "OpportunityKey")
    member_model = apps.get_model("commissioning", "PartnershipMember")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    event_model = apps.get_model("core", "AuditEvent")
    now = timezone.now()
    keys: dict[int, bytes] = {}

    def key_for(opportunity_id: int) -> bytes:
        if opportunity_id not in keys:
            data_key, key_id, wrapped = sealing.new_opportunity_key(opportunity_id)
            key_model.objects.create(
                opportunity_id=opportunity_id, master_key_id=key_id, wrapped_key=wrapped, created_at=now
            )
            keys[opportunity_id] = data_key
        return keys[opportunity_id]

    for bid in bid_model.objects.select_related("stage").order_by("pk"):
        plaintext = sealing.bid_plaintext(bid.answers or {}, bid.price)
        bid.sealed = sealing.encrypt(key_for(bid.stage.opportunity_id), plaintext, sealing.bid_associated_data(bid.pk))
        bid.save(update_fields=["sealed"])
    for document in document_model.objects.select_related("bid__stage").order_by("pk"):
        associated = sealing.document_associated_data(document.pk, document.bid_id)
        document.sealed_content = sealing.encrypt(
            key_for(document.bid.stage.opportunity_id), bytes(document.content), associated
        )
        document.save(update_fields=["sealed_content"])
    for member in member_model.objects.filter(confirmed_at__isnull=False, left_at__isnull=True):
        people = user_model.objects.filter(organisation_id=member.organisation_id, role="provider", is_active=True)
        member.team.add(*people)
    for event in event_model.objects.filter(object_type="commissioning.bid"):
        changed = False
        for side in (event.before, event.after):
            if isinstance(side, dict):
                for name in ("answers", "price"):
                    if name in side and side[name] != REDACTED:
                        side[name] = REDACTED
                        changed = True
        if changed:
            event.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0005_sealed_bids_keys_and_teams"),
        ("core", "0002_reference_data"),
        ("accounts", "0002_initial"),
    ]

    # Irreversible: the plaintext columns go in the next step, and nothing should ever put them back.
    operations = [migrations.RunPython(seal_existing, elidable=False)]
