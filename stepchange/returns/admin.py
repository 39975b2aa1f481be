"""Returns in the Django admin: for the superuser to look at; changes go through the pages."""

from django.contrib import admin

from stepchange.returns.models import PrisonReturn, ProbationReturn, ReminderSent, ReturnRound


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReturnRound)
class ReturnRoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "region", "opens_on", "deadline"]
    list_filter = ["kind", "year"]


@admin.register(PrisonReturn)
class PrisonReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "revision", "submitted_at", "approved_at"]


@admin.register(ProbationReturn)
class ProbationReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "revision", "submitted_at", "approved_at"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "sent_at", "recipients"]
