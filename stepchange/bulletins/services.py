"""Every write of the bulletins: subscriptions, digests, alerts. One transaction and one audit
event each; a subscriber has no account, so their own changes are recorded with no actor."""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from stepchange.bulletins import sources
from stepchange.bulletins.matching import Choices, entries_for
from stepchange.bulletins.models import Bulletin, BulletinKind, Delivery, Entry, Subscriber
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, save_if_unchanged
from stepchange.core.models import Pathway, Region

logger = logging.getLogger(__name__)

CONFIRM_SALT = "stepchange.bulletins.confirm"
CONFIRM_DAYS = 7
# A second e-mail about the same subscription (a confirmation, or the link to one's choices) waits
# this long, so the form cannot be used to flood someone's inbox.
RESEND_AFTER = datetime.timedelta(minutes=5)
# The first digest of a region covers this far back.
FIRST_DIGEST_SPAN = datetime.timedelta(days=31)
NOT_SENT = "The email could not be sent, so nothing has been saved. Try again later."


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _subscriber_snapshot(subscriber: Subscriber) -> dict[str, Any]:
    data = snapshot(subscriber)
    data.pop("token", None)
    data.pop("confirm_nonce", None)
    data["pathways"] = sorted(p.pk for p in subscriber.pathways.all())
    data["areas"] = sorted(a.pk for a in subscriber.areas.all())
    return data


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscriber.pk}:{subscriber.confirm_nonce}")


