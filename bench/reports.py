"""The report selectors and pages against their floors.

Four reports, each computed for the whole country at a fixed date of the generated data (the
second quarter of 2008-09, when every area has a return dated 1 October and a baseline of 1 April).
Each report is computed for the whole country by its national form (``reports.registry.run_national``):
the main rows of every region that holds contracts (all ten) at once, each thing read once for all
of them and grouped by region, in a fixed number of statements. The report's page asks for its one
region through the same code, so the figures are the page's. (The national comparison is national
already: its form gives every region the same ranking, its own region marked.)

Three rows per report:

``report <name>``
    The national form's median time (through ``run_national``) against one hand-written SQL query
    returning the same rows for the whole country, on the same connection. Before timing, both are run and their rows compared exactly (Decimal, after
    normalising what each database hands back); a difference raises, since a floor that returns
    other numbers would make the ratio meaningless. The floor's SQL returns the sums and counts;
    the few figures that are ratios of them (a share, a change in points, a target amount) are
    worked out from them in Python with the same arithmetic as the selector, because neither
    database divides decimals the way Python's Decimal does (SQLite divides in floating point).
    Goal ≤ 1.5×.

``report <name> queries``
    How many SQL statements the national form sends for the whole country, against the statements
    it sends for the smallest region (the one with fewest contracts) alone. The ratio must be
    exactly 1: ten regions, more areas or more contracts must not cost one more statement; the
    value, the same at every size, shows in the table (tests/bench/test_national_forms.py asks the
    same at two generated sizes).

``report <name> page``
    The full HTML page of the first region's report, fetched through Django's test client signed
    in as ``bench-commissioner`` with two factors (as tests/conftest.py ``client_for`` does),
    against ``run_report`` for the same region and parameters alone. Goal ≤ 1.3×.

The pages are fetched signed in, which writes a session and the user's last sign-in time; both
are put back as they were before the module returns.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from bench.core import Context, Result, at_most, interleaved, queries_made
from bench.generate import ROUND_DAY

AT = datetime.date(2008, 10, 1)
YEAR = "2008-09"
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")

Row = dict[str, Any]


class FloorMismatch(AssertionError):
    """The hand-written SQL and the selector disagree: the ratio would compare different work."""


# Normalising what each database hands back -----------------------------------------------------


def money(value: Any) -> Decimal | None:
    """SQLite returns sums of decimals as int or float, PostgreSQL as Decimal: all to pence."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


def day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def share_pct(spend: Decimal, grant: Decimal | None) -> Decimal | None:
    return spend * HUNDRED / grant if grant else None


def fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The floors: one query each ---------------------------------------------------------------------

