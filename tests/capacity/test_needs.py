"""The yearly needs assessment: filled by an organisation's own provider users, refused when stale,
and added up for the regional team by theme, pathway served and size band (counts by hand below)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from stepchange.accounts.models import Role, User
from stepchange.capacity import selectors, services
from stepchange.capacity.models import NeedsAssessment
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Pathway
from stepchange.organisations.models import Organisation, SizeBand
from tests.factories import Clock, OrganisationFactory, UserFactory, year_0607
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db

THEMES = ("bidding", "governance", "finance", "partnership", "monitoring")


def answer(actor: User, levels: tuple[int, int, int, int, int], version: int | None = None) -> NeedsAssessment:
    return services.needs_assessment_save(
        actor=actor,
        year=year_0607(),
        answers={theme: (level, f"note on {theme}") for theme, level in zip(THEMES, levels, strict=True)},
        version=version,
    )


def sized(organisation: Organisation, band: str, *pathways: str) -> None:
    organisation.size_band = band
    organisation.save(update_fields=["size_band"])
    organisation.pathways_served.set(Pathway.objects.filter(code__in=pathways))


@pytest.fixture
def assessed(cast: Cast) -> Cast:
    """Acorn (small; accommodation and ETE), Beacon (medium; ETE), Cedar (small; no pathway) in
    Yorkshire and Humberside, and Tyne (the North East), each with its answers for 2006-07."""
    sized(cast.charity, SizeBand.SMALL, "accommodation", "ete")
    sized(cast.company, SizeBand.MEDIUM, "ete")
    cedar = OrganisationFactory.create(name="Cedar Project", region=cast.region, size_band=SizeBand.SMALL)
    tyne = OrganisationFactory.create(name="Tyne Outreach", region=cast.other_region, size_band=SizeBand.SMALL)
    #                 bidding, governance, finance, partnership, monitoring
    answer(cast.dave, (4, 1, 3, 2, 2))
    answer(cast.erin, (3, 2, 1, 3, 1))
    answer(UserFactory.create(username="cora", role=Role.PROVIDER, organisation=cedar), (2, 4, 3, 1, 1))
    answer(UserFactory.create(username="tom", role=Role.PROVIDER, organisation=tyne), (4, 4, 4, 4, 4))
    return cast


def test_the_region_summary_counted_by_hand(assessed: Cast) -> None:
    summary = selectors.needs_summary(assessed.alice, region_id=assessed.region.pk, year=year_0607())
    assert summary.assessed == 3  # Tyne is the North East's
    assert dict(summary.by_theme) == {
        "Bidding and tendering": [0, 1, 1, 1],  # 4, 3, 2
        "Governance": [1, 1, 0, 1],  # 1, 2, 4
        "Finance and funding": [1, 0, 2, 0],  # 3, 1, 3
        "Partnership working": [1, 1, 1, 0],  # 2, 3, 1
        "Monitoring and evaluation": [2, 1, 0, 0],  # 2, 1, 1
    }
    pathways = {label: (n, counts) for label, n, counts in summary.by_pathway}
    # Level 3 or 4 only: Accommodation is Acorn alone; ETE Acorn and Beacon.
    assert pathways["Accommodation"] == (1, [1, 0, 1, 0, 0])
    assert pathways["Education, Training & Employment"] == (2, [2, 0, 1, 1, 0])
    assert pathways["Health"] == (0, [0, 0, 0, 0, 0])
    sizes = {label: (n, counts) for label, n, counts in summary.by_size}
    assert sizes[str(SizeBand.SMALL.label)] == (2, [1, 1, 2, 0, 0])  # Acorn and Cedar
    assert sizes[str(SizeBand.MEDIUM.label)] == (1, [1, 0, 0, 1, 0])  # Beacon
    assert sizes[str(SizeBand.MICRO.label)] == (0, [0, 0, 0, 0, 0])


def test_a_provider_sees_only_its_own(assessed: Cast) -> None:
    summary = selectors.needs_summary(assessed.dave, region_id=assessed.region.pk, year=year_0607())
    assert summary.assessed == 1


def test_a_second_save_replaces_the_answers_and_a_stale_one_is_refused(cast: Cast) -> None:
    first = answer(cast.dave, (1, 1, 1, 1, 1))
    second = answer(cast.dave, (2, 2, 2, 2, 2), version=first.version)
    assert second.version == first.version + 1
    assert sorted(second.answers.values_list("level", flat=True)) == [2] * 5
    with pytest.raises(StaleEdit):
        answer(cast.dave, (3, 3, 3, 3, 3), version=first.version)
    assert NeedsAssessment.objects.count() == 1


def test_only_a_provider_fills_one(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        answer(cast.alice, (1, 1, 1, 1, 1))


def test_the_pages(assessed: Cast, client_for: ClientFor, clock: Clock) -> None:
    page = client_for(assessed.alice).get("/capacity/needs/summary/?year=2006-07")
    assert page.status_code == 200
    assert "3 organisations assessed their needs for 2006-07" in page.content.decode()
    assert client_for(assessed.dave).get("/capacity/needs/summary/").status_code == 404
    form = client_for(assessed.dave).get("/capacity/needs/")
    assert form.status_code == 200 and "note on bidding" in form.content.decode()
    assert client_for(assessed.alice).get("/capacity/needs/").status_code == 404
