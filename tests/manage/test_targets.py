"""Targets: a percentage of main grant per kind of commissioner and financial year, national data
that the national administrator sets and a regional commissioner only reads."""

from __future__ import annotations

from decimal import Decimal

from stepchange.contracts.models import Target
from stepchange.core.models import AuditEvent
from stepchange.organisations.models import CommissionerKind
from tests.factories import TargetFactory, year


def test_nadia_sets_next_years_target_and_raises_it_with_the_change_audited(cast, client_for):
    nadia = client_for(cast.nadia)
    y2007 = year("2007-08")

    nadia.post(
        "/manage/targets/new/", {"commissioner_kind": CommissionerKind.PROBATION, "year": y2007.pk, "percentage": "10"}
    )
    target = Target.objects.get(year=y2007)
    nadia.post(f"/manage/targets/{target.pk}/edit/", {"percentage": "12.5", "version": 1})

    target.refresh_from_db()
    assert target.percentage == Decimal("12.5")
    event = AuditEvent.objects.get(action="target_update")
    assert event.actor == cast.nadia
    assert ((event.before or {})["percentage"], (event.after or {})["percentage"]) == ("10.00", "12.50")
    assert "12.50%" in nadia.get("/manage/targets/").content.decode()


def test_bad_targets_are_refused_with_a_message_and_nothing_saved(cast, client_for):
    nadia = client_for(cast.nadia)
    existing = TargetFactory.create(percentage=Decimal("5"))
    cases = [
        ({"commissioner_kind": "probation", "year": year("2008-09").pk, "percentage": "120"}, "from 0 to 100"),
        ({"commissioner_kind": "probation", "year": year("2008-09").pk, "percentage": "-1"}, "from 0 to 100"),
        (
            {"commissioner_kind": "probation", "year": year("2008-09").pk, "percentage": "ten"},
            "Enter the target as a number",
        ),
        ({"commissioner_kind": "probation", "year": existing.year.pk, "percentage": "7"}, "There is already a target"),
    ]
    for data, message in cases:
        page = nadia.post("/manage/targets/new/", data).content.decode()
        assert "There is a problem" in page and message in page, data

    edited = nadia.post(f"/manage/targets/{existing.pk}/edit/", {"percentage": "120", "version": 1}).content.decode()

    assert "from 0 to 100" in edited
    assert Target.objects.count() == 1
    existing.refresh_from_db()
    assert existing.percentage == Decimal("5")
    assert not AuditEvent.objects.exists()


def test_alice_reads_the_targets_but_cannot_add_or_change_one_even_by_posting(cast, client_for):
    alice = client_for(cast.alice)
    target = TargetFactory.create(percentage=Decimal("5"))

    listed = alice.get("/manage/targets/").content.decode()
    added = alice.post(
        "/manage/targets/new/", {"commissioner_kind": "probation", "year": year("2008-09").pk, "percentage": "1"}
    )
    changed = alice.post(f"/manage/targets/{target.pk}/edit/", {"percentage": "0", "version": 1})

    assert "5%" in listed
    assert f"/manage/targets/{target.pk}/edit/" not in listed and "/manage/targets/new/" not in listed
    assert (added.status_code, changed.status_code) == (404, 404)
    target.refresh_from_db()
    assert (target.percentage, target.version) == (Decimal("5"), 1)
    assert Target.objects.count() == 1
    assert not AuditEvent.objects.exists()