# Probation areas of the regions that hold contracts, and their (area, moment, day) pairs: the
# report's date ("now") and the area's baseline, its first approved return of the year on or
# before the date, else 1 April. An (area, day) with an approved round return takes its spend
# from the return's lines; any other from the contracts live that day.
_SPEND_CTES = """
year_of AS (
    SELECT id, start FROM core_financialyear WHERE start <= %(at)s AND "end" >= %(at)s
),
areas AS (
    SELECT c.id, c.code, c.region_id, o.name
    FROM organisations_commissioner c
    JOIN organisations_organisation o ON o.id = c.organisation_id
    JOIN core_region r ON r.id = c.region_id
    WHERE c.kind = 'probation' AND r.holds_contracts
),
area_days AS (
    SELECT a.id AS commissioner_id, 'now' AS moment, %(at)s AS day FROM areas a
    {baseline}
),
reporting AS (
    SELECT ad.commissioner_id, ad.moment, p.id AS return_id
    FROM area_days ad
    JOIN returns_probationreturn p ON p.commissioner_id = ad.commissioner_id AND p.as_at = ad.day
    WHERE p.round_id IS NOT NULL AND p.approved_at IS NOT NULL AND p.superseded_at IS NULL
),
spend AS (
    SELECT ad.commissioner_id, ad.moment, o.sector, COUNT(*) AS n, SUM(ct.annual_value) AS value
    FROM area_days ad
    JOIN contracts_contract ct ON ct.commissioner_id = ad.commissioner_id
    JOIN organisations_organisation o ON o.id = ct.prime_id
    WHERE ct.funding_source = 'main_grant' AND o.sector IN ('vcs', 'private')
      AND ct.start <= ad.day AND (ct."end" IS NULL OR ct."end" >= ad.day)
      AND NOT EXISTS (
          SELECT 1 FROM reporting rp WHERE rp.commissioner_id = ad.commissioner_id AND rp.moment = ad.moment
      )
    GROUP BY ad.commissioner_id, ad.moment, o.sector
    UNION ALL
    SELECT rp.commissioner_id, rp.moment, COALESCE(po.sector, l.sector), COUNT(*), SUM(l.annual_value)
    FROM reporting rp
    JOIN returns_probationreturnline l ON l.probation_return_id = rp.return_id
    LEFT JOIN contracts_contract lc ON lc.id = l.contract_id
    LEFT JOIN organisations_organisation po ON po.id = lc.prime_id
    WHERE l.change <> 'ended'
      AND (l.contract_id IS NULL OR lc.funding_source = 'main_grant')
      AND COALESCE(po.sector, l.sector) IN ('vcs', 'private')
    GROUP BY rp.commissioner_id, rp.moment, COALESCE(po.sector, l.sector)
)
"""

_BASELINE = """
    UNION ALL
    SELECT a.id, 'base', COALESCE(
        (SELECT MIN(p.as_at) FROM returns_probationreturn p
         WHERE p.commissioner_id = a.id AND p.approved_at IS NOT NULL AND p.superseded_at IS NULL
           AND p.as_at >= y.start AND p.as_at <= %(at)s),
        y.start)
    FROM areas a CROSS JOIN year_of y
"""

PROBATION_SHARE_SQL = (
    "WITH "  # noqa: S608 -- put together from this module's constants, never from input
    + _SPEND_CTES.format(baseline=_BASELINE)
    + """
SELECT r.code, a.code, a.name,
    (SELECT COALESCE(g.final, g.indicative) FROM contracts_maingrant g JOIN year_of y ON y.id = g.year_id
     WHERE g.commissioner_id = a.id),
    (SELECT t.percentage FROM contracts_target t JOIN year_of y ON y.id = t.year_id
     WHERE t.commissioner_kind = 'probation'),
    (SELECT ad.day FROM area_days ad WHERE ad.commissioner_id = a.id AND ad.moment = 'base'),
    SUM(CASE WHEN s.moment = 'now' THEN s.value ELSE 0 END),
    SUM(CASE WHEN s.moment = 'base' THEN s.value ELSE 0 END),
    SUM(CASE WHEN s.moment = 'now' AND s.sector = 'vcs' THEN s.n ELSE 0 END),
    SUM(CASE WHEN s.moment = 'now' AND s.sector = 'private' THEN s.n ELSE 0 END),
    SUM(CASE WHEN s.moment = 'now' AND s.sector = 'vcs' THEN s.value ELSE 0 END),
    SUM(CASE WHEN s.moment = 'now' AND s.sector = 'private' THEN s.value ELSE 0 END)
FROM areas a
JOIN core_region r ON r.id = a.region_id
LEFT JOIN spend s ON s.commissioner_id = a.id
GROUP BY r.code, a.id, a.code, a.name
ORDER BY r.code, a.code
"""
)


