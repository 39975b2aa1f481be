"""The e-mails about accounts: an invitation, a new address to confirm, a notice to the old one.

Each is plain text from a template in templates/accounts/email/. The links are absolute and made
by the page that asked (it knows the host); a token appears only in the mail to the person it is for.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
NOT_SENT = "The email could not be sent, so nothing has been saved. Try again later."


def _send(template: str, *, to: str, subject: str, context: dict[str, Any]) -> None:
    """Send, or refuse with a message for the page: the calling service's transaction then rolls
    back, so no account or link exists that its person was never told of."""
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except (smtplib.SMTPException, OSError) as failed:
        logger.warning("An account email (%s) could not be sent: %s", template, type(failed).__name__)
        raise ValidationError(NOT_SENT) from failed


def send_invitation(*, email: str, account: Any, sent_by: Any, link: str, days: int) -> None:
    _send(
        "invitation",
        to=email,
        subject="You are invited to stepchange",
        context={"account": account, "sent_by": sent_by, "link": link, "days": days},
    )


def send_registration(*, email: str, account: Any, link: str, days: int) -> None:
    _send(
        "registration",
        to=email,
        subject="Confirm your email address for stepchange",
        context={"account": account, "link": link, "days": days},
    )


def send_email_change_confirmation(*, email: str, account: Any, link: str, days: int) -> None:
    _send(
        "email_change_confirm",
        to=email,
        subject="Confirm your new email address for stepchange",
        context={"account": account, "link": link, "days": days},
    )


def send_email_change_notice(*, email: str, account: Any, new_email: str, asked_by: Any) -> None:
    _send(
        "email_change_notice",
        to=email,
        subject="A change of your stepchange email address was asked for",
        context={"account": account, "new_email": new_email, "asked_by": asked_by},
    )
