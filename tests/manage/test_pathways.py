"""Pathways are national data: the national administrator renames, reorders and adds them; a
regional commissioner reads them."""

from __future__ import annotations

from stepchange.core.models import AuditEvent, Pathway


def test_nadia_renames_a_pathway_and_adds_a_tenth(cast, client_for):
    nadia = client_for(cast.nadia)
    fbd = Pathway.objects.get(code="fbd")

    nadia.post(
        f"/manage/pathways/{fbd.pk}/edit/",
        {"name": "Finance, Benefit and Debt", "short_name": "FBD", "order": 5, "version": 1},
    )
    nadia.post("/manage/pathways/new/", {"name": "Women's Pathways", "short_name": "Women", "order": 10})

    fbd.refresh_from_db()
    assert fbd.name == "Finance, Benefit and Debt"
    assert fbd.code == "fbd"  # the code never changes
    added = Pathway.objects.get(order=10)
    assert added.code == "womens-pathways"
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["pathway_update", "pathway_create"]
    page = nadia.get("/manage/pathways/").content.decode()
    assert page.index("Finance, Benefit and Debt") < page.index("Women&#x27;s Pathways")


def test_a_clashing_order_or_name_is_refused_and_nothing_saved(cast, client_for):
    nadia = client_for(cast.nadia)
    health = Pathway.objects.get(code="health")

    clash_new = nadia.post("/manage/pathways/new/", {"name": "Mentoring", "short_name": "Ment.", "order": 3})
    clash_name = nadia.post("/manage/pathways/new/", {"name": "health", "short_name": "H", "order": 12})
    clash_edit = nadia.post(
        f"/manage/pathways/{health.pk}/edit/", {"name": "Health", "short_name": "Health", "order": 1, "version": 1}
    )

    assert "Position 3 is already taken by Health" in clash_new.content.decode()
    assert "There is already a pathway called health" in clash_name.content.decode()
    assert "Position 1 is already taken by Accommodation" in clash_edit.content.decode()
    assert Pathway.objects.count() == 9
    health.refresh_from_db()
    assert (health.order, health.version) == (3, 1)
    assert not AuditEvent.objects.exists()


def test_alice_reads_the_pathways_but_cannot_rename_or_add_one_even_by_posting(cast, client_for):
    alice = client_for(cast.alice)
    fbd = Pathway.objects.get(code="fbd")

    listed = alice.get("/manage/pathways/").content.decode()
    renamed = alice.post(
        f"/manage/pathways/{fbd.pk}/edit/", {"name": "Money", "short_name": "M", "order": 5, "version": 1}
    )
    added = alice.post("/manage/pathways/new/", {"name": "Women's Pathways", "short_name": "Women", "order": 10})

    assert "Finance" in listed and f"/manage/pathways/{fbd.pk}/edit/" not in listed
    assert (renamed.status_code, added.status_code) == (404, 404)
    fbd.refresh_from_db()
    assert (fbd.short_name, fbd.version) == ("FBD", 1)
    assert Pathway.objects.count() == 9
    assert not AuditEvent.objects.exists()


def test_the_seven_resettlement_pathways_are_asked_of_prisons_and_the_national_administrator_can_change_that(
    cast, client_for
):
    asked = set(Pathway.objects.filter(applies_to_prisons=True).values_list("code", flat=True))
    assert asked == {"accommodation", "ete", "health", "drugs-alcohol", "fbd", "children-families", "atb"}
    nadia = client_for(cast.nadia)
    upw = Pathway.objects.get(code="unpaid-work")
    form = nadia.get(f"/manage/pathways/{upw.pk}/edit/").content.decode()
    assert (
        'name="applies_to_prisons"' in form
        and 'name="applies_to_prisons" type="checkbox" value="on" checked' not in form
    )

    nadia.post(
        f"/manage/pathways/{upw.pk}/edit/",
        {"name": "Unpaid Work", "short_name": "UPW", "order": 9, "applies_to_prisons": "on", "version": 1},
    )
    upw.refresh_from_db()
    assert upw.applies_to_prisons
    assert AuditEvent.objects.get().action == "pathway_update"
    page = nadia.get("/manage/pathways/").content.decode()
    assert "No, probation only" in page  # Offender Management still
