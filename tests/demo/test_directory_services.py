"""The demo's organisations offer services by pathway and probation area: those of the probation
contracts they hold or share in, and those the report places them in; the gap view reads them."""

from __future__ import annotations

import pytest
from django.test import Client

from stepchange.organisations.models import ServiceOffer

pytestmark = pytest.mark.usefixtures("db")


def _services(name: str) -> list[tuple[str, str]]:
    return sorted(ServiceOffer.objects.filter(organisation__name=name).values_list("pathway__code", "area__code"))


def test_the_report_places_its_named_organisations(demo: str) -> None:
    # Touchstone: a Leeds mental health charity; the Doncaster Women's Centre in South Yorkshire;
    # the Pakistani and Kashmiri Welfare Association, for families, in Kirklees (West Yorkshire).
    assert ("health", "WYPA") in _services("Touchstone")
    assert ("children-families", "SYPA") in _services("Doncaster Women's Centre")
    assert ("children-families", "WYPA") in _services("Pakistani and Kashmiri Welfare Association")
    # An infrastructure body supports providers; it offers no service to offenders itself.
    assert _services("Clinks") == []


def test_the_gap_view_of_the_demo(demo: str) -> None:
    gaps = Client().get("/organisations/gaps/", {"region": "YH"}).context["gaps"]
    areas = [area.code for area in gaps.areas]
    specialists = {
        label: dict(zip(areas, (c.count for c in cells), strict=True)) for label, cells in gaps.specialist_rows
    }
    by_pathway = {p.code: dict(zip(areas, (c.count for c in cells), strict=True)) for p, cells in gaps.rows}

    assert areas == ["HYPA", "NYPA", "SYPA", "WYPA"]
    # Every count is the number of listed VCS organisations with a service there, as the rows say.
    for code, counts in by_pathway.items():
        for area, count in counts.items():
            assert count == (
                ServiceOffer.objects.filter(
                    pathway__code=code, area__code=area, organisation__sector="vcs", organisation__listing="listed"
                )
                .values("organisation")
                .distinct()
                .count()
            )
    assert specialists["Women-specific"]["SYPA"] >= 1
    assert specialists["BME-led"]["WYPA"] >= 1
