"""Every write of plans: keyword-only, one transaction and one audit event each, each asking
``access`` first. Every change to a version names the version it was read at (``version``): a
stale save is refused (``StaleEdit``) and nothing is overwritten."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from stepchange.contracts.models import Contract, FundingSource
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, already_done
from stepchange.core.models import FinancialYear
from stepchange.organisations.models import Commissioner
from stepchange.plans import access
from stepchange.plans.models import OtherMoney, Plan, PlannedContract, PlanVersion

PLANNED_FIELDS = (
    "pathway",
    "description",
    "sector",
    "annual_value",
    "planned_start",
    "funding_source",
    "funder",
    "contract",
)
OTHER_FIELDS = ("kind", "party", "description", "annual_value")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _version_for_change(version: PlanVersion, *, actor: Any, expected: int) -> PlanVersion:
    """The version locked for this change: refused unless the actor may change it and nobody has
    changed it since it was read."""
    version = PlanVersion.objects.select_for_update().select_related("plan__area").get(pk=version.pk)
    if not access.may_change_version(actor, version):
        raise PermissionDenied("Only the area changes its plan, while it is a draft or sent back.")
    if version.version != expected:
        raise StaleEdit()
    return version


def _bump(version: PlanVersion, **fields: Any) -> None:
    PlanVersion.objects.filter(pk=version.pk).update(version=F("version") + 1, **fields)
    version.refresh_from_db()


def _next_line(plan: Plan) -> int:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    number = plan.next_line
    Plan.objects.filter(pk=plan.pk).update(next_line=number + 1)
    return number


def _check_planned(data: dict[str, Any], area: Commissioner, year: FinancialYear) -> None:
    if data["funding_source"] == FundingSource.CO_COMMISSIONED and not (data.get("funder") or "").strip():
        raise ValidationError("Enter the funder of co-commissioned money")
    if not (
        year.start - datetime.timedelta(days=366 * 5)
        <= data["planned_start"]
        <= year.end + datetime.timedelta(days=366)
    ):
        raise ValidationError(
            f"The planned start must be within five years before {year.start:%-d %B %Y} "
            f"and a year after {year.end:%-d %B %Y}"
        )
    contract: Contract | None = data.get("contract")
    if contract is not None and contract.commissioner_id != area.pk:
        raise ValidationError("The contract linked must be one of the area's own")


@transaction.atomic
def plan_create(*, actor: Any, area: Commissioner, year: FinancialYear, now: datetime.datetime | None = None) -> Plan:
    if not access.areas_drafted_by(actor).filter(pk=area.pk).exists():
        raise PermissionDenied("Only the area's probation manager starts its plan.")
    existing = Plan.objects.filter(area=area, year=year).first()
    if existing is not None:
        raise ValidationError(f"{area.name} already has a plan for {year}")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(area=area, year=year, created_at=_now(now))
    except IntegrityError:
        raise ValidationError(f"{area.name} already has a plan for {year}") from None
    version = PlanVersion.objects.create(plan=plan, number=1, created_at=_now(now), created_by=actor)
    audit_record(actor=actor, action="plan.create", obj=plan, after=snapshot(plan) | {"version_number": version.number})
    return plan


@transaction.atomic
def version_notes_update(*, actor: Any, version: PlanVersion, notes: str, expected: int) -> PlanVersion:
    version = _version_for_change(version, actor=actor, expected=expected)
    before = snapshot(version)
    _bump(version, notes=notes.strip())
    audit_record(actor=actor, action="plan.notes", obj=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def planned_add(*, actor: Any, version: PlanVersion, data: dict[str, Any], expected: int) -> PlannedContract:
    version = _version_for_change(version, actor=actor, expected=expected)
    _check_planned(data, version.plan.area, version.plan.year)
    line = PlannedContract.objects.create(
        plan_version=version, line=_next_line(version.plan), **{k: data.get(k) or _blank(k) for k in PLANNED_FIELDS}
    )
    _bump(version)
    audit_record(actor=actor, action="plan.planned_add", obj=line, after=snapshot(line))
    return line


def _blank(name: str) -> Any:
    return "" if name in ("funder", "description", "party") else None


@transaction.atomic
def planned_update(*, actor: Any, line: PlannedContract, data: dict[str, Any], expected: int) -> PlannedContract:
    version = _version_for_change(line.plan_version, actor=actor, expected=expected)
    line = PlannedContract.objects.get(pk=line.pk, plan_version=version)
    _check_planned(data, version.plan.area, version.plan.year)
    before = snapshot(line)
    for key in PLANNED_FIELDS:
        setattr(line, key, data.get(key) or _blank(key))
    line.save()
    _bump(version)
    audit_record(actor=actor, action="plan.planned_update", obj=line, before=before, after=snapshot(line))
    return line


@transaction.atomic
def planned_remove(*, actor: Any, line: PlannedContract, expected: int) -> None:
    version = _version_for_change(line.plan_version, actor=actor, expected=expected)
    line = PlannedContract.objects.get(pk=line.pk, plan_version=version)
    audit_record(actor=actor, action="plan.planned_remove", obj=line, before=snapshot(line))
    line.delete()
    _bump(version)


@transaction.atomic
def other_add(*, actor: Any, version: PlanVersion, data: dict[str, Any], expected: int) -> OtherMoney:
    version = _version_for_change(version, actor=actor, expected=expected)
    money = OtherMoney.objects.create(
        plan_version=version,
        line=_next_line(version.plan),
        kind=data["kind"],
        party=data["party"].strip(),
        description=data["description"].strip(),
        annual_value=data["annual_value"],
    )
    _bump(version)
    audit_record(actor=actor, action="plan.other_add", obj=money, after=snapshot(money))
    return money


@transaction.atomic
def other_remove(*, actor: Any, money: OtherMoney, expected: int) -> None:
    version = _version_for_change(money.plan_version, actor=actor, expected=expected)
    money = OtherMoney.objects.get(pk=money.pk, plan_version=version)
    audit_record(actor=actor, action="plan.other_remove", obj=money, before=snapshot(money))
    money.delete()
    _bump(version)


@transaction.atomic
def version_submit(
    *, actor: Any, version: PlanVersion, expected: int, now: datetime.datetime | None = None
) -> PlanVersion:
    version = _version_for_change(version, actor=actor, expected=expected)
    if not version.planned.exists():
        raise ValidationError("Add at least one planned contract before submitting the plan")
    before = snapshot(version)
    _bump(version, submitted_at=_now(now))
    audit_record(actor=actor, action="plan.submit", obj=version, before=before, after=snapshot(version))
    return version


def _version_for_decision(version: PlanVersion, *, actor: Any, expected: int) -> PlanVersion:
    version = PlanVersion.objects.select_for_update().select_related("plan__area").get(pk=version.pk)
    if not access.may_decide_version(actor, version):
        if version.approved_at is not None:
            raise already_done(version, did="approved this version", actions=["plan.approve"])
        if version.submitted_at is None and version.returned_at is not None:
            raise already_done(version, did="sent this version back", actions=["plan.send_back"])
        raise PermissionDenied("Only the region's commissioner approves or sends back a submitted plan.")
    if version.version != expected:
        raise StaleEdit()
    return version


@transaction.atomic
def version_approve(
    *, actor: Any, version: PlanVersion, expected: int, now: datetime.datetime | None = None
) -> PlanVersion:
    version = _version_for_decision(version, actor=actor, expected=expected)
    before = snapshot(version)
    _bump(version, approved_at=_now(now), approved_by=actor)
    audit_record(actor=actor, action="plan.approve", obj=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def version_send_back(
    *, actor: Any, version: PlanVersion, reason: str, expected: int, now: datetime.datetime | None = None
) -> PlanVersion:
    version = _version_for_decision(version, actor=actor, expected=expected)
    if not reason.strip():
        raise ValidationError("Enter why the plan is sent back")
    before = snapshot(version)
    _bump(version, submitted_at=None, returned_at=_now(now), returned_reason=reason.strip())
    audit_record(actor=actor, action="plan.send_back", obj=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def plan_revise(*, actor: Any, plan: Plan, expected: int, now: datetime.datetime | None = None) -> PlanVersion:
    """A new draft version of an approved plan, with the approved version's lines copied into it
    (each keeping its line number); the approved version is kept as it was."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    latest = plan.versions.order_by("-number").first()
    if not access.may_revise_plan(actor, plan) or latest is None:
        if latest is not None and latest.is_open and access.may_draft_plan(actor, plan):
            raise already_done(
                latest, did="started this revision", actions=["plan.revise"], url=plan.get_absolute_url()
            )
        raise PermissionDenied("Only the area revises its approved plan.")
    if latest.version != expected:
        raise StaleEdit()
    version = PlanVersion.objects.create(
        plan=plan, number=latest.number + 1, notes=latest.notes, created_at=_now(now), created_by=actor
    )
    for line in latest.planned.all():
        PlannedContract.objects.create(
            plan_version=version, line=line.line, **{k: getattr(line, k) for k in PLANNED_FIELDS}
        )
    for money in latest.other_money.all():
        OtherMoney.objects.create(plan_version=version, line=money.line, **{k: getattr(money, k) for k in OTHER_FIELDS})
    audit_record(
        actor=actor, action="plan.revise", obj=version, before={"from_version": latest.number}, after=snapshot(version)
    )
    return version
