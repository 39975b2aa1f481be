"""The outbox: one row per (event, person), e-mailed once through a real SMTP server, resumable
wherever the sender stops, and never sent twice."""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import pytest
from django.core.management import CommandError
from django.utils import timezone

from stepchange.notifications import delivery
from stepchange.notifications.models import Declined, EmailStatus, Notification
from stepchange.notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(people, *, key="event-1", kind="return_approved", subject="Approved: the return"):
    return notify(
        event_key=key,
        kind=kind,
        recipients=people,
        subject=subject,
        body="Your return was approved.",
        link="/returns/prison/1/",
        why="You fill in HMP Leeds's prison returns.",
    )


def test_one_row_per_event_and_person_however_often_the_event_is_told(cast):
    assert len(tell([cast.frank, cast.grace])) == 2
    assert tell([cast.frank, cast.grace]) == []  # a retried service
    assert len(tell([cast.frank], key="event-2")) == 1
    assert Notification.objects.count() == 3


def test_each_is_sent_once_with_its_link_and_its_reason(cast, smtp, send):
    tell([cast.frank, cast.grace])
    assert send() == "2 sent, 0 to try again, 0 failed, 0 uncertain.\n"
    (message,) = smtp.to(cast.frank.email)
    assert message["Subject"] == "Approved: the return"
    body = smtp.body(message)
    assert "Your return was approved." in body
    assert "Open it: http://localhost:8000/returns/prison/1/" in body
    assert "Why you got this: You fill in HMP Leeds's prison returns." in body
    assert "Choose which messages you get: http://localhost:8000/notifications/preferences/" in body
    row = Notification.objects.get(recipient=cast.frank)
    assert message["Message-ID"].strip() == row.message_id
    assert row.email_status == EmailStatus.SENT
    # Again: nothing more.
    assert send() == "0 sent, 0 to try again, 0 failed, 0 uncertain.\n"
    assert len(smtp.messages) == 2


def test_a_required_kind_says_it_cannot_be_turned_off(cast, smtp, send):
    tell([cast.frank], kind="return_returned", subject="Returned for correction")
    send()
    body = smtp.body(smtp.to(cast.frank.email)[0])
    assert "The process requires this message, so it cannot be turned off." in body
    assert "Choose which messages" not in body


def test_a_declined_kind_is_not_sent_but_a_required_one_is(cast, smtp, send):
    now = timezone.now()
    Declined.objects.create(user=cast.frank, kind="return_approved", declined_at=now)
    Declined.objects.create(user=cast.frank, kind="return_returned", declined_at=now)  # not possible by the page
    assert [row.recipient for row in tell([cast.frank, cast.grace])] == [cast.grace]
    assert len(tell([cast.frank], key="event-2", kind="return_returned")) == 1
    send()
    assert [m["Subject"] for m in smtp.to(cast.frank.email)] == ["Approved: the return"]  # the required one only


def test_someone_with_no_address_sees_it_on_the_page_and_is_not_emailed(cast, smtp, send):
    cast.frank.email = ""
    cast.frank.save()
    (row,) = tell([cast.frank])
    assert Notification.objects.get(pk=row.pk).email_status == EmailStatus.NONE
    assert send().startswith("0 sent")
    assert smtp.messages == []


def test_a_sender_stopped_after_claiming_is_resumed_once_its_claim_is_stale(cast, smtp, send):
    tell([cast.frank, cast.grace])
    delivery.claim(now=timezone.now())  # ... and the sender stops here
    assert send().startswith("0 sent")  # claimed by a live sender, as far as anyone knows
    later = timezone.now() + delivery.STALE_CLAIM + datetime.timedelta(seconds=1)
    with mock.patch.object(timezone, "now", return_value=later):
        assert send().startswith("2 sent")
        assert send().startswith("0 sent")
    assert len(smtp.messages) == 2
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}


def test_a_sender_stopped_midway_through_a_batch_resumes_the_rest_without_repeating_any(cast, smtp, send):
    tell([cast.frank, cast.grace, cast.alice])
    real = delivery._mark_sending
    calls = []

    def stop_at_the_second(pk, token, now):
        calls.append(pk)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed between two messages
        return real(pk, token, now)

    with mock.patch.object(delivery, "_mark_sending", stop_at_the_second), pytest.raises(KeyboardInterrupt):
        send()
    assert len(smtp.messages) == 1
    later = timezone.now() + delivery.STALE_CLAIM + datetime.timedelta(seconds=1)
    with mock.patch.object(timezone, "now", return_value=later):
        assert send().startswith("2 sent")
        assert send().startswith("0 sent")
    assert sorted(str(m["To"]) for m in smtp.messages) == sorted([cast.frank.email, cast.grace.email, cast.alice.email])


def test_a_message_perhaps_handed_over_is_never_sent_again_by_itself(cast, smtp, send):
    tell([cast.frank])
    # The mail server took it, then the sender stopped before recording so.
    with mock.patch.object(delivery, "_record_sent", side_effect=KeyboardInterrupt), pytest.raises(KeyboardInterrupt):
        send()
    assert len(smtp.messages) == 1
    much_later = timezone.now() + datetime.timedelta(days=1)
    with mock.patch.object(timezone, "now", return_value=much_later):
        assert send().startswith("0 sent")
        listed = send("--uncertain")
    assert len(smtp.messages) == 1
    row = Notification.objects.get()
    assert row.email_status == EmailStatus.SENDING
    assert row.message_id in listed and "1 message of uncertain delivery." in listed
    # Someone checks the mail server's log, finds it was not delivered, and queues it again.
    assert send("--resend", str(row.pk)) == f"Notification {row.pk} will be sent again.\n"
    assert send().startswith("1 sent")
    assert len(smtp.messages) == 2
    with pytest.raises(CommandError, match="is not one left sending or failed"):
        send("--resend", str(row.pk))


def test_a_message_the_server_refused_is_tried_again_then_failed(cast, smtp, send):
    tell([cast.frank])
    refused = smtplib.SMTPRecipientsRefused({cast.frank.email: (550, b"No such user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        assert send() == "0 sent, 1 to try again, 0 failed, 0 uncertain.\n"
        for _ in range(delivery.MAX_ATTEMPTS - 2):
            send()
        assert send() == "0 sent, 0 to try again, 1 failed, 0 uncertain.\n"
    assert Notification.objects.get().email_status == EmailStatus.FAILED
    assert "No such user" in Notification.objects.get().last_error
    assert send().startswith("0 sent")
    assert smtp.messages == []


def test_a_mail_server_that_is_down_leaves_the_message_waiting(cast, send, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    tell([cast.frank])
    assert send() == "0 sent, 1 to try again, 0 failed, 0 uncertain.\n"
    assert Notification.objects.get().email_status == EmailStatus.WAITING


def test_two_senders_take_different_rows(cast):
    tell([cast.frank, cast.grace, cast.alice])
    now = timezone.now()
    first, ids1 = delivery.claim(now=now, batch=2)
    _, ids2 = delivery.claim(now=now, batch=2)
    assert len(ids1) == 2 and len(ids2) == 1 and not set(ids1) & set(ids2)
    # A claim that went stale and was taken again is no longer the first sender's to send.
    later = now + delivery.STALE_CLAIM + datetime.timedelta(seconds=1)
    _, ids3 = delivery.claim(now=later, batch=5)
    assert set(ids3) == set(ids1) | set(ids2)
    assert delivery._mark_sending(ids1[0], first, later) is None
