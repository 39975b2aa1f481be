"""The demo's steering group pack: Yorkshire and Humberside's for 2006-07 Q2, the quarter the
region's report of 1 October 2006 gives account of, so a visitor finds one finished pack to read
and download. Asked for by the regional commissioner and built at once through the pack's own task.

A second run builds nothing while a finished pack of that quarter is there.
"""

from __future__ import annotations

from typing import Any

from stepchange.accounts.models import User
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import quarters_of
from stepchange.pack import services, tasks
from stepchange.pack.models import Pack

YEAR, QUARTER = "2006-07", 2


def load_pack(loader: Any, *, region: Region, users: dict[str, User]) -> None:
    year = FinancialYear.objects.get(name=YEAR)
    finished = Pack.objects.filter(
        region=region, year=year, quarter=QUARTER, finished_at__isnull=False, failure=""
    ).exists()
    if finished:
        return
    pack = services.pack_request(
        actor=users["rom.commissioner"], region=region, quarter=quarters_of(year)[QUARTER - 1], hand_to_worker=False
    )
    tasks.build_pack.call(pack.pk)
    loader.created += 1