def _mail(template: str, *, to: str, subject: str, context: dict[str, Any]) -> None:
    body = render_to_string(f"bulletins/email/{template}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except (smtplib.SMTPException, OSError) as failed:
        logger.warning("A bulletin e-mail (%s) could not be sent: %s", template, type(failed).__name__)
        raise ValidationError(NOT_SENT) from failed


def _set_choices(
    subscriber: Subscriber, *, kinds: list[str], pathways: Iterable[Pathway], areas: Iterable[Any], wants_alerts: bool
) -> None:
    subscriber.kinds = [key for key in sources.source_keys() if key in kinds]
    subscriber.wants_alerts = wants_alerts
    subscriber.save()
    subscriber.pathways.set(pathways)
    subscriber.areas.set(areas)


@transaction.atomic
def subscriber_sign_up(
    *,
    region: Region,
    email: str,
    kinds: list[str],
    pathways: Iterable[Pathway],
    areas: Iterable[Any],
    wants_alerts: bool,
    now: datetime.datetime | None = None,
) -> Subscriber:
    """Ask for a region's bulletins: nothing is sent but the confirmation e-mail until its link is
    followed. An address already subscribed is sent the link to its preferences instead, and its
    choices are left alone: the form never tells anyone whether an address is subscribed."""
    now = _now(now)
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(region=region, email=email).first()
    last_mailed = subscriber.confirmation_sent_at if subscriber is not None else None
    if subscriber is not None and last_mailed is not None and now - last_mailed < RESEND_AFTER:
        return subscriber  # asked again within minutes: the first e-mail is on its way
    if subscriber is not None and subscriber.is_active:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
        _mail(
            "already",
            to=email,
            subject=f"You already get the {region.name} bulletin",
            context={"region": region, "manage": settings.PUBLIC_BASE_URL + manage_path(subscriber)},
        )
        audit_record(actor=None, action="bulletin_subscriber_reminded", obj=subscriber)
        return subscriber
    if (
        subscriber is not None
        and subscriber.confirmation_sent_at
        and now - subscriber.confirmation_sent_at < RESEND_AFTER
    ):
        return subscriber  # asked again within minutes: the first e-mail is on its way
    before = _subscriber_snapshot(subscriber) if subscriber is not None else None
    if subscriber is None:
        subscriber = Subscriber(region=region, email=email, token=secrets.token_urlsafe(32), created_at=now)
    subscriber.confirm_nonce = secrets.token_hex(16)
    subscriber.confirmation_sent_at = now
    _set_choices(subscriber, kinds=kinds, pathways=pathways, areas=areas, wants_alerts=wants_alerts)
    link = settings.PUBLIC_BASE_URL + reverse("bulletins:confirm", args=[confirmation_token(subscriber)])
    audit_record(
        actor=None,
        action="bulletin_subscriber_sign_up",
        obj=subscriber,
        before=before,
        after=_subscriber_snapshot(subscriber),
    )
    _mail(
        "confirm",
        to=email,
        subject=f"Confirm that you want the {region.name} bulletin",
        context={"region": region, "link": link, "days": CONFIRM_DAYS},
    )
    return subscriber


def subscriber_for_confirmation(token: str) -> Subscriber | None:
    """The subscriber a confirmation link is for, if it is genuine, unused and not expired."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=datetime.timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return None
    pk, _, nonce = value.partition(":")
    if not pk.isdigit():
        return None
    return Subscriber.objects.filter(pk=int(pk), confirm_nonce=nonce).first()


@transaction.atomic
def subscriber_confirm(*, token: str, now: datetime.datetime | None = None) -> Subscriber | None:
    """Follow the confirmation link: from now on the subscriber gets the bulletins. The link then
    stops working (its nonce is replaced). None if the link is not (or no longer) valid."""
    found = subscriber_for_confirmation(token)
    if found is None:
        return None
    subscriber = Subscriber.objects.select_for_update().get(pk=found.pk)
    if subscriber.confirm_nonce != found.confirm_nonce:
        return None  # used by another request at the same moment
    before = _subscriber_snapshot(subscriber)
    subscriber.confirm_nonce = secrets.token_hex(16)
    subscriber.confirmed_at = _now(now)
    subscriber.unsubscribed_at = None
    subscriber.version += 1
    subscriber.save()
    audit_record(
        actor=None,
        action="bulletin_subscriber_confirm",
        obj=subscriber,
        before=before,
        after=_subscriber_snapshot(subscriber),
    )
    return subscriber


@transaction.atomic
def subscriber_preferences_save(
    *,
    subscriber: Subscriber,
    version: int,
    kinds: list[str],
    pathways: Iterable[Pathway],
    areas: Iterable[Any],
    wants_alerts: bool,
) -> Subscriber:
    before = _subscriber_snapshot(subscriber)
    save_if_unchanged(subscriber, expected_version=version, fields={})
    _set_choices(subscriber, kinds=kinds, pathways=pathways, areas=areas, wants_alerts=wants_alerts)
    audit_record(
        actor=None,
        action="bulletin_subscriber_preferences",
        obj=subscriber,
        before=before,
        after=_subscriber_snapshot(subscriber),
    )
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, now: datetime.datetime | None = None) -> Subscriber:
    """At once: a message not yet handed to the mail server is not sent to them (the sender checks
    the subscription as it takes each message). Doing it twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.unsubscribed_at is not None:
        return subscriber
    before = _subscriber_snapshot(subscriber)
    subscriber.unsubscribed_at = _now(now)
    subscriber.version += 1
    subscriber.save(update_fields=["unsubscribed_at", "version"])
    audit_record(
        actor=None,
        action="bulletin_subscriber_unsubscribe",
        obj=subscriber,
        before=before,
        after=_subscriber_snapshot(subscriber),
    )
    return subscriber


def manage_path(subscriber: Subscriber) -> str:
    return reverse("bulletins:manage", args=[subscriber.token])


def unsubscribe_path(subscriber: Subscriber) -> str:
    return reverse("bulletins:unsubscribe", args=[subscriber.token])


# Digests and alerts ------------------------------------------------------------------------------


def _entry(bulletin: Bulletin, item: sources.Item) -> Entry:
    return Entry(
        bulletin=bulletin,
        source=item.source,
        key=item.key,
        title=item.title[:200],
        summary=item.summary,
        url=item.url,
        published_at=item.published_at,
        pathway_ids=sorted(item.pathway_ids),
        area_ids=sorted(item.area_ids),
        pathways_text=item.pathways_text[:500],
        areas_text=item.areas_text[:500],
    )


def next_digest_starts(region: Region, now: datetime.datetime) -> datetime.datetime:
    """Where the next digest's period starts: where the last digest sent ended."""
    last = (
        Bulletin.objects.filter(region=region, kind=BulletinKind.DIGEST, sent_at__isnull=False)
        .order_by("-covers_to")
        .first()
    )
    return last.covers_to if last is not None else now - FIRST_DIGEST_SPAN


@transaction.atomic
def digest_draft(*, actor: Any, region: Region, now: datetime.datetime | None = None) -> Bulletin:
    """Draft the region's next digest from what was published since the last one. Refused when a
    draft is waiting (it is the one to edit) or when nothing new was published."""
    now = _now(now)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one drafter at a time
    if Bulletin.objects.filter(region=region, kind=BulletinKind.DIGEST, sent_at__isnull=True).exists():
        raise ValidationError("A draft digest is already waiting: edit and send it first.")
    start = next_digest_starts(region, now)
    items = sources.items_between(region.pk, start, now)
    if not items:
        raise ValidationError(f"Nothing has been published since {timezone.localtime(start):%-d %B %Y %H:%M}.")
    bulletin = Bulletin.objects.create(
        region=region,
        kind=BulletinKind.DIGEST,
        title=f"{region.name} bulletin, {timezone.localtime(now):%-d %B %Y}",
        covers_from=start,
        covers_to=now,
        drafted_at=now,
    )
    Entry.objects.bulk_create([_entry(bulletin, item) for item in items])
    audit_record(actor=actor, action="bulletin_digest_draft", obj=bulletin, after=snapshot(bulletin))
    return bulletin


@transaction.atomic
def digest_edit(*, actor: Any, bulletin: Bulletin, version: int, title: str, intro: str) -> Bulletin:
    if bulletin.is_sent:
        raise already_done(
            bulletin, actions=["bulletin_send"], did="sent this bulletin", then="it can no longer change."
        )
    before = snapshot(bulletin)
    save_if_unchanged(bulletin, expected_version=version, fields={"title": title, "intro": intro})
    audit_record(actor=actor, action="bulletin_digest_edit", obj=bulletin, before=before, after=snapshot(bulletin))
    return bulletin


def _recipients(bulletin: Bulletin, entries: list[Any]) -> list[Subscriber]:
    """Every active subscriber of the region who gets at least one of the entries (an alert: who
    also asked for alerts)."""
    active = Subscriber.objects.filter(
        region=bulletin.region, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).prefetch_related("pathways", "areas")
    if bulletin.kind == BulletinKind.ALERT:
        active = active.filter(wants_alerts=True)
    return [subscriber for subscriber in active if entries_for(Choices.of(subscriber), entries)]


def _queue_deliveries(bulletin: Bulletin, recipients: list[Subscriber]) -> int:
    """One row per recipient; the constraint refuses a second."""
    rows = [Delivery(bulletin=bulletin, subscriber=subscriber) for subscriber in recipients]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _start_sending(bulletin: Bulletin) -> None:
    from stepchange.bulletins.tasks import send_bulletin

    transaction.on_commit(lambda: send_bulletin.enqueue(bulletin.pk))


@transaction.atomic
def bulletin_send(*, actor: Any, bulletin: Bulletin, version: int, now: datetime.datetime | None = None) -> int:
    """Send a draft digest: its messages are queued and the worker sends them. Returns how many."""
    if bulletin.is_sent:
        raise already_done(bulletin, actions=["bulletin_send"], did="sent this bulletin", then="here it is.")
    if not bulletin.entries.exists():
        raise ValidationError("This digest has no items to send.")
    before = snapshot(bulletin)
    save_if_unchanged(bulletin, expected_version=version, fields={"sent_at": _now(now), "sent_by": actor})
    queued = _queue_deliveries(bulletin, _recipients(bulletin, list(bulletin.entries.all())))
    audit_record(
        actor=actor, action="bulletin_send", obj=bulletin, before=before, after={**snapshot(bulletin), "queued": queued}
    )
    _start_sending(bulletin)
    return queued


@transaction.atomic
def bulletin_resume(*, actor: Any, bulletin: Bulletin) -> None:
    """Start the worker on a sent bulletin's messages still waiting (after the worker stopped).
    Sending is idempotent: a message already sent is never taken again."""
    audit_record(actor=actor, action="bulletin_resume", obj=bulletin)
    _start_sending(bulletin)


def alert_published(*, source: str, key: str, now: datetime.datetime | None = None) -> Bulletin | None:
    """An item was just published: alert the subscribers who want it. Called by the app that
    publishes, inside its own transaction, so the alert exists only if the publication does; the
    messages go once it commits. None when the item is not (yet) public or nobody wants it."""
    found = sources.source_named(source)
    item = found.item(key) if found is not None else None
    if item is None:
        return None
    now = _now(now)
    region = Region.objects.get(pk=item.region_id)
    bulletin = Bulletin(
        region=region,
        kind=BulletinKind.ALERT,
        title=f"New: {item.title}"[:200],
        covers_from=item.published_at - datetime.timedelta(microseconds=1),
        covers_to=item.published_at,
        drafted_at=now,
        sent_at=now,
    )
    entry = _entry(bulletin, item)
    recipients = _recipients(bulletin, [entry])
    if not recipients:
        return None  # nobody to tell: no alert in the archive either
    with transaction.atomic():
        bulletin.save()
        entry.bulletin = bulletin
        entry.save()
        queued = _queue_deliveries(bulletin, recipients)
        audit_record(actor=None, action="bulletin_alert", obj=bulletin, after={**snapshot(bulletin), "queued": queued})
        _start_sending(bulletin)
    return bulletin


def draft_due_digests(*, now: datetime.datetime | None = None) -> list[Bulletin]:
    """Draft the next digest of every region with something new and no draft waiting (cron)."""
    drafted = []
    for region in Region.objects.order_by("code"):
        try:
            drafted.append(digest_draft(actor=None, region=region, now=now))
        except ValidationError:
            continue
    return drafted
