"""Bob drafts South Yorkshire's plan and submits it; Alice approves it or sends it back; Bob
revises the approved plan in the year, every version kept; two people editing at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stepchange.contracts.models import FundingSource
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent, Pathway
from stepchange.plans import services
from stepchange.plans.models import OtherKind, Plan, Status
from stepchange.plans.selectors import changes_since_previous, latest_version
from stepchange.plans.todo import plans_awaiting_approval, plans_sent_back
from tests.conftest import ClientFor, Clock
from tests.personas import Cast
from tests.plans.world import y0708

pytestmark = pytest.mark.django_db
D = Decimal


def planned(**kw: object) -> dict[str, object]:
    return {
        "pathway": Pathway.objects.get(code="ete"),
        "description": "Mentoring of low-risk offenders",
        "sector": "vcs",
        "annual_value": D("80000"),
        "planned_start": datetime.date(2007, 7, 1),
        "funding_source": FundingSource.MAIN_GRANT,
        "funder": "",
        "contract": None,
    } | kw


def drafted(cast: Cast) -> Plan:
    plan = services.plan_create(actor=cast.bob, area=cast.sypa, year=y0708())
    version = latest_version(plan)
    services.planned_add(actor=cast.bob, version=version, data=planned(), expected=version.version)
    return plan


def test_draft_submit_approve_revise_keeps_every_version(cast: Cast) -> None:
    plan = drafted(cast)
    v1 = latest_version(plan)
    services.version_submit(actor=cast.bob, version=v1, expected=v1.version)
    v1.refresh_from_db()
    assert v1.status == Status.SUBMITTED
    assert [i.text for i in plans_awaiting_approval(cast.alice, datetime.datetime.now())] == [
        "South Yorkshire Probation Area: sub-contracting plan 2007-08, version 1"
    ]
    services.version_approve(actor=cast.alice, version=v1, expected=v1.version)
    v1.refresh_from_db()
    assert v1.status == Status.APPROVED

    v2 = services.plan_revise(actor=cast.bob, plan=plan, expected=v1.version)
    assert v2.number == 2 and v2.status == Status.DRAFT
    first = v2.planned.get()
    services.planned_update(actor=cast.bob, line=first, data=planned(annual_value=D("95000")), expected=v2.version)
    v2.refresh_from_db()
    services.other_add(
        actor=cast.bob,
        version=v2,
        data={"kind": OtherKind.SECONDMENT, "party": "Acorn", "description": "An officer", "annual_value": D("30000")},
        expected=v2.version,
    )
    v2.refresh_from_db()
    changes = changes_since_previous(v2)
    assert changes is not None
    assert [(c.what, c.details) for c in changes] == [
        ("Changed", [("Annual value", D("80000.00"), D("95000.00"))]),
        ("Added", []),
    ]
    # Version 1 is kept as it was approved.
    assert v1.planned.get().annual_value == D("80000")
    actions = list(
        AuditEvent.objects.filter(action__startswith="plan.").values_list("action", flat=True).order_by("id")
    )
    assert actions == [
        "plan.create",
        "plan.planned_add",
        "plan.submit",
        "plan.approve",
        "plan.revise",
        "plan.planned_update",
        "plan.other_add",
    ]


def test_sent_back_with_a_reason_then_submitted_again(cast: Cast) -> None:
    plan = drafted(cast)
    v1 = latest_version(plan)
    services.version_submit(actor=cast.bob, version=v1, expected=v1.version)
    v1.refresh_from_db()
    with pytest.raises(ValidationError):
        services.version_send_back(actor=cast.alice, version=v1, reason="  ", expected=v1.version)
    services.version_send_back(actor=cast.alice, version=v1, reason="Show the ETE need", expected=v1.version)
    v1.refresh_from_db()
    assert v1.status == Status.SENT_BACK
    [item] = plans_sent_back(cast.bob, datetime.datetime.now())
    assert item.note == "Show the ETE need"
    services.version_submit(actor=cast.bob, version=v1, expected=v1.version)
    v1.refresh_from_db()
    assert v1.status == Status.SUBMITTED
    assert plans_sent_back(cast.bob, datetime.datetime.now()) == []


def test_a_stale_edit_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    plan = drafted(cast)
    v1 = latest_version(plan)
    read_at = v1.version
    services.version_notes_update(actor=cast.bob, version=v1, notes="First", expected=read_at)
    with pytest.raises(StaleEdit):
        services.planned_add(actor=cast.bob, version=v1, data=planned(), expected=read_at)
    assert v1.planned.count() == 1


def test_only_the_area_drafts_and_only_the_region_approves(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cast.carol, area=cast.sypa, year=y0708())
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=cast.alice, area=cast.sypa, year=y0708())
    plan = drafted(cast)
    v1 = latest_version(plan)
    with pytest.raises(PermissionDenied):
        services.version_approve(actor=cast.alice, version=v1, expected=v1.version)  # not submitted
    services.version_submit(actor=cast.bob, version=v1, expected=v1.version)
    v1.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.version_approve(actor=cast.bob, version=v1, expected=v1.version)
    with pytest.raises(PermissionDenied):
        services.planned_add(actor=cast.bob, version=v1, data=planned(), expected=v1.version)  # submitted


def test_a_second_plan_for_the_same_year_is_refused(cast: Cast) -> None:
    drafted(cast)
    with pytest.raises(ValidationError, match="already has a plan for 2007-08"):
        services.plan_create(actor=cast.bob, area=cast.sypa, year=y0708())


def test_the_plan_page_flags_a_planned_contract_not_started(cast: Cast, client_for: ClientFor, clock: Clock) -> None:
    """Today is 3 July 2006 (``clock``)."""
    plan = drafted(cast)
    v1 = latest_version(plan)
    services.planned_add(
        actor=cast.bob,
        version=v1,
        data=planned(description="Through the gate", planned_start=datetime.date(2006, 4, 1)),
        expected=v1.version,
    )
    page = client_for(cast.bob).get(reverse("plans:detail", args=[plan.pk]))
    text = page.content.decode()
    assert text.count("Not started") == 1  # the one planned for 1 April 2006; the July 2007 one is ahead
    assert client_for(cast.carol).get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client_for(cast.dave).get(reverse("plans:detail", args=[plan.pk])).status_code == 404


def test_a_planned_contract_is_added_from_the_page(cast: Cast, client_for: ClientFor) -> None:
    plan = services.plan_create(actor=cast.bob, area=cast.sypa, year=y0708())
    v1 = latest_version(plan)
    url = reverse("plans:planned-add", args=[plan.pk])
    pathway = Pathway.objects.get(code="ete")
    bad = client_for(cast.bob).post(url, {"version": v1.version, "pathway": pathway.pk, "annual_value": "-5"})
    assert "The annual value cannot be negative" in bad.content.decode()
    ok = client_for(cast.bob).post(
        url,
        {
            "version": v1.version,
            "pathway": pathway.pk,
            "description": "ETE support",
            "sector": "private",
            "annual_value": "£12,500",
            "planned_start": "1/10/2007",
            "funding_source": "main_grant",
        },
    )
    assert ok.status_code == 302
    assert v1.planned.get().annual_value == D("12500")
