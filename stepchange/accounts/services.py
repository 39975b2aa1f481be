"""Every change to a user account: one transaction, one audit event (never a password or token).

Nobody sets another person's password: an account is opened with an unusable one and an
invitation, and its person chooses their own through the invitation's link. An e-mail address
changes only once the new address confirms it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stepchange.accounts import access, mail
from stepchange.accounts.models import EmailChange, Invitation, User
from stepchange.accounts.tokens import EMAIL_CHANGE_DAYS, INVITATION_DAYS, new_token
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import first_wins, save_if_unchanged, taken
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.organisations.models import Listing, Organisation, ServiceOffer

# Builds the absolute link of a token for the e-mail; the page that asks knows the host.
LinkFor = Callable[[str], str]


def _address_taken(email: str, *, besides: User | None = None) -> bool:
    others = User.objects.filter(email__iexact=email)
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return others.exists()


def _new_invitation(*, actor: Any, account: User, link_for: LinkFor, registration: bool = False) -> Invitation:
    token, hashed = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=account,
        email=account.email,
        token_hash=hashed,
        sent_by=actor,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    if registration:
        mail.send_registration(email=account.email, account=account, link=link_for(token), days=INVITATION_DAYS)
    else:
        mail.send_invitation(
            email=account.email, account=account, sent_by=actor, link=link_for(token), days=INVITATION_DAYS
        )
    return invitation


def _locked(account: User) -> None:
    """Lock the account's row and read it afresh: two people resending or withdrawing its
    invitation, or changing its address, at once take turns, the second seeing what the first did
    (one live invitation, one live address change at a time)."""
    User.objects.select_for_update().filter(pk=account.pk).exists()
    account.refresh_from_db()


def pending_invitation(account: User) -> Invitation | None:
    """The account's latest invitation, while it is neither used nor withdrawn (it may have expired)."""
    return Invitation.objects.filter(user=account, used_at__isnull=True, withdrawn_at__isnull=True).first()


@transaction.atomic
def invitation_send(
    *,
    actor: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    region: Region | None,
    is_organisation_admin: bool,
    link_for: LinkFor,
) -> Invitation:
    """Open an account with no usable password and e-mail its person a link to choose one."""
    _check_role_grantable(actor, role)
    refusal = access.invitation_refusal(
        actor, organisation=organisation, role=role, is_organisation_admin=is_organisation_admin, region=region
    )
    if refusal:
        raise ValidationError(refusal)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken"})
    if _address_taken(email):
        raise ValidationError({"email": "That email address already has an account"})
    account = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        organisation=organisation,
        region=region,
        is_organisation_admin=is_organisation_admin,
    )
    account.set_unusable_password()
    with (
        first_wins(
            taken(
                User,
                lookup={"email__iexact": email},
                refusal=ValidationError({"email": "That email address already has an account"}),
            )
        ),
        first_wins(
            taken(
                User,
                lookup={"username__iexact": username},
                refusal=ValidationError({"username": f"The username {username} is already taken"}),
            )
        ),
    ):
        account.save()
    invitation = _new_invitation(actor=actor, account=account, link_for=link_for)
    audit_record(actor=actor, action="invitation_send", obj=account, after=snapshot(account))
    return invitation


def first_commissioner_invite(
    *, actor: Any, region: Region, username: str, first_name: str, last_name: str, email: str, link_for: LinkFor
) -> Invitation:
    """Invite a region's first regional commissioner, of the region and of no organisation yet (they
    set up the region's team themselves); whether ``actor`` may is ``access.invitation_refusal``'s."""
    return invitation_send(
        actor=actor,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=Role.REGIONAL_COMMISSIONER,
        organisation=None,
        region=region,
        is_organisation_admin=False,
        link_for=link_for,
    )


