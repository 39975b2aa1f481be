"""The sender: e-mails a bulletin's messages waiting, each once, resumable after any stop.

Each ``Delivery`` row moves WAITING → SENDING → SENT (or SKIPPED), each step committed before the
next. For each message the sender:

1. opens its connection to the mail server first and exchanges greetings (nothing is handed
   over yet);
2. takes the next WAITING row in one short transaction (``select_for_update(skip_locked=True)`` on
   PostgreSQL, so two workers take different rows), reads the subscription afresh, and marks the
   row SKIPPED (unsubscribed, or nothing matches their choices any more) or SENDING with the
   Message-ID the e-mail will carry: committed before the server hears of it;
3. sends and marks the row SENT.

A sender stopped before step 2 commits leaves the row WAITING: the next run sends it, so nobody is
missed. A row is only ever sent by the run that marked it SENDING, so nobody gets it twice. A row
left SENDING (stopped during the SMTP conversation, or the server broke off without saying whether
it took the message) may or may not have gone out: it is never sent again by itself;
``manage.py send_bulletins --uncertain`` lists it with its Message-ID to look up in the mail
server's log, and ``--resend ID`` queues it again. An error showing that the server did not take
the message puts the row back to WAITING, until ``MAX_ATTEMPTS``; then it is FAILED.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from stepchange.bulletins import services, sources
from stepchange.bulletins.matching import Choices, entries_for
from stepchange.bulletins.models import Bulletin, Delivery, DeliveryState, Entry, Subscriber
from stepchange.core.smtp import NOT_TAKEN

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_SENDING = datetime.timedelta(minutes=10)


@dataclass
class Run:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)


@dataclass
class Taken:
    row: Delivery
    entries: list[Entry]


def take_next(bulletin_id: int | None, *, now: datetime.datetime) -> Taken | Delivery | None:
    """Step 2, committed. A ``Taken`` to send, a skipped ``Delivery``, or None when none waits."""
    with transaction.atomic():
        waiting = Delivery.objects.select_for_update(skip_locked=True).filter(state=DeliveryState.WAITING)
        if bulletin_id is not None:
            waiting = waiting.filter(bulletin_id=bulletin_id)
        row = waiting.order_by("id").first()
        if row is None:
            return None
        subscriber = Subscriber.objects.prefetch_related("pathways", "areas").get(pk=row.subscriber_id)
        entries = entries_for(Choices.of(subscriber), list(Entry.objects.filter(bulletin_id=row.bulletin_id)))
        if not subscriber.is_active or not entries:
            row.state = DeliveryState.SKIPPED
            row.save(update_fields=["state"])
            return row
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or None
        row.message_id = make_msgid("bulletin", domain=domain)
        row.state, row.sending_at, row.attempts = DeliveryState.SENDING, now, row.attempts + 1
        row.save(update_fields=["message_id", "state", "sending_at", "attempts"])
        return Taken(row, entries)


def message_for(row: Delivery, entries: list[Entry]) -> EmailMultiAlternatives:
    """The e-mail: plain text, with the links to the subscriber's preferences and to unsubscribe,
    and the one-click unsubscribe headers of RFC 8058 (a mail program POSTs
    ``List-Unsubscribe=One-Click`` to the address)."""
    bulletin: Bulletin = row.bulletin
    subscriber: Subscriber = row.subscriber
    base = settings.PUBLIC_BASE_URL
    unsubscribe = base + services.unsubscribe_path(subscriber)
    labels = {source.key: source.label for source in sources.declared_sources()}
    order = {key: n for n, key in enumerate(labels)}  # the kinds in the sources' order, as the archive
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (order.get(e.source, len(order)), e.published_at, e.pk)):
        groups.setdefault(entry.source, []).append(entry)
    body = render_to_string(
        "bulletins/email/bulletin.txt",
        {
            "bulletin": bulletin,
            "groups": [(labels.get(key, key), items) for key, items in groups.items()],
            "base": base,
            "manage": base + services.manage_path(subscriber),
            "unsubscribe": unsubscribe,
        },
    )
    return EmailMultiAlternatives(
        bulletin.title,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers={
            "Message-ID": row.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{bulletin.region.name} bulletin <bulletin.{bulletin.region.code.lower()}.stepchange>",
        },
    )


def _deliver(connection: object, taken: Taken, *, run: Run, now: datetime.datetime) -> None:
    row = taken.row
    try:
        message = message_for(row, taken.entries)
        message.connection = connection  # type: ignore[assignment]
        message.send()
    except NOT_TAKEN as refused:
        state = DeliveryState.FAILED if row.attempts >= MAX_ATTEMPTS else DeliveryState.WAITING
        Delivery.objects.filter(pk=row.pk).update(state=state, last_error=repr(refused)[:300])
        (run.failed if state == DeliveryState.FAILED else run.retry).append(row.pk)
        logger.warning("Bulletin message %s not taken by the mail server: %s", row.pk, type(refused).__name__)
        return
    except (smtplib.SMTPException, OSError) as unsure:
        Delivery.objects.filter(pk=row.pk).update(last_error=repr(unsure)[:300])
        run.uncertain.append(row.pk)
        logger.error("Bulletin message %s may or may not have been sent (%s)", row.pk, row.message_id)
        return
    Delivery.objects.filter(pk=row.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.SENT, sent_at=now, last_error=""
    )
    run.sent.append(row.pk)


def send_waiting(*, bulletin_id: int | None = None, now: datetime.datetime | None = None) -> Run:
    """Send every waiting message (of one bulletin, or of all), one at a time, until none waits
    or the mail server refuses one (that one waits for the next run)."""
    run = Run()
    while True:
        connection = get_connection()
        try:
            # Connected and greeted before a row is taken: a stop here leaves every row WAITING.
            connection.open()
            smtp = getattr(connection, "connection", None)
            if smtp is not None:
                smtp.ehlo_or_helo_if_needed()
        except (smtplib.SMTPException, OSError):
            logger.warning("The mail server refused the connection; bulletin messages wait for the next run")
            return run
        try:
            taken = take_next(bulletin_id, now=now or timezone.now())
            if taken is None:
                return run
            if isinstance(taken, Delivery):
                run.skipped.append(taken.pk)
                continue
            _deliver(connection, taken, run=run, now=now or timezone.now())
            if run.retry or run.failed or run.uncertain:
                return run
        finally:
            connection.close()


def uncertain(*, now: datetime.datetime | None = None) -> list[Delivery]:
    """Messages handed to the mail server longer ago than ``STALE_SENDING`` with no answer recorded."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(state=DeliveryState.SENDING, sending_at__lt=now - STALE_SENDING)
        .select_related("subscriber", "bulletin")
        .order_by("id")
    )


def resend(pk: int) -> bool:
    """Queue again a message left SENDING or FAILED (checked in the mail server's log: not delivered)."""
    return bool(
        Delivery.objects.filter(pk=pk, state__in=[DeliveryState.SENDING, DeliveryState.FAILED]).update(
            state=DeliveryState.WAITING, attempts=0
        )
    )
