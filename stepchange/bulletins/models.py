"""Bulletins: subscribers, the digests and alerts sent to them, and one delivery row per message.

A subscriber's state comes from timestamps: waiting for confirmation until ``confirmed_at``, then
active until ``unsubscribed_at``. Nothing is sent to anyone not active at the moment of sending.

A bulletin keeps copies of the items it announced (``Entry``), so the archive shows what was sent.
Each message is a ``Delivery``, one per (bulletin, subscriber): the database refuses a second, and
the row's state is how a stopped sender resumes without sending anyone twice
(stepchange/bulletins/delivery.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Subscriber(models.Model):
    """Someone who asked for a region's bulletins, with their choices; no account needed."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="bulletin_subscribers")
    # Kept in lower case: one subscription per address and region.
    email = models.EmailField()
    # None ticked: every pathway, every area.
    pathways = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    areas = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="+")
    # The source keys (stepchange/bulletins/sources.py) of the kinds of item wanted.
    kinds = models.JSONField(default=list)
    wants_alerts = models.BooleanField("Also e-mail me each new item as it is published", default=True)
    # The secret in the links of every message (preferences, unsubscribe). Never shown on a page
    # but the subscriber's own.
    token = models.CharField(max_length=64, unique=True)
    # Changed when a confirmation link is used or a new one sent: a link works once.
    confirm_nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    # When the form last e-mailed this address (a confirmation, or the link to its choices).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["region", "email"]
        constraints = [
            models.UniqueConstraint(fields=["region", "email"], name="one_subscription_per_address_and_region"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="subscriber_email_lower"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class BulletinKind(models.TextChoices):
    DIGEST = "digest", "Digest"
    ALERT = "alert", "Alert"


class Bulletin(models.Model):
    """A digest (drafted, edited and sent by the regional team) or an alert (sent when an item is
    published). Sent once ``sent_at`` is set; a digest before that is a draft."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="bulletins")
    kind = models.CharField(max_length=10, choices=BulletinKind.choices)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    # The items published after ``covers_from`` up to and including ``covers_to``.
    covers_from = models.DateTimeField()
    covers_to = models.DateTimeField()
    drafted_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-drafted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(covers_from__lt=models.F("covers_to")), name="bulletin_period_forward"),
            # At most one draft digest per region at a time: the next one covers from where the
            # last one sent ends.
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="digest", sent_at__isnull=True), name="one_draft_digest_per_region"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class Entry(models.Model):
    """A copy of one item as the bulletin announced it."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="entries")
    source = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    pathway_ids = models.JSONField(default=list)
    area_ids = models.JSONField(default=list)
    pathways_text = models.CharField(max_length=500, blank=True)
    areas_text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["bulletin", "source", "published_at", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "source", "key"], name="one_entry_per_item")]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    WAITING = "waiting", "Waiting to be sent"
    CLAIMED = "claimed", "Claimed by a sender"
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (unsubscribed, or nothing matched any more)"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.WAITING)
    claim = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["bulletin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "subscriber"], name="one_delivery_per_bulletin_and_subscriber")
        ]
        indexes = [models.Index(fields=["bulletin", "state"], name="bulletin_delivery_state")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.bulletin} to {self.subscriber}"
