"""Writing through the API: the pages' forms check, the services save, the words are the forms'
own with the field they are about; a stale version is refused (409) and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from stepchange.contracts.models import Contract
from stepchange.core.models import AuditEvent
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, Status
from stepchange.returns.selectors import prison_pathways
from tests.factories import ContractFactory, OrganisationFactory, open_prison_round
from tests.personas import Cast

ApiFor = Callable[[Any], APIClient]


def _contract(cast: Cast, prime: Any, **extra: Any) -> dict[str, Any]:
    return {
        "reference": "SY-API-0001",
        "title": "Mentoring on release",
        "commissioner": cast.sypa.pk,
        "prime": prime.pk,
        "pathways": ["accommodation"],
        "annual_value": "12500.00",
        "start": "2006-04-01",
        "end": "2007-03-31",
        "funding_source": "main_grant",
        "published": True,
        **extra,
    }


def test_bob_records_a_contract_as_the_form_would(cast: Cast, api_for: ApiFor) -> None:
    prime = OrganisationFactory.create()
    response = api_for(cast.bob).post(reverse("api:contracts"), _contract(cast, prime), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    contract = Contract.objects.get(reference="SY-API-0001")
    assert body["id"] == contract.pk and body["version"] == 1 and body["annual_value"] == "12500.00"
    assert contract.annual_value == Decimal("12500.00") and [p.code for p in contract.pathways.all()] == [
        "accommodation"
    ]
    assert AuditEvent.objects.filter(action="contract_create", actor=cast.bob).count() == 1


def test_bad_contract_data_gets_the_forms_words_field_by_field(cast: Cast, api_for: ApiFor) -> None:
    prime = OrganisationFactory.create()
    sent = _contract(cast, prime, annual_value="-5", end="2006-01-01", funding_source="co_commissioned", title="")
    response = api_for(cast.bob).post(reverse("api:contracts"), sent, format="json")
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["title"] == "Enter a title for the contract"
    assert errors["end"] == "The end date must be the same as or after the start date"
    assert errors["funder"] == "Enter the funder of co-commissioned money, for example the drug action team"
    assert "annual value" in errors["annual_value"]
    assert not Contract.objects.exists()


def test_a_commissioner_not_managed_is_refused_as_the_form_refuses_it(cast: Cast, api_for: ApiFor) -> None:
    prime = OrganisationFactory.create()
    response = api_for(cast.bob).post(
        reverse("api:contracts"), _contract(cast, prime, commissioner=cast.wypa.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "commissioner", "message": "Choose a commissioner whose contracts you manage"}
    ]
    # A provider manages none: not allowed at all.
    assert api_for(cast.dave).post(reverse("api:contracts"), _contract(cast, prime), format="json").status_code == 403


def test_an_update_carries_the_version_and_a_stale_one_changes_nothing(cast: Cast, api_for: ApiFor) -> None:
    prime = OrganisationFactory.create()
    contract = ContractFactory.create(reference="SY-API-0002", commissioner=cast.sypa, prime=prime)
    bob = api_for(cast.bob)
    url = reverse("api:contract", args=[contract.pk])
    read = bob.get(url).json()
    assert read["version"] == 1
    changed = _contract(cast, prime, reference="SY-API-0002", annual_value="20000.00", version=read["version"])
    first = bob.post(url, changed, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    # A second system that read version 1 too is refused, and its value is not saved.
    stale = bob.post(url, {**changed, "annual_value": "1.00"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["message"].startswith("Someone else changed this record")
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("20000.00") and contract.version == 2
    missing = bob.post(url, {k: v for k, v in changed.items() if k != "version"}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "version"
    # What a change leaves out stays as it was.
    renamed = bob.post(url, {"title": "Renamed", "version": 2}, format="json").json()
    assert renamed["title"] == "Renamed" and renamed["annual_value"] == "20000.00" and renamed["version"] == 3


def test_who_may_not_change_a_contract(cast: Cast, api_for: ApiFor) -> None:
    published = ContractFactory.create(commissioner=cast.sypa, published=True)
    hidden = ContractFactory.create(commissioner=cast.sypa, published=False)
    body = {"version": 1}
    # Dave sees the published one, changes neither; the hidden one is not admitted to exist.
    assert api_for(cast.dave).post(reverse("api:contract", args=[published.pk]), body, format="json").status_code == 403
    assert api_for(cast.dave).post(reverse("api:contract", args=[hidden.pk]), body, format="json").status_code == 404
    assert APIClient().post(reverse("api:contract", args=[published.pk]), body, format="json").status_code == 401


def _leeds(cast: Cast) -> PrisonReturn:
    return PrisonReturn.objects.get(round=open_prison_round(cast, quarter=1))


def _lines(the_return: PrisonReturn, **figures: tuple[int, int, int, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "pathway": pathway.code,
            "services_running": figures.get(pathway.code, (0, 0, 0, None))[0],
            "services_started": figures.get(pathway.code, (0, 0, 0, None))[1],
            "services_ended": figures.get(pathway.code, (0, 0, 0, None))[2],
            "spend": figures.get(pathway.code, (0, 0, 0, None))[3],
        }
        for pathway in prison_pathways(the_return)
    ]


def test_frank_fills_in_and_submits_leedss_return_from_his_system(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    leeds = _leeds(cast)
    frank = api_for(cast.frank)
    lines = _lines(leeds, accommodation=(4, 1, 0, "1500.00"), ete=(2, 2, 0, None))
    sent = {"version": leeds.version, "lines": lines, "coordinator": {"post": "full_time"}}
    response = frank.post(reverse("api:prison-return-lines", args=[leeds.pk]), sent, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    # Seven lines, each a version, and the post one more: version 1 + 7 + 1 = 9.
    assert body["version"] == leeds.version + len(lines) + 1 and body["coordinator_post"] == "full_time"
    accommodation = PrisonReturnLine.objects.get(prison_return=leeds, pathway__code="accommodation")
    assert (accommodation.services_running, accommodation.spend) == (4, Decimal("1500.00"))
    submitted = frank.post(
        reverse("api:prison-return-submit", args=[leeds.pk]), {"version": body["version"]}, format="json"
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == Status.SUBMITTED
    leeds.refresh_from_db()
    assert leeds.submitted_by == cast.frank
    # Submitted, it can no longer be changed: a conflict, saying why.
    again = frank.post(reverse("api:prison-return-lines", args=[leeds.pk]), sent, format="json")
    assert again.status_code == 409 and "submitted" in again.json()["errors"][0]["message"]


def test_bad_lines_are_refused_all_together_naming_each(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    leeds = _leeds(cast)
    lines = _lines(leeds)
    lines[0]["services_started"] = 5  # more than the 0 running
    lines[2]["spend"] = "-3"
    lines.append({"pathway": "nonsense", "services_running": 0, "services_started": 0, "services_ended": 0})
    response = api_for(cast.frank).post(
        reverse("api:prison-return-lines", args=[leeds.pk]), {"version": leeds.version, "lines": lines}, format="json"
    )
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["lines.0.services_started", "lines.2.spend", "lines.7.pathway"]
    assert response.json()["errors"][0]["message"] == "Services started cannot be more than services running"
    assert not PrisonReturnLine.objects.filter(prison_return=leeds).exists()


def test_a_stale_return_version_is_refused_and_nothing_saved(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    leeds = _leeds(cast)
    sent = {"version": leeds.version + 5, "lines": _lines(leeds)}
    response = api_for(cast.frank).post(reverse("api:prison-return-lines", args=[leeds.pk]), sent, format="json")
    assert response.status_code == 409
    assert not PrisonReturnLine.objects.filter(prison_return=leeds).exists()


def test_submitting_with_errors_or_warnings_unanswered_names_them(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    leeds = _leeds(cast)
    response = api_for(cast.frank).post(
        reverse("api:prison-return-submit", args=[leeds.pk]), {"version": leeds.version}, format="json"
    )
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert "Say whether the establishment has a VCS co-ordinator post." in messages
    assert "Fill in Accommodation." in messages


def test_only_the_prison_fills_in_its_return(cast: Cast, api_for: ApiFor, clock: Any) -> None:
    leeds = _leeds(cast)
    sent = {"version": leeds.version, "lines": _lines(leeds)}
    url = reverse("api:prison-return-lines", args=[leeds.pk])
    # Grace signs off Leeds's returns and sees them, but does not fill them in; Dave sees none.
    assert api_for(cast.grace).post(url, sent, format="json").status_code == 403
    assert api_for(cast.dave).post(url, sent, format="json").status_code == 404
    assert APIClient().post(url, sent, format="json").status_code == 401
    assert not PrisonReturnLine.objects.filter(prison_return=leeds).exists()


def test_an_update_may_carry_the_etag_read_instead_of_the_version(cast: Cast, api_for: ApiFor) -> None:
    contract = ContractFactory.create(reference="SY-API-0003", commissioner=cast.sypa)
    bob = api_for(cast.bob)
    url = reverse("api:contract", args=[contract.pk])
    etag = bob.get(url)["ETag"]
    first = bob.post(url, {"title": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    assert first.json()["title"] == "First" and first.json()["version"] == 2
    # The same ETag again: the contract has changed since it was read, so 412 and nothing saved.
    stale = bob.post(url, {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["message"].startswith("Someone else changed this record")
    contract.refresh_from_db()
    assert contract.title == "First"
