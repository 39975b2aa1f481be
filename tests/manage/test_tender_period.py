"""Alice sets her region's minimum tender period on its management page; Nick, of the North East,
cannot reach Yorkshire and Humberside's."""

from __future__ import annotations

from stepchange.core.models import AuditEvent
from stepchange.core.roles import Role
from tests.factories import persona


def test_alice_shortens_her_regions_minimum_tender_period(cast, client_for):
    alice = client_for(cast.alice)
    listing = alice.get("/manage/regions/").content.decode()
    assert "Yorkshire and Humberside" in listing
    assert "28 days" in listing
    assert "/manage/regions/" in alice.get("/manage/").content.decode()

    response = alice.post(
        f"/manage/regions/{cast.region.pk}/edit/", {"minimum_tender_days": "21", "version": cast.region.version}
    )

    assert response.status_code == 302
    cast.region.refresh_from_db()
    assert cast.region.minimum_tender_days == 21
    event = AuditEvent.objects.get(action="region_tender_period_set")
    assert event.before is not None and event.after is not None
    assert (event.before["minimum_tender_days"], event.after["minimum_tender_days"]) == (28, 21)


def test_a_minimum_outside_1_to_365_days_is_refused_beside_the_field(cast, client_for):
    alice = client_for(cast.alice)
    for typed, message in (
        ("0", "The minimum tender period must be at least 1 day"),
        ("366", "The minimum tender period must be 365 days or fewer"),
        ("four weeks", "Enter the minimum tender period as a whole number of days, like 28"),
        ("", "Enter the minimum tender period in days"),
    ):
        page = alice.post(
            f"/manage/regions/{cast.region.pk}/edit/", {"minimum_tender_days": typed, "version": cast.region.version}
        )
        assert message in page.content.decode(), typed
    cast.region.refresh_from_db()
    assert cast.region.minimum_tender_days == 28


def test_a_stale_change_is_refused(cast, client_for):
    alice = client_for(cast.alice)
    version = cast.region.version
    alice.post(f"/manage/regions/{cast.region.pk}/edit/", {"minimum_tender_days": "21", "version": version})
    stale = alice.post(f"/manage/regions/{cast.region.pk}/edit/", {"minimum_tender_days": "35", "version": version})
    assert stale.status_code == 200
    cast.region.refresh_from_db()
    assert cast.region.minimum_tender_days == 21


def test_another_regions_commissioner_gets_a_404(cast, client_for):
    nick = persona("nick", Role.REGIONAL_COMMISSIONER, region=cast.other_region)
    client = client_for(nick)
    assert client.get(f"/manage/regions/{cast.region.pk}/edit/").status_code == 404
    assert "Yorkshire and Humberside" not in client.get("/manage/regions/").content.decode()
