"""The outbox sender: e-mails the notifications waiting, once each, resumable after any stop.

Each row moves WAITING → CLAIMED → SENDING → SENT, each step committed before the next:

1. **Claim** a batch in one short transaction: ``select_for_update(skip_locked=True)`` on
   PostgreSQL, so two senders running at once take different rows; each row gets this run's claim
   token and the time. A sender that stops after claiming leaves rows CLAIMED: once the claim is
   older than ``STALE_CLAIM`` another run claims them again. Nothing was handed to the mail server
   yet, so sending them then is their first sending.
2. **Sending**: before talking to the mail server the row is marked SENDING with the Message-ID
   the e-mail will carry, and committed. Only the holder of the claim does this.
3. **Send** through Django's mail backend, then mark SENT.

A row left SENDING (the sender stopped during or just after the SMTP conversation, or the server
broke off without saying whether it took the message) may or may not have gone out. It is never
sent again by itself: ``manage.py send_notifications --uncertain`` lists such rows older than
``STALE_CLAIM`` with their Message-ID, for someone to look up in the mail server's log, and
``--resend ID`` puts one back in the queue. So a message is sent at most once without a person
deciding otherwise. An error that shows the server did not take the message (refused the
connection, the sender, the recipient or the data) puts the row back to WAITING, until
``MAX_ATTEMPTS``; then it is FAILED.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from stepchange.core.smtp import NOT_TAKEN
from stepchange.notifications.kinds import KINDS
from stepchange.notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)

BATCH = 50
STALE_CLAIM = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5


@dataclass
class Run:
    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)


def claim(*, now: datetime.datetime, batch: int = BATCH) -> tuple[str, list[int]]:
    """Claim up to ``batch`` rows waiting, or claimed by a sender that stopped; returns the
    claim token and the rows' ids."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ready = Q(email_status=EmailStatus.WAITING) | Q(
            email_status=EmailStatus.CLAIMED, claimed_at__lt=now - STALE_CLAIM
        )
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(ready)
            .order_by("id")
            .values_list("id", flat=True)[:batch]
        )
        Notification.objects.filter(pk__in=ids).update(
            email_status=EmailStatus.CLAIMED, claim=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return token, ids


def _mark_sending(pk: int, token: str, now: datetime.datetime) -> Notification | None:
    """Step 2, committed: the row is ours and about to go to the mail server."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .filter(pk=pk, claim=token, email_status=EmailStatus.CLAIMED)
            .first()
        )
        if row is None:  # claimed again by another sender after ours went stale
            return None
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or None
        row.message_id = make_msgid("stepchange", domain=domain)
        row.email_status, row.sending_at = EmailStatus.SENDING, now
        row.save(update_fields=["message_id", "email_status", "sending_at"])
        return row


def message_for(row: Notification) -> EmailMessage:
    base = settings.PUBLIC_BASE_URL
    body = render_to_string(
        "notifications/email.txt",
        {
            "row": row,
            "link": base + row.link,
            "preferences": base + reverse("notifications:preferences"),
            "required": KINDS[row.kind].required,
        },
    )
    return EmailMessage(
        row.subject, body, settings.DEFAULT_FROM_EMAIL, [row.email_to], headers={"Message-ID": row.message_id}
    )


def _record_sent(row: Notification, now: datetime.datetime) -> None:
    Notification.objects.filter(pk=row.pk, email_status=EmailStatus.SENDING).update(
        email_status=EmailStatus.SENT, sent_at=now, last_error=""
    )


def deliver(pk: int, token: str, *, run: Run, now: datetime.datetime) -> None:
    row = _mark_sending(pk, token, now)
    if row is None:
        return
    try:
        message_for(row).send()
    except NOT_TAKEN as refused:
        status = EmailStatus.FAILED if row.attempts >= MAX_ATTEMPTS else EmailStatus.WAITING
        Notification.objects.filter(pk=pk).update(email_status=status, last_error=repr(refused)[:300])
        (run.failed if status == EmailStatus.FAILED else run.retry).append(pk)
        logger.warning("Notification %s not taken by the mail server: %s", pk, type(refused).__name__)
        return
    except (smtplib.SMTPException, OSError) as unsure:
        # Broken off mid-conversation: it may have been taken. Left SENDING, never resent by itself.
        Notification.objects.filter(pk=pk).update(last_error=repr(unsure)[:300])
        run.uncertain.append(pk)
        logger.error("Notification %s may or may not have been sent (%s)", pk, row.message_id)
        return
    _record_sent(row, now)
    run.sent.append(pk)


def send_waiting(*, now: datetime.datetime | None = None, batch: int = BATCH) -> Run:
    """One pass: claim a batch and send it; the next batch while batches come full. A row the
    server did not take waits for the next pass (``--loop`` runs one every ``--interval``)."""
    run = Run()
    while True:
        token, ids = claim(now=now or timezone.now(), batch=batch)
        for pk in ids:
            deliver(pk, token, run=run, now=now or timezone.now())
        if len(ids) < batch or run.retry or run.failed or run.uncertain:
            return run


def uncertain(*, now: datetime.datetime | None = None) -> list[Notification]:
    """Rows handed to the mail server longer ago than ``STALE_CLAIM`` with no answer recorded."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(email_status=EmailStatus.SENDING, sending_at__lt=now - STALE_CLAIM).order_by("id")
    )


def resend(pk: int) -> bool:
    """Put a row that was left SENDING (checked in the mail server's log: not delivered) back in the queue."""
    return bool(
        Notification.objects.filter(pk=pk, email_status__in=[EmailStatus.SENDING, EmailStatus.FAILED]).update(
            email_status=EmailStatus.WAITING, claim="", claimed_at=None, attempts=0
        )
    )
