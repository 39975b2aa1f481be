"""The Django admin for organisations: a fallback for superusers; the service's own pages audit changes."""

from django.contrib import admin

from stepchange.organisations.models import Commissioner, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "region", "size_band"]
    list_filter = ["sector", "region", "size_band", "bme_led", "women_specific", "user_led", "infrastructure_body"]
    search_fields = ["name", "charity_number", "company_number"]
    filter_horizontal = ["areas_served", "pathways_served"]


@admin.register(Commissioner)
class CommissionerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "operator"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "organisation__name"]
