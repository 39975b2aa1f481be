"""Open data: every published opportunity as an OCDS 1.1.5 release package, valid against the
schema and codelists kept in tests/commissioning/standards, and sealed bids never told in it. The
demo's own package is checked in test_demo.py, on that module's one load of the demo."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from referencing.exceptions import Unresolvable

from stepchange.commissioning import ocds, services
from stepchange.commissioning.models import Opportunity
from tests.commissioning.ocds_schema import (
    assert_valid_package,
    codelist_problems,
    package_validator,
    reference_problems,
    schema_errors,
)
from tests.commissioning.world import HOUR, award_tender, build_tender, draft_opportunity

BASE = "https://stepchange.example"


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def package_at(opportunity, now):
    return ocds.release_package([opportunity], uri=f"{BASE}/p.json", base_url=BASE, now=now)


def test_the_validator_refuses_what_the_standard_refuses(cast, tender):
    """The checks below could pass for the wrong reason if the validator accepted anything."""
    good = package_at(tender.opportunity, tender.start + HOUR)
    assert_valid_package(good)

    no_publisher = copy.deepcopy(good)
    del no_publisher["publisher"]
    assert any("'publisher' is a required property" in e for e in schema_errors(no_publisher))

    bad_release = copy.deepcopy(good)
    del bad_release["releases"][0]["initiationType"]
    bad_release["releases"][0]["date"] = "2 May 2006"
    errors = schema_errors(bad_release)
    assert any("'initiationType' is a required property" in e for e in errors)
    assert any("releases/0/date" in e for e in errors)

    # A closed codelist (tenderStatus) and an open one (partyRole) are both checked.
    off_list = copy.deepcopy(good)
    off_list["releases"][0]["tender"]["status"] = "open"
    off_list["releases"][0]["parties"][0]["roles"] = ["commissioner"]
    checked: set[str] = set()
    assert codelist_problems(off_list, checked) == [
        "releases/0/parties/0/roles: 'commissioner' is not a code of partyRole.csv",
        "releases/0/tender/status: 'open' is not a code of tenderStatus.csv",
    ]
    assert {"releaseTag.csv", "tenderStatus.csv", "partyRole.csv", "currency.csv", "documentType.csv"} <= checked

    dangling = copy.deepcopy(good)
    dangling["releases"][0]["buyer"]["id"] = "nobody"
    assert reference_problems(dangling)

    # Nothing is fetched: a reference the registry does not hold fails instead.
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    validator = package_validator().evolve(
        schema={"$ref": "https://standard.open-contracting.org/schema/1__1__5/other.json"},
        registry=Registry().with_resource("https://example.invalid/none", DRAFT4.create_resource({"type": "object"})),
    )
    with pytest.raises(Unresolvable):
        validator.validate({})


def test_while_stage_1_is_sealed_the_package_says_nothing_of_bids(cast, client_for, tender):
    # Acorn's bid is submitted; the stage closes in ten days.
    response = client_for(None).get(reverse("commissioning:ocds", args=["womens-services"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    assert_valid_package(package)
    release = package["releases"][0]
    assert release["ocid"] == "ocds-stepchange-womens-services"
    assert release["tag"] == ["tender"] and release["initiationType"] == "tender"
    tender_data = release["tender"]
    assert tender_data["status"] == "active"
    assert "numberOfTenderers" not in tender_data
    assert [m["status"] for m in tender_data["milestones"]] == ["scheduled", "scheduled"]
    assert not any("description" in m for m in tender_data["milestones"])
    assert "awards" not in release and "contracts" not in release
    # Only the buyer and the funder are parties; no bidder is named anywhere.
    assert [(p["name"], p["roles"]) for p in release["parties"]] == [
        ("Regional Offender Manager, Y&H", ["buyer", "procuringEntity"]),
        ("Together Women Programme", ["funder"]),
    ]
    text = response.content.decode()
    for secret in ("Acorn", "Riverside", "140000", "bid received"):
        assert secret not in text
    # The tender as published: 2 years of £150,000 = £300,000; items are the two pathways.
    assert tender_data["value"] == {"amount": 300000.0, "currency": "GBP"}
    assert [i["id"] for i in tender_data["items"]] == ["accommodation", "health"]
    assert tender_data["eligibilityCriteria"].startswith(
        "The lead organisation must be voluntary and community sector."
    )
    assert tender_data["tenderPeriod"]["endDate"] == ocds._when(tender.stage2.deadline)
    assert tender_data["documents"][0]["url"] == "http://testserver/opportunities/womens-services/"


def test_the_package_is_the_same_for_everyone_and_drafts_have_none(cast, client_for, tender):
    url = reverse("commissioning:ocds", args=["womens-services"])
    bodies = {json.dumps(client_for(user).get(url).json()["releases"]) for user in (None, cast.alice, cast.dave)}
    assert len(bodies) == 1
    draft = draft_opportunity(
        cast,
        reference="a-draft",
        title="A draft",
        description="Not yet.",
        estimated_value=tender.opportunity.estimated_value,
        contract_start=tender.opportunity.contract_start,
    )
    for user in (None, cast.alice, cast.root):
        assert client_for(user).get(reverse("commissioning:ocds", args=[draft.reference])).status_code == 404
    assert client_for(None).get(reverse("commissioning:ocds", args=["no-such-thing"])).status_code == 404


def test_after_stage_1_closes_its_statistics_are_told(cast, tender):
    package = package_at(tender.opportunity, tender.after_stage1)
    assert_valid_package(package)
    release = package["releases"][0]
    assert release["tag"] == ["tenderUpdate"]
    assert release["tender"]["numberOfTenderers"] == 1
    first, second = release["tender"]["milestones"]
    assert (first["status"], first["description"]) == ("met", "1 bid received; 0 taken forward to stage 2.")
    assert second["status"] == "scheduled" and "description" not in second


def test_the_award_names_the_partnership_its_numbers_and_the_sub_contracts(cast):
    tender = build_tender(cast, identified=True)
    # The profile changing after the bid does not change how the award names the member.
    tender.womens_centre.charity_number = "1100002"
    tender.womens_centre.save()
    done = award_tender(cast, tender)

    package = package_at(tender.opportunity, done.after2)
    assert_valid_package(package)
    release = package["releases"][0]
    assert release["tag"] == ["tenderUpdate", "award", "contract"]
    assert release["tender"]["status"] == "complete"
    # Stage 1: Acorn and Hope; Acorn taken forward. Stage 2: Acorn alone, awarded.
    assert release["tender"]["numberOfTenderers"] == 2
    assert [m["description"] for m in release["tender"]["milestones"]] == [
        "2 bids received; 1 taken forward to stage 2.",
        "1 bid received; 1 awarded.",
    ]
    (award,) = release["awards"]
    # In the standstill the award is proposed, not yet in force.
    assert award["status"] == "pending"
    # £150,000 a year for 24 months = £300,000.
    assert award["value"] == {"amount": 300000.0, "currency": "GBP"}
    assert award["suppliers"] == [
        {"id": "GB-CHC-1099999", "name": "Acorn Housing Trust"},
        {"id": "GB-CHC-1100001-1", "name": "Riverside Women's Centre"},
    ]
    parties = {p["id"]: p for p in release["parties"]}
    acorn = parties["GB-CHC-1099999"]
    assert acorn["identifier"] == {"scheme": "GB-CHC", "id": "1099999", "legalName": "Acorn Housing Trust"}
    assert acorn["additionalIdentifiers"] == [{"scheme": "GB-COH", "id": "04567890"}]
    assert acorn["roles"] == ["supplier", "tenderer"]
    assert acorn["details"]["prime"] is True
    centre = parties["GB-CHC-1100001-1"]
    assert centre["details"] == {
        "partnership": "Acorn Women's Partnership",
        "partnershipRole": "Women's centre",
        "indicativeSharePercent": 40.0,
        "prime": False,
    }
    # Hope lost: it is counted, never named.
    assert "Hope" not in json.dumps(release)

    (contract,) = release["contracts"]
    assert contract["awardID"] == award["id"] and contract["status"] == "pending"
    (document,) = contract["documents"]
    assert document["documentType"] == "subContract"
    # The centre's 40% of £150,000 is £60,000 a year.
    assert document["description"] == (
        "Sub-contract from Acorn Housing Trust to Riverside Women's Centre (charity 1100001-1): £60,000.00 a year."
    )
    assert (
        "Prime: Acorn Housing Trust (charity 1099999, company 04567890), £150,000.00 a year." in contract["description"]
    )


def test_a_withdrawn_award_stays_in_the_open_data_as_cancelled(cast, tender):
    done = award_tender(cast, tender)
    services.award_withdraw(
        actor=cast.alice, award=done.award, reason="Price evaluated wrongly.", now=done.after2 + HOUR
    )
    package = package_at(tender.opportunity, done.after2 + 2 * HOUR)
    assert_valid_package(package)
    release = package["releases"][0]
    assert release["tag"] == ["tenderUpdate", "award", "awardCancellation"]
    assert release["awards"][0]["status"] == "cancelled"
    assert "Price evaluated wrongly." in release["awards"][0]["description"]
    assert "contracts" not in release
    assert release["tender"]["status"] == "active"


def test_a_cancelled_opportunity_is_a_tender_cancellation(cast, tender):
    services.opportunity_cancel(actor=cast.alice, opportunity=tender.opportunity, reason="Funding withdrawn.")
    package = package_at(Opportunity.objects.get(pk=tender.opportunity.pk), tender.start + 2 * HOUR)
    assert_valid_package(package)
    assert package["releases"][0]["tag"] == ["tenderCancellation"]
    assert package["releases"][0]["tender"]["status"] == "cancelled"


def test_export_ocds_writes_every_published_opportunity_for_cron(cast, tender, tmp_path):
    with pytest.raises(CommandError, match="at least one release"):
        Opportunity.objects.update(published_at=None)
        call_command("export_ocds", "--all", "--out", str(tmp_path / "none.json"), stderr=io.StringIO())
    assert not (tmp_path / "none.json").exists()
    Opportunity.objects.update(published_at=tender.start)

    draft_opportunity(
        cast,
        reference="still-a-draft",
        title="Still a draft",
        description="Not yet.",
        estimated_value=tender.opportunity.estimated_value,
        contract_start=tender.opportunity.contract_start,
    )
    out = tmp_path / "ocds.json"
    err = io.StringIO()
    call_command("export_ocds", "--all", "--out", str(out), "--base-url", BASE, stderr=err)
    package = json.loads(out.read_text(encoding="utf-8"))
    assert_valid_package(package)
    assert [r["ocid"] for r in package["releases"]] == ["ocds-stepchange-womens-services"]
    assert package["uri"] == f"{BASE}/open-data/ocds.json"
    assert "1 releases written" in err.getvalue()
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it

    with pytest.raises(CommandError, match="still-a-draft"):
        call_command("export_ocds", "--reference", "still-a-draft", stdout=io.StringIO())


def test_the_opportunitys_documents_are_in_the_tender_and_a_bids_never_are(cast, client_for, tender):
    from tests.commissioning.files import docx, pdf, upload

    spec = services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="specification",
        title="Service specification",
        upload=upload("spec.pdf", pdf()),
        now=tender.start + 2 * HOUR,
    )
    old = services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="pricing_schedule",
        title="Pricing schedule",
        upload=upload("prices.csv", b"Item,Price\nMentoring,\n"),
        now=tender.start + 2 * HOUR,
    )
    services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="pricing_schedule",
        title="Pricing schedule, corrected",
        upload=upload("prices.csv", b"Item,Price\nMentoring (per person),\n"),
        replaces=old,
        now=tender.start + 3 * HOUR,
    )
    services.bid_document_add(
        actor=cast.dave,
        bid=tender.bid,
        kind="method_statement",
        title="Acorn's sealed method statement",
        upload=upload("method.docx", docx()),
        now=tender.start + 4 * HOUR,
    )
    services.partnership_document_add(
        actor=cast.dave,
        partnership=tender.partnership,
        kind="constitution",
        title="Acorn's constitution",
        upload=upload("constitution.pdf", pdf()),
        now=tender.start + 4 * HOUR,
    )
    # Before and after the deadline: the bid's and the partnership's documents are never told.
    for now in (tender.start + 5 * HOUR, tender.after_stage1):
        package = package_at(tender.opportunity, now)
        assert_valid_package(package)
        text = json.dumps(package)
        assert "sealed method statement" not in text and "constitution" not in text
    documents = package_at(tender.opportunity, tender.start + 5 * HOUR)["releases"][0]["tender"]["documents"]
    assert [(d["documentType"], d["title"], d["format"]) for d in documents] == [
        ("tenderNotice", "Women's services", "text/html"),
        ("technicalSpecifications", "Service specification", "application/pdf"),
        ("billOfQuantity", "Pricing schedule, corrected", "text/plain"),
    ]
    # Added after publication, so published when added; the replaced schedule gives way.
    assert documents[1]["datePublished"] == ocds._when(spec.uploaded_at) == ocds._when(tender.start + 2 * HOUR)
    assert documents[1]["url"] == f"{BASE}/opportunities/womens-services/documents/{spec.pk}/"
    # The URL is the public download.
    served = client_for(None).get(documents[1]["url"].removeprefix(BASE))
    assert served.status_code == 200 and served.content == pdf()
