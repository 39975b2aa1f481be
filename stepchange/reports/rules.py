"""The service's answers to what the generic registry asks, given to it at start-up
(``reports.apps``): the date a report is at when none is given, and the establishment types."""

from __future__ import annotations

import datetime

from stepchange.core.models import Region
from stepchange.organisations.models import EstablishmentType
from stepchange.returns.selectors import approved_probation_returns


def default_report_date(region: Region) -> datetime.date:
    """The latest approved probation return in the region, or today if there is none yet."""
    today = datetime.date.today()
    latest = (
        approved_probation_returns()
        .filter(commissioner__region=region, as_at__lte=today)
        .order_by("-as_at")
        .values_list("as_at", flat=True)
        .first()
    )
    return latest or today


def establishment_types() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in EstablishmentType.choices]