@transaction.atomic
def organisation_register(
    *, fields: dict[str, Any], offers: list[tuple[Any, Any]], person: dict[str, str], link_for: LinkFor
) -> Organisation:
    """Someone registers their organisation and themselves as its first provider user (its
    administrator). The organisation waits for its regional team's check before the directory
    lists it; the account has no usable password until its person confirms their address through
    the link they are e-mailed and chooses one. Nobody is signed in: the actor is nobody."""
    if User.objects.filter(username__iexact=person["username"]).exists():
        raise ValidationError({"username": f"The username {person['username']} is already taken"})
    if _address_taken(person["email"]):
        raise ValidationError(
            {"email": "That email address already has an account; sign in and claim the organisation"}
        )
    with first_wins(
        taken(
            Organisation,
            lookup={"name__iexact": fields["name"]},
            refusal=ValidationError({"name": "An organisation of that name is already in the directory"}),
        )
    ):
        organisation = Organisation.objects.create(listing=Listing.WAITING, registered_at=timezone.now(), **fields)
    organisation.pathways_served.set({pathway for pathway, _ in offers})
    organisation.areas_served.set({area for _, area in offers})
    ServiceOffer.objects.bulk_create([ServiceOffer(organisation=organisation, pathway=p, area=a) for p, a in offers])
    account = User(
        role=Role.PROVIDER,
        organisation=organisation,
        region=organisation.region,
        is_organisation_admin=True,
        **person,
    )
    account.set_unusable_password()
    with first_wins(
        taken(
            User,
            lookup={"email__iexact": person["email"]},
            refusal=ValidationError({"email": "That email address already has an account"}),
        )
    ):
        account.save()
    _new_invitation(actor=None, account=account, link_for=link_for, registration=True)
    after = snapshot(organisation)
    after["services"] = sorted(f"{p} in {a}" for p, a in offers)
    after["first_user"] = account.username
    audit_record(actor=None, action="organisation_register", obj=organisation, after=after)
    return organisation


@transaction.atomic
def invitation_resend(*, actor: Any, account: User, link_for: LinkFor) -> Invitation:
    """A new link for an invitation not yet accepted; the old link stops working."""
    if not access.invitations_managed_by(actor).filter(pk=account.pk).exists():
        raise PermissionDenied
    _locked(account)
    old = pending_invitation(account)
    if old is None or account.has_usable_password() or not account.is_active:
        raise ValidationError(f"{account} has no invitation waiting to be accepted")
    old.withdrawn_at = timezone.now()
    old.save(update_fields=["withdrawn_at"])
    invitation = _new_invitation(actor=actor, account=account, link_for=link_for)
    audit_record(actor=actor, action="invitation_resend", obj=account, after={"email": account.email})
    return invitation


@transaction.atomic
def invitation_cancel(*, actor: Any, account: User) -> None:
    """Withdraw an invitation not yet accepted, and close the account it opened."""
    if not access.invitations_managed_by(actor).filter(pk=account.pk).exists():
        raise PermissionDenied
    _locked(account)
    invitation = pending_invitation(account)
    if invitation is None or account.has_usable_password():
        raise ValidationError(f"{account} has no invitation waiting to be accepted")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    before = snapshot(account)
    User.objects.filter(pk=account.pk).update(is_active=False, version=F("version") + 1)
    account.refresh_from_db()
    audit_record(actor=actor, action="invitation_cancel", obj=account, before=before, after=snapshot(account))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, form: SetPasswordForm) -> User:
    """The invited person's chosen password (the form has run Django's validators) is set.

    The row is locked and checked again, so two tabs submitting the same link set one password.
    """
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_live():
        raise ValidationError("This invitation link has been used, cancelled or has expired")
    current.used_at = timezone.now()
    current.save(update_fields=["used_at"])
    account = form.save()
    audit_record(actor=account, action="invitation_accept", obj=account)
    return account


