"""The Django admin for contracts, grants and targets: superusers only (Django's default with is_staff).

The admin writes rows directly, without the services' rules and audit events; it is the tool of last
resort for a superuser putting data right, not a way to record contracts.
"""

from django.contrib import admin

from stepchange.contracts.models import Contract, MainGrant, SubContract, Target


class SubContractInline(admin.TabularInline):
    model = SubContract
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "commissioner", "prime", "annual_value", "start", "end", "funding_source"]
    list_filter = ["commissioner", "funding_source", "kind", "published"]
    search_fields = ["reference", "title", "prime__name", "funder"]
    filter_horizontal = ["pathways"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [SubContractInline]


@admin.register(MainGrant)
class MainGrantAdmin(admin.ModelAdmin):
    list_display = ["commissioner", "year", "indicative", "final"]
    list_filter = ["year", "commissioner"]
    readonly_fields = ["version"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["commissioner_kind", "year", "percentage"]
    list_filter = ["commissioner_kind", "year"]
    readonly_fields = ["version"]
