"""The e-mails about accounts: an invitation, a new address to confirm, a notice to the old one.

Each is plain text from a template in templates/accounts/email/. The links are absolute and made
by the page that asked (it knows the host); a token appears only in the mail to the person it is for.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def _send(template: str, *, to: str, subject: str, context: dict[str, Any]) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_invitation(*, email: str, account: Any, sent_by: Any, link: str, days: int) -> None:
    _send(
        "invitation",
        to=email,
        subject="You are invited to stepchange",
        context={"account": account, "sent_by": sent_by, "link": link, "days": days},
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
