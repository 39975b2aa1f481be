"""The Django admin for user accounts: a superuser's fallback; the service's pages audit changes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from stepchange.accounts.models import User


@admin.register(User)
class StepchangeUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "region", "is_active"]
    list_filter = ["role", "region", "is_active", "is_organisation_admin", "is_superuser"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Stepchange", {"fields": ("role", "organisation", "region", "is_organisation_admin")}),
    )
