"""Reads of accounts pages: the link a token opens, the people and invitations a person sees."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from stepchange.accounts.access import people_administered_by
from stepchange.accounts.models import EmailChange, Invitation, User
from stepchange.accounts.tokens import token_hash


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (live or not), or None for a token never issued."""
    return Invitation.objects.select_related("user", "user__organisation").filter(token_hash=token_hash(token)).first()


def email_change_for_token(token: str) -> EmailChange | None:
    return EmailChange.objects.select_related("user").filter(token_hash=token_hash(token)).first()


def pending_email_change(account: User) -> EmailChange | None:
    change = EmailChange.objects.filter(user=account, used_at__isnull=True, withdrawn_at__isnull=True).first()
    return change if change and change.is_live() else None


def with_invitation(accounts: QuerySet[User]) -> QuerySet[User]:
    """Each account with ``invitation_expires_at``: when its waiting invitation expires, if it has one."""
    waiting = Invitation.objects.filter(user=OuterRef("pk"), used_at__isnull=True, withdrawn_at__isnull=True)
    return accounts.annotate(invitation_expires_at=Subquery(waiting.order_by("-sent_at").values("expires_at")[:1]))


def people_of_organisation(user: Any) -> QuerySet[User]:
    return with_invitation(people_administered_by(user)).order_by("last_name", "first_name", "username")


def account_status(account: User) -> str:
    """Open, closed, invited (waiting for its person to choose a password) or invitation expired.

    ``account`` comes from ``with_invitation``.
    """
    if not account.is_active:
        return "Closed"
    if account.has_usable_password():
        return "Open"
    expires_at = getattr(account, "invitation_expires_at", None)
    if expires_at is None:
        return "No password"
    return "Invited" if timezone.now() < expires_at else "Invitation expired"


# The statuses of an account whose invitation is still waiting (so may be re-sent or cancelled).
INVITATION_WAITING = frozenset({"Invited", "Invitation expired"})


def invitation_waiting(status: str) -> bool:
    """Whether an account of this ``account_status`` waits on an invitation (re-sent or cancelled,
    not closed)."""
    return status in INVITATION_WAITING
