"""The money-reach report: how much of the money the region's commissioners spend reaches small,
BME-led, women-specific and user-led organisations, directly (as primes) and through the primes'
sub-contracts; the share each prime passes on; and how much the ten largest providers hold.

A contract's annual value is split once between the organisations it reaches: each sub-contractor
gets its sub-contract's value and the prime keeps the rest. Sub-contracts are never added on top of
their contract, so what reaches every organisation adds up to the contracts' annual value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stepchange.contracts import selectors as contracts
from stepchange.contracts.listing import list_query
from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import FinancialYear, Pathway
from stepchange.core.periods import year_containing
from stepchange.organisations.models import CommissionerKind, Organisation, Sector, SizeBand
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.registry import Chart, ReportParams, ReportResult, Table, register
from stepchange.reports.spend.shares import HUNDRED, ZERO

# Small: the two smallest income bands (under £100,000 a year).
SMALL_BANDS = frozenset({SizeBand.MICRO.value, SizeBand.SMALL.value})
NO_SIZE = "Size not given"
NO_PATHWAY = "No pathway recorded"
TOP = 10
KIND_ORDER = [CommissionerKind.PROBATION, CommissionerKind.PRISON, CommissionerKind.REGIONAL]


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    phrase: str  # the label within a sentence
    has: Callable[[dict[str, Any]], bool]


GROUPS = (
    Group("small", "Small organisations", "small organisations", lambda org: org["size_band"] in SMALL_BANDS),
    Group("bme", "BME-led organisations", "BME-led organisations", lambda org: bool(org["bme_led"])),
    Group(
        "women", "Women-specific organisations", "women-specific organisations", lambda org: bool(org["women_specific"])
    ),
    Group("user", "User-led organisations", "user-led organisations", lambda org: bool(org["user_led"])),
)


@dataclass
class Held:
    """One contract as the report reads it: who holds it, and what each organisation gets of it."""

    id: int
    commissioner: str
    value: Decimal
    prime: int
    counts: bool
    pathways: list[str] = field(default_factory=list)
    subs: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def passed_on(self) -> Decimal:
        return sum((value for _, value in self.subs), ZERO)

    @property
    def kept(self) -> Decimal:
        return self.value - self.passed_on


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return part * HUNDRED / whole if whole else None


def reach_figures(held: Iterable[Held], orgs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The figures of one set of contracts: their value, what their primes pass on, and what reaches
    each group, kept as prime (direct) and through sub-contracts."""
    chosen = list(held)
    value = sum((c.value for c in chosen), ZERO)
    passed_on = sum((c.passed_on for c in chosen), ZERO)
    out: dict[str, Any] = {
        "contracts": len(chosen),
        "value": value,
        "passed_on": passed_on,
        "passed_on_pct": _pct(passed_on, value),
    }
    for group in GROUPS:
        direct = sum((c.kept for c in chosen if group.has(orgs[c.prime])), ZERO)
        through = sum((v for c in chosen for partner, v in c.subs if group.has(orgs[partner])), ZERO)
        out[f"{group.key}_direct"] = direct
        out[f"{group.key}_sub"] = through
        out[f"{group.key}_value"] = direct + through
        out[f"{group.key}_pct"] = _pct(direct + through, value)
    return out


def reached(held: Iterable[Held]) -> dict[int, tuple[Decimal, Decimal]]:
    """What reaches each organisation: (kept as prime, received through sub-contracts)."""
    out: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))
    for c in held:
        kept, sub = out[c.prime]
        out[c.prime] = (kept + c.kept, sub)
        for partner, value in c.subs:
            kept, sub = out[partner]
            out[partner] = (kept, sub + value)
    return dict(out)


def largest(held: list[Held], orgs: dict[int, dict[str, Any]]) -> list[tuple[int, Decimal, Decimal]]:
    """The providers by what reaches them, largest first (ties by name): (organisation, kept, sub)."""
    by_org = reached(held)
    order = sorted(by_org, key=lambda o: (-(by_org[o][0] + by_org[o][1]), orgs[o]["name"]))
    return [(o, *by_org[o]) for o in order]


def top_ten_value(held: list[Held], orgs: dict[int, dict[str, Any]]) -> Decimal:
    return sum((kept + sub for _, kept, sub in largest(held, orgs)[:TOP]), ZERO)


