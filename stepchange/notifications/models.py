"""A message to one person about one event, shown on their pages and e-mailed from an outbox.

One row per (event, person): the database refuses a second, so a service retried after a failure
never tells anyone twice. The e-mail's progress is recorded on the row (``EmailStatus``) so that a
sender that stops anywhere can be resumed without sending a message twice: see
stepchange/notifications/delivery.py and docs/operations.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailStatus(models.TextChoices):
    NONE = "none", "Not e-mailed (no address)"
    WAITING = "waiting", "Waiting to be sent"
    CLAIMED = "claimed", "Claimed by a sender"
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    event_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300)
    why = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail: the address it goes to (as it was when the event happened) and its progress.
    email_to = models.EmailField(blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.WAITING)
    claim = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "recipient"], name="one_notification_per_event_and_person")
        ]
        indexes = [
            models.Index(fields=["email_status", "claimed_at"], name="notification_outbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.subject


class Declined(models.Model):
    """A kind of message a person chose not to receive (never a required kind)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    declined_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_declined_per_person_and_kind")]

    def __str__(self) -> str:
        return f"{self.user} declined {self.kind}"
