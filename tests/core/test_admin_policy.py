"""Every model in the Django admin is read-only there or writes an audit event for each change.

The admin bypasses the services; a change made there must not go unrecorded.
"""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Model
from django.test import RequestFactory

from stepchange.contracts.models import Contract
from stepchange.core.admin_policy import AuditedAdmin, ReadOnlyAdmin, is_read_only
from stepchange.core.models import AuditEvent
from tests.factories import ContractFactory, UserFactory
from tests.personas import Cast

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_every_registered_admin_model_is_read_only_or_audited(
    cast: Cast, model: type[Model], model_admin: admin.ModelAdmin[Any]
) -> None:
    request = RequestFactory().get("/django-admin/")
    request.user = cast.root
    if is_read_only(model):
        assert isinstance(model_admin, ReadOnlyAdmin)
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        for inline in model_admin.get_inline_instances(request):
            assert not (inline.has_add_permission(request, None) or inline.has_change_permission(request))
    else:
        assert isinstance(model_admin, AuditedAdmin)


def test_the_service_models_are_read_only_but_the_account():
    labels = {m._meta.label for m, _ in REGISTERED if not is_read_only(m)}
    assert {"contracts.Contract", "contracts.MainGrant", "organisations.Organisation"}.isdisjoint(labels)
    assert "accounts.User" in labels


def test_a_forged_change_to_a_contract_is_refused_and_changes_nothing(cast, client_for):
    contract = ContractFactory.create(commissioner=cast.sypa)
    client = client_for(cast.root)
    url = f"/django-admin/contracts/contract/{contract.pk}/change/"
    assert client.get(url).status_code == 200  # it can still be looked at
    response = client.post(url, {"title": "Changed", "annual_value": "1.00"})
    assert response.status_code == 403
    assert client.post(f"/django-admin/contracts/contract/{contract.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/django-admin/contracts/contract/add/").status_code == 403
    contract.refresh_from_db()
    assert contract.title != "Changed" and Contract.objects.filter(pk=contract.pk).exists()


def test_changing_an_account_in_the_admin_writes_the_services_audit_event(cast, client_for):
    account = UserFactory.create(username="ivy", first_name="Ivy")
    client = client_for(cast.root)
    url = f"/django-admin/accounts/user/{account.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "username": "ivy",
            "first_name": "Ivy-May",
            "date_joined_0": account.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": account.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
        }
    )
    data = {k: v for k, v in data.items() if k not in {"last_login", "date_joined"}}
    response = client.post(url, data)
    context = response.context
    assert response.status_code == 302, context["adminform"].form.errors if context else ""
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(account.pk), action="user_update")
    assert event.actor == cast.root
    assert event.before is not None and event.after is not None
    assert event.before["first_name"] == "Ivy" and event.after["first_name"] == "Ivy-May"


def test_deleting_in_the_admin_writes_an_audit_event_per_record(cast, client_for):
    attempts = [
        AccessAttempt.objects.create(
            username=name, ip_address="192.0.2.1", failures_since_start=3, get_data="", post_data=""
        )
        for name in ("a", "b")
    ]
    response = client_for(cast.root).post(
        "/django-admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(object_type="axes.accessattempt", action="admin_delete").count() == 2
