"""Packs in every state, for the access and page tests: built directly, as the worker leaves them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from stepchange.accounts.models import User
from stepchange.core.models import FinancialYear, Region
from stepchange.pack.models import Pack
from tests.personas import Cast

WHEN = timezone.make_aware(datetime.datetime(2006, 10, 2, 9, 0))


@dataclass
class Packs:
    finished: Pack
    building: Pack
    failed: Pack
    other_region: Pack


def make_pack(region: Region, *, quarter: int = 2, state: str = "finished", by: User | None = None) -> Pack:
    year = FinancialYear.objects.get(name="2006-07")
    pack = Pack.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        requested_by=by,
        requested_at=WHEN,
        steps_total=5,
        started_at=WHEN if state != "waiting" else None,
    )
    if state == "finished":
        Pack.objects.filter(pk=pack.pk).update(
            finished_at=WHEN,
            steps_done=5,
            html='<p class="govuk-body" id="pack-body">The pack’s body.</p>',
            pdf=b"%PDF-1.7 the pack",
        )
    elif state == "building":
        Pack.objects.filter(pk=pack.pk).update(steps_done=2, current_step="Prison provision")
    elif state == "failed":
        Pack.objects.filter(pk=pack.pk).update(failure="The section “Prison provision” could not be built: boom")
    pack.refresh_from_db()
    return pack


def packs(cast: Cast) -> Packs:
    return Packs(
        finished=make_pack(cast.region, by=cast.alice),
        building=make_pack(cast.region, quarter=3, state="building", by=cast.alice),
        failed=make_pack(cast.region, quarter=1, state="failed", by=cast.alice),
        other_region=make_pack(cast.other_region),
    )
