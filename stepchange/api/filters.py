"""The filters of the lists (django-filter): each narrows what the person may see already, never
widens it (the list's queryset is the scoping function's)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on
from stepchange.organisations.models import Organisation, Sector
from stepchange.returns.models import Status


class OrganisationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    region = django_filters.CharFilter(field_name="region__code", label="Region code")

    class Meta:
        model = Organisation
        fields = ["name", "sector", "region"]


class ContractFilter(django_filters.FilterSet):
    commissioner = django_filters.CharFilter(field_name="commissioner__code", label="Commissioner code")
    pathway = django_filters.CharFilter(field_name="pathways__code", label="Pathway code", distinct=True)
    sector = django_filters.ChoiceFilter(field_name="prime__sector", choices=Sector.choices, label="Prime's sector")
    live_on = django_filters.DateFilter(method="live_on_day", label="Live on this day (ISO date)")
    published = django_filters.BooleanFilter()

    class Meta:
        model = Contract
        fields = ["commissioner", "pathway", "sector", "live_on", "published"]

    def live_on_day(self, queryset: QuerySet[Contract], name: str, value: datetime.date) -> QuerySet[Contract]:
        return live_on(queryset, value)


class ReturnFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="round__year__name", label="Financial year, e.g. 2006-07")
    quarter = django_filters.NumberFilter(field_name="round__quarter", label="Quarter, 1 to 4")
    commissioner = django_filters.CharFilter(field_name="commissioner__code", label="Establishment or area code")
    status = django_filters.ChoiceFilter(choices=Status.choices, method="with_status")

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # A return's status is worked out by the model (SignOff.status), the one place it is.
        return queryset.filter(pk__in=[r.pk for r in queryset if r.status == value])
