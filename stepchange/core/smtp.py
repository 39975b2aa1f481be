"""What the outboxes (notifications, bulletins) share about talking to the mail server."""

from __future__ import annotations

import smtplib

# Errors that show the mail server did not take the message: safe to try again. Any other error
# while sending leaves it unknown whether the message went, so it is never sent again unasked.
NOT_TAKEN: tuple[type[BaseException], ...] = (
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPDataError,
    ConnectionRefusedError,
)