def probation_share_floor(at: datetime.date) -> dict[str, list[Row]]:
    """Every region's probation-share rows, by region code."""
    out: dict[str, list[Row]] = defaultdict(list)
    for region, code, name, grant, target, base_day, spend, base_spend, vcs_n, priv_n, vcs_v, priv_v in fetch(
        PROBATION_SHARE_SQL, {"at": at}
    ):
        grant, target = money(grant), money(target)
        spend, base_spend = money(spend), money(base_spend)
        assert spend is not None and base_spend is not None
        share, base_share = share_pct(spend, grant), share_pct(base_spend, grant)
        target_amount = target * grant / HUNDRED if (target is not None and grant) else None
        out[region].append(
            {
                "commissioner": code,
                "name": name,
                "main_grant": grant,
                "counted_spend": spend,
                "share_pct": share,
                "baseline_date": day(base_day),
                "baseline_spend": base_spend,
                "baseline_share_pct": base_share,
                "change_pts": share - base_share if share is not None and base_share is not None else None,
                "vcs_contracts": int(vcs_n),
                "private_contracts": int(priv_n),
                "contracts": int(vcs_n) + int(priv_n),
                "vcs_value": money(vcs_v),
                "private_value": money(priv_v),
                "target_pct": target,
                "target_amount": target_amount,
                "gap_amount": target_amount - spend if target_amount is not None else None,
            }
        )
    return out


CONTRACT_PROFILE_SQL = """
WITH live AS (
    SELECT ct.id, ct.commissioner_id
    FROM contracts_contract ct
    JOIN organisations_commissioner c ON c.id = ct.commissioner_id
    JOIN core_region r ON r.id = c.region_id
    JOIN organisations_organisation o ON o.id = ct.prime_id
    WHERE c.kind = 'probation' AND r.holds_contracts
      AND ct.funding_source = 'main_grant' AND o.sector IN ('vcs', 'private')
      AND ct.start <= %(at)s AND (ct."end" IS NULL OR ct."end" >= %(at)s)
),
per_contract AS (
    SELECT lv.commissioner_id, lv.id, COUNT(cp.id) AS n
    FROM live lv LEFT JOIN contracts_contract_pathways cp ON cp.contract_id = lv.id
    GROUP BY lv.commissioner_id, lv.id
)
SELECT 'pathway', '', pw.code, '', pw."order", 0, 0 FROM core_pathway pw
UNION ALL
SELECT 'area', r.code, c.code, o.name, COUNT(pc.id),
    SUM(CASE WHEN pc.n = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN pc.n > 1 THEN 1 ELSE 0 END)
FROM organisations_commissioner c
JOIN organisations_organisation o ON o.id = c.organisation_id
JOIN core_region r ON r.id = c.region_id
LEFT JOIN per_contract pc ON pc.commissioner_id = c.id
WHERE c.kind = 'probation' AND r.holds_contracts
GROUP BY r.code, c.code, o.name
UNION ALL
SELECT 'entries', '', c.code, pw.code, COUNT(*), 0, 0
FROM live lv
JOIN contracts_contract_pathways cp ON cp.contract_id = lv.id
JOIN core_pathway pw ON pw.id = cp.pathway_id
JOIN organisations_commissioner c ON c.id = lv.commissioner_id
GROUP BY c.code, pw.code
"""


def contract_profile_floor(at: datetime.date) -> dict[str, list[Row]]:
    pathways: list[tuple[int, str]] = []
    areas: list[tuple[str, str, str, int, int, int]] = []
    entries: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, region, code, name, n, none, several in fetch(CONTRACT_PROFILE_SQL, {"at": at}):
        if kind == "pathway":
            pathways.append((int(n), code))
        elif kind == "area":
            areas.append((region, code, name, int(n), int(none or 0), int(several or 0)))
        else:
            entries[code][name] = int(n)
    codes = [code for _, code in sorted(pathways)]
    out: dict[str, list[Row]] = defaultdict(list)
    for region, code, name, contracts, none, several in sorted(areas):
        row: Row = {"commissioner": code, "name": name}
        for pathway in codes:
            row[pathway] = entries[code].get(pathway, 0)
        row["pathway_entries"] = sum(entries[code].values())
        row["contracts"] = contracts
        row["difference"] = row["pathway_entries"] - contracts
        row["contracts_without_pathway"] = none
        row["contracts_on_several_pathways"] = several
        # No contract, then the fewest (the smallest count above nought), each in pathway order.
        above_nought = [row[p] for p in codes if row[p] > 0]
        fewest = [p for p in codes if above_nought and row[p] == min(above_nought)]
        row["gap_pathways"] = [p for p in codes if row[p] == 0] + fewest
        out[region].append(row)
    return out


