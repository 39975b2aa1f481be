"""The user accounts of the region: list, open one, change one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stepchange.accounts import services
from stepchange.accounts.access import roles_grantable_by, users_managed_by
from stepchange.accounts.forms import UserCreateForm, UserEditForm
from stepchange.core import access
from stepchange.core.models import Region
from stepchange.manage.access import region_manager_required
from stepchange.manage.pages import form_page
from stepchange.manage.selectors import users_of_region
from stepchange.organisations.access import organisations_editable_by


def _choices(user: Any) -> dict[str, Any]:
    """A commissioner places people in organisations they manage and in their own region."""
    regions = Region.objects.all()
    if not access.is_superuser(user):
        regions = regions.filter(pk__in=[access.user_region_id(user)])
    return {
        "organisations": organisations_editable_by(user).order_by("name"),
        "regions": regions,
        "roles": roles_grantable_by(user),
    }


@region_manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/users.html", {"accounts": users_of_region(request.user)})


@region_manager_required
def user_create(request: HttpRequest) -> HttpResponse:
    initial = {"region": access.user_region_id(request.user)}
    return form_page(
        request,
        UserCreateForm(request.POST or None, initial=initial, **_choices(request.user)),
        title="Add a user",
        back=reverse("manage:users"),
        save=lambda data: services.user_create(actor=request.user, **data),
        saved="The account has been opened.",
    )


@region_manager_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(users_managed_by(request.user), pk=pk)
    return form_page(
        request,
        UserEditForm.for_account(account, request.POST or None, **_choices(request.user)),
        title=f"Change {account}",
        back=reverse("manage:users"),
        save=lambda data: services.user_update(
            actor=request.user, account=account, expected_version=data.pop("version"), **data
        ),
        saved=f"{account}’s account has been changed.",
        details=[("Username", account.username)],
    )
