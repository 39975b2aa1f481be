"""Two people on the same plan version at once: Bob adds a planned contract from a page he opened
before Bob's colleague (the same login in a second browser) changed the notes; his save is refused,
nothing is added, and he is told why. Alice approves a version Bob has since changed: refused too."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from stepchange.contracts.models import FundingSource
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Pathway
from stepchange.plans import services
from stepchange.plans.selectors import latest_version
from tests.conftest import ClientFor
from tests.personas import Cast
from tests.plans.world import y0708

pytestmark = pytest.mark.django_db


def test_a_planned_contract_saved_from_a_stale_page_is_refused(cast: Cast, client_for: ClientFor) -> None:
    plan = services.plan_create(actor=cast.bob, area=cast.sypa, year=y0708())
    first, second = client_for(cast.bob), client_for(cast.bob)
    read_at = latest_version(plan).version
    saved = first.post(reverse("plans:notes", args=[plan.pk]), {"version": read_at, "notes": "Priorities: ETE"})
    assert saved.status_code == 302
    stale = second.post(
        reverse("plans:planned-add", args=[plan.pk]),
        {
            "version": read_at,
            "pathway": Pathway.objects.get(code="ete").pk,
            "description": "ETE support",
            "sector": "vcs",
            "annual_value": "1000",
            "planned_start": "1/6/2007",
            "funding_source": FundingSource.MAIN_GRANT,
        },
    )
    assert stale.status_code == 200
    assert StaleEdit.message in stale.content.decode()
    assert latest_version(plan).planned.count() == 0


def test_approving_a_version_changed_since_it_was_read_is_refused(cast: Cast, client_for: ClientFor) -> None:
    plan = services.plan_create(actor=cast.bob, area=cast.sypa, year=y0708())
    version = latest_version(plan)
    services.planned_add(
        actor=cast.bob,
        version=version,
        data={
            "pathway": Pathway.objects.get(code="ete"),
            "description": "Mentoring",
            "sector": "vcs",
            "annual_value": 1000,
            "planned_start": datetime.date(2007, 6, 1),
            "funding_source": FundingSource.MAIN_GRANT,
        },
        expected=version.version,
    )
    version.refresh_from_db()
    services.version_submit(actor=cast.bob, version=version, expected=version.version)
    version.refresh_from_db()
    read_at = version.version
    approve = client_for(cast.alice).get(reverse("plans:approve", args=[plan.pk]))
    assert approve.status_code == 200
    # Meanwhile Alice (in another tab) sends it back; Bob submits it again.
    services.version_send_back(actor=cast.alice, version=version, reason="Say more", expected=read_at)
    version.refresh_from_db()
    services.version_submit(actor=cast.bob, version=version, expected=version.version)
    refused = client_for(cast.alice).post(reverse("plans:approve", args=[plan.pk]), {"version": read_at})
    assert StaleEdit.message in refused.content.decode()
    version.refresh_from_db()
    assert version.approved_at is None
