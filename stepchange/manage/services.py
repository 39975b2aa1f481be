"""Every write of the management pages: one transaction each, an audit event each, and a version
check wherever the table has a version column. Clashes the database would refuse with an
IntegrityError are found first and refused with a ValidationError a person can act on, keyed by
the form field to show it beside. Two people adding the same thing at once both pass that check;
the unique constraint refuses the second, who is told who added it and when (``first_wins``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from stepchange.contracts.models import MainGrant, Target
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import created_by_someone_else, first_wins, save_if_unchanged
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.core.periods import DateOutsideAnyYear, hold_year_of
from stepchange.manage.access import may_keep_figure, regions_managed_by
from stepchange.organisations.models import Commissioner
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import ProbationReturn


def _update(*, actor: Any, obj: models.Model, expected_version: int, fields: dict[str, Any], action: str) -> None:
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
    save_if_unchanged(obj, expected_version=expected_version, fields=fields)
    audit_record(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def _created(*, actor: Any, obj: models.Model, action: str) -> None:
    audit_record(actor=actor, action=action, obj=obj, after=snapshot(obj))


# Main grants -------------------------------------------------------------------------------------


def _check_grant_amounts(indicative: Decimal | None, final: Decimal | None) -> None:
    errors: dict[str, str] = {}
    if indicative is None and final is None:
        errors["indicative"] = "Enter the indicative grant, the final grant, or both"
    for name, amount in (("indicative", indicative), ("final", final)):
        if amount is not None and amount <= 0:
            errors[name] = f"The {name} grant must be more than £0"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def main_grant_create(
    *,
    actor: Any,
    commissioner: Commissioner,
    year: FinancialYear,
    indicative: Decimal | None,
    final: Decimal | None,
) -> MainGrant:
    _check_grant_amounts(indicative, final)
    if MainGrant.objects.filter(commissioner=commissioner, year=year).exists():
        raise ValidationError(
            {"year": f"{commissioner.name} already has a main grant for {year}; change that one instead"}
        )
    with first_wins(
        created_by_someone_else(
            MainGrant,
            lookup={"commissioner": commissioner, "year": year},
            action="main_grant_create",
            did=f"added {commissioner.name}'s main grant for {year}",
            page=lambda grant: reverse("manage:grant-edit", args=[grant.pk]),
        )
    ):
        grant = MainGrant.objects.create(commissioner=commissioner, year=year, indicative=indicative, final=final)
    _created(actor=actor, obj=grant, action="main_grant_create")
    return grant


@transaction.atomic
def main_grant_update(
    *, actor: Any, grant: MainGrant, expected_version: int, indicative: Decimal | None, final: Decimal | None
) -> MainGrant:
    _check_grant_amounts(indicative, final)
    _update(
        actor=actor,
        obj=grant,
        expected_version=expected_version,
        fields={"indicative": indicative, "final": final},
        action="main_grant_update",
    )
    return grant


# Targets -----------------------------------------------------------------------------------------


def _check_percentage(percentage: Decimal) -> None:
    if not Decimal(0) <= percentage <= Decimal(100):
        raise ValidationError({"percentage": "The target must be a percentage from 0 to 100"})


@transaction.atomic
def target_create(*, actor: Any, commissioner_kind: str, year: FinancialYear, percentage: Decimal) -> Target:
    _check_percentage(percentage)
    if Target.objects.filter(commissioner_kind=commissioner_kind, year=year).exists():
        raise ValidationError({"year": f"There is already a target for this kind of commissioner in {year}"})
    with first_wins(
        created_by_someone_else(
            Target,
            lookup={"commissioner_kind": commissioner_kind, "year": year},
            action="target_create",
            did=f"added this target for {year}",
            page=lambda target: reverse("manage:target-edit", args=[target.pk]),
        )
    ):
        target = Target.objects.create(commissioner_kind=commissioner_kind, year=year, percentage=percentage)
    _created(actor=actor, obj=target, action="target_create")
    return target


@transaction.atomic
def target_update(*, actor: Any, target: Target, expected_version: int, percentage: Decimal) -> Target:
    _check_percentage(percentage)
    _update(
        actor=actor,
        obj=target,
        expected_version=expected_version,
        fields={"percentage": percentage},
        action="target_update",
    )
    return target


# Pathways ----------------------------------------------------------------------------------------


def _check_pathway_clashes(*, name: str, order: int, pathway: Pathway | None = None) -> None:
    others = Pathway.objects.exclude(pk=pathway.pk) if pathway else Pathway.objects.all()
    errors: dict[str, str] = {}
    by_order = others.filter(order=order).first()
    if by_order:
        errors["order"] = f"Position {order} is already taken by {by_order.name}; choose another position"
    if others.filter(name__iexact=name).exists():
        errors["name"] = f"There is already a pathway called {name}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pathway_create(*, actor: Any, name: str, short_name: str, order: int, applies_to_prisons: bool = True) -> Pathway:
    _check_pathway_clashes(name=name, order=order)
    # The code is what URLs and exports use; it is made once from the name and never changes.
    base = slugify(name)[:16] or "pathway"
    code, n = base, 2
    while Pathway.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    with first_wins(
        created_by_someone_else(
            Pathway,
            lookup={"name__iexact": name},
            action="pathway_create",
            did=f"added the pathway {name}",
            page=lambda pathway: reverse("manage:pathway-edit", args=[pathway.pk]),
        )
    ):
        pathway = Pathway.objects.create(
            code=code, name=name, short_name=short_name, order=order, applies_to_prisons=applies_to_prisons
        )
    _created(actor=actor, obj=pathway, action="pathway_create")
    return pathway


@transaction.atomic
def pathway_update(
    *,
    actor: Any,
    pathway: Pathway,
    expected_version: int,
    name: str,
    short_name: str,
    order: int,
    applies_to_prisons: bool | None = None,
) -> Pathway:
    _check_pathway_clashes(name=name, order=order, pathway=pathway)
    _update(
        actor=actor,
        obj=pathway,
        expected_version=expected_version,
        fields={
            "name": name,
            "short_name": short_name,
            "order": order,
            "applies_to_prisons": pathway.applies_to_prisons if applies_to_prisons is None else applies_to_prisons,
        },
        action="pathway_update",
    )
    return pathway


# The region's settings ---------------------------------------------------------------------------

MINIMUM_TENDER_DAYS_RANGE = (1, 365)


@transaction.atomic
def region_tender_period_set(*, actor: Any, region: Region, expected_version: int, minimum_tender_days: int) -> Region:
    """Set the region's minimum tender period: the days each stage of its tenders must be open for
    bids unless a reason is recorded (``commissioning.tender_period``). Opportunities already
    published keep the deadlines they have; the new minimum applies from the next publication or
    change of a deadline."""
    if not regions_managed_by(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("You cannot change this region.")
    low, high = MINIMUM_TENDER_DAYS_RANGE
    if not low <= minimum_tender_days <= high:
        raise ValidationError(
            {"minimum_tender_days": f"The minimum tender period must be between {low} and {high} days"}
        )
    _update(
        actor=actor,
        obj=region,
        expected_version=expected_version,
        fields={"minimum_tender_days": minimum_tender_days},
        action="region_tender_period_set",
    )
    return region


# Published figures -------------------------------------------------------------------------------

FIGURE_FIELDS = ("measure", "as_at", "region", "commissioner", "label", "value", "printed", "source")


def _check_figure(actor: Any, fields: dict[str, Any], figure: PublishedFigure | None = None) -> None:
    if not (fields.get("region") or fields.get("commissioner") or fields.get("label")):
        raise ValidationError({"label": "Choose the region or the commissioner the figure is of, or name it"})
    if not may_keep_figure(actor, region=fields.get("region"), commissioner=fields.get("commissioner")):
        raise ValidationError(
            {
                "region": "You can record figures of your own region and its commissioners only; a national "
                "figure is the national administrator's"
            }
        )
    same = PublishedFigure.objects.filter(
        measure=fields["measure"],
        as_at=fields["as_at"],
        region=fields.get("region"),
        commissioner=fields.get("commissioner"),
        label=fields.get("label") or "",
    )
    if figure is not None:
        same = same.exclude(pk=figure.pk)
    if same.exists():
        raise ValidationError({"as_at": "This figure is already recorded for that date; change that one instead"})


@transaction.atomic
def published_figure_create(*, actor: Any, fields: dict[str, Any]) -> PublishedFigure:
    _check_figure(actor, fields)
    values = {name: fields.get(name) or _blank(name) for name in FIGURE_FIELDS}
    with first_wins(
        created_by_someone_else(
            PublishedFigure,
            lookup={name: values[name] for name in ("measure", "as_at", "region", "commissioner", "label")},
            action="published_figure_create",
            did="recorded this figure",
            page=lambda figure: reverse("manage:figure-edit", args=[figure.pk]),
        )
    ):
        figure = PublishedFigure.objects.create(**values)
    _created(actor=actor, obj=figure, action="published_figure_create")
    return figure


@transaction.atomic
def published_figure_update(
    *, actor: Any, figure: PublishedFigure, expected_version: int, fields: dict[str, Any]
) -> PublishedFigure:
    _check_figure(actor, fields, figure)
    if not may_keep_figure(actor, region=figure.region, commissioner=figure.commissioner):
        raise ValidationError({"region": "This figure is another region's; only its commissioner can change it"})
    _update(
        actor=actor,
        obj=figure,
        expected_version=expected_version,
        fields={name: fields.get(name) or _blank(name) for name in FIGURE_FIELDS},
        action="published_figure_update",
    )
    return figure


def _blank(name: str) -> Any:
    """What an empty optional field is stored as: '' for text, NULL for a foreign key."""
    return "" if name in {"label", "printed", "source"} else (Decimal(0) if name == "value" else None)


# Probation return dates --------------------------------------------------------------------------


@transaction.atomic
def probation_return_record(*, actor: Any, commissioner: Commissioner, as_at: datetime.date) -> ProbationReturn:
    """Record that a probation area reported its position at a date (the trend and baseline read these)."""
    try:
        hold_year_of(as_at)  # the year it reports in is held from now on (core/periods.py)
    except DateOutsideAnyYear as outside:
        raise ValidationError({"as_at": str(outside)}) from outside
    if ProbationReturn.objects.filter(commissioner=commissioner, as_at=as_at).exists():
        raise ValidationError({"as_at": f"{commissioner.name} already has a return at {as_at:%-d %B %Y}"})
    # Recorded by the regional commissioner outside any round: approved as it is recorded.
    with first_wins(
        created_by_someone_else(
            ProbationReturn,
            lookup={"commissioner": commissioner, "as_at": as_at},
            action="probation_return_record",
            did=f"recorded {commissioner.name}'s return at {as_at:%-d %B %Y}",
            page=lambda _: reverse("manage:returns"),
        )
    ):
        probation_return = ProbationReturn.objects.create(
            commissioner=commissioner, as_at=as_at, recorded_by=actor, approved_at=timezone.now(), approved_by=actor
        )
    _created(actor=actor, obj=probation_return, action="probation_return_record")
    return probation_return
