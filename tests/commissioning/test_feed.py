"""The Atom feed of published opportunities, for the bulletin: public, filtered like the list, and
never carrying a draft or a cancelled opportunity, not even to the drafts' managers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import Opportunity
from stepchange.core.models import Pathway
from tests.commissioning.world import DAY, build_tender

ATOM = "{http://www.w3.org/2005/Atom}"
SC = "{urn:stepchange:commissioning}"


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def other(cast, reference: str, **extra) -> Opportunity:
    opportunity = Opportunity.objects.create(
        reference=reference,
        commissioner=cast.regional_team,
        title=f"Opportunity {reference}",
        description="Housing advice on release",
        estimated_value=Decimal("50000.00"),
        duration_months=12,
        contract_start=datetime.date(2030, 4, 1),
        funding_source="main_grant",
        **extra,
    )
    opportunity.pathways.set(Pathway.objects.filter(code="accommodation"))
    opportunity.areas.set([cast.sypa])
    return opportunity


def entries(client, **query) -> dict[str, Element]:
    response = client.get(reverse("commissioning:feed"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return {entry.findtext(f"{ATOM}title"): entry for entry in root.findall(f"{ATOM}entry")}


def test_the_feed_carries_a_published_opportunity_with_its_categories_and_closing_date(cast, client_for, tender):
    entry = entries(client_for(None))["Women's services"]
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "http://testserver/opportunities/womens-services/"
    summary = entry.findtext(f"{ATOM}summary") or ""
    assert "Holistic, woman-centred services" in summary and "Closes " in summary
    terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert {cast.sypa.name, cast.wypa.name} <= terms
    assert set(Pathway.objects.filter(code__in=["accommodation", "health"]).values_list("name", flat=True)) <= terms
    closes = datetime.datetime.fromisoformat(entry.findtext(f"{SC}closes") or "")
    assert closes == tender.stage1.deadline


def test_the_feed_filters_by_pathway_and_area_like_the_list(cast, client_for, tender):
    other(cast, "sy-housing", published_at=timezone.now() - DAY)
    client = client_for(None)
    assert set(entries(client)) == {"Women's services", "Opportunity sy-housing"}
    assert set(entries(client, pathway="health")) == {"Women's services"}
    assert set(entries(client, pathway="fbd")) == set()
    assert set(entries(client, area=cast.wypa.code)) == {"Women's services"}
    assert set(entries(client, area=cast.sypa.code, pathway="accommodation")) == {
        "Women's services",
        "Opportunity sy-housing",
    }


def test_no_draft_or_cancelled_opportunity_is_in_the_feed_for_anyone(cast, client_for, tender):
    other(cast, "a-draft")
    other(cast, "not-yet", published_at=timezone.now() + DAY)
    gone = other(cast, "called-off", published_at=timezone.now() - DAY)
    services.opportunity_cancel(actor=cast.alice, opportunity=gone, reason="The funding was withdrawn")
    assert Opportunity.objects.get(pk=gone.pk).cancelled_at is not None
    for name, user in [("signed out", None), *cast.everyone().items()]:
        assert set(entries(client_for(user))) == {"Women's services"}, name


def test_the_feed_takes_no_post(client_for, tender):
    assert client_for(None).post(reverse("commissioning:feed")).status_code == 405
