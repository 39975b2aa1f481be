"""Returns: the dates at which a commissioner reported its position.

A probation return marks the date of a reported position; the figures at that date are computed
from the contracts live on it. The first return of a financial year is that year's baseline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProbationReturn(models.Model):
    commissioner = models.ForeignKey(
        "organisations.Commissioner", on_delete=models.PROTECT, related_name="probation_returns"
    )
    as_at = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["as_at", "commissioner__code"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "as_at"], name="one_probation_return_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner.code} at {self.as_at:%d %B %Y}"
