"""Pathways are data: the regional commissioner renames, reorders and adds them."""

from __future__ import annotations

from stepchange.core.models import AuditEvent, Pathway


def test_alice_renames_a_pathway_and_adds_a_tenth(cast, client_for):
    alice = client_for(cast.alice)
    fbd = Pathway.objects.get(code="fbd")

    alice.post(
        f"/manage/pathways/{fbd.pk}/edit/",
        {"name": "Finance, Benefit and Debt", "short_name": "FBD", "order": 5, "version": 1},
    )
    alice.post("/manage/pathways/new/", {"name": "Women's Pathways", "short_name": "Women", "order": 10})

    fbd.refresh_from_db()
    assert fbd.name == "Finance, Benefit and Debt"
    assert fbd.code == "fbd"  # the code never changes
    added = Pathway.objects.get(order=10)
    assert added.code == "womens-pathways"
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["pathway_update", "pathway_create"]
    page = alice.get("/manage/pathways/").content.decode()
    assert page.index("Finance, Benefit and Debt") < page.index("Women&#x27;s Pathways")


def test_a_clashing_order_or_name_is_refused_and_nothing_saved(cast, client_for):
    alice = client_for(cast.alice)
    health = Pathway.objects.get(code="health")

    clash_new = alice.post("/manage/pathways/new/", {"name": "Mentoring", "short_name": "Ment.", "order": 3})
    clash_name = alice.post("/manage/pathways/new/", {"name": "health", "short_name": "H", "order": 12})
    clash_edit = alice.post(
        f"/manage/pathways/{health.pk}/edit/", {"name": "Health", "short_name": "Health", "order": 1, "version": 1}
    )

    assert "Position 3 is already taken by Health" in clash_new.content.decode()
    assert "There is already a pathway called health" in clash_name.content.decode()
    assert "Position 1 is already taken by Accommodation" in clash_edit.content.decode()
    assert Pathway.objects.count() == 9
    health.refresh_from_db()
    assert (health.order, health.version) == (3, 1)
    assert not AuditEvent.objects.exists()


def test_the_seven_resettlement_pathways_are_asked_of_prisons_and_alice_can_change_that(cast, client_for):
    asked = set(Pathway.objects.filter(applies_to_prisons=True).values_list("code", flat=True))
    assert asked == {"accommodation", "ete", "health", "drugs-alcohol", "fbd", "children-families", "atb"}
    alice = client_for(cast.alice)
    upw = Pathway.objects.get(code="unpaid-work")
    form = alice.get(f"/manage/pathways/{upw.pk}/edit/").content.decode()
    assert (
        'name="applies_to_prisons"' in form
        and 'name="applies_to_prisons" type="checkbox" value="on" checked' not in form
    )

    alice.post(
        f"/manage/pathways/{upw.pk}/edit/",
        {"name": "Unpaid Work", "short_name": "UPW", "order": 9, "applies_to_prisons": "on", "version": 1},
    )
    upw.refresh_from_db()
    assert upw.applies_to_prisons
    assert AuditEvent.objects.get().action == "pathway_update"
    page = alice.get("/manage/pathways/").content.decode()
    assert "No, probation only" in page  # Offender Management still