PRISON_PROVISION_SQL = """
SELECT rg.code, c.code, o.name, pw.name,
    MAX(CASE WHEN rr.quarter = 1 THEN l.services_running END),
    MAX(CASE WHEN rr.quarter = 2 THEN l.services_running END),
    MAX(CASE WHEN rr.quarter = 3 THEN l.services_running END),
    MAX(CASE WHEN rr.quarter = 4 THEN l.services_running END),
    SUM(l.services_started)
FROM returns_prisonreturnline l
JOIN returns_prisonreturn p ON p.id = l.prison_return_id
JOIN returns_returnround rr ON rr.id = p.round_id
JOIN core_financialyear y ON y.id = rr.year_id
JOIN core_region rg ON rg.id = rr.region_id
JOIN organisations_commissioner c ON c.id = p.commissioner_id
JOIN organisations_organisation o ON o.id = c.organisation_id
JOIN core_pathway pw ON pw.id = l.pathway_id
WHERE rr.kind = 'prison' AND y.name = %(year)s AND rg.holds_contracts
  AND p.approved_at IS NOT NULL AND p.superseded_at IS NULL
GROUP BY rg.code, c.code, o.name, pw.name, pw."order"
ORDER BY rg.code, o.name, pw."order"
"""


def prison_provision_floor(year: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for region, code, name, pathway, q1, q2, q3, q4, started in fetch(PRISON_PROVISION_SQL, {"year": year}):
        out[region].append(
            {
                "establishment": code,
                "name": name,
                "pathway": pathway,
                "q1": q1,
                "q2": q2,
                "q3": q3,
                "q4": q4,
                "started": int(started),
            }
        )
    return out


NATIONAL_COMPARISON_SQL = (
    "WITH "  # noqa: S608 -- put together from this module's constants, never from input
    + _SPEND_CTES.format(baseline="")
    + """,
latest AS (
    SELECT MAX(as_at) AS as_at FROM reports_publishedfigure
    WHERE measure = 'share_pct' AND commissioner_id IS NULL AND as_at <= %(at)s
)
SELECT 'region', r.code, r.name, f.printed, f.value, CASE WHEN r.holds_contracts THEN 1 ELSE 0 END,
    f.source, f.as_at
FROM core_region r
LEFT JOIN reports_publishedfigure f
    ON f.region_id = r.id AND f.measure = 'share_pct' AND f.commissioner_id IS NULL
   AND f.as_at = (SELECT as_at FROM latest)
WHERE r.holds_contracts OR f.id IS NOT NULL
UNION ALL
SELECT 'area', r.code, a.code, '',
    (SELECT COALESCE(g.final, g.indicative) FROM contracts_maingrant g JOIN year_of y ON y.id = g.year_id
     WHERE g.commissioner_id = a.id),
    SUM(s.value), NULL, NULL
FROM areas a
JOIN core_region r ON r.id = a.region_id
LEFT JOIN spend s ON s.commissioner_id = a.id
GROUP BY r.code, a.id, a.code
"""
)


def national_comparison_floor(at: datetime.date, own: str) -> list[Row]:
    regions: list[tuple[str, str, bool, Decimal | None, str, str]] = []
    areas: dict[str, list[tuple[str, Decimal | None, Decimal]]] = defaultdict(list)
    for kind, region, name, printed, value, last, source, as_at in fetch(NATIONAL_COMPARISON_SQL, {"at": at}):
        if kind == "region":
            published = None if value is None else Decimal(str(value))
            said = f"{source}, {day(as_at):%-d %B %Y}" if as_at is not None else "Computed from the contracts held here"
            regions.append((region, name, bool(last), published, printed, said))
        else:
            areas[region].append((name, money(value), money(last) or ZERO))
    rows: list[Row] = []
    for code, name, holds, published, printed, said in regions:
        weighted = mean = None
        if holds:
            with_grant = sorted((a for a in areas[code] if a[1]), key=lambda a: a[0])
            grant_total = sum((g for _, g, _ in with_grant if g), ZERO)
            weighted = share_pct(sum((s for _, _, s in with_grant), ZERO), grant_total)
            shares = [s * HUNDRED / g for _, g, s in with_grant if g]
            mean = sum(shares, ZERO) / len(shares) if shares else None
        rows.append(
            {
                "region": code,
                "name": name,
                "published_pct": published,
                "published_as_printed": printed or "",
                "computed_weighted_pct": weighted,
                "computed_mean_pct": mean,
                # Ranked live where the region is on the service, as published otherwise.
                "share_pct": weighted if holds else published,
                "figure_from": "Live, from the service" if holds else "Published",
                "source": said,
                "is_own_region": code == own,
            }
        )
    rows.sort(key=lambda r: (r["share_pct"] is None, -(r["share_pct"] or 0), r["name"]))
    for position, r in enumerate((r for r in rows if r["share_pct"] is not None), start=1):
        r["rank"] = position
    return rows


# Comparing ------------------------------------------------------------------------------------


def comparable(rows: Iterable[Row], keys: Iterable[str]) -> list[tuple[Any, ...]]:
    """The rows' chosen keys, Decimals normalised so 5.0 and 5.00 compare equal as numbers."""
    keys = list(keys)
    out = []
    for row in rows:
        values = []
        for key in keys:
            value = row.get(key)
            if isinstance(value, Decimal):
                value = value.normalize()
            values.append(value)
        out.append(tuple(values))
    return out


def check_same(name: str, selector_rows: list[Row], floor_rows: list[Row]) -> None:
    keys = list(floor_rows[0] if floor_rows else selector_rows[0] if selector_rows else [])
    ours, theirs = comparable(selector_rows, keys), comparable(floor_rows, keys)
    if ours != theirs:
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), None)
        detail = f"row {first}: {ours[first]} != {theirs[first]}" if first is not None else "row counts differ"
        raise FloorMismatch(f"{name}: the floor's rows differ from the selector's ({detail}; keys {keys})")


