"""Who reaches the management pages: the regional commissioner and superusers; the national
administrator the national data (targets, pathways, national figures), which the regional
commissioner only reads; probation managers only their own area's grants; everyone else a 404;
someone signed out is asked to sign in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.models import Pathway
from stepchange.reports.models import Measure, PublishedFigure
from tests.factories import MainGrantFactory, TargetFactory
from tests.personas import Cast

PAGES = (
    *("index", "grants", "grant-create", "grant-edit", "targets", "target-create", "target-edit", "pathways"),
    *("pathway-create", "pathway-edit", "figures", "figure-create", "figure-edit", "returns", "return-create"),
    *("users", "user-create", "user-edit"),
)


@pytest.fixture
def pages(cast: Cast):
    grant = MainGrantFactory.create(commissioner=cast.sypa)
    target = TargetFactory.create()
    figure = PublishedFigure.objects.create(
        measure=Measure.SHARE_PCT,
        as_at=datetime.date(2006, 10, 1),
        region=cast.other_region,
        value=Decimal("3.4"),
        printed="3.4",
        source="Step Change final report, table 5",
    )
    pathway = Pathway.objects.get(code="fbd")
    urls = {
        "index": "/manage/",
        "grants": "/manage/grants/",
        "grant-create": "/manage/grants/new/",
        "grant-edit": f"/manage/grants/{grant.pk}/edit/",
        "targets": "/manage/targets/",
        "target-create": "/manage/targets/new/",
        "target-edit": f"/manage/targets/{target.pk}/edit/",
        "pathways": "/manage/pathways/",
        "pathway-create": "/manage/pathways/new/",
        "pathway-edit": f"/manage/pathways/{pathway.pk}/edit/",
        "figures": "/manage/figures/",
        "figure-create": "/manage/figures/new/",
        "figure-edit": f"/manage/figures/{figure.pk}/edit/",
        "returns": "/manage/returns/",
        "return-create": "/manage/returns/new/",
        "users": "/manage/users/",
        "user-create": "/manage/users/new/",
        "user-edit": f"/manage/users/{cast.dave.pk}/edit/",
    }
    assert set(urls) == set(PAGES)
    return urls


# Bob manages SYPA's grants, the grant in the fixture is SYPA's; Carol manages WYPA's, so she
# reaches the grant pages but not SYPA's grant.
# The figure in the fixture is the North East's: neither Alice's (Y&H) nor Nadia's (national).
NATIONAL_CHANGES = {"target-create", "target-edit", "pathway-create", "pathway-edit"}
REACHABLE = {
    "alice": set(PAGES) - NATIONAL_CHANGES - {"figure-edit"},
    "root": set(PAGES),
    "nadia": {"index", "targets", "pathways", "figures", "figure-create"} | NATIONAL_CHANGES,
    "bob": {"grants", "grant-create", "grant-edit"},
    "carol": {"grants", "grant-create"},
}


@pytest.mark.parametrize("name", ["alice", "root", "nadia", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"])
def test_each_persona_reaches_only_their_management_pages(cast, client_for, pages, name):
    client = client_for(getattr(cast, name))
    allowed = REACHABLE.get(name, set())
    for page, url in pages.items():
        expected = 200 if page in allowed else 404
        assert client.get(url).status_code == expected, f"{name} {page}"


def test_signed_out_visitors_are_asked_to_sign_in_on_every_management_page(cast, client_for, pages):
    client = client_for(None)
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/account/sign-in/"), page


def test_the_navigation_offers_manage_to_alice_and_nadia_and_grants_to_bob(cast, client_for):
    alice_nav = [item.label for item in client_for(cast.alice).get("/organisations/").context["navigation"]]
    nadia_nav = [item.label for item in client_for(cast.nadia).get("/organisations/").context["navigation"]]
    bob_nav = [item.label for item in client_for(cast.bob).get("/organisations/").context["navigation"]]
    dave_nav = [item.label for item in client_for(cast.dave).get("/organisations/").context["navigation"]]

    assert "Manage" in alice_nav and "Grants" not in alice_nav
    assert "Manage" in nadia_nav and "Grants" not in nadia_nav
    assert "Grants" in bob_nav and "Manage" not in bob_nav
    assert "Manage" not in dave_nav and "Grants" not in dave_nav


def test_the_manage_index_links_every_management_page(cast, client_for):
    page = client_for(cast.alice).get("/manage/").content.decode()

    for url in ["/manage/grants/", "/manage/targets/", "/manage/pathways/", "/manage/users/", "/manage/figures/"]:
        assert f'href="{url}"' in page
    assert 'href="/manage/returns/"' in page
    assert 'href="/organisations/new/"' in page
    assert 'href="/organisations/change-requests/"' in page


def test_the_manage_index_shows_nadia_only_the_national_pages(cast, client_for):
    page = client_for(cast.nadia).get("/manage/").content.decode()

    assert "Manage national data" in page
    for url in ["/manage/targets/", "/manage/pathways/", "/manage/figures/"]:
        assert f'href="{url}"' in page
    for url in ["/manage/grants/", "/manage/users/", "/manage/returns/", "/organisations/new/"]:
        assert f'href="{url}"' not in page


def test_alice_is_told_targets_and_pathways_are_read_only(cast, client_for):
    page = client_for(cast.alice).get("/manage/").content.decode()

    assert page.count("National data: read only.") == 2
