"""The packs' pages: the list with the form that asks for a pack, a pack's page (its progress while it
is built, refreshing itself unless turned off; then the pack), and the PDF download."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stepchange.pack.models import Pack, PackStatus
from tests.fixture_types import ClientFor
from tests.pack.world import make_pack, packs
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def test_the_commissioner_asks_for_a_pack_and_it_is_built(
    cast: Cast, client_for: ClientFor, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.alice)
    page = client.get("/packs/").content.decode()
    assert "Build a pack for Yorkshire and Humberside" in page
    assert '<option value="2006-07 Q2">2006-07 Q2 (1 July 2006 to 30 September 2006)</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/packs/", {"quarter": "2006-07 Q2"})
    pack = Pack.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/packs/{pack.pk}/"
    assert pack.status == PackStatus.FINISHED, pack.failure
    page = client.get(f"/packs/{pack.pk}/").content.decode()
    assert "Steering group pack, 2006-07 Q2" in page
    assert 'http-equiv="refresh"' not in page
    assert f'href="/packs/{pack.pk}/pack.pdf"' in page
    assert 'id="probation-share"' in page
    download = client.get(f"/packs/{pack.pk}/pack.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="YH-steering-group-pack-2006-07-Q2.pdf"'
    assert download.content.startswith(b"%PDF-")


def test_a_quarter_not_ended_or_not_chosen_is_refused(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.alice)
    response = client.post("/packs/", {"quarter": ""})
    assert "Choose the quarter the pack is for" in response.content.decode()
    today = timezone.localdate()
    response = client.post("/packs/", {"quarter": f"{today.year + 1}-{(today.year + 2) % 100:02d} Q1"})
    assert "Choose a quarter that has ended from the list" in response.content.decode()
    assert not Pack.objects.exists()


def test_a_quarter_being_built_is_refused_with_the_reason(cast: Cast, client_for: ClientFor) -> None:
    make_pack(cast.region, state="building")
    response = client_for(cast.alice).post("/packs/", {"quarter": "2006-07 Q2"})
    page = response.content.decode()
    assert "<title>Error: Steering group packs" in page
    assert "The pack for 2006-07 Q2 is already being built." in page
    assert Pack.objects.count() == 1


def test_a_pack_being_built_shows_its_progress_and_checks_until_told_not_to(cast: Cast, client_for: ClientFor) -> None:
    building = packs(cast).building
    client = client_for(cast.alice)
    page = client.get(f"/packs/{building.pk}/").content.decode()
    # No refresh of the whole page (a time limit WCAG 2.2.1 forbids): its script reads the progress.
    assert 'http-equiv="refresh"' not in page
    assert f'data-pack-progress="/packs/{building.pk}/?refresh=off"' in page
    assert "/static/js/pack-progress.mjs" in page
    assert "2 of 5 steps done (40%), now: Prison provision" in page
    assert f'href="/packs/{building.pk}/?refresh=off">Stop it checking' in page
    assert f'href="/packs/{building.pk}/pack.pdf"' not in page
    page = client.get(f"/packs/{building.pk}/?refresh=off").content.decode()
    assert "data-pack-progress" not in page and "pack-progress.mjs" not in page
    assert "This page does not check by itself." in page
    assert client.get(f"/packs/{building.pk}/pack.pdf").status_code == 404


def test_a_failed_pack_says_why(cast: Cast, client_for: ClientFor) -> None:
    failed = packs(cast).failed
    page = client_for(cast.alice).get(f"/packs/{failed.pk}/").content.decode()
    assert "<title>Error: Steering group pack" in page
    assert "The pack was not built. The section “Prison provision” could not be built: boom" in page


def test_a_provider_or_probation_manager_of_the_region_reads_no_pack_and_asks_for_none(
    cast: Cast, client_for: ClientFor
) -> None:
    """The pack holds every area's plans and every prison's gaps: the regional team's alone."""
    p = packs(cast)
    for person in (cast.dave, cast.bob):
        client = client_for(person)
        page = client.get("/packs/").content.decode()
        assert "Build a pack" not in page
        assert f'href="/packs/{p.finished.pk}/"' not in page
        assert client.get(f"/packs/{p.finished.pk}/").status_code == 404
        assert client.get(f"/packs/{p.finished.pk}/pack.pdf").status_code == 404
        assert client.post("/packs/", {"quarter": "2006-07 Q2"}).status_code == 404
    assert client.get(f"/packs/{p.other_region.pk}/").status_code == 404