def _load(chosen: QuerySet[Contract]) -> dict[int, Held]:
    counted_ids = set(chosen.filter(contracts.counts_toward_target_q()).values_list("id", flat=True))
    held = {
        cid: Held(id=cid, commissioner=code, value=value, prime=prime, counts=cid in counted_ids)
        for cid, code, value, prime in chosen.values_list("id", "commissioner__code", "annual_value", "prime_id")
    }
    through = Contract.pathways.through.objects.filter(contract_id__in=held)
    for cid, code in through.values_list("contract_id", "pathway__code").order_by("pathway__order"):
        held[cid].pathways.append(code)
    subs = SubContract.objects.filter(contract_id__in=held).order_by("partner__name")
    for cid, partner, value in subs.values_list("contract_id", "partner_id", "value"):
        held[cid].subs.append((partner, value))
    return held


def _organisations(held: Iterable[Held]) -> dict[int, dict[str, Any]]:
    ids = {c.prime for c in held} | {partner for c in held for partner, _ in c.subs}
    fields = ("id", "name", "sector", "size_band", "bme_led", "women_specific", "user_led")
    return {row["id"]: row for row in Organisation.objects.filter(id__in=ids).values(*fields)}


def _band_label(band: str) -> str:
    return str(SizeBand(band).label) if band else NO_SIZE


def _years(region_contracts: QuerySet[Contract], last: FinancialYear) -> list[FinancialYear]:
    """The financial years from the one the region's earliest contract starts in to ``last``."""
    first_start = region_contracts.order_by("start").values_list("start", flat=True).first()
    if first_start is None or first_start > last.end:
        return [last]
    first = year_containing(first_start)
    return list(FinancialYear.objects.filter(start__gte=first.start, start__lte=last.start).order_by("start"))


