"""Who changes an organisation's profile: a provider its own (but not its protected fields, see
test_protected_fields.py), the regional commissioner any in the region."""

from __future__ import annotations

from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent, Pathway
from stepchange.organisations.models import Organisation, Sector
from tests.factories import OrganisationFactory, RegionFactory


def profile(org: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": org.name,
        "sector": org.sector,
        "charity_number": org.charity_number,
        "company_number": org.company_number,
        "region": org.region_id or "",
        "size_band": org.size_band,
        "description": org.description,
        "contact_name": org.contact_name,
        "contact_email": org.contact_email,
        "website": org.website,
        "version": org.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_dave_edits_his_charitys_profile_and_sees_the_change(cast, client_for):
    dave = client_for(cast.dave)
    health = Pathway.objects.get(code="health")

    form_page = dave.get(f"/organisations/{cast.charity.pk}/edit/")
    response = dave.post(
        f"/organisations/{cast.charity.pk}/edit/",
        profile(
            cast.charity,
            description="Supported housing for people leaving prison.",
            pathways_served=[health.pk],
            areas_served=[cast.sypa.pk],
        ),
        follow=True,
    )

    assert form_page.status_code == 200
    page = response.content.decode()
    assert "Supported housing for people leaving prison." in page
    assert "Health" in page
    cast.charity.refresh_from_db()
    assert cast.charity.description == "Supported housing for people leaving prison."
    assert cast.charity.version == 2
    assert list(cast.charity.pathways_served.all()) == [health]
    event = AuditEvent.objects.get(action="organisation_update")
    assert event.actor == cast.dave
    assert (event.before or {})["pathways_served"] == []
    assert (event.after or {})["pathways_served"] == ["Health"]


def test_dave_cannot_edit_erins_company_even_by_posting(cast, client_for):
    dave = client_for(cast.dave)

    shown = dave.get(f"/organisations/{cast.company.pk}/edit/")
    posted = dave.post(f"/organisations/{cast.company.pk}/edit/", profile(cast.company, name="Taken Over Ltd"))

    assert shown.status_code == 404
    assert posted.status_code == 404
    cast.company.refresh_from_db()
    assert cast.company.name == "Beacon Services Ltd"
    assert not AuditEvent.objects.exists()


def test_people_who_are_not_providers_or_the_commissioner_cannot_edit(cast, client_for):
    for name in ["bob", "frank", "grace", "heidi"]:
        response = client_for(getattr(cast, name)).get(f"/organisations/{cast.charity.pk}/edit/")
        assert response.status_code == 404, name
    assert client_for(None).get(f"/organisations/{cast.charity.pk}/edit/").status_code == 302


def test_alice_edits_any_organisation_of_her_region_but_not_anothers(cast, client_for):
    alice = client_for(cast.alice)
    elsewhere = OrganisationFactory.create(name="Tyneside Mentors", region=RegionFactory.create(code="NE"))

    response = alice.post(f"/organisations/{cast.company.pk}/edit/", profile(cast.company, size_band="medium"))

    assert response.status_code == 302
    cast.company.refresh_from_db()
    assert cast.company.size_band == "medium"
    assert alice.get(f"/organisations/{elsewhere.pk}/edit/").status_code == 404


def test_the_second_of_two_sessions_editing_one_organisation_is_refused(cast, client_for):
    dave, alice = client_for(cast.dave), client_for(cast.alice)
    read_at = cast.charity.version

    first = alice.post(f"/organisations/{cast.charity.pk}/edit/", profile(cast.charity, contact_name="Alice's pick"))
    second = dave.post(
        f"/organisations/{cast.charity.pk}/edit/", profile(cast.charity, contact_name="Dave's pick", version=read_at)
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert StaleEdit.message in second.content.decode()
    cast.charity.refresh_from_db()
    assert cast.charity.contact_name == "Alice's pick"
    assert AuditEvent.objects.filter(action="organisation_update").count() == 1


def test_bad_input_is_refused_with_a_message_and_nothing_saved(cast, client_for):
    response = client_for(cast.dave).post(
        f"/organisations/{cast.charity.pk}/edit/",
        profile(cast.charity, name="Beacon Services Ltd", contact_email="not an email", sector="charity"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Organisation with this Name already exists." in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    cast.charity.refresh_from_db()
    assert cast.charity.version == 1
    assert not AuditEvent.objects.exists()


def test_alice_adds_an_organisation_in_her_region_and_dave_may_not(cast, client_for):
    data = {"name": "Pennine Recovery", "sector": Sector.VCS, "region": cast.region.pk}

    refused = client_for(cast.dave).post("/organisations/new/", data)
    added = client_for(cast.alice).post("/organisations/new/", data)

    assert refused.status_code == 404
    assert added.status_code == 302
    organisation = Organisation.objects.get(name="Pennine Recovery")
    assert organisation.region == cast.region
    assert AuditEvent.objects.get(action="organisation_create").actor == cast.alice
