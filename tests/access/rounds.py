"""The returns part of the access world: rounds opened the usual way (see docs/access.md
and the docstring of returns/access.py).

  prison 2006-07 Q1, Yorkshire and Humberside (opened by Grace): HMP Leeds's return (Frank's) and
      HMP Doncaster's (nobody's own but the analyst's and the region's to see);
  prison 2006-07 Q1, North East (opened by Rita): HMP Durham's (Pat's), of the other region;
  probation 2006-07 Q3, Yorkshire and Humberside (opened by Alice): South Yorkshire's (Bob's) and
      West Yorkshire's (Carol's), each with a line for every contract live on 1 January 2007;
  probation 2006-07 Q3, North East (opened by Nick): the North East area's (Olga's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from stepchange.core.models import FinancialYear
from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ProbationReturn, ProbationReturnLine, ReturnKind, ReturnRound
from tests.factories import CommissionerFactory


@dataclass
class Rounds:
    prison: ReturnRound
    north_east: ReturnRound
    probation: ReturnRound
    north_east_probation: ReturnRound
    leeds: PrisonReturn
    doncaster: PrisonReturn
    durham: PrisonReturn
    sypa: ProbationReturn
    wypa: ProbationReturn
    nepa: ProbationReturn
    sypa_line: ProbationReturnLine
    wypa_line: ProbationReturnLine


def build_rounds(world: Any) -> Rounds:
    cast = world.cast
    year = FinancialYear.objects.get(name="2006-07")

    def prison(code: str, name: str, region: Any) -> Any:
        return CommissionerFactory.create(
            code=code, region=region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC, organisation__name=name
        )

    doncaster = prison("DONC", "HMP Doncaster", cast.region)
    north = world.north

    def open_round(actor: Any, region: Any, kind: str, quarter: int, commissioners: list[Any]) -> ReturnRound:
        opens = {1: datetime.date(2006, 7, 1), 3: datetime.date(2007, 1, 1)}[quarter]
        return services.round_open(
            actor=actor,
            region=region,
            kind=kind,
            year=year,
            quarter=quarter,
            commissioners=commissioners,
            opens_on=opens,
            deadline=opens + datetime.timedelta(days=30),
        )

    prison_round = open_round(cast.grace, cast.region, ReturnKind.PRISON, 1, [cast.leeds, doncaster])
    north_east = open_round(north.rita, cast.other_region, ReturnKind.PRISON, 1, [north.durham])
    probation = open_round(cast.alice, cast.region, ReturnKind.PROBATION, 3, [cast.sypa, cast.wypa])
    ne_probation = open_round(north.nick, cast.other_region, ReturnKind.PROBATION, 3, [north.probation])
    sypa = ProbationReturn.objects.get(round=probation, commissioner=cast.sypa)
    wypa = ProbationReturn.objects.get(round=probation, commissioner=cast.wypa)
    sypa_line, wypa_line = sypa.lines.first(), wypa.lines.first()
    assert sypa_line is not None and wypa_line is not None
    return Rounds(
        prison=prison_round,
        north_east=north_east,
        probation=probation,
        north_east_probation=ne_probation,
        leeds=PrisonReturn.objects.get(round=prison_round, commissioner=cast.leeds),
        doncaster=PrisonReturn.objects.get(round=prison_round, commissioner=doncaster),
        durham=PrisonReturn.objects.get(round=north_east, commissioner=north.durham),
        sypa=sypa,
        wypa=wypa,
        nepa=ProbationReturn.objects.get(round=ne_probation, commissioner=north.probation),
        sypa_line=sypa_line,
        wypa_line=wypa_line,
    )
