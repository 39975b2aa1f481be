"""Organisations (providers and commissioners alike) and the commissioners among them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Sector(models.TextChoices):
    VCS = "vcs", "Voluntary and community"
    PRIVATE = "private", "Private"
    PUBLIC = "public", "Public"


class SizeBand(models.TextChoices):
    # Annual income bands as the sector's almanac uses them.
    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £100,000)"
    MEDIUM = "medium", "Medium (£100,000 to £1 million)"
    LARGE = "large", "Large (£1 million to £10 million)"
    MAJOR = "major", "Major (over £10 million)"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    areas_served = models.ManyToManyField("organisations.Commissioner", blank=True, related_name="+")
    pathways_served = models.ManyToManyField("core.Pathway", blank=True, related_name="+")
    bme_led = models.BooleanField("BME-led", default=False)
    women_specific = models.BooleanField(default=False)
    user_led = models.BooleanField(default=False)
    infrastructure_body = models.BooleanField(default=False)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    description = models.TextField(blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommissionerKind(models.TextChoices):
    PROBATION = "probation", "Probation area"
    PRISON = "prison", "Prison"
    REGIONAL = "regional", "Regional team"


class Operator(models.TextChoices):
    PUBLIC = "public", "Public sector"
    PRIVATE = "private", "Private sector"


class EstablishmentType(models.TextChoices):
    """What kind of establishment a prison is (only prisons have one)."""

    LOCAL = "local", "Local"
    CATEGORY_B = "cat_b", "Category B"
    CATEGORY_C = "cat_c", "Category C"
    WOMENS = "womens", "Women's"
    OPEN = "open", "Open"
    YOI = "yoi", "Young offender institution"


class Commissioner(models.Model):
    """A body that buys services: a probation area, a prison or the regional team."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="commissioner")
    code = models.SlugField(max_length=12, unique=True)
    kind = models.CharField(max_length=10, choices=CommissionerKind.choices)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="commissioners")
    # Only prisons have an operator.
    operator = models.CharField(max_length=10, choices=Operator.choices, blank=True)
    # Only prisons have an establishment type; blank for a prison whose type is not recorded yet.
    establishment_type = models.CharField(max_length=10, choices=EstablishmentType.choices, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="prison", operator__in=["public", "private"]) | (~Q(kind="prison") & Q(operator="")),
                name="commissioner_operator_only_for_prisons",
            ),
            models.CheckConstraint(
                condition=Q(kind="prison") | Q(establishment_type=""),
                name="commissioner_establishment_type_only_for_prisons",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name
