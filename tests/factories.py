"""Factories for every model the tests build; a test names only what matters to it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from stepchange.accounts.models import Role, User
from stepchange.contracts.models import Contract, FundingSource, MainGrant, SubContract, Target
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.organisations.models import (
    Commissioner,
    CommissionerKind,
    Organisation,
    ProfileChangeRequest,
    Sector,
)
from stepchange.returns.models import ProbationReturn


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    holds_contracts = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.VCS


class CommissionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commissioner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PA{n}")
    organisation = factory.SubFactory(
        OrganisationFactory,
        name=factory.LazyAttribute(lambda o: f"{o.factory_parent.code} Probation Area"),
        sector=Sector.PUBLIC,
    )
    kind = CommissionerKind.PROBATION
    region = factory.SubFactory(RegionFactory)
    operator = ""


def year(name: str = "2006-07") -> FinancialYear:
    return FinancialYear.objects.get(name=name)


class MainGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainGrant

    commissioner = factory.SubFactory(CommissionerFactory)
    year = factory.LazyFunction(year)
    final = Decimal("1000000.00")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target
        django_get_or_create = ("commissioner_kind", "year")

    commissioner_kind = CommissionerKind.PROBATION
    year = factory.LazyFunction(year)
    percentage = Decimal("5.00")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"C-{n:05d}")
    title = factory.Sequence(lambda n: f"Service {n}")
    commissioner = factory.SubFactory(CommissionerFactory)
    prime = factory.SubFactory(OrganisationFactory)
    annual_value = Decimal("10000.00")
    start = datetime.date(2006, 4, 1)
    end = None
    funding_source = FundingSource.MAIN_GRANT

    @factory.post_generation
    def pathways(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.pathways.set(Pathway.objects.filter(code__in=extracted))


class SubContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubContract

    contract = factory.SubFactory(ContractFactory)
    partner = factory.SubFactory(OrganisationFactory)
    value = Decimal("1000.00")


class ProbationReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProbationReturn

    commissioner = factory.SubFactory(CommissionerFactory)
    as_at = datetime.date(2006, 4, 1)
    # A return date as the reports read it: approved (a round's return starts as a draft).
    approved_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.PROVIDER
    password = factory.django.Password("correct horse battery staple")


class ProfileChangeRequestFactory(factory.django.DjangoModelFactory):
    """A pending request to make an organisation BME-led, with a line of plain-text evidence."""

    class Meta:
        model = ProfileChangeRequest

    organisation = factory.SubFactory(OrganisationFactory)
    changes = factory.LazyFunction(lambda: {"bme_led": True})
    reason = "Our board changed."
    evidence_name = "minutes.txt"
    evidence_format = "text"
    evidence_content_type = "text/plain; charset=utf-8"
    evidence = b"The board elected ...\n"
    evidence_size = 22
    requested_by = factory.SubFactory("tests.factories.UserFactory")
    requested_at = factory.LazyFunction(timezone.now)
