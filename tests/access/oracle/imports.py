"""The oracle of a region's imports from spreadsheets.

A regional commissioner imports every kind into their own region (Alice Yorkshire and Humberside,
Nick the North East), Root into any region; the area office analyst (Grace, Rita) imports their
region's prison establishments only. Nobody else reaches the pages (404). An import is reached by
whoever may import its kind into its region.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from stepchange.imports.models import Import
from tests.access.oracle.base import NOT_ALLOWED, SIGN_IN, Case, allowed, guarded, post_only
from tests.access.world import PERSONAS, World

YH_ALL = {"alice", "root"}
YH_PRISONS = {"alice", "root", "grace"}
NE_ALL = {"nick", "root"}
IMPORTERS = {"alice", "root", "grace", "nick", "rita"}
GET_ONLY = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}


def _get_only(label: str, ok: set[str], **kwargs: object) -> Case:
    return Case(label, dict(kwargs), get=allowed(ok), post=GET_ONLY)


def _kinds(page: Callable[..., Case]) -> Callable[[World], list[Case]]:
    def cases(w: World) -> list[Case]:
        return [
            page("YH contracts", YH_ALL, region="YH", kind="contracts"),
            page("YH establishments", YH_PRISONS, region="YH", kind="establishments"),
            page("NE organisations", NE_ALL, region="NE", kind="organisations"),
            page("an unknown kind", set(), region="YH", kind="pets"),
        ]

    return cases


def _an_import(w: World, kind: str, region_code: str) -> Import:
    region = w.cast.region if region_code == "YH" else w.north_east.region
    return Import.objects.create(
        region=region,
        kind=kind,
        uploaded_at=timezone.now(),
        display_name=f"{kind}.csv",
        file_format="csv",
        content=b"ID\n",
        sha256="0" * 64,
        checked_at=timezone.now(),
    )


def _imports(page: Callable[..., Case]) -> Callable[[World], list[Case]]:
    def cases(w: World) -> list[Case]:
        return [
            page("YH contracts", YH_ALL, pk=_an_import(w, "contracts", "YH").pk),
            page("YH establishments", YH_PRISONS, pk=_an_import(w, "establishments", "YH").pk),
            page("NE grants", NE_ALL, pk=_an_import(w, "grants", "NE").pk),
        ]

    return cases


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "imports:index": lambda w: [_get_only("index", IMPORTERS)],
    "imports:template": _kinds(_get_only),
    "imports:template-csv": _kinds(_get_only),
    "imports:upload": _kinds(lambda label, ok, **kw: guarded(label, ok, **kw)),
    "imports:detail": _imports(lambda label, ok, **kw: guarded(label, ok, **kw)),
    "imports:confirm": _imports(lambda label, ok, **kw: post_only(label, ok, **kw)),
    "imports:undo": _imports(lambda label, ok, **kw: post_only(label, ok, **kw)),
}
