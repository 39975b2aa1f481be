"""Writing notifications: called by the domain services inside their own transaction.

``notify`` records one message per (event, person); the domain service that calls it decides who
(with its own app's functions: who fills a return, a partnership's bid team, an opportunity's
managers) and writes the words. Nothing is sent here: the outbox sender
(``manage.py send_notifications``, stepchange/notifications/delivery.py) e-mails the rows later,
so no page waits for a mail server and a failed send never undoes the event.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record
from stepchange.notifications.kinds import KINDS
from stepchange.notifications.models import Declined, EmailStatus, Notification


def notify(
    *,
    event_key: str,
    kind: str,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    link: str,
    why: str,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Record the message for each recipient who has not declined its kind (a required kind
    cannot be declined); an (event, person) already told is passed over, so calling again for
    the same event (a retried service, a daily command run twice) tells nobody twice.

    ``event_key`` names the event, not the call: e.g. ``return-returned:prison:12:<when>``.
    Returns the rows written now.
    """
    what = KINDS[kind]  # an unknown kind is a programming error
    now = now or timezone.now()
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    if not what.required:
        declined = set(Declined.objects.filter(kind=kind, user_id__in=people).values_list("user_id", flat=True))
        people = {pk: person for pk, person in people.items() if pk not in declined}
    told = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=people).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            event_key=event_key,
            kind=kind,
            recipient=person,
            subject=subject[:200],
            body=body,
            link=link,
            why=why[:300],
            created_at=now,
            email_to=person.email,
            email_status=EmailStatus.WAITING if person.email else EmailStatus.NONE,
        )
        for pk, person in sorted(people.items())
        if pk not in told
    ]
    # ignore_conflicts: the unique (event, person) also answers two transactions racing.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # Read back: with ignore_conflicts the database does not say which rows it wrote, nor their ids.
    return list(
        Notification.objects.filter(event_key=event_key, recipient_id__in=[row.recipient_id for row in rows])
        .select_related("recipient")
        .order_by("recipient_id")
    )


@transaction.atomic
def mark_read(*, actor: Any, notification: Notification, now: datetime.datetime | None = None) -> Notification:
    """The person opened their notification. Only its recipient marks it; once, the first time."""
    if notification.recipient_id != actor.pk:
        raise ValidationError("This is not your notification.")
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def preferences_save(
    *, actor: Any, shown: Iterable[str], wanted: Iterable[str], now: datetime.datetime | None = None
) -> list[str]:
    """Keep the kinds the page showed and the person ticked; decline the rest of those shown.

    Only kinds the page showed change (a kind added since the page was opened keeps its
    setting); a required kind is never declined, whatever is sent. Returns the kinds declined.
    """
    shown_kinds = {key for key in shown if key in KINDS and not KINDS[key].required}
    wanted_kinds = set(wanted) & shown_kinds
    before = sorted(Declined.objects.filter(user=actor).values_list("kind", flat=True))
    Declined.objects.filter(user=actor, kind__in=wanted_kinds).delete()
    now = now or timezone.now()
    for kind in sorted(shown_kinds - wanted_kinds):
        Declined.objects.get_or_create(user=actor, kind=kind, defaults={"declined_at": now})
    after = sorted(Declined.objects.filter(user=actor).values_list("kind", flat=True))
    if after != before:
        audit_record(
            actor=actor,
            action="notification_preferences",
            obj=actor,
            before={"declined": before},
            after={"declined": after},
        )
    return after
