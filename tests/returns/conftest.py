"""What the returns stories share: a fixed clock, the pathways, and rounds opened the usual way."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from stepchange.core.models import FinancialYear
from stepchange.returns import services
from stepchange.returns.models import CoordinatorPost, PrisonReturn, ReturnKind, ReturnRound
from stepchange.returns.selectors import prison_pathways
from tests.personas import Cast


class Clock:
    """timezone.now() for the services, moved by the story."""

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def set(self, day: datetime.date, hour: int = 10) -> None:
        self.now = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)

    def today(self) -> datetime.date:
        return self.now.date()


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock(datetime.datetime(2006, 7, 3, 10, tzinfo=datetime.UTC))
    with mock.patch.object(timezone, "now", lambda: fixed.now):
        yield fixed


def year_0607() -> FinancialYear:
    return FinancialYear.objects.get(name="2006-07")


def open_prison_round(cast: Cast, quarter: int = 1, **extra: Any) -> ReturnRound:
    starts = {1: (7, 1), 2: (10, 1), 3: (1, 1), 4: (4, 1)}
    month, day = starts[quarter]
    first = datetime.date(2006 if quarter < 3 else 2007, month, day)
    values: dict[str, Any] = {
        "opens_on": first,
        "deadline": first + datetime.timedelta(days=30),
        "commissioners": [cast.leeds],
    }
    values.update(extra)
    return services.round_open(
        actor=cast.grace, region=cast.region, kind=ReturnKind.PRISON, year=year_0607(), quarter=quarter, **values
    )


def fill_prison_return(
    prison_return: PrisonReturn,
    actor: Any,
    figures: dict[str, tuple[int, int, int, Decimal | None]] | None = None,
    post: str = CoordinatorPost.FULL_TIME,
) -> PrisonReturn:
    """Every pathway asked of prisons saved (zeros unless ``figures`` says otherwise) and the co-ordinator post answered."""
    figures = figures or {}
    for pathway in prison_pathways():
        running, started, ended, spend = figures.get(pathway.code, (0, 0, 0, None))
        prison_return.refresh_from_db()
        services.prison_line_save(
            actor=actor,
            prison_return=prison_return,
            expected_version=prison_return.version,
            pathway=pathway,
            organisations=[],
            proposed=[],
            services_running=running,
            services_started=started,
            services_ended=ended,
            spend=spend,
        )
    prison_return.refresh_from_db()
    services.coordinator_post_save(
        actor=actor,
        prison_return=prison_return,
        expected_version=prison_return.version,
        post=post,
        fte=Decimal("0.5") if post == CoordinatorPost.PART_TIME else None,
    )
    prison_return.refresh_from_db()
    return prison_return
