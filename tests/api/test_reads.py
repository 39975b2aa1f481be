"""Reading through the API: pages, filters, ETags, one error shape, rate limits, reports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from stepchange.api.pagination import MOST_PER_PAGE
from stepchange.organisations.models import Sector
from stepchange.returns.models import PrisonReturn
from tests.factories import ContractFactory, OrganisationFactory, fill_prison_return, open_prison_round
from tests.personas import Cast

ApiFor = Callable[[Any], APIClient]


def _references(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def _contracts(cast: Cast) -> None:
    """Four published contracts, one not, chosen so that each filter picks a different set:

    A  SYPA, accommodation, VCS prime, 1 Apr 2006 to 31 Mar 2007
    B  SYPA, ete, private prime, 1 Oct 2006, open-ended
    C  WYPA, accommodation, private prime, 1 Apr 2005 to 30 Sep 2006
    D  WYPA, ete and accommodation, VCS prime, 1 Jan 2007, open-ended
    E  SYPA, unpublished: never listed for the public, whatever the filter
    """
    vcs = OrganisationFactory.create(sector=Sector.VCS)
    private = OrganisationFactory.create(sector=Sector.PRIVATE)

    def make(
        ref: str, commissioner: Any, prime: Any, pathways: list[str], start: str, end: str | None, **kw: Any
    ) -> None:
        ContractFactory.create(
            reference=ref,
            commissioner=commissioner,
            prime=prime,
            pathways=pathways,
            start=datetime.date.fromisoformat(start),
            end=datetime.date.fromisoformat(end) if end else None,
            published=kw.get("published", True),
        )

    make("A", cast.sypa, vcs, ["accommodation"], "2006-04-01", "2007-03-31")
    make("B", cast.sypa, private, ["ete"], "2006-10-01", None)
    make("C", cast.wypa, private, ["accommodation"], "2005-04-01", "2006-09-30")
    make("D", cast.wypa, vcs, ["ete", "accommodation"], "2007-01-01", None)
    make("E", cast.sypa, vcs, ["ete"], "2006-04-01", None, published=False)


def test_contracts_filter_by_commissioner_pathway_sector_and_day(cast: Cast) -> None:
    _contracts(cast)
    public = APIClient()
    url = reverse("api:contracts")
    assert _references(public.get(url)) == ["A", "B", "C", "D"]
    assert _references(public.get(url, {"commissioner": "SYPA"})) == ["A", "B"]
    # D names two pathways and is listed once.
    assert _references(public.get(url, {"pathway": "accommodation"})) == ["A", "C", "D"]
    assert _references(public.get(url, {"sector": "private"})) == ["B", "C"]
    # Live on 1 Nov 2006: A (to Mar 2007) and B (from Oct 2006); C ended in Sep, D starts in Jan.
    assert _references(public.get(url, {"live_on": "2006-11-01"})) == ["A", "B"]
    # Live on 30 Sep 2006: A and C (its last day); B starts the next day.
    assert _references(public.get(url, {"live_on": "2006-09-30"})) == ["A", "C"]
    assert _references(public.get(url, {"commissioner": "WYPA", "pathway": "ete"})) == ["D"]


def test_a_bad_filter_value_is_a_400_naming_it(cast: Cast) -> None:
    response = APIClient().get(reverse("api:contracts"), {"live_on": "31/02/2006", "sector": "charity"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["title"] == "The data sent has problems"
    assert {e["field"] for e in body["errors"]} == {"live_on", "sector"}


def test_pages_of_the_list_and_their_largest_size(cast: Cast) -> None:
    for n in range(7):
        ContractFactory.create(reference=f"P-{n}", commissioner=cast.sypa, published=True)
    public = APIClient()
    first = public.get(reverse("api:contracts"), {"page_size": 3}).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    third = public.get(first["next"].replace("page=2", "page=3")).json()
    # 7 rows in pages of 3: 3, 3 and 1.
    assert [r["reference"] for r in third["results"]] == ["P-6"] and third["next"] is None
    # Asking for more than the largest page gets the largest page.
    assert len(public.get(reverse("api:contracts"), {"page_size": 10_000}).json()["results"]) == 7
    assert MOST_PER_PAGE == 200
    beyond = public.get(reverse("api:contracts"), {"page": 99})
    assert beyond.status_code == 404 and beyond.json()["errors"][0]["field"] is None


def test_the_largest_page_is_200(cast: Cast) -> None:
    OrganisationFactory.create_batch(205)
    response = APIClient().get(reverse("api:organisations"), {"page_size": 500}).json()
    assert len(response["results"]) == 200 and response["next"] is not None


def test_a_conditional_get_is_answered_304_until_the_data_change(cast: Cast) -> None:
    contract = ContractFactory.create(reference="ETAG-1", commissioner=cast.sypa, published=True)
    public = APIClient()
    url = reverse("api:contract", args=[contract.pk])
    first = public.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and "Authorization" in first["Vary"]
    again = public.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    contract.title = "Changed"
    contract.save()
    changed = public.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Lists too.
    listed = public.get(reverse("api:contracts"))
    assert public.get(reverse("api:contracts"), HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304


def test_what_is_not_visible_is_a_404_in_the_one_shape(cast: Cast, api_for: ApiFor) -> None:
    hidden = ContractFactory.create(commissioner=cast.sypa, published=False)
    url = reverse("api:contract", args=[hidden.pk])
    response = APIClient().get(url)
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "title": "Not found",
        "errors": [{"field": None, "message": "Not found."}],
    }
    # Erin's company holds nothing of SYPA's: 404 to her token too; Bob manages SYPA's.
    assert api_for(cast.erin).get(url).status_code == 404
    mine = api_for(cast.bob).get(url).json()
    assert mine["reference"] == hidden.reference and mine["notes"] == ""


def test_rate_limits_per_token_and_per_address(cast: Cast, api_for: ApiFor, settings: Any) -> None:
    settings.API_RATE_LIMITS = {"token": "3/minute", "anon": "2/minute"}
    url = reverse("api:organisations")
    bob, dave = api_for(cast.bob), api_for(cast.dave)
    assert [bob.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    # Another token has its own count; so has the public's address.
    assert dave.get(url).status_code == 200
    public = APIClient()
    statuses = [public.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = public.get(url)
    assert refused.json()["title"] == "Too many requests" and int(refused["Retry-After"]) > 0


def test_reports_list_and_read_with_the_access_of_their_pages(cast: Cast, api_for: ApiFor) -> None:
    public = APIClient()
    names = [r["name"] for r in public.get(reverse("api:reports")).json()]
    assert "contract-values" in names and "returns-status" not in names
    assert "returns-status" in [r["name"] for r in api_for(cast.alice).get(reverse("api:reports")).json()]
    assert public.get(reverse("api:report", args=["returns-status"])).status_code == 401
    assert api_for(cast.alice).get(reverse("api:report", args=["returns-status"]), {"region": "YH"}).status_code == 200
    ContractFactory.create(commissioner=cast.sypa, published=True, annual_value=Decimal("1234.50"))
    document = public.get(reverse("api:report", args=["contract-values"]), {"region": "YH"}).json()
    assert document["report"] == "contract-values" and document["params"]["region"] == "YH"
    bad = public.get(reverse("api:report", args=["contract-values"]), {"region": "NOWHERE"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "region"
    assert public.get(reverse("api:report", args=["no-such-report"])).status_code == 404


def test_returns_filter_by_quarter_and_status(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    q1 = open_prison_round(cast, quarter=1)
    q2 = open_prison_round(cast, quarter=2)
    leeds_q1 = PrisonReturn.objects.get(round=q1)
    leeds_q2 = PrisonReturn.objects.get(round=q2)
    fill_prison_return(leeds_q1, cast.frank)
    frank = api_for(cast.frank)
    url = reverse("api:prison-returns")
    ids = lambda **q: [r["id"] for r in frank.get(url, q).json()["results"]]  # noqa: E731
    assert sorted(ids()) == sorted([leeds_q1.pk, leeds_q2.pk])
    assert ids(quarter=1) == [leeds_q1.pk]
    assert ids(year="2006-07", quarter=2) == [leeds_q2.pk]
    assert ids(status="draft") == [leeds_q1.pk]
    assert ids(status="not_started") == [leeds_q2.pk]
    assert ids(status="approved") == []
    detail = frank.get(reverse("api:prison-return", args=[leeds_q1.pk])).json()
    assert detail["status"] == "draft" and len(detail["lines"]) == 7 and detail["quarter"] == 1
    # Erin is a provider: no returns; Leeds's return is not admitted to her.
    assert api_for(cast.erin).get(url).json()["count"] == 0
    assert api_for(cast.erin).get(reverse("api:prison-return", args=[leeds_q1.pk])).status_code == 404
