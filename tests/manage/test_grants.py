"""Main grants: the regional commissioner sets any area's; a probation manager only their own."""

from __future__ import annotations

from decimal import Decimal

from stepchange.contracts.models import MainGrant
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import MainGrantFactory, year


def test_alice_adds_and_then_finalises_a_grant_and_the_audit_trail_shows_before_and_after(cast, client_for):
    alice = client_for(cast.alice)
    y2006 = year("2006-07")

    added = alice.post(
        "/manage/grants/new/", {"commissioner": cast.sypa.pk, "year": y2006.pk, "indicative": "19300000"}
    )
    grant = MainGrant.objects.get(commissioner=cast.sypa, year=y2006)
    changed = alice.post(
        f"/manage/grants/{grant.pk}/edit/", {"indicative": "19300000", "final": "19350000.50", "version": 1}
    )

    assert added.status_code == 302
    assert changed.status_code == 302
    grant.refresh_from_db()
    assert grant.final == Decimal("19350000.50")
    assert grant.amount == Decimal("19350000.50")
    event = AuditEvent.objects.get(action="main_grant_update")
    assert event.actor == cast.alice
    assert (event.before or {})["final"] is None
    assert (event.after or {})["final"] == "19350000.50"
    assert AuditEvent.objects.filter(action="main_grant_create", object_id=str(grant.pk)).exists()
    table = alice.get("/manage/grants/").content.decode()
    assert "£19,350,001" in table  # shown in whole pounds, half up


def test_bob_edits_sypas_grant_but_gets_404_for_wypas(cast, client_for):
    bob = client_for(cast.bob)
    sypa = MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19000000"))
    wypa = MainGrantFactory.create(commissioner=cast.wypa, final=Decimal("31000000"))

    own = bob.post(f"/manage/grants/{sypa.pk}/edit/", {"final": "19300000", "version": 1})
    other_page = bob.get(f"/manage/grants/{wypa.pk}/edit/")
    other_post = bob.post(f"/manage/grants/{wypa.pk}/edit/", {"final": "1", "version": 1})

    assert own.status_code == 302
    assert other_page.status_code == 404
    assert other_post.status_code == 404
    wypa.refresh_from_db()
    assert wypa.final == Decimal("31000000")
    table = bob.get("/manage/grants/").content.decode()
    assert "South Yorkshire Probation Area" in table
    assert "West Yorkshire Probation Area" not in table


def test_bob_cannot_add_a_grant_for_another_area(cast, client_for):
    response = client_for(cast.bob).post(
        "/manage/grants/new/", {"commissioner": cast.wypa.pk, "year": year().pk, "final": "1000"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MainGrant.objects.exists()


def test_bad_grants_are_refused_with_a_message_and_nothing_saved(cast, client_for):
    alice = client_for(cast.alice)
    MainGrantFactory.create(commissioner=cast.wypa, final=Decimal("31000000"))
    y = year().pk
    cases = [
        ({"commissioner": cast.sypa.pk, "year": y, "indicative": "-5"}, "The indicative grant must be more than £0"),
        ({"commissioner": cast.sypa.pk, "year": y, "final": "0"}, "The final grant must be more than £0"),
        ({"commissioner": cast.sypa.pk, "year": y}, "Enter the indicative grant, the final grant, or both"),
        ({"commissioner": cast.sypa.pk, "year": y, "final": "lots"}, "Enter an amount in pounds"),
        (
            {"commissioner": cast.wypa.pk, "year": y, "final": "30000000"},
            "West Yorkshire Probation Area already has a main grant for 2006-07",
        ),
    ]
    for data, message in cases:
        response = alice.post("/manage/grants/new/", data)
        page = response.content.decode()
        assert response.status_code == 200, data
        assert "There is a problem" in page, data
        assert message in page, data
    assert MainGrant.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_a_stale_grant_edit_is_refused(cast, client_for):
    grant = MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19000000"))
    client_for(cast.alice).post(f"/manage/grants/{grant.pk}/edit/", {"final": "19300000", "version": 1})

    late = client_for(cast.bob).post(f"/manage/grants/{grant.pk}/edit/", {"final": "1", "version": 1})

    assert StaleEdit.message in late.content.decode()
    grant.refresh_from_db()
    assert grant.final == Decimal("19300000")
