"""The directory of organisations: filters, a name search and pages of 25."""

from __future__ import annotations

from stepchange.core.models import Pathway
from stepchange.organisations.models import Sector, SizeBand
from tests.factories import OrganisationFactory


def test_dave_filters_the_directory_to_small_women_specific_charities(cast, client_for):
    housing = Pathway.objects.get(code="accommodation")
    wanted = OrganisationFactory.create(
        name="Women Into Homes", sector=Sector.VCS, women_specific=True, size_band=SizeBand.SMALL
    )
    wanted.pathways_served.add(housing)
    OrganisationFactory.create(name="Homes For All", sector=Sector.VCS, size_band=SizeBand.SMALL)

    response = client_for(cast.dave).get(
        "/organisations/",
        {"sector": "vcs", "size_band": "small", "flags": ["women_specific"], "pathway": housing.pk, "q": "homes"},
    )

    names = [o.name for o in response.context["page"]]
    assert names == ["Women Into Homes"]


def test_the_directory_comes_in_pages_of_25(cast, client_for):
    for n in range(30):
        OrganisationFactory.create(name=f"Zeta Trust {n:02d}")

    first = client_for(cast.alice).get("/organisations/", {"q": "zeta"})
    second = client_for(cast.alice).get("/organisations/", {"q": "zeta", "page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "q=zeta&amp;page=2" in first.content.decode()


def test_a_profile_shows_every_field(cast, client_for):
    cast.charity.charity_number = "1099999"
    cast.charity.bme_led = True
    cast.charity.save()
    cast.charity.areas_served.add(cast.sypa)

    page = client_for(None).get(f"/organisations/{cast.charity.pk}/").content.decode()

    assert "Acorn Housing Trust" in page
    assert "1099999" in page
    assert "South Yorkshire Probation Area" in page
    assert "Change this profile" not in page
