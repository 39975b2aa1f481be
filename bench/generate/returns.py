"""Returns: every probation area's approved quarterly returns, the prison rounds and their returns
(with the large return of proposed organisations), and the published regional figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from bench.generate.world import (
    PRISONS,
    PROPOSED_ON_LARGE_RETURN,
    ROUND_DAY,
    ROUND_QUARTER,
    ROUND_YEAR,
    SECTOR_WEIGHTS,
    YEARS,
    Base,
    _at,
    _money,
    _quarter_start,
    _weighted,
    scaled,
)


class Returns(Base):
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
