"""The roles a person can have: the words every app's ``access.py`` decides with.

They live here, below every app, because every app's access rules speak of them (organisations
and accounts alike); ``accounts.models.User.role`` holds one of them.
"""

from __future__ import annotations

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
