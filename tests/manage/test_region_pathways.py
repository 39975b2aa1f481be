"""Which pathways a region's prisons are asked about: nationally, the seven resettlement pathways
(``Pathway.applies_to_prisons``); a region may choose otherwise for its own prisons. Alice stops
asking Yorkshire and Humberside's prisons about Finance, Benefit & Debt and starts asking about
Unpaid Work; the North East keeps the national list. The returns pages, checks and the prison
spend report read the one rule, ``pathways_asked_of_prisons``."""

from __future__ import annotations

from stepchange.core.models import AuditEvent, Pathway, RegionPathway, pathways_asked_of_prisons
from stepchange.returns.models import PrisonReturn
from stepchange.returns.selectors import prison_pathways
from tests.factories import open_prison_round

NATIONAL = ["accommodation", "ete", "health", "drugs-alcohol", "fbd", "children-families", "atb"]


def _codes(pathways) -> list[str]:
    return [p.code for p in pathways]


def _choose(client, region, codes: list[str], version: int):
    chosen = [Pathway.objects.get(code=code).pk for code in codes]
    return client.post(f"/manage/regions/{region.pk}/pathways/", {"asked": chosen, "version": version})


def test_without_a_choice_a_region_follows_the_national_list(cast):
    assert _codes(pathways_asked_of_prisons(cast.region)) == NATIONAL
    assert _codes(pathways_asked_of_prisons(None)) == NATIONAL


def test_alice_chooses_her_regions_pathways_and_the_north_east_keeps_the_national_list(cast, client_for):
    alice = client_for(cast.alice)
    page = alice.get(f"/manage/regions/{cast.region.pk}/pathways/").content.decode()
    assert "Pathways asked of the prisons of Yorkshire and Humberside" in page

    chosen = [c for c in NATIONAL if c != "fbd"] + ["unpaid-work"]
    response = _choose(alice, cast.region, chosen, cast.region.version)

    assert response.status_code == 302
    assert _codes(pathways_asked_of_prisons(cast.region)) == [c for c in NATIONAL if c != "fbd"] + ["unpaid-work"]
    assert _codes(pathways_asked_of_prisons(cast.other_region)) == NATIONAL
    assert RegionPathway.objects.filter(region=cast.region).count() == Pathway.objects.count()
    event = AuditEvent.objects.get(action="region_pathways_set")
    assert event.before is not None and event.after is not None
    assert (event.before["asked_of_prisons"]["fbd"], event.after["asked_of_prisons"]["fbd"]) == (True, False)
    # A later national change leaves the region's own answer as it chose it.
    Pathway.objects.filter(code="unpaid-work").update(applies_to_prisons=False)
    assert "unpaid-work" in _codes(pathways_asked_of_prisons(cast.region))


def test_the_returns_ask_what_the_region_chose(cast, client_for):
    _choose(client_for(cast.alice), cast.region, [c for c in NATIONAL if c != "fbd"], cast.region.version)
    open_prison_round(cast)
    prison_return = PrisonReturn.objects.get(commissioner=cast.leeds)

    assert "fbd" not in _codes(prison_pathways(prison_return))
    frank = client_for(cast.frank)
    assert frank.get(f"/returns/prison/{prison_return.pk}/pathways/fbd/").status_code == 404
    assert frank.get(f"/returns/prison/{prison_return.pk}/pathways/ete/").status_code == 200


def test_a_stale_page_and_an_empty_choice_are_refused(cast, client_for):
    alice = client_for(cast.alice)
    read_at = cast.region.version
    assert _choose(alice, cast.region, NATIONAL, read_at).status_code == 302

    stale = _choose(alice, cast.region, ["health"], read_at)
    assert stale.status_code == 200
    assert _codes(pathways_asked_of_prisons(cast.region)) == NATIONAL
    cast.region.refresh_from_db()
    empty = _choose(alice, cast.region, [], cast.region.version).content.decode()
    assert "Select at least one pathway the region&#x27;s prisons are asked about" in empty


def test_only_the_regions_own_commissioner_chooses(cast, client_for):
    assert client_for(cast.alice).get(f"/manage/regions/{cast.other_region.pk}/pathways/").status_code == 404
    for outsider in (cast.nadia, cast.grace, cast.frank):
        assert client_for(outsider).get(f"/manage/regions/{cast.region.pk}/pathways/").status_code == 404


def test_the_prison_spend_report_lists_the_pathways_the_region_asks(cast, client_for):
    from stepchange.reports.registry import run_report

    def pathways_listed() -> list[str]:
        return [row["pathway"] for row in run_report("prison-spend", {"year": "2006-07"}).rows]

    assert "Finance, Benefit & Debt" in pathways_listed() and "Unpaid Work" not in pathways_listed()
    _choose(
        client_for(cast.alice), cast.region, [c for c in NATIONAL if c != "fbd"] + ["unpaid-work"], cast.region.version
    )

    assert "Finance, Benefit & Debt" not in pathways_listed()
    assert "Unpaid Work" in pathways_listed()
