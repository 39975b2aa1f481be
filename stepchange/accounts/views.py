"""The accounts pages: your account, your organisation's people, and the links people are e-mailed.

Views parse and render; who may do what is asked of accounts/access.py, every change is a service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from stepchange.accounts import access, rate_limits, selectors, services
from stepchange.accounts.forms import (
    NewPasswordForm,
    OwnEmailChangeForm,
    PasswordAskForm,
    RegistrationForm,
    StaffInviteForm,
)
from stepchange.accounts.models import User
from stepchange.organisations.access import may_register


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The answer over a limit: the same whoever the address belongs to, and no e-mail sent."""
    return render(request, "accounts/too_many_requests.html", status=429)


def within_limits(request: HttpRequest, action: str, email: str) -> bool:
    return rate_limits.take(rate_limits.limits_for(action, email=email, request=request))


def link_maker(request: HttpRequest, url_name: str) -> Callable[[str], str]:
    """Absolute links to a token's page, for an e-mail."""
    return lambda token: request.build_absolute_uri(reverse(url_name, kwargs={"token": token}))


# --- Password reset, with limits and audit events ---------------------------------------------------


class PasswordResetAsk(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordAskForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        if not within_limits(self.request, "password-reset", form.cleaned_data["email"]):
            return too_many_requests(self.request)
        services.password_reset_ask(
            form=form,
            use_https=self.request.is_secure(),
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetChoose(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_complete(form=form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


# --- Links people are e-mailed ---------------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses their password. It signs nobody in: they sign in next."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None or not invitation.is_live() or not invitation.user.is_active:
        return render(request, "accounts/link_not_working.html", {"kind": "invitation"})
    form = NewPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, form=form)
        except ValidationError:
            return render(request, "accounts/link_not_working.html", {"kind": "invitation"})
        messages.success(request, "Your password has been set. Sign in with your username and new password.")
        return redirect("accounts:sign-in")
    return render(request, "accounts/invitation_accept.html", {"form": form, "account": invitation.user})


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a new address with a button (a GET changes nothing: mail scanners follow links)."""
    change = selectors.email_change_for_token(token)
    if change is None or not change.is_live():
        return render(request, "accounts/link_not_working.html", {"kind": "email"})
    if request.method == "POST":
        try:
            services.email_change_confirm(change=change)
        except ValidationError as refused:
            return render(request, "accounts/link_not_working.html", {"kind": "email", "reason": refused.messages[0]})
        return render(request, "accounts/email_change_done.html", {"change": change})
    return render(request, "accounts/email_change_confirm.html", {"change": change})


# --- Your account ----------------------------------------------------------------------------------


@login_required
def your_account(request: HttpRequest) -> HttpResponse:
    account: Any = request.user
    form = OwnEmailChangeForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_ask(
                actor=account,
                account=account,
                new_email=form.cleaned_data["new_email"],
                link_for=link_maker(request, "accounts:email-change-confirm"),
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "Check your new email address for a link to confirm it.")
            return redirect("accounts:your-account")
    return render(
        request,
        "accounts/your_account.html",
        {
            "account": account,
            "form": form,
            "pending": selectors.pending_email_change(account),
            "administers_people": access.may_administer_people(account),
        },
    )


# --- Your organisation's people --------------------------------------------------------------------


def _administrator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.may_administer_people(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    guarded.__name__ = view.__name__
    guarded.__doc__ = view.__doc__
    return guarded


@_administrator
def people(request: HttpRequest) -> HttpResponse:
    accounts = selectors.people_of_organisation(request.user)
    return render(
        request,
        "accounts/people.html",
        {
            "organisation": access.organisation_administered_by(request.user),
            "rows": _people_rows(request.user, accounts),
        },
    )


def _people_rows(user: Any, accounts: Any) -> list[tuple[Any, str, bool, bool]]:
    """Each account with its status, and whether this person may re-send or cancel its invitation
    and whether they may close it (both asked of ``access``)."""
    invitable = set(access.invitations_managed_by(user).values_list("pk", flat=True))
    closable = set(access.accounts_closable_by(user).values_list("pk", flat=True))
    rows = []
    for account in accounts:
        status = selectors.account_status(account)
        waiting = selectors.invitation_waiting(status)
        rows.append(
            (
                account,
                status,
                waiting and account.pk in invitable,
                not waiting and account.is_active and account.pk in closable,
            )
        )
    return rows


@_administrator
def people_invite(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_administered_by(request.user)
    assert organisation is not None
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not within_limits(request, "invitation", form.cleaned_data["email"]):
            return too_many_requests(request)
        try:
            services.invitation_send(
                actor=request.user,
                role=access.staff_role_of(organisation),
                organisation=organisation,
                region=None,
                is_organisation_admin=False,
                link_for=link_maker(request, "accounts:invitation-accept"),
                **form.cleaned_data,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"An invitation has been sent to {form.cleaned_data['email']}.")
            return redirect("accounts:people")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": "Invite a person",
            "caption": str(organisation),
            "back": reverse("accounts:people"),
            "details": [],
            "button": "Send the invitation",
        },
    )


@login_required
@require_POST
def people_close(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.people_of_organisation(request.user), pk=pk)
    if not access.may_close_account(request.user, account):
        raise Http404
    services.account_close(actor=request.user, account=account)
    messages.success(request, f"{account}’s account has been closed.")
    return redirect("accounts:people")


# --- Re-sending and cancelling an invitation (the organisation's administrator or the regional team) --


def _back(request: HttpRequest) -> str:
    """Back to the list the button was on, when it names a page of this site."""
    target = request.POST.get("back", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("core:home")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(access.invitations_managed_by(request.user), pk=pk)
    if not within_limits(request, "invitation", account.email):
        return too_many_requests(request)
    try:
        services.invitation_resend(
            actor=request.user, account=account, link_for=link_maker(request, "accounts:invitation-accept")
        )
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    except PermissionDenied as refused:
        raise Http404 from refused
    else:
        messages.success(request, f"A new invitation has been sent to {account.email}; the old link no longer works.")
    return redirect(_back(request))


@login_required
@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    account: User = get_object_or_404(access.invitations_managed_by(request.user), pk=pk)
    try:
        services.invitation_cancel(actor=request.user, account=account)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    except PermissionDenied as refused:
        raise Http404 from refused
    else:
        messages.success(request, f"The invitation of {account} has been cancelled and the account closed.")
    return redirect(_back(request))


# --- Registering an organisation -----------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    """Anyone signed out registers their organisation and themselves; someone signed in is sent to
    the directory (they claim an entry instead). Limited per address and per client as the other
    pages that send e-mail."""
    if not may_register(request.user):
        return redirect("organisations:list")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not within_limits(request, "register", form.cleaned_data["email"]):
            return too_many_requests(request)
        try:
            organisation = services.organisation_register(
                fields=form.profile_fields(),
                offers=form.offers(),
                person=form.person(),
                link_for=link_maker(request, "accounts:invitation-accept"),
            )
        except ValidationError as refused:
            _form_errors(form, refused)
        else:
            return render(
                request,
                "accounts/registration_sent.html",
                {"organisation": organisation, "email": form.cleaned_data["email"]},
            )
    return render(request, "accounts/register.html", {"form": form})


def _form_errors(form: Any, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for name, errors in refused.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refused)
