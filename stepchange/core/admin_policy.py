"""What the Django admin may change, decided once for every model it shows.

The admin is a superuser's fallback, and it bypasses the services: a change made there would
otherwise leave no audit event. So every model registered with the admin is either

- **read-only** there (``READ_ONLY``): it can be looked at, never added, changed or deleted. The
  service's own pages are the way to change it, and they write the audit event. This is every
  model of the service's apps but the user account, and the unused groups;
- **audited** there (every other registered model): each addition, change and deletion writes an
  audit event in the same transaction, with the record before and after, under the action the
  services use where there is one (``ACTIONS``), else ``admin_add``, ``admin_change`` or
  ``admin_delete``.

The data version that cached figures depend on is bumped by database triggers on every write to
a tracked table, whoever makes it, so the admin needs nothing more for it
(``stepchange.core.dataversion``). ``apply`` wraps every registered admin at start-up, so a model
registered later is covered without its admin.py saying so.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from stepchange.core.audit import audit_record, snapshot

SERVICE_APPS = {"core", "organisations", "contracts", "returns", "reports", "commissioning", "accounts"}
# Models of the service's apps that stay changeable in the admin, audited.
AUDITED_SERVICE_MODELS = {"accounts.user"}
READ_ONLY_OTHERS = {"auth.group"}
ACTIONS = {"accounts.user": {"add": "user_create", "change": "user_update", "delete": "user_delete"}}


def is_read_only(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    if label in READ_ONLY_OTHERS:
        return True
    return model._meta.app_label in SERVICE_APPS and label not in AUDITED_SERVICE_MODELS


def _action(model: type[models.Model], what: str) -> str:
    return ACTIONS.get(model._meta.label_lower, {}).get(what, f"admin_{what}")


class ReadOnlyAdmin:
    """Viewing only: no add, change or delete, on the page or by a forged request."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin:
    """Each write through the admin writes its audit event in the same transaction."""

    model: type[models.Model]

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        # The event is written in save_related, which the admin always calls next in the same
        # transaction, so that it holds the many-to-many fields and inlines as saved.
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        request._admin_audit_before = (before, change)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)  # type: ignore[misc]
            obj = form.instance
            before, change = getattr(request, "_admin_audit_before", (None, change))
            audit_record(
                actor=request.user,
                action=_action(type(obj), "change" if change else "add"),
                obj=obj,
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action=_action(type(obj), "delete"), obj=obj, before=snapshot(obj))
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action=_action(type(obj), "delete"), obj=obj, before=snapshot(obj))
            super().delete_queryset(request, queryset)  # type: ignore[misc]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The user admin's own password page saves without ``save_model``: audit it too."""
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)  # type: ignore[misc]
            if request.method == "POST" and response.status_code == 302:
                account = self.model._default_manager.get(pk=id)
                audit_record(actor=request.user, action="password_change", obj=account)
        return response


def _wrapped(mixin: type, admin_class: type) -> type:
    return type(admin_class.__name__, (mixin, admin_class), {"__module__": admin_class.__module__})


def apply(site: admin.AdminSite) -> None:
    """Give every registered admin (and its inlines) its policy; idempotent."""
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        if issubclass(admin_class, (ReadOnlyAdmin, AuditedAdmin)):
            continue
        mixin = ReadOnlyAdmin if is_read_only(model) else AuditedAdmin
        new_class = _wrapped(mixin, admin_class)
        if mixin is ReadOnlyAdmin:
            new_class.inlines = [_wrapped(ReadOnlyAdmin, inline) for inline in admin_class.inlines]  # type: ignore[attr-defined]
        site.unregister(model)
        site.register(model, new_class)