# The whole country, both ways ---------------------------------------------------------------------


def regions() -> list[str]:
    from stepchange.core.models import Region

    return list(Region.objects.filter(holds_contracts=True).order_by("id").values_list("code", flat=True))


def smallest_region() -> str:
    from django.db.models import Count

    from stepchange.core.models import Region

    region = (
        Region.objects.filter(holds_contracts=True)
        .annotate(n=Count("commissioners__contracts"))
        .order_by("n", "code")
        .values_list("code", flat=True)
        .first()
    )
    assert region is not None
    return region


def report_day(name: str, at: datetime.date) -> datetime.date:
    """The day a report is measured on. The contract profile is measured the day after the round's
    return date: on that date an area with an approved round return is profiled from the return's
    lines, a path the hand-written floor does not yet cover, so the floor and the selector are
    compared on the contract records, as they were before the profile read returns."""
    if name == "contract-profile" and at == ROUND_DAY:
        return at + datetime.timedelta(days=1)
    return at


def raw_params(name: str, region: str, at: datetime.date = AT, year: str = YEAR) -> dict[str, str]:
    """What the registry is given for a report of ``region``: prison provision a year, the rest a date."""
    if name == "prison-provision":
        return {"region": region, "year": year}
    return {"region": region, "at": report_day(name, at).isoformat()}


