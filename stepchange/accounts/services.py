"""Every change to a user account: one transaction, one audit event (never the password)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from stepchange.accounts.access import roles_grantable_by
from stepchange.accounts.models import User
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import save_if_unchanged
from stepchange.core.models import Region
from stepchange.organisations.models import Organisation


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    region: Region | None,
    password: str,
) -> User:
    """Open an account with an initial password that Django's password validators accept."""
    _check_role_grantable(actor, role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken"})
    account = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        organisation=organisation,
        region=region,
    )
    try:
        validate_password(password, user=account)
    except ValidationError as weak:
        raise ValidationError({"password": weak.messages}) from weak
    account.set_password(password)
    account.save()
    audit_record(actor=actor, action="user_create", obj=account, after=snapshot(account))
    return account


@transaction.atomic
def user_update(
    *,
    actor: Any,
    account: User,
    expected_version: int,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    region: Region | None,
    is_active: bool,
) -> User:
    if account.pk == getattr(actor, "pk", None) and not is_active:
        raise ValidationError({"is_active": "You cannot close your own account; ask another commissioner"})
    _check_role_grantable(actor, role)
    before = snapshot(User.objects.get(pk=account.pk))
    save_if_unchanged(
        account,
        expected_version=expected_version,
        fields={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "role": role,
            "organisation": organisation,
            "region": region,
            "is_active": is_active,
        },
    )
    audit_record(actor=actor, action="user_update", obj=account, before=before, after=snapshot(account))
    return account


def _check_role_grantable(actor: Any, role: str) -> None:
    if role not in roles_grantable_by(actor):
        raise ValidationError({"role": "You cannot give an account that role; ask a system administrator"})
