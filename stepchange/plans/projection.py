"""The projected share of main grant at the end of a plan's year: the one rule of it.

``project_year_end`` is the only place the projection is worked out; the plan page, the regional
roll-up, its CSV and the steering group's pack all call it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from stepchange.contracts import selectors as contracts
from stepchange.contracts.models import Contract, FundingSource, MainGrant
from stepchange.organisations.models import CommissionerKind
from stepchange.plans.models import OtherKind, PlannedContract, PlanVersion
from stepchange.reports.spend.shares import HUNDRED, ZERO, share_pct

FINAL, INDICATIVE = "final", "indicative"


@dataclass(frozen=True)
class CountedLine:
    """A planned contract and what it adds to the projection (0 when it does not count)."""

    line: PlannedContract
    counts: bool
    value: Decimal
    why: str  # said beside a line that does not count, or that counts by its contract


@dataclass(frozen=True)
class Projection:
    year_end: datetime.date
    main_grant: Decimal | None
    grant_basis: str | None  # FINAL or INDICATIVE: which grant the share is of
    indicative_grant: Decimal | None
    final_grant: Decimal | None
    target_pct: Decimal | None
    commitments: list[Contract]
    commitments_value: Decimal
    lines: list[CountedLine]
    planned_value: Decimal
    secondments_value: Decimal
    co_commissioned_value: Decimal
    co_commissioned_by_funder: dict[str, Decimal] = field(default_factory=dict)

    @property
    def counted(self) -> Decimal:
        return self.commitments_value + self.planned_value

    @property
    def share_pct(self) -> Decimal | None:
        return share_pct(self.counted, self.main_grant)

    @property
    def target_amount(self) -> Decimal | None:
        if self.target_pct is None or not self.main_grant:
            return None
        return self.target_pct * self.main_grant / HUNDRED

    @property
    def gap_amount(self) -> Decimal | None:
        """How far short of the target's £ the projection falls (negative: beyond it)."""
        target = self.target_amount
        return None if target is None else target - self.counted

    @property
    def gap_pts(self) -> Decimal | None:
        share = self.share_pct
        return None if share is None or self.target_pct is None else self.target_pct - share

    @property
    def meets_target(self) -> bool | None:
        gap = self.gap_amount
        return None if gap is None else gap <= 0


def _line_counts(line: PlannedContract, year_end: datetime.date, counting_contracts: set[int]) -> CountedLine:
    if line.contract_id is not None:
        # Once let, the contract's own record decides, by the share's rules: counted and live at
        # the year's end, at its own annual value.
        if line.contract_id in counting_contracts:
            return CountedLine(line, True, line.contract.annual_value, "counted by its contract")  # type: ignore[union-attr]
        return CountedLine(line, False, ZERO, "its contract does not count at the year's end")
    if line.funding_source != FundingSource.MAIN_GRANT:
        return CountedLine(line, False, ZERO, "not paid from the main grant")
    if line.sector not in contracts.COUNTED_SECTORS:
        return CountedLine(line, False, ZERO, "not a voluntary, community or private provider")
    if line.planned_start > year_end:
        return CountedLine(line, False, ZERO, "starts after the year's end")
    return CountedLine(line, True, line.annual_value, "")


def project_year_end(version: PlanVersion) -> Projection:
    """The share of main grant a plan version projects on the last day of its year (31 March).

    Counted at the year's end, each at its annual value in full (never pro-rated):
    - commitments: the area's own contracts that count toward the target by the share's rule
      (``contracts.selectors.counted``: main grant, VCS or private prime) and are live on 31 March
      (``live_on``), except those a planned line of this version is linked to;
    - each planned contract: once linked to a contract, as that contract counts (the same rule);
      before, when paid from the main grant, meant for a VCS or private provider, and planned to
      start on or before 31 March of the year;
    - never: secondments in kind or co-commissioned money, shown beside it.
    The main grant is the year's final one where recorded, else the indicative one
    (``MainGrant.amount``, the share's rule); the target is the probation target of the year.
    """
    plan = version.plan
    year = plan.year
    year_end = year.end
    lines = list(version.planned.select_related("pathway", "contract"))
    linked = {line.contract_id for line in lines if line.contract_id is not None}
    area_contracts = Contract.objects.filter(commissioner=plan.area)
    counted_at_end = contracts.live_on(contracts.counted(area_contracts), year_end)
    counting_linked = set(counted_at_end.filter(pk__in=linked).values_list("pk", flat=True))
    commitments = list(counted_at_end.exclude(pk__in=linked).select_related("prime").order_by("reference"))
    counted_lines = [_line_counts(line, year_end, counting_linked) for line in lines]

    grant = MainGrant.objects.filter(commissioner=plan.area, year=year).first()
    amount = grant.amount if grant is not None else None
    basis = None if grant is None or amount is None else FINAL if grant.final is not None else INDICATIVE
    other = list(version.other_money.all())
    by_funder: dict[str, Decimal] = {}
    for money in other:
        if money.kind == OtherKind.CO_COMMISSIONED:
            by_funder[money.party] = by_funder.get(money.party, ZERO) + money.annual_value
    return Projection(
        year_end=year_end,
        main_grant=amount,
        grant_basis=basis,
        indicative_grant=grant.indicative if grant else None,
        final_grant=grant.final if grant else None,
        target_pct=contracts.target_pct(CommissionerKind.PROBATION, year),
        commitments=commitments,
        commitments_value=sum((c.annual_value for c in commitments), ZERO),
        lines=counted_lines,
        planned_value=sum((c.value for c in counted_lines), ZERO),
        secondments_value=sum((m.annual_value for m in other if m.kind == OtherKind.SECONDMENT), ZERO),
        co_commissioned_value=sum(by_funder.values(), ZERO),
        co_commissioned_by_funder=dict(sorted(by_funder.items())),
    )