@register(
    name="money-reach",
    title="Where the money reaches",
    description="How much of the money commissioned reaches small, BME-led, women-specific and user-led organisations, directly and through sub-contracts; what each prime passes on; and the share the ten largest providers hold, year by year.",
    takes=("at", "year"),
    signed_in_only=True,
)
def money_reach(params: ReportParams) -> ReportResult:
    region_contracts = Contract.objects.filter(commissioner__region=params.region)
    if params.year is not None:
        report_year = params.year
        chosen = contracts.live_during(region_contracts, report_year.start, report_year.end)
        period: dict[str, Any] = {"year": report_year}
        scope = f"live at any time in {report_year.name}"
    else:
        assert params.at is not None
        report_year = year_containing(params.at)
        chosen = contracts.live_on(region_contracts, params.at)
        period = {"live_on": params.at}
        scope = f"live on {params.at:%-d %B %Y}"
    years = _years(region_contracts, report_year)
    ids_by_year = {
        y.name: set(contracts.live_during(region_contracts, y.start, y.end).values_list("id", flat=True)) for y in years
    }
    chosen_ids = set(chosen.values_list("id", flat=True))
    every_id = chosen_ids.union(*ids_by_year.values())
    held_all = _load(region_contracts.filter(id__in=every_id))
    orgs = _organisations(held_all.values())
    held = [held_all[i] for i in sorted(chosen_ids)]

    commissioners = {
        code: (kind, name)
        for code, kind, name in region_contracts.filter(id__in=chosen_ids)
        .values_list("commissioner__code", "commissioner__kind", "commissioner__organisation__name")
        .distinct()
        .order_by()
    }
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any] | None] = []

    def add(breakdown: str, name: str, subset: list[Held], filters: dict[str, Any] | None) -> None:
        rows.append({"breakdown": breakdown, "name": name, **reach_figures(subset, orgs)})
        links.append(filters)

    add("Region", params.region.name, held, {"region": params.region})
    add(
        "Funding", "Counts toward the target", [c for c in held if c.counts], {"region": params.region, "counts": "yes"}
    )
    add("Funding", "Does not count", [c for c in held if not c.counts], {"region": params.region, "counts": "no"})
    for code in sorted(commissioners, key=lambda c: (KIND_ORDER.index(CommissionerKind(commissioners[c][0])), c)):
        add("Commissioner", commissioners[code][1], [c for c in held if c.commissioner == code], {"commissioner": code})
    pathways = Pathway.objects.order_by("order").values_list("code", "name")
    for code, name in pathways:
        on_it = [c for c in held if code in c.pathways]
        if on_it:
            add("Pathway", name, on_it, {"region": params.region, "pathway": code})
    without = [c for c in held if not c.pathways]
    if without:
        add("Pathway", NO_PATHWAY, without, None)

    workings: dict[tuple[int | str, str], str] = {}
    for position, filters in enumerate(links):
        if filters is not None:
            workings[(position, "contracts")] = workings[(position, "value")] = list_query(**filters, **period)

    totals = {k: v for k, v in rows[0].items() if k not in {"breakdown", "name"}}
    ranked = largest(held, orgs)
    top_value = sum((kept + sub for _, kept, sub in ranked[:TOP]), ZERO)
    totals["providers"] = len(ranked)
    totals["top_ten_value"] = top_value
    totals["top_ten_pct"] = _pct(top_value, totals["value"])
    workings[(TOTALS_KEY, "contracts")] = workings[(TOTALS_KEY, "value")] = list_query(region=params.region, **period)

    by_org = reached(held)
    band_rows = []
    for band in [*(b.value for b in SizeBand), ""]:
        kept = sum((by_org[o][0] for o in by_org if orgs[o]["size_band"] == band), ZERO)
        sub = sum((by_org[o][1] for o in by_org if orgs[o]["size_band"] == band), ZERO)
        band_rows.append(
            {
                "size_band": _band_label(band),
                "organisations": sum(1 for o in by_org if orgs[o]["size_band"] == band),
                "direct": kept,
                "sub": sub,
                "value": kept + sub,
                "value_pct": _pct(kept + sub, totals["value"]),
            }
        )

    prime_rows = []
    by_prime: dict[int, list[Held]] = defaultdict(list)
    for c in held:
        by_prime[c.prime].append(c)
    for prime, its in by_prime.items():
        value = sum((c.value for c in its), ZERO)
        passed = sum((c.passed_on for c in its), ZERO)
        prime_rows.append(
            {
                "name": orgs[prime]["name"],
                "sector": str(Sector(orgs[prime]["sector"]).label),
                "size_band": _band_label(orgs[prime]["size_band"]),
                "contracts": len(its),
                "value": value,
                "passed_on": passed,
                "kept": value - passed,
                "passed_on_pct": _pct(passed, value),
                "sub_contractors": len({partner for c in its for partner, _ in c.subs}),
            }
        )
    prime_rows.sort(key=lambda r: (-r["value"], r["name"]))

    top_rows = []
    running = ZERO
    for rank, (org, kept, sub) in enumerate(ranked[:TOP], start=1):
        running += kept + sub
        top_rows.append(
            {
                "rank": rank,
                "name": orgs[org]["name"],
                "sector": str(Sector(orgs[org]["sector"]).label),
                "size_band": _band_label(orgs[org]["size_band"]),
                "direct": kept,
                "sub": sub,
                "value": kept + sub,
                "value_pct": _pct(kept + sub, totals["value"]),
                "cumulative_pct": _pct(running, totals["value"]),
            }
        )

    year_rows = []
    for y in years:
        in_year = [held_all[i] for i in sorted(ids_by_year[y.name])]
        figures = reach_figures(in_year, orgs)
        in_top = top_ten_value(in_year, orgs)
        year_rows.append(
            {
                "year": y.name,
                "contracts": figures["contracts"],
                "value": figures["value"],
                "passed_on_pct": figures["passed_on_pct"],
                **{f"{g.key}_pct": figures[f"{g.key}_pct"] for g in GROUPS},
                "top_ten_value": in_top,
                "top_ten_pct": _pct(in_top, figures["value"]),
            }
        )

    columns = [
        Column("breakdown", "Breakdown"),
        Column("name", "Name"),
        Column("contracts", "Contracts", ColumnKind.COUNT),
        Column("value", "Annual value", ColumnKind.MONEY),
        Column("passed_on", "Passed on to sub-contractors", ColumnKind.MONEY, secondary=True),
        Column("passed_on_pct", "Share passed on", ColumnKind.PERCENT, "no value"),
    ]
    for g in GROUPS:
        columns += [
            Column(f"{g.key}_direct", f"{g.label}: as primes", ColumnKind.MONEY, secondary=True),
            Column(f"{g.key}_sub", f"{g.label}: through sub-contracts", ColumnKind.MONEY, secondary=True),
            Column(f"{g.key}_value", f"{g.label}: reaches them", ColumnKind.MONEY, secondary=True),
            Column(f"{g.key}_pct", f"{g.label}: share", ColumnKind.PERCENT, "no value"),
        ]
    total_columns = [
        Column("contracts", "Contracts", ColumnKind.COUNT),
        Column("value", "Annual value", ColumnKind.MONEY),
        Column("passed_on", "Passed on to sub-contractors", ColumnKind.MONEY),
        Column("passed_on_pct", "Share passed on", ColumnKind.PERCENT, "no value"),
        *(Column(f"{g.key}_value", f"Reaches {g.phrase}", ColumnKind.MONEY) for g in GROUPS),
        Column("providers", "Providers reached", ColumnKind.COUNT),
        Column("top_ten_value", "Held by the ten largest providers", ColumnKind.MONEY),
        Column("top_ten_pct", "Share held by the ten largest providers", ColumnKind.PERCENT, "no value"),
    ]
    tables = [
        Table(
            "size_bands",
            "By size band",
            [
                Column("size_band", "Size band"),
                Column("organisations", "Organisations reached", ColumnKind.COUNT),
                Column("direct", "As primes", ColumnKind.MONEY),
                Column("sub", "Through sub-contracts", ColumnKind.MONEY),
                Column("value", "Reaches them", ColumnKind.MONEY),
                Column("value_pct", "Share of the annual value", ColumnKind.PERCENT, "no value"),
            ],
            band_rows,
        ),
        Table(
            "primes",
            "What each prime passes on",
            [
                Column("name", "Prime"),
                Column("sector", "Sector"),
                Column("size_band", "Size band"),
                Column("contracts", "Contracts", ColumnKind.COUNT),
                Column("value", "Annual value", ColumnKind.MONEY),
                Column("passed_on", "Passed on", ColumnKind.MONEY),
                Column("kept", "Kept", ColumnKind.MONEY),
                Column("passed_on_pct", "Share passed on", ColumnKind.PERCENT, "no value"),
                Column("sub_contractors", "Sub-contractors", ColumnKind.COUNT),
            ],
            prime_rows,
        ),
        Table(
            "top_ten",
            "The ten largest providers",
            [
                Column("rank", "Rank", ColumnKind.COUNT),
                Column("name", "Provider"),
                Column("sector", "Sector"),
                Column("size_band", "Size band"),
                Column("direct", "As prime", ColumnKind.MONEY),
                Column("sub", "Through sub-contracts", ColumnKind.MONEY),
                Column("value", "Reaches them", ColumnKind.MONEY),
                Column("value_pct", "Share of the annual value", ColumnKind.PERCENT, "no value"),
                Column("cumulative_pct", "Cumulative share", ColumnKind.PERCENT, "no value"),
            ],
            top_rows,
        ),
        Table(
            "years",
            "Year by year",
            [
                Column("year", "Year"),
                Column("contracts", "Contracts", ColumnKind.COUNT),
                Column("value", "Annual value", ColumnKind.MONEY),
                Column("passed_on_pct", "Share passed on", ColumnKind.PERCENT, "no value"),
                *(Column(f"{g.key}_pct", f"{g.label}: share", ColumnKind.PERCENT, "no value") for g in GROUPS),
                Column("top_ten_value", "Held by the ten largest", ColumnKind.MONEY),
                Column("top_ten_pct", "Share held by the ten largest", ColumnKind.PERCENT, "no value"),
            ],
            year_rows,
        ),
    ]
    return ReportResult(
        params=params,
        columns=columns,
        rows=rows,
        totals=totals,
        total_columns=total_columns,
        chart=Chart(
            kind="line",
            title="Share of annual value by financial year: the ten largest providers, passed on, small organisations",
            categories=[r["year"] for r in year_rows],
            series=[
                ("Ten largest providers", [r["top_ten_pct"] for r in year_rows]),
                ("Passed on", [r["passed_on_pct"] for r in year_rows]),
                ("Small organisations", [r["small_pct"] for r in year_rows]),
            ],
        ),
        tables=tables,
        notes=[
            f"Every contract of the region's commissioners {scope}, whatever its funding, each with its full annual "
            "value. A prime keeps its contract's value less what it passes on; each sub-contractor gets its "
            "sub-contract's value; sub-contracts are never added on top, so what reaches every organisation adds up "
            "to the annual value.",
            "Small organisations are those in the micro and small size bands (income under £100,000). An "
            "organisation can be in more than one group, so the groups' shares need not add up to 100%.",
            "A contract on several pathways counts in full under each, so the pathway rows can add up to more "
            "than the region's.",
            "The year-by-year table and the chart take the contracts live at any time in each financial year, "
            f"from the year of the region's earliest contract to {report_year.name}.",
        ],
        workings=workings,
    )
