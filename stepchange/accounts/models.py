"""Users: everyone signs in as a person with one role, usually on behalf of one organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    REGIONAL_COMMISSIONER = "regional_commissioner", "Regional commissioner"
    PROBATION_MANAGER = "probation_manager", "Probation contracts manager"
    PRISON_COORDINATOR = "prison_coordinator", "Prison VCS co-ordinator"
    AREA_ANALYST = "area_analyst", "Area office analyst"
    PROVIDER = "provider", "Provider"
    EVALUATOR = "evaluator", "Evaluator"
    INFRASTRUCTURE = "infrastructure", "Infrastructure body"
    # Keeps the national data every region reads: targets and pathways.
    NATIONAL_ADMIN = "national_admin", "National administrator"


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PROVIDER)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    @property
    def commissioner(self):  # type: ignore[no-untyped-def]
        """The commissioner this user works for, when their organisation is one."""
        org = self.organisation
        return getattr(org, "commissioner", None) if org else None

    def __str__(self) -> str:
        return self.get_full_name() or self.username
