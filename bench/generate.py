"""A deterministic synthetic national dataset for the benchmarks.

``generate(scale)`` fills the configured database (migrated and empty) with England and Wales over
the financial years 2006-07 to 2009-10. The structure is the same at every scale: 10 regions, 42
probation areas, 130 prisons and a regional team in each region, main grants for every area and
year, targets for every year. The volume grows with the scale: 20,000 × scale providers,
200,000 × scale contracts (with pathways, and one to three sub-contracts on some), and quarterly
prison returns from 130 × scale prisons, one line per pathway, with the organisations delivering
named on each line, and on one approved return 100,000 × scale organisations proposed for the
directory. Every probation area has an approved return at the start of every quarter; those
of 1 October 2008 belong to a round and list the area's live contracts as lines.

Everything is drawn from one seeded ``random.Random``, so the same scale gives the same rows;
rows are written with ``bulk_create`` in batches, with explicit primary keys so the many-to-many
tables can be filled without reading anything back (the sequences are reset at the end).

    python -m bench.generate --scale 0.1      # against DATABASE_URL (default: the local SQLite file)

It also creates one signed-in-able user per role, ``bench-<role>`` with the password
``bench-password``; the regional commissioner of the first region is ``bench-commissioner``.
Those who must use two factors have a confirmed authenticator (key ``totp_key(username)``) and
backup codes (``backup_codes(username)``).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
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


def generate(scale: float, *, verbose: bool = False) -> dict[str, int]:
    """Fill the (migrated, empty) default database; return the number of rows written per table."""
    from django.db import transaction

    began = time.perf_counter()
    with transaction.atomic():
        counts = _Generator(scale, verbose=verbose).run()
    _reset_sequences()
    counts["seconds"] = round(time.perf_counter() - began)
    return counts


def _reset_sequences() -> None:
    """Rows were written with explicit ids; later inserts must start after them (PostgreSQL)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [
        m
        for app in ("core", "organisations", "contracts", "returns", "reports")
        for m in apps.get_app_config(app).get_models(include_auto_created=True)
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


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


class _Generator:
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

    def run(self) -> dict[str, int]:
        from stepchange.core.models import FinancialYear, Pathway

        self.years = {y.name: y for y in FinancialYear.objects.filter(name__in=YEARS)}
        self.pathways = list(Pathway.objects.order_by("order"))
        # Prisons report only the pathways asked of prisons.
        self.prison_pathways = [p for p in self.pathways if p.applies_to_prisons]
        self._regions()
        self._commissioners()
        self._organisations()
        self._contracts()
        self._grants_and_targets()
        self._users()
        self._probation_returns()
        self._prison_returns()
        self._published_figures()
        return self.counts

    # Structure --------------------------------------------------------------------------------

    def _regions(self) -> None:
        from stepchange.core.models import Region

        self.region_ids = list(range(1, len(REGIONS) + 1))
        self.insert(
            Region,
            (
                Region(id=n, code=code, name=name, holds_contracts=True)
                for n, (code, name) in enumerate(REGIONS, start=1)
            ),
        )

    def _commissioners(self) -> None:
        """Probation areas, prisons and a regional team per region, each with its organisation."""
        from stepchange.organisations.models import Commissioner, Organisation

        rows: list[tuple[str, str, str, int, str]] = []  # code, name, kind, region id, operator
        for n in range(PROBATION_AREAS):
            region = self.region_ids[n % len(self.region_ids)]
            rows.append((f"PA{n + 1:02d}", f"Probation Area {n + 1:02d}", "probation", region, ""))
        for n in range(PRISONS):
            region = self.region_ids[n % len(self.region_ids)]
            operator = "private" if n % 9 == 4 else "public"
            rows.append((f"HMP{n + 1:03d}", f"HMP Establishment {n + 1:03d}", "prison", region, operator))
        for region, (code, name) in zip(self.region_ids, REGIONS, strict=True):
            rows.append((f"ROM-{code}", f"Regional Offender Manager for {name}", "regional", region, ""))
        organisations = []
        commissioners = []
        self.by_kind: dict[str, list[int]] = {"probation": [], "prison": [], "regional": []}
        self.region_of: dict[int, int] = {}
        self.regional_team: dict[int, int] = {}
        for n, (code, name, kind, region, operator) in enumerate(rows, start=1):
            sector = "private" if operator == "private" else "public"
            organisations.append(Organisation(id=n, name=name, sector=sector, region_id=region))
            commissioners.append(
                Commissioner(id=n, organisation_id=n, code=code, kind=kind, region_id=region, operator=operator)
            )
            self.by_kind[kind].append(n)
            self.region_of[n] = region
            if kind == "regional":
                self.regional_team[region] = n
        self.insert(Organisation, organisations, "commissioner organisations")
        self.insert(Commissioner, commissioners)
        self.next_org_id = len(rows) + 1

    def _organisations(self) -> None:
        """Providers: a mix of sectors, sizes and regions, each serving some pathways and areas."""
        from stepchange.organisations.models import Organisation

        rng = self.rng
        count = scaled(ORGANISATIONS, self.scale, minimum=30)
        first = self.next_org_id
        self.providers: dict[str, list[int]] = {"vcs": [], "private": [], "public": []}
        self.sector_of: dict[int, str] = {}
        sectors = _weighted(rng, SECTOR_WEIGHTS, count)
        # Every sector is present however small the scale.
        sectors[:3] = ["vcs", "private", "public"]
        areas = self.by_kind["probation"]
        area_links: list[tuple[int, int]] = []
        pathway_links: list[tuple[int, int]] = []

        def rows() -> Iterator[Organisation]:
            for n, sector in enumerate(sectors):
                pk = first + n
                self.providers[sector].append(pk)
                self.sector_of[pk] = sector
                name = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES[sector])} {n + 1:06d}"
                vcs = sector == "vcs"
                for pathway in rng.sample(self.pathways, rng.randint(1, 3)):
                    pathway_links.append((pk, pathway.id))
                for area in rng.sample(areas, rng.randint(1, 2)):
                    area_links.append((pk, area))
                yield Organisation(
                    id=pk,
                    name=name,
                    sector=sector,
                    charity_number=f"{1_000_000 + n}" if vcs else "",
                    company_number=f"{rng.randint(1, 9_999_999):08d}" if sector == "private" else "",
                    region_id=rng.choice(self.region_ids),
                    bme_led=vcs and rng.random() < 0.06,
                    women_specific=vcs and rng.random() < 0.05,
                    user_led=vcs and rng.random() < 0.04,
                    infrastructure_body=vcs and rng.random() < 0.01,
                    size_band=rng.choice(SIZE_BANDS[sector]),
                    description=f"A {dict(vcs='voluntary and community', private='private', public='public')[sector]} provider.",
                    contact_email=f"contact{n + 1}@example.org",
                )

        self.insert(Organisation, rows(), "providers")
        served_areas = Organisation.areas_served.through
        served_pathways = Organisation.pathways_served.through
        self.insert(
            served_areas,
            (dict(organisation_id=o, commissioner_id=c) for o, c in area_links),
            "provider areas served",
        )
        self.insert(
            served_pathways,
            (dict(organisation_id=o, pathway_id=p) for o, p in pathway_links),
            "provider pathways served",
        )

    # Contracts --------------------------------------------------------------------------------

    def _contracts(self) -> None:
        from stepchange.contracts.models import Contract, SubContract

        rng = self.rng
        count = scaled(CONTRACTS, self.scale, minimum=100)
        kinds = _weighted(rng, COMMISSIONER_WEIGHTS, count)
        all_providers = [pk for pks in self.providers.values() for pk in pks]
        window = (LAST_DAY - FIRST_DAY).days
        # Per probation area: (value, start, end) of its counted contracts, to set its grants.
        self.counted: dict[int, list[tuple[Decimal, datetime.date, datetime.date | None]]] = {
            pk: [] for pk in self.by_kind["probation"]
        }
        # Per probation area: (id, value, title) of its contracts live on ROUND_DAY, for its round return.
        self.live_at_round: dict[int, list[tuple[int, Decimal, str]]] = {pk: [] for pk in self.by_kind["probation"]}
        pathway_links: list[tuple[int, int]] = []
        subs: list[dict[str, Any]] = []

        def rows() -> Iterator[dict[str, Any]]:
            for n, kind in enumerate(kinds, start=1):
                commissioner = rng.choice(self.by_kind[kind])
                sector = _weighted(rng, SECTOR_WEIGHTS, 1)[0]
                prime = rng.choice(self.providers[sector])
                funding = (
                    "main_grant"
                    if kind == "probation" and rng.random() < 0.8
                    else _weighted(rng, FUNDING_WEIGHTS, 1)[0]
                )
                value = _money(rng, 2_000, 400_000)
                start = FIRST_DAY + datetime.timedelta(days=rng.randint(0, window - 90))
                if rng.random() < 0.1:
                    end = None
                else:
                    end = min(LAST_DAY, start + datetime.timedelta(days=rng.randint(180, 3 * 365)))
                chosen = rng.sample(self.pathways, rng.choice((1, 1, 1, 2, 2, 3)))
                for pathway in chosen:
                    pathway_links.append((n, pathway.id))
                if rng.random() < 0.3:
                    wanted = rng.randint(1, 3)
                    partners = [p for p in rng.sample(all_providers, wanted + 1) if p != prime][:wanted]
                    for partner in partners:
                        share = Decimal(rng.randint(5, 30)) / 100
                        subs.append(
                            dict(contract_id=n, partner_id=partner, value=(value * share).quantize(Decimal("0.01")))
                        )
                if kind == "probation" and funding == "main_grant" and sector in ("vcs", "private"):
                    self.counted[commissioner].append((value, start, end))
                title = f"{chosen[0].name}: {rng.choice(TITLES)} {n}"
                if kind == "probation" and start <= ROUND_DAY and (end is None or end >= ROUND_DAY):
                    self.live_at_round[commissioner].append((n, value, f"BENCH-{n:07d} {title}"))
                yield dict(
                    id=n,
                    reference=f"BENCH-{n:07d}",
                    title=title,
                    commissioner_id=commissioner,
                    prime_id=prime,
                    annual_value=value,
                    start=start,
                    end=end,
                    funding_source=funding,
                    funder=rng.choice(FUNDERS) if funding != "main_grant" else "",
                    kind=_weighted(rng, KIND_WEIGHTS, 1)[0],
                    published=rng.random() < 0.4,
                )

        self.insert(Contract, rows())
        through = Contract.pathways.through
        self.insert(through, (dict(contract_id=c, pathway_id=p) for c, p in pathway_links), "contract pathways")
        self.insert(SubContract, subs)

    def _grants_and_targets(self) -> None:
        """Each area's grant per year: its counted spend live on 1 April, as 4–12% of it.

        So shares come out near the targets, some above and some below. The last year's grant is
        still indicative; the others are final.
        """
        from stepchange.contracts.models import MainGrant, Target

        rng = self.rng
        grants = []
        for name in YEARS:
            year = self.years[name]
            for area in self.by_kind["probation"]:
                live = sum(
                    (v for v, s, e in self.counted[area] if s <= year.start and (e is None or e >= year.start)),
                    Decimal(0),
                )
                share = Decimal(rng.randint(40, 120)) / 1000
                amount = max(Decimal(1_000_000), (live / share / 1000).quantize(Decimal(1)) * 1000)
                final = None if name == YEARS[-1] else amount
                indicative = amount if final is None else None
                grants.append(MainGrant(commissioner_id=area, year_id=year.id, final=final, indicative=indicative))
        self.insert(MainGrant, grants)
        targets = []
        for name, (probation, prison) in TARGETS.items():
            year = self.years[name]
            targets.append(Target(commissioner_kind="probation", year_id=year.id, percentage=probation))
            targets.append(Target(commissioner_kind="prison", year_id=year.id, percentage=prison))
        self.insert(Target, targets)

    def _probation_returns(self) -> None:
        """Every area's position at the start of every quarter, approved.

        Recorded without a round (so approved when recorded) they only mark dates: the year's
        baseline is 1 April and the share at each is the contracts'. At 1 October 2008 each area's
        return is instead that of the region's 2008-09 Q2 round, submitted and approved, with a line
        per contract live that day: most confirmed, some with corrected spend, a few ended, and a
        few new contracts the records do not hold yet.
        """
        from stepchange.returns.models import ProbationReturn, ProbationReturnLine, ReturnRound

        rng = self.rng
        rows = []
        for name in YEARS:
            year = self.years[name]
            for quarter in (1, 2, 3, 4):
                day = _quarter_start(year.start, quarter)
                if day == ROUND_DAY:
                    continue
                for area in self.by_kind["probation"]:
                    rows.append(ProbationReturn(commissioner_id=area, as_at=day, approved_at=_at(day)))
        self.insert(ProbationReturn, rows)

        year = self.years[ROUND_YEAR]
        opens, deadline = ROUND_DAY, ROUND_DAY + datetime.timedelta(days=30)
        rounds = []
        covered: list[tuple[int, int]] = []
        returns = []
        lines: list[dict[str, Any]] = []
        return_id = ProbationReturn.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for region in self.region_ids:
            self.next_round_id += 1
            rounds.append(
                ReturnRound(
                    id=self.next_round_id,
                    region_id=region,
                    kind="probation",
                    year_id=year.id,
                    quarter=ROUND_QUARTER,
                    opens_on=opens,
                    deadline=deadline,
                    opened_by=self.analyst,
                    rules_version=1,
                )
            )
            for area in (pk for pk in self.by_kind["probation"] if self.region_of[pk] == region):
                covered.append((self.next_round_id, area))
                return_id += 1
                submitted = _at(deadline - datetime.timedelta(days=rng.randint(0, 20)))
                returns.append(
                    ProbationReturn(
                        id=return_id,
                        round_id=self.next_round_id,
                        commissioner_id=area,
                        as_at=ROUND_DAY,
                        started_at=submitted - datetime.timedelta(days=5),
                        submitted_at=submitted,
                        submitted_by=self.manager,
                        rules_version=1,
                        approved_at=submitted + datetime.timedelta(days=2),
                        approved_by=self.analyst,
                    )
                )
                for contract, value, title in self.live_at_round[area]:
                    roll = rng.random()
                    change, reported = "confirmed", value
                    if roll < 0.08:
                        change = "corrected"
                        reported = (value * Decimal(rng.randint(80, 120)) / 100).quantize(Decimal("0.01"))
                    elif roll < 0.12:
                        change = "ended"
                    lines.append(
                        dict(
                            probation_return_id=return_id,
                            contract_id=contract,
                            title=title,
                            recorded_value=value,
                            annual_value=reported,
                            change=change,
                        )
                    )
                for n in range(max(1, len(self.live_at_round[area]) // 30)):
                    lines.append(
                        dict(
                            probation_return_id=return_id,
                            title=f"New contract {n + 1} reported by the area",
                            annual_value=_money(rng, 2_000, 100_000),
                            change="new",
                            sector=_weighted(rng, SECTOR_WEIGHTS, 1)[0],
                        )
                    )
        self.insert(ReturnRound, rounds, "probation rounds")
        through = ReturnRound.commissioners.through
        self.insert(through, (dict(returnround_id=r, commissioner_id=c) for r, c in covered), "round areas")
        self.insert(ProbationReturn, returns, "probation round returns")
        self.insert(ProbationReturnLine, lines)

    # Users ------------------------------------------------------------------------------------

    def _users(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from stepchange.accounts.models import User
        from stepchange.accounts.two_factor import ROLES_THAT_MUST
        from stepchange.core.roles import Role

        first_region = self.region_ids[0]
        in_first = [pk for pk in self.by_kind["probation"] if self.region_of[pk] == first_region]
        prison = next(pk for pk in self.by_kind["prison"] if self.region_of[pk] == first_region)
        organisation_of = {
            Role.REGIONAL_COMMISSIONER: self.regional_team[first_region],
            Role.PROBATION_MANAGER: in_first[0],
            Role.PRISON_COORDINATOR: prison,
            Role.AREA_ANALYST: None,
            Role.PROVIDER: self.providers["vcs"][0],
            Role.EVALUATOR: None,
            Role.INFRASTRUCTURE: self.providers["vcs"][1] if len(self.providers["vcs"]) > 1 else None,
            Role.NATIONAL_ADMIN: None,
        }
        password = make_password(PASSWORD)
        users = []
        for role in Role:
            username = COMMISSIONER if role == Role.REGIONAL_COMMISSIONER else f"bench-{role.value.replace('_', '-')}"
            users.append(
                User(
                    username=username,
                    password=password,
                    email=f"{username}@example.org",
                    first_name="Bench",
                    last_name=str(role.label),
                    role=role,
                    organisation_id=organisation_of[role],
                    region_id=first_region,
                    is_active=True,
                )
            )
        User.objects.bulk_create(users)
        self.counts["users"] = len(users)
        self.users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
        self.analyst = self.users["bench-area-analyst"]
        self.manager = self.users["bench-probation-manager"]
        self.coordinator = self.users["bench-prison-coordinator"]
        for user in self.users.values():
            if user.role not in ROLES_THAT_MUST:
                continue
            TOTPDevice.objects.create(
                user=user, name="Bench authenticator", key=totp_key(user.username), confirmed=True
            )
            device = StaticDevice.objects.create(user=user, name="Bench backup codes", confirmed=True)
            StaticToken.objects.bulk_create(
                StaticToken(device=device, token=code) for code in backup_codes(user.username)
            )
        self.say(f"{len(users):>9,} users")

    # Prison returns ---------------------------------------------------------------------------

    def _prison_returns(self) -> None:
        """A round per region and quarter; 130 × scale prisons send a return to each.

        All are approved but the last quarter's, where some wait for approval, some were returned
        for correction and some have not started. Each return has a line per pathway, with the
        VCS organisations delivering named on the lines that have services. One return, the first
        region's first prison's in the last quarter (approved), also names 100,000 × scale
        organisations proposed for the directory, spread evenly over its lines: the national-size
        return that opening the next round carries over, and that is reopened and downloaded.
        """
        from stepchange.returns.models import (
            PrisonReturn,
            PrisonReturnLine,
            ProposedOrganisation,
            ReturnRound,
            coordinator_fte,
        )

        rng = self.rng
        reporting = self.by_kind["prison"][: scaled(PRISONS, self.scale)]
        vcs = self.providers["vcs"]
        rounds: list[ReturnRound] = []
        round_prisons: list[tuple[int, int]] = []
        returns: list[PrisonReturn] = []
        lines: list[dict[str, Any]] = []
        line_orgs: list[tuple[int, int]] = []
        # Per prison: services running at the start and pathways it works on.
        provision = {
            pk: (
                rng.randint(2, 12),
                rng.sample(self.prison_pathways, rng.randint(2, 7)),
                rng.choice(("none", "part_time", "full_time")),
            )
            for pk in reporting
        }
        periods = [(name, q) for name in YEARS for q in (1, 2, 3, 4)]
        round_id = self.next_round_id
        return_id = line_id = 0
        large_lines: list[int] = []
        for index, (name, quarter) in enumerate(periods):
            year = self.years[name]
            # A round opens the day after its quarter ends.
            start = _quarter_start(year.start, quarter)
            opens = datetime.date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
            deadline = opens + datetime.timedelta(days=30)
            last = index == len(periods) - 1
            for region in self.region_ids:
                round_id += 1
                rounds.append(
                    ReturnRound(
                        id=round_id,
                        region_id=region,
                        kind="prison",
                        year_id=year.id,
                        quarter=quarter,
                        opens_on=opens,
                        deadline=deadline,
                        opened_by=self.analyst,
                        rules_version=1,
                    )
                )
                covered = [pk for pk in self.by_kind["prison"] if self.region_of[pk] == region]
                round_prisons += [(round_id, pk) for pk in covered]
                for offset, prison in enumerate(pk for pk in covered if pk in provision):
                    base, on, post = provision[prison]
                    submitted = _at(deadline - datetime.timedelta(days=rng.randint(-3, 20)))
                    values: dict[str, Any] = {
                        "started_at": submitted - datetime.timedelta(days=3),
                        "submitted_at": submitted,
                        "submitted_by": self.coordinator,
                        "rules_version": 1,
                        "approved_at": submitted + datetime.timedelta(days=2),
                        "approved_by": self.analyst,
                        "coordinator_post": post,
                        "coordinator_fte": coordinator_fte(post, Decimal("0.5")),
                        "area_contracts_answered": True,
                    }
                    state = offset % 4 if last else -1
                    if state == 1:  # waiting for approval
                        values.update(approved_at=None, approved_by=None)
                    elif state == 2:  # returned for correction
                        values.update(
                            approved_at=None,
                            approved_by=None,
                            submitted_at=None,
                            returned_at=submitted + datetime.timedelta(days=1),
                            returned_reason="Services are running with no organisation named. Please add them.",
                        )
                    elif state == 3:  # not started
                        values.update(
                            started_at=None,
                            submitted_at=None,
                            submitted_by=None,
                            approved_at=None,
                            approved_by=None,
                            coordinator_post="",
                            coordinator_fte=None,
                            area_contracts_answered=False,
                        )
                    return_id += 1
                    returns.append(
                        PrisonReturn(id=return_id, round_id=round_id, commissioner_id=prison, revision=1, **values)
                    )
                    if state == 3:
                        continue
                    total = base + index
                    large = last and region == self.region_ids[0] and offset == 0
                    for pathway in self.prison_pathways:
                        line_id += 1
                        if large:
                            large_lines.append(line_id)
                        running = started = ended = 0
                        if pathway in on:
                            running = total // len(on) + (1 if on.index(pathway) < total % len(on) else 0)
                            started = min(running, rng.randint(0, 2))
                            ended = rng.randint(0, started)
                        spend = _money(rng, 500, 60_000) if running and rng.random() < 0.7 else None
                        lines.append(
                            dict(
                                id=line_id,
                                prison_return_id=return_id,
                                pathway_id=pathway.id,
                                services_running=running,
                                services_started=started,
                                services_ended=ended,
                                spend=spend,
                                carried_over=False,
                            )
                        )
                        if running:
                            for org in rng.sample(vcs, min(len(vcs), rng.randint(1, 3))):
                                line_orgs.append((line_id, org))
        self.insert(ReturnRound, rounds)
        through = ReturnRound.commissioners.through
        self.insert(through, (dict(returnround_id=r, commissioner_id=c) for r, c in round_prisons), "round prisons")
        self.insert(PrisonReturn, returns)
        self.insert(PrisonReturnLine, lines)
        orgs = PrisonReturnLine.organisations.through
        self.insert(
            orgs, (dict(prisonreturnline_id=li, organisation_id=o) for li, o in line_orgs), "line organisations"
        )
        proposed = scaled(PROPOSED_ON_LARGE_RETURN, self.scale)
        self.insert(
            ProposedOrganisation,
            (
                dict(line_id=large_lines[n % len(large_lines)], name=f"Proposed project {n:06d}", sector="vcs")
                for n in range(proposed)
            ),
            "proposed organisations",
        )

    def _published_figures(self) -> None:
        """Each region's published share of main grant at 1 April 2008, for the national comparison."""
        from stepchange.reports.models import PublishedFigure

        rng = self.rng
        day = datetime.date(2008, 4, 1)
        figures = []
        for region in self.region_ids:
            value = Decimal(rng.randint(300, 1100)) / 100
            figures.append(
                PublishedFigure(
                    measure="share_pct",
                    as_at=day,
                    region_id=region,
                    value=value,
                    printed=f"{value}",
                    source="Synthetic national table",
                )
            )
        self.insert(PublishedFigure, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 is 200,000 contracts (default 0.01)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
    import django

    django.setup()
    from django.db import connection

    print(
        f"Generating scale {args.scale:g} into {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr
    )
    counts = generate(args.scale, verbose=True)
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"{key.ljust(width)}  {value:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
