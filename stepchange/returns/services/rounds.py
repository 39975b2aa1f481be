"""Opening a round, which gives each covered commissioner its return."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, first_wins, taken
from stepchange.core.models import FinancialYear, Region
from stepchange.organisations.models import Commissioner
from stepchange.returns.copying import BATCH as COPY_BATCH
from stepchange.returns.copying import copy_prison_lines
from stepchange.returns.models import (
    PrisonReturn,
    ProbationReturn,
    ProbationReturnLine,
    ReturnKind,
    ReturnRound,
)
from stepchange.returns.selectors import (
    previous_prison_return,
)

# Rounds -------------------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: Any,
    region: Region,
    kind: str,
    year: FinancialYear,
    quarter: int,
    commissioners: Iterable[Commissioner],
    opens_on: datetime.date,
    deadline: datetime.date,
) -> ReturnRound:
    """Open a round and give each covered commissioner its return (a prison's carries last quarter over)."""
    covered = list(commissioners)
    if not covered:
        raise ValidationError({"commissioners": "Choose at least one commissioner the round covers."})
    wrong = [c.name for c in covered if c.kind != kind or c.region_id != region.pk]
    if wrong:
        raise ValidationError(
            {"commissioners": f"Not a {ReturnKind(kind).label.lower()} commissioner of {region}: {', '.join(wrong)}."}
        )
    if deadline < opens_on:
        raise ValidationError({"deadline": "The deadline must be on or after the opening date."})
    # The region's row is locked first: of two people opening the same round at once, the second
    # waits here, then finds the first's round (and is sent to it) instead of clashing with it.
    Region.objects.select_for_update().get(pk=region.pk)
    existing = ReturnRound.objects.filter(region=region, kind=kind, year=year, quarter=quarter).first()
    if existing is not None:
        raise already_done(existing, actions=["round_open"], did=f"opened this round ({existing})", then="here it is.")
    the_round = ReturnRound.objects.create(
        region=region,
        kind=kind,
        year=year,
        quarter=quarter,
        opens_on=opens_on,
        deadline=deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    the_round.commissioners.set(covered)
    audit_record(actor=actor, action="round_open", obj=the_round, after=snapshot(the_round))
    for commissioner in covered:
        if kind == ReturnKind.PRISON:
            _prison_return_create(actor=actor, the_round=the_round, commissioner=commissioner)
        else:
            _probation_return_create(actor=actor, the_round=the_round, commissioner=commissioner)
    return the_round


def _prison_return_create(*, actor: Any, the_round: ReturnRound, commissioner: Commissioner) -> PrisonReturn:
    prison_return = PrisonReturn.objects.create(round=the_round, commissioner=commissioner)
    previous = previous_prison_return(prison_return)
    if previous is not None:
        copy_prison_lines(source=previous, target=prison_return, carry_over=True)
    audit_record(actor=actor, action="return_create", obj=prison_return, after=snapshot(prison_return))
    return prison_return


def _probation_return_create(*, actor: Any, the_round: ReturnRound, commissioner: Commissioner) -> ProbationReturn:
    as_at = the_round.as_at
    refusal = ValidationError(
        {"commissioners": f"{commissioner.name} already has a return at {as_at:%-d %B %Y}: leave it out."}
    )
    if ProbationReturn.objects.filter(commissioner=commissioner, as_at=as_at).exists():
        raise refusal
    # A return recorded for the same date on the manage page at this very moment: the same refusal.
    with first_wins(taken(ProbationReturn, lookup={"commissioner": commissioner, "as_at": as_at}, refusal=refusal)):
        probation_return = ProbationReturn.objects.create(round=the_round, commissioner=commissioner, as_at=as_at)
    live = live_on(Contract.objects.filter(commissioner=commissioner), as_at)
    ProbationReturnLine.objects.bulk_create(
        (
            ProbationReturnLine(
                probation_return=probation_return,
                contract_id=contract_id,
                title=f"{reference} {title}",
                recorded_value=annual_value,
                annual_value=annual_value,
            )
            for contract_id, reference, title, annual_value in live.order_by("title").values_list(
                "id", "reference", "title", "annual_value"
            )
        ),
        batch_size=COPY_BATCH,
    )
    audit_record(actor=actor, action="return_create", obj=probation_return, after=snapshot(probation_return))
    return probation_return
