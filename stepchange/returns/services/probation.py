"""Filling in a probation return: its contract lines."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.models import Pathway
from stepchange.returns.models import (
    ProbationLineChange,
    ProbationReturn,
    ProbationReturnLine,
)
from stepchange.returns.services._common import _editable, _touch


def probation_line_change(line: ProbationReturnLine, *, annual_value: Decimal, ended: bool) -> str:
    """What a line of a contract the service holds becomes when the area reports it: ended, its
    spend corrected (a value other than the one recorded) or confirmed. A contract the area added
    stays new."""
    if line.change == ProbationLineChange.NEW:
        return ProbationLineChange.NEW
    if ended:
        return ProbationLineChange.ENDED
    if annual_value != line.recorded_value:
        return ProbationLineChange.CORRECTED
    return ProbationLineChange.CONFIRMED


@transaction.atomic
def probation_line_save(
    *,
    actor: Any,
    probation_return: ProbationReturn,
    expected_version: int,
    line: ProbationReturnLine,
    annual_value: Decimal,
    ended: bool,
) -> ProbationReturnLine:
    """Confirm, correct or end one contract on a probation return."""
    _editable(probation_return)
    if line.probation_return_id != probation_return.pk:
        raise ValidationError("That contract is not on this return.")
    if annual_value < 0:
        raise ValidationError({"annual_value": "The annual value cannot be negative."})
    _touch(probation_return, expected_version)
    before = snapshot(line)
    line.change = probation_line_change(line, annual_value=annual_value, ended=ended)
    line.annual_value = annual_value
    line.save()
    audit_record(actor=actor, action="return_line_save", obj=probation_return, before=before, after=snapshot(line))
    return line


@transaction.atomic
def probation_line_add(
    *,
    actor: Any,
    probation_return: ProbationReturn,
    expected_version: int,
    title: str,
    annual_value: Decimal,
    sector: str,
    pathways: Iterable[Pathway] = (),
) -> ProbationReturnLine:
    """A contract the area holds at the return date that the service does not know of yet.

    ``sector`` is its prime's: a VCS or private prime's counts toward the share at the return date.
    ``pathways`` are its pathways, which the contract profile counts it under at the return date.
    """
    _editable(probation_return)
    if annual_value < 0:
        raise ValidationError({"annual_value": "The annual value cannot be negative."})
    if sector not in {"vcs", "private", "public"}:
        raise ValidationError({"sector": "Say whether the prime is voluntary and community, private or public."})
    _touch(probation_return, expected_version)
    line = ProbationReturnLine.objects.create(
        probation_return=probation_return,
        title=title,
        annual_value=annual_value,
        change=ProbationLineChange.NEW,
        sector=sector,
    )
    line.pathways.set(list(pathways))
    audit_record(actor=actor, action="return_line_add", obj=probation_return, after=snapshot(line))
    return line
