"""The Django admin for rounds, returns and reminders: superusers only (Django's default with is_staff).

The admin writes rows directly, without the services' rules and audit events; it is the tool of last
resort for a superuser putting data right, not a way to fill in or sign off a return.
"""

from django.contrib import admin

from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProbationReturn, ReminderSent, ReturnRound


class PrisonReturnLineInline(admin.TabularInline):
    model = PrisonReturnLine
    extra = 0


@admin.register(ReturnRound)
class ReturnRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "opens_on", "deadline"]
    list_filter = ["kind", "year"]
    filter_horizontal = ["commissioners"]


@admin.register(PrisonReturn)
class PrisonReturnAdmin(admin.ModelAdmin):
    list_display = ["__str__", "revision", "submitted_at", "approved_at"]
    readonly_fields = ["version"]
    inlines = [PrisonReturnLineInline]


@admin.register(ProbationReturn)
class ProbationReturnAdmin(admin.ModelAdmin):
    list_display = ["__str__", "revision", "submitted_at", "approved_at"]
    readonly_fields = ["version", "recorded_at"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sent_at", "recipients"]
