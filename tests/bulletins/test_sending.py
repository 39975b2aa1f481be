"""Sending: one row per (bulletin, subscriber), each message handed to the mail server once, a
stopped sender resumed by the worker without sending anyone twice or missing anyone. The mail
goes through Django's SMTP backend to a real SMTP server (the ``smtp`` fixture) and is counted
there."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from stepchange.bulletins import delivery, services, tasks
from stepchange.bulletins.models import Bulletin, Delivery, DeliveryState
from tests.factories import OpportunityFactory, SubscriberFactory

READERS = 5


@pytest.fixture
def digest(cast) -> Bulletin:
    """A digest of one opportunity, sent by Alice to five subscribers: queued, not yet sent."""
    for n in range(READERS):
        SubscriberFactory.create(region=cast.region, email=f"reader{n}@example.org")
    OpportunityFactory.create(commissioner=cast.sypa, title="Housing advice")
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    assert services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version) == READERS
    return draft


def run_worker(monkeypatch: pytest.MonkeyPatch) -> str:
    """The real worker, ``manage.py db_worker --batch`` (run what is queued, then stop), against the
    test database. It closes "old" connections between tasks; inside the test's transaction Django
    would take its connection for one, so that (and only that) is left out here."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    out = io.StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out, stderr=out)
    return out.getvalue()


def received(smtp) -> Counter[str]:
    return Counter(str(message["To"]) for message in smtp.messages)


def test_the_worker_sends_each_subscriber_their_message(digest, smtp, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_resume(actor=None, bulletin=digest)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker(monkeypatch)
    assert received(smtp) == {f"reader{n}@example.org": 1 for n in range(READERS)}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    message = smtp.messages[0]
    subscriber = Delivery.objects.get(message_id=str(message["Message-ID"]).strip()).subscriber
    unsubscribe = "http://localhost:8000" + reverse("bulletins:unsubscribe", args=[subscriber.token])
    # RFC 8058: the one-click address in the headers, and the POST body a mail program sends.
    assert str(message["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"  # folded: a long line
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = smtp.body(message)
    assert f"Unsubscribe: {unsubscribe}" in body
    assert "http://localhost:8000" + reverse("bulletins:manage", args=[subscriber.token]) in body


def test_a_sender_stopped_mid_send_is_resumed_and_nobody_gets_two_or_none(
    digest, smtp, monkeypatch, client_for, cast, django_capture_on_commit_callbacks
):
    # The sender dies as it connects for the third message (as a killed worker would: a
    # BaseException nothing catches), after two messages went out.
    opened = 0
    real_open = EmailBackend.open

    def dies_on_the_third(self: EmailBackend) -> bool | None:
        nonlocal opened
        if self.connection is None:  # a new connection, not the backend checking its own
            opened += 1
        if opened == 3:
            raise KeyboardInterrupt
        return real_open(self)

    monkeypatch.setattr(EmailBackend, "open", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        tasks.send_bulletin.call(digest.pk)
    assert len(smtp.messages) == 2
    states = Counter(Delivery.objects.filter(bulletin=digest).values_list("state", flat=True))
    assert states == {DeliveryState.SENT: 2, DeliveryState.WAITING: 3}

    # Alice sees three waiting and asks for the rest; the worker sends them.
    alice = client_for(cast.alice)
    team = alice.get(reverse("bulletins:team", args=["YH"])).content.decode()
    assert "Send the rest" in team
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("bulletins:resume", args=["YH", digest.pk]))
    run_worker(monkeypatch)

    assert received(smtp) == {f"reader{n}@example.org": 1 for n in range(READERS)}
    assert Delivery.objects.filter(bulletin=digest, state=DeliveryState.SENT).count() == READERS

    # Running it again sends nothing more.
    tasks.send_bulletin.call(digest.pk)
    assert len(smtp.messages) == READERS


def test_a_message_the_server_may_have_taken_is_never_sent_again_by_itself(digest, smtp, monkeypatch):
    """The connection breaks while the message is being handed over: it may have gone out. It is
    left SENDING, listed as uncertain, and sent again only when someone asks."""
    real_send = EmailBackend.send_messages
    calls = 0

    def breaks_on_the_second(self: EmailBackend, messages: list) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionResetError("the server broke off")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", breaks_on_the_second)
    run = delivery.send_waiting(bulletin_id=digest.pk)
    assert (len(run.sent), len(run.uncertain)) == (1, 1)
    [uncertain] = run.uncertain
    run = delivery.send_waiting(bulletin_id=digest.pk)
    assert len(run.sent) == READERS - 2
    assert Delivery.objects.get(pk=uncertain).state == DeliveryState.SENDING
    assert len(smtp.messages) == READERS - 1

    sending_at = Delivery.objects.get(pk=uncertain).sending_at
    assert sending_at is not None
    late = sending_at + delivery.STALE_SENDING * 2
    assert [row.pk for row in delivery.uncertain(now=late)] == [uncertain]
    out = io.StringIO()
    call_command("send_bulletins", "--resend", str(uncertain), stdout=out)
    call_command("send_bulletins", stdout=out)
    assert len(smtp.messages) == READERS
    assert len(set(received(smtp))) == READERS


def test_someone_who_unsubscribes_after_the_digest_was_queued_gets_nothing(digest, smtp):
    row = Delivery.objects.filter(bulletin=digest).order_by("id").first()
    assert row is not None
    services.subscriber_unsubscribe(subscriber=row.subscriber)
    run = delivery.send_waiting(bulletin_id=digest.pk)
    assert run.skipped == [row.pk]
    assert len(smtp.messages) == READERS - 1
    assert row.subscriber.email not in received(smtp)
