"""The e-mails of the directory: a registration or a claim decided, to the people it concerns.

Sent inside the deciding service: a mail that cannot be sent refuses the decision (nothing is
saved), so nobody is left untold of a decision that stands.
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


def _send(template: str, *, to: list[str], subject: str, context: dict[str, Any]) -> None:
    if not to:
        return
    body = render_to_string(f"organisations/email/{template}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except (smtplib.SMTPException, OSError) as failed:
        logger.warning("A directory email (%s) could not be sent: %s", template, type(failed).__name__)
        raise ValidationError(NOT_SENT) from failed


def send_registration_decision(*, organisation: Any, people: list[Any]) -> None:
    _send(
        "registration_decision",
        to=[person.email for person in people],
        subject=f"Your registration of {organisation.name} in the stepchange directory",
        context={"organisation": organisation},
    )


def send_claim_decision(*, claim: Any) -> None:
    _send(
        "claim_decision",
        to=[claim.claimant.email] if claim.claimant.email else [],
        subject=f"Your claim of {claim.organisation.name} in the stepchange directory",
        context={"claim": claim},
    )
