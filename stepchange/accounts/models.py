"""Users: everyone signs in as a person with one role, usually on behalf of one organisation.

Beside them, the single-use links a person is sent by e-mail (an invitation to choose their own
password, a confirmation of a new address) and the counts that keep those e-mails from being
sent in bulk.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from stepchange.core.roles import Role


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PROVIDER)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A provider organisation's own administrator invites and closes the accounts of its staff.
    is_organisation_admin = models.BooleanField(
        "administers their organisation's people",
        default=False,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        # One account per address, whatever its case: the services refuse a taken address on the
        # form; this refuses the second of two given the same address at the same moment.
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="one_account_per_email")
        ]

    @property
    def commissioner(self):  # type: ignore[no-untyped-def]
        """The commissioner this user works for, when their organisation is one."""
        org = self.organisation
        return getattr(org, "commissioner", None) if org else None

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class EmailLink(models.Model):
    """What every e-mailed single-use link shares: only a SHA-256 hash of its token is stored.

    The token itself exists only in the e-mail, so a copy of the database opens no account. A link
    is live until it expires, is used, or is withdrawn (cancelled, or replaced by a newer one).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_live(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.used_at is None and self.withdrawn_at is None and moment < self.expires_at  # type: ignore[operator]


class Invitation(EmailLink):
    """An invitation to choose a password for an account opened without one."""

    email = models.EmailField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("sent_at")), name="invitation_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.user}"


class EmailChange(EmailLink):
    """A change of address asked for, waiting to be confirmed from the new address."""

    new_email = models.EmailField()
    old_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("sent_at")), name="email_change_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"E-mail change of {self.user}"


class RateLimitHit(models.Model):
    """One request counted against a limit (e.g. password reset mails to one address an hour).

    Kept in the database rather than a cache because every web process must see the same counts;
    rows older than the longest window are deleted as new ones are written.
    """

    key = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return self.key