@transaction.atomic
def user_update(
    *,
    actor: Any,
    account: User,
    expected_version: int,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation | None,
    region: Region | None,
    is_active: bool,
) -> User:
    """The regional team changes a commissioner's staff member (their address changes by confirmation)."""
    if access.is_provider_account(account):
        raise PermissionDenied
    if account.pk == getattr(actor, "pk", None) and not is_active:
        raise ValidationError({"is_active": "You cannot close your own account; ask another commissioner"})
    _check_role_grantable(actor, role)
    if role not in access.staff_roles_grantable_by(actor):
        raise ValidationError({"role": "Choose a commissioner's role"})
    if (
        organisation is not None
        and not access.commissioner_organisations_for(actor).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": "Choose a commissioner's organisation"})
    before = snapshot(User.objects.get(pk=account.pk))
    save_if_unchanged(
        account,
        expected_version=expected_version,
        fields={
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            "organisation": organisation,
            "region": region,
            "is_active": is_active,
        },
    )
    audit_record(actor=actor, action="user_update", obj=account, before=before, after=snapshot(account))
    return account


@transaction.atomic
def provider_account_update(
    *,
    actor: Any,
    account: User,
    expected_version: int,
    first_name: str,
    last_name: str,
    is_active: bool,
    is_organisation_admin: bool,
) -> User:
    """The regional team changes a provider's staff member: names, open or closed, administrator."""
    if not access.is_provider_account(account):
        raise PermissionDenied
    before = snapshot(User.objects.get(pk=account.pk))
    save_if_unchanged(
        account,
        expected_version=expected_version,
        fields={
            "first_name": first_name,
            "last_name": last_name,
            "is_active": is_active,
            "is_organisation_admin": is_organisation_admin,
        },
    )
    audit_record(actor=actor, action="user_update", obj=account, before=before, after=snapshot(account))
    return account


@transaction.atomic
def account_close(*, actor: Any, account: User) -> User:
    """An organisation's administrator (or the regional team) closes an account: it cannot sign in."""
    if not access.may_close_account(actor, account):
        raise PermissionDenied
    before = snapshot(account)
    User.objects.filter(pk=account.pk).update(is_active=False, version=F("version") + 1)
    account.refresh_from_db()
    audit_record(actor=actor, action="user_close", obj=account, before=before, after=snapshot(account))
    return account


@transaction.atomic
def email_change_ask(*, actor: Any, account: User, new_email: str, link_for: LinkFor) -> EmailChange:
    """Send a link to the new address to confirm it, and tell the old address; nothing changes yet."""
    if not access.may_change_email_of(actor, account):
        raise PermissionDenied
    _locked(account)
    if new_email.lower() == account.email.lower():
        raise ValidationError({"new_email": "That is the account's email address already"})
    if _address_taken(new_email, besides=account):
        raise ValidationError({"new_email": "That email address already has an account"})
    now = timezone.now()
    EmailChange.objects.filter(user=account, used_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=now)
    token, hashed = new_token()
    change = EmailChange.objects.create(
        user=account,
        new_email=new_email,
        old_email=account.email,
        token_hash=hashed,
        sent_by=actor,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=EMAIL_CHANGE_DAYS),
    )
    mail.send_email_change_confirmation(email=new_email, account=account, link=link_for(token), days=EMAIL_CHANGE_DAYS)
    if account.email:
        mail.send_email_change_notice(email=account.email, account=account, new_email=new_email, asked_by=actor)
    audit_record(
        actor=actor,
        action="email_change_ask",
        obj=account,
        before={"email": account.email},
        after={"email": new_email},
    )
    return change


@transaction.atomic
def email_change_confirm(*, change: EmailChange) -> User:
    """The new address confirmed: it becomes the account's address (old reset links stop working)."""
    current = EmailChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if not current.is_live():
        raise ValidationError("This link has been used, replaced by a newer one or has expired")
    account = current.user
    if _address_taken(current.new_email, besides=account):
        raise ValidationError("That email address has been given to another account since")
    current.used_at = timezone.now()
    current.save(update_fields=["used_at"])
    before = {"email": account.email}
    with first_wins(
        taken(
            User,
            lookup={"email__iexact": current.new_email},
            refusal=ValidationError("That email address has been given to another account since"),
        )
    ):
        User.objects.filter(pk=account.pk).update(email=current.new_email, version=F("version") + 1)
    account.refresh_from_db()
    audit_record(
        actor=account, action="email_change_confirm", obj=account, before=before, after={"email": account.email}
    )
    return account


@transaction.atomic
def password_reset_ask(*, form: PasswordResetForm, **send: Any) -> None:
    """Django's form e-mails each account with the address a reset link; each asking is recorded."""
    for account in form.get_users(form.cleaned_data["email"]):
        audit_record(actor=None, action="password_reset_ask", obj=account)
    form.save(**send)


@transaction.atomic
def password_reset_complete(*, form: SetPasswordForm) -> User:
    account = form.save()
    audit_record(actor=account, action="password_reset_complete", obj=account)
    return account


def _check_role_grantable(actor: Any, role: str) -> None:
    if role not in access.roles_grantable_by(actor):
        raise ValidationError({"role": "You cannot give an account that role; ask a system administrator"})
