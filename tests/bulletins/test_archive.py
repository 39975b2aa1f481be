"""The archive of a region's bulletins and its Atom feed: what was sent, never a draft."""

from __future__ import annotations

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.test import Client
from django.urls import reverse

from stepchange.bulletins import services
from tests.factories import OpportunityFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def sent_and_draft(cast):
    """One digest sent (with an introduction), then a new opportunity in a draft not yet sent."""
    OpportunityFactory.create(commissioner=cast.sypa, title="Housing advice")
    first = services.digest_draft(actor=cast.alice, region=cast.region)
    services.digest_edit(
        actor=cast.alice, bulletin=first, version=first.version, title="April bulletin", intro="Hello."
    )
    first.refresh_from_db()
    services.bulletin_send(actor=cast.alice, bulletin=first, version=first.version)
    OpportunityFactory.create(
        commissioner=cast.sypa, title="Mentoring", published_at=first.covers_to + datetime.timedelta(hours=1)
    )
    draft = services.digest_draft(
        actor=cast.alice, region=cast.region, now=first.covers_to + datetime.timedelta(hours=2)
    )
    services.digest_edit(actor=cast.alice, bulletin=draft, version=draft.version, title="May bulletin", intro="")
    first.refresh_from_db()
    return first


def test_the_archive_lists_what_was_sent(sent_and_draft):
    page = Client().get(reverse("bulletins:archive", args=["YH"])).content.decode()
    assert "April bulletin" in page
    assert "May bulletin" not in page
    one = Client().get(reverse("bulletins:bulletin", args=["YH", sent_and_draft.pk])).content.decode()
    assert "Hello." in one and "Housing advice" in one


def test_a_draft_is_not_public(cast, sent_and_draft):
    from stepchange.bulletins.models import Bulletin

    draft = Bulletin.objects.get(sent_at__isnull=True)
    assert Client().get(reverse("bulletins:bulletin", args=["YH", draft.pk])).status_code == 404


def test_the_feed_is_atom_1_0(sent_and_draft):
    response = Client().get(reverse("bulletins:feed", args=["YH"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    # RFC 4287: the feed has an id, a title and an updated date; so does each entry, with a link.
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.findtext(f"{ATOM}title") == "Yorkshire and Humberside bulletin"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["April bulletin"]
    [entry] = entries
    link = f"http://testserver{reverse('bulletins:bulletin', args=['YH', sent_and_draft.pk])}"
    assert entry.findtext(f"{ATOM}id") == link
    assert entry.find(f"{ATOM}link").get("href") == link
    assert entry.findtext(f"{ATOM}updated") == sent_and_draft.sent_at.isoformat()
    assert "Housing advice" in entry.findtext(f"{ATOM}summary")
    # An author is required of a feed whose entries have none (RFC 4287 4.1.1).
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Yorkshire and Humberside regional team"


def test_an_unknown_region_has_no_archive(db):
    assert Client().get(reverse("bulletins:archive", args=["XX"])).status_code == 404


def test_the_opportunities_page_leads_to_the_bulletins_and_each_regions(cast, client_for):
    opportunities = Client().get(reverse("commissioning:list")).content.decode()
    assert f'href="{reverse("bulletins:index")}"' in opportunities
    index = Client().get(reverse("bulletins:index")).content.decode()
    assert f'href="{reverse("bulletins:archive", args=["YH"])}"' in index
    assert "Draft and send" not in index
    alices = client_for(cast.alice).get(reverse("bulletins:index")).content.decode()
    assert f'href="{reverse("bulletins:team", args=["YH"])}"' in alices
    assert f'href="{reverse("bulletins:team", args=["NE"])}"' not in alices