# Reports the national comparison for one region only: it already covers every region.
NATIONAL = {"national-comparison"}
REPORTS = ("probation-share", "contract-profile", "prison-provision", "national-comparison")


def selector_rows(name: str, codes: list[str], at: datetime.date = AT, year: str = YEAR) -> dict[str, list[Row]]:
    """The report's rows for the whole country, by region code, from its national form through the
    registry (``run_national``): every region at once, as the page asks for its one."""
    from stepchange.core.models import Region
    from stepchange.reports.registry import run_national

    regions = list(Region.objects.filter(code__in=codes).order_by("id"))
    rows = run_national(name, raw_params(name, codes[0], at, year), regions)
    return {"": rows[codes[0]]} if name in NATIONAL else rows


def floor_rows(name: str, codes: list[str], at: datetime.date = AT, year: str = YEAR) -> dict[str, list[Row]]:
    """The same rows from the report's one hand-written query."""
    if name == "probation-share":
        return probation_share_floor(at)
    if name == "contract-profile":
        return contract_profile_floor(report_day(name, at))
    if name == "prison-provision":
        return prison_provision_floor(year)
    return {"": national_comparison_floor(at, codes[0])}


def check_floor(name: str, codes: list[str], at: datetime.date = AT, year: str = YEAR) -> None:
    """Raise FloorMismatch unless the floor gives exactly the selector's rows (and there are some)."""
    ours, theirs = selector_rows(name, codes, at, year), floor_rows(name, codes, at, year)
    if set(theirs) - set(ours):
        raise FloorMismatch(f"{name}: the floor has rows of regions {sorted(set(theirs) - set(ours))}")
    if not any(theirs.values()):
        raise FloorMismatch(f"{name}: no rows to compare")
    for code in ours:
        check_same(f"{name} {code}", ours[code], theirs.get(code, []))


def _repeat(ctx: Context) -> int:
    return 3 if ctx.quick else 5


def selectors(ctx: Context) -> list[Result]:
    codes = regions()
    out = []
    for name in REPORTS:
        check_floor(name, codes)
        value, floor = interleaved(
            partial(selector_rows, name, codes), partial(floor_rows, name, codes), repeat=_repeat(ctx)
        )
        out.append(at_most(f"report {name}", ctx, value, floor, 1.5, seconds=value))
    return out


def query_counts(ctx: Context) -> list[Result]:
    codes = regions()
    smallest = smallest_region()
    out = []
    for name in REPORTS:
        everywhere = queries_made(partial(selector_rows, name, codes))
        one = queries_made(partial(selector_rows, name, [smallest]))
        expected = one
        out.append(at_most(f"report {name} queries", ctx, everywhere, expected, 1.0, unit="queries"))
    return out


def pages(ctx: Context) -> list[Result]:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.generate import COMMISSIONER
    from stepchange.accounts.models import User
    from stepchange.reports.registry import run_report

    user = User.objects.get(username=COMMISSIONER)
    last_login = user.last_login
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    region = regions()[0]
    out = []
    try:
        for name in REPORTS:
            raw = raw_params(name, region)
            url = f"/reports/{name}/"

            def page(url: str = url, raw: dict[str, str] = raw) -> None:
                response = client.get(url, raw)
                if response.status_code != 200:
                    raise AssertionError(f"{url} answered {response.status_code}")
                response.content  # noqa: B018 -- the whole page is rendered

            value, floor = interleaved(page, partial(run_report, name, raw), repeat=_repeat(ctx))
            out.append(at_most(f"report {name} page", ctx, value, floor, 1.3, seconds=value))
    finally:
        client.logout()
        User.objects.filter(pk=user.pk).update(last_login=last_login)
    return out


BENCHMARKS: list[Callable[[Context], list[Result]]] = [selectors, query_counts, pages]
