"""The synthetic country's fixed shape (regions, sizes, weights, words) and the helpers every part
of the generator shares: seeded draws, batching, and the fast row writer."""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

SEED = 20061001
BATCH = 2000
PASSWORD = "bench-password"  # noqa: S105 -- a synthetic database's sign-in, printed on purpose
COMMISSIONER = "bench-commissioner"

# Fixed at every scale.
REGIONS = (
    # The first is the default region, so the commissioner of "region 1" sees the default dashboard.
    ("YH", "Yorkshire and Humberside"),
    ("NE", "North East"),
    ("NW", "North West"),
    ("EM", "East Midlands"),
    ("WM", "West Midlands"),
    ("EE", "East of England"),
    ("LON", "London"),
    ("SE", "South East"),
    ("SW", "South West"),
    ("WAL", "Wales"),
)
PROBATION_AREAS = 42
PRISONS = 130
YEARS = ("2006-07", "2007-08", "2008-09", "2009-10")
FIRST_DAY = datetime.date(2006, 4, 1)
LAST_DAY = datetime.date(2010, 3, 31)
# Per year: the probation target (percentage of main grant) and the prison one.
TARGETS = {
    "2006-07": (Decimal("5.00"), Decimal("3.00")),
    "2007-08": (Decimal("5.50"), Decimal("3.50")),
    "2008-09": (Decimal("6.00"), Decimal("4.00")),
    "2009-10": (Decimal("6.50"), Decimal("4.50")),
}

# Every area's return of the 2008-09 Q2 round, dated 1 October 2008, lists its live contracts;
# the lines, not the contract records, give its spend at that date.
ROUND_YEAR, ROUND_QUARTER = "2008-09", 2
ROUND_DAY = datetime.date(2008, 10, 1)

# Scaled by the scale.
ORGANISATIONS = 20_000
CONTRACTS = 200_000
# The organisations proposed on the national-size prison return (bench/returns.py): the approved
# return of the last quarter of the first region's first prison, spread evenly over its lines.
PROPOSED_ON_LARGE_RETURN = 100_000

# Who holds the contracts: most are probation areas', then prisons', then the regional teams'.
COMMISSIONER_WEIGHTS = {"probation": 70, "prison": 25, "regional": 5}
SECTOR_WEIGHTS = {"vcs": 55, "private": 30, "public": 15}
FUNDING_WEIGHTS = {"main_grant": 75, "new_investment": 10, "co_commissioned": 10, "in_kind": 5}
KIND_WEIGHTS = {"contract": 60, "grant": 25, "sla": 10, "secondment": 5}
FUNDERS = (
    "Supporting People",
    "European Social Fund",
    "Learning and Skills Council",
    "Primary Care Trust",
    "Drug Action Team",
    "Local authority",
)
WORDS = (
    "Aire",
    "Beacon",
    "Bridge",
    "Calder",
    "Compass",
    "Crossroads",
    "Dales",
    "Derwent",
    "Fresh Start",
    "Gateway",
    "Harbour",
    "Horizon",
    "Keystone",
    "Lantern",
    "Meridian",
    "Northgate",
    "Oakwood",
    "Pennine",
    "Riverside",
    "Signpost",
    "Stepping Stones",
    "Threshold",
    "Trent",
    "Wayfinder",
)
SUFFIXES = {
    "vcs": ("Trust", "Project", "Community Association", "Foundation", "Network"),
    "private": ("Ltd", "Services Ltd", "Training Ltd", "Partners LLP"),
    "public": ("Council Service", "NHS Trust", "College"),
}
SIZE_BANDS = {
    "vcs": ("micro", "small", "small", "medium", "medium", "large"),
    "private": ("small", "medium", "large", "major"),
    "public": ("large", "major"),
}
TITLES = (
    "Accommodation support",
    "Employment and training",
    "Mentoring",
    "Drug and alcohol interventions",
    "Debt advice",
    "Family support",
    "Mental health support",
    "Resettlement",
    "Victim awareness",
    "Unpaid work placements",
)
T = TypeVar("T")


def totp_key(username: str) -> str:
    """The hex key of a bench user's authenticator (derived from the name, so it never changes)."""
    return hashlib.sha256(f"stepchange bench two-factor {username}".encode()).hexdigest()[:40]


def backup_codes(username: str, count: int = 50) -> list[str]:
    """A bench user's single-use backup codes."""
    return [hashlib.sha256(f"{username} bench backup {i}".encode()).hexdigest()[:8] for i in range(1, count + 1)]


def scaled(full: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(full * scale))


def _weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _batches(rows: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A value between low and high pounds, log-uniform (many small contracts, a few large), in pence."""
    pounds = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(round(pounds * 100)) / 100


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _quarter_start(year_start: datetime.date, quarter: int) -> datetime.date:
    month = (4, 7, 10, 1)[quarter - 1]
    return datetime.date(year_start.year + (1 if quarter == 4 else 0), month, 1)


def _executemany(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT rows whose values are already what the column holds (ints, str, Decimal, date, bool):
    SQLite's executemany, PostgreSQL's COPY.

    A column a row leaves out takes its field's default (the automatic timestamps: now); the
    primary key is left out unless the rows give it.
    """
    from django.db import connection
    from django.db.models import DateTimeField
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    fixed: dict[str, Any] = {}
    for f in fields:
        if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
            fixed[f.attname] = now
        else:
            fixed[f.attname] = f.get_default()
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 -- names from the model
    values = [tuple(row.get(n, fixed[n]) for n in names) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg's executemany sends one statement per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)


class Base:
    """What every part of the generator shares: the seeded draws, the counts, the row writer."""

    # Filled in as the generator runs (see the parts in directory.py and returns.py).
    years: dict[str, Any]
    pathways: list[Any]
    prison_pathways: list[Any]
    region_ids: list[int]
    by_kind: dict[str, list[int]]
    region_of: dict[int, int]
    regional_team: dict[int, int]
    next_org_id: int
    providers: dict[str, list[int]]
    sector_of: dict[int, str]
    counted: dict[int, list[tuple[Decimal, datetime.date, datetime.date | None]]]
    live_at_round: dict[int, list[tuple[int, Decimal, str]]]
    users: dict[str, Any]
    analyst: Any
    manager: Any
    coordinator: Any

    def __init__(self, scale: float, *, verbose: bool) -> None:
        self.scale = scale
        self.verbose = verbose
        self.rng = random.Random(SEED)  # noqa: S311 -- synthetic data, not secrets
        self.counts: dict[str, int] = {}
        self.next_round_id = 0
        self.began = time.perf_counter()

    def say(self, what: str) -> None:
        if self.verbose:
            print(f"  {time.perf_counter() - self.began:7.1f}s  {what}", file=sys.stderr, flush=True)

    def insert(self, model: Any, rows: Iterable[Any], label: str = "") -> int:
        """Write model instances with bulk_create, or rows given as dicts of column values (by
        attribute name) with the database cursor's executemany: the large tables go that way, as
        building a model instance and its SQL for each row takes most of the time otherwise."""
        written = 0
        for batch in _batches(rows):
            if isinstance(batch[0], dict):
                _executemany(model, batch)
            else:
                model.objects.bulk_create(batch, batch_size=BATCH)
            written += len(batch)
        key = label or model._meta.db_table
        self.counts[key] = self.counts.get(key, 0) + written
        self.say(f"{written:>9,} {key}")
        return written
