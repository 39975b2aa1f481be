"""The user accounts of the region: list, invite someone, change one, ask to change an address.

Nobody here chooses or sees a password: people invited choose their own through an e-mailed link.
What the regional team may do to an account (a provider's staff or a commissioner's) is decided in
accounts/access.py; this module only picks the form that fits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stepchange.accounts import access as account_access
from stepchange.accounts import selectors as account_selectors
from stepchange.accounts import services
from stepchange.accounts.access import users_managed_by
from stepchange.accounts.forms import CommissionerStaffEditForm, EmailChangeForm, InviteForm, ProviderStaffEditForm
from stepchange.accounts.views import link_maker, too_many_requests, within_limits
from stepchange.core import access
from stepchange.core.pages import form_page
from stepchange.manage.access import region_manager_required
from stepchange.manage.selectors import users_of_region

CAPTION = "Manage the region"


@region_manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    accounts = users_of_region(request.user)
    invitable = set(account_access.invitations_managed_by(request.user).values_list("pk", flat=True))
    emailable = set(account_access.emails_changeable_by(request.user).values_list("pk", flat=True))
    rows = [
        (
            account,
            status,
            account_selectors.invitation_waiting(status) and account.pk in invitable,
            account.pk in emailable,
        )
        for account, status in ((account, account_selectors.account_status(account)) for account in accounts)
    ]
    return render(request, "manage/users.html", {"accounts": accounts, "rows": rows})


@region_manager_required
def user_create(request: HttpRequest) -> HttpResponse:
    """Invite a commissioner's staff member, or a provider organisation's first administrator."""
    user: Any = request.user
    form = InviteForm(
        request.POST or None,
        initial={"region": access.user_region_id(user)},
        organisations=account_access.organisations_invitable_by(user).order_by("name"),
        regions=account_access.invitation_regions_for(user),
        roles=account_access.staff_roles_grantable_by(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not within_limits(request, "invitation", data["email"]):
            return too_many_requests(request)
        organisation = data["organisation"]
        try:
            services.invitation_send(
                actor=user,
                is_organisation_admin=account_access.is_provider_organisation(organisation),
                link_for=link_maker(request, "accounts:invitation-accept"),
                **data,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"An invitation has been sent to {data['email']}.")
            return redirect("manage:users")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": "Invite a user",
            "caption": CAPTION,
            "back": reverse("manage:users"),
            "details": [],
            "button": "Send the invitation",
        },
    )


@region_manager_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(users_managed_by(request.user), pk=pk)
    details: list[tuple[str, Any]] = [("Username", account.username), ("Email address", account.email or "–")]
    if account_access.is_provider_account(account):
        details.append(("Organisation", account.organisation))
        return form_page(
            request,
            ProviderStaffEditForm.for_account(account, request.POST or None),
            title=f"Change {account}",
            back=reverse("manage:users"),
            save=lambda data: services.provider_account_update(
                actor=request.user, account=account, expected_version=data.pop("version"), **data
            ),
            saved=f"{account}’s account has been changed.",
            details=details,
            caption=CAPTION,
        )
    organisations = account_access.commissioner_organisations_for(request.user).order_by("name")
    return form_page(
        request,
        CommissionerStaffEditForm.for_account(
            account,
            request.POST or None,
            organisations=organisations,
            regions=account_access.invitation_regions_for(request.user),
            roles=account_access.staff_roles_grantable_by(request.user),
        ),
        title=f"Change {account}",
        back=reverse("manage:users"),
        save=lambda data: services.user_update(
            actor=request.user, account=account, expected_version=data.pop("version"), **data
        ),
        saved=f"{account}’s account has been changed.",
        details=details,
        caption=CAPTION,
    )


@region_manager_required
def user_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to change a commissioner's staff member's address: the new address must confirm it."""
    account = get_object_or_404(users_managed_by(request.user), pk=pk)
    if not account_access.may_change_email_of(request.user, account):
        raise Http404
    return form_page(
        request,
        EmailChangeForm(request.POST or None),
        title=f"Change the email address of {account}",
        back=reverse("manage:users"),
        save=lambda data: services.email_change_ask(
            actor=request.user,
            account=account,
            new_email=data["new_email"],
            link_for=link_maker(request, "accounts:email-change-confirm"),
        ),
        saved=f"A link to confirm the change has been sent to the new address; {account}’s current address has been told.",
        details=[("Username", account.username), ("Current email address", account.email or "–")],
        caption=CAPTION,
    )
