"""Reminders with a fixed clock: Frank hears once that his return is due, once that it is overdue,
and once each time it is returned; never the same thing twice, however often cron runs.

A reminder is a notification: recorded by the daily command, e-mailed by the outbox sender
(``send_notifications``) through a real SMTP server here."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from stepchange.notifications.models import Declined, EmailStatus, Notification
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ReminderSent
from tests.factories import fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


def run(day: str) -> str:
    out = io.StringIO()
    call_command("send_return_reminders", "--today", day, stdout=out)
    call_command("send_notifications", stdout=io.StringIO())
    return out.getvalue()


def test_due_then_overdue_each_once(cast, clock, smtp):
    open_prison_round(cast)  # deadline 31 July 2006
    assert "0 reminders sent." in run("2006-07-23")  # 8 days before: not yet
    assert "1 reminder sent." in run("2006-07-24")  # 7 days before
    assert [str(m["To"]) for m in smtp.messages] == ["frank@example.org"]
    assert smtp.messages[0]["Subject"] == "Due by 31 July 2006: the Prison returns 2006-07 Q1 return for HMP Leeds"
    assert "Why you got this: You fill in HMP Leeds's prison returns." in smtp.body(smtp.messages[0])
    assert "0 reminders sent." in run("2006-07-25")
    assert "0 reminders sent." in run("2006-07-31")
    assert "1 reminder sent." in run("2006-08-01")
    assert str(smtp.messages[1]["Subject"]).startswith("Overdue:")
    assert "0 reminders sent." in run("2006-08-02")
    assert len(smtp.messages) == 2
    assert [r.reminder for r in ReminderSent.objects.order_by("id")] == ["due_soon", "overdue"]


def test_a_submitted_return_gets_no_reminder_and_a_returned_one_gets_one_per_return(cast, clock, client_for, smtp):
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert "0 reminders sent." in run("2006-07-28")
    services.return_send_back(
        actor=cast.grace, the_return=prison_return, expected_version=prison_return.version, reason="Check ETE"
    )
    # Told at once by the sending back; the reminder of that state records it and adds nothing.
    assert "1 reminder sent." in run("2006-07-28")
    assert len(smtp.messages) == 1
    assert "Check ETE" in smtp.body(smtp.messages[0])
    assert "0 reminders sent." in run("2006-07-29")
    # Submitted again and returned again, later: a new state, a new message.
    clock.set(datetime.date(2006, 7, 4))
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    services.return_send_back(
        actor=cast.grace, the_return=prison_return, expected_version=prison_return.version, reason="And Health"
    )
    assert "1 reminder sent." in run("2006-07-29")
    assert len(smtp.messages) == 2
    assert "And Health" in smtp.body(smtp.messages[1])
    # The round page shows what was sent.
    page = client_for(cast.grace).get(f"/returns/rounds/{prison_return.round_id}/").content.decode()
    assert page.count("Returned for correction") >= 2
    assert "frank@example.org" in page


def test_reminders_of_deadlines_can_be_turned_off_but_not_a_return_returned(cast, clock, smtp):
    Declined.objects.create(user=cast.frank, kind="return_deadline", declined_at=clock.now)
    Declined.objects.create(user=cast.frank, kind="return_returned", declined_at=clock.now)
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    run("2006-07-30")
    assert smtp.messages == []
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    services.return_send_back(
        actor=cast.grace, the_return=prison_return, expected_version=prison_return.version, reason="Check ETE"
    )
    run("2006-07-30")
    assert [str(m["Subject"]).split(":")[0] for m in smtp.messages] == ["Returned for correction"]


def test_no_one_to_tell_no_record(cast, clock):
    cast.frank.email = ""
    cast.frank.save()
    open_prison_round(cast)
    assert "0 reminders sent." in run("2006-07-30")
    assert not ReminderSent.objects.exists()


def test_if_the_mail_cannot_be_sent_the_reminder_waits_in_the_outbox_and_goes_once(cast, clock, smtp):
    open_prison_round(cast)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("mail server down")):
        assert "1 reminder sent." in run("2006-07-30")
    assert Notification.objects.get().email_status == EmailStatus.WAITING
    assert "0 reminders sent." in run("2006-07-30")  # recorded once; the outbox sends it now
    assert len(smtp.messages) == 1
    assert "0 reminders sent." in run("2006-07-31")
    assert len(smtp.messages) == 1


def test_a_bad_date_is_refused(cast):
    with pytest.raises(CommandError, match="is not a date"):
        run("31/07/2006")
