"""Two outbox senders at once take different notifications, and neither waits for the other.

One thread claims (locks) two rows in a transaction it keeps open, as a sender busy claiming does;
meanwhile another connection claims with a short ``lock_timeout``: with ``SKIP LOCKED`` it takes
the third row at once, instead of waiting for the first (a lock timeout error) or taking the same
rows. PostgreSQL only: SQLite has no row locks.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from stepchange.notifications import delivery
from stepchange.notifications.models import EmailStatus, Notification
from stepchange.notifications.services import notify
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to skip"),
]
WAIT = 60  # seconds: only a broken test waits this long


def test_a_second_sender_skips_the_rows_the_first_holds():
    people = [UserFactory.create(username=f"person{n}", email=f"person{n}@example.org") for n in range(3)]
    notify(
        event_key="race",
        kind="return_approved",
        recipients=people,
        subject="Approved",
        body="Approved.",
        link="/",
        why="A test.",
    )
    first_two = list(Notification.objects.order_by("id").values_list("id", flat=True)[:2])
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_sender() -> None:
        try:
            with transaction.atomic():
                list(Notification.objects.select_for_update().filter(pk__in=first_two))
                holding.set()
                release.wait(WAIT)
        except BaseException as failed:  # reported by the main thread
            errors.append(failed)
        finally:
            connection.close()

    thread = threading.Thread(target=first_sender)
    thread.start()
    try:
        assert holding.wait(WAIT)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        _, taken = delivery.claim(now=timezone.now(), batch=5)
    finally:
        release.set()
        thread.join(WAIT)
    assert not errors
    assert taken == [
        pk for pk in Notification.objects.order_by("id").values_list("id", flat=True) if pk not in first_two
    ]
    assert Notification.objects.filter(email_status=EmailStatus.CLAIMED).count() == 1
