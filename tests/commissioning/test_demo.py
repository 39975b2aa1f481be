"""The demo's Together Women tender and the open Unpaid Work pilot: loaded once for the module
(``demo``), and loaded again in a test to see that a second run changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from stepchange.commissioning.models import Award, Bid, Opportunity, SurveyResponse
from stepchange.commissioning.reports import funnel_figures
from stepchange.core.models import Region
from stepchange.reports.registry import ReportParams
from tests.commissioning.ocds_schema import assert_valid_package


@pytest.mark.django_db
def test_the_demo_tells_the_together_women_story_and_a_second_run_changes_nothing(demo: str) -> None:
    twp = Opportunity.objects.get(reference="twp-yh-2006")
    # Five partnerships bid at stage 1, three went to stage 2, one award.
    assert Bid.objects.filter(stage__opportunity=twp, stage__number=1).count() == 5
    assert Bid.objects.filter(stage__opportunity=twp, stage__number=1, outcome="shortlisted").count() == 3
    award = Award.objects.get(opportunity=twp)
    partnership = award.bid.partnership
    assert partnership.lead.name == "Foundation Housing"
    assert sorted(m.organisation.name for m in partnership.confirmed_members().filter(left_at__isnull=True)) == [
        "DISC",
        "Doncaster Women's Centre",
        "Foundation Housing",
        "Shelter",
        "Touchstone",
    ]
    # Re-shaped during the process: one member left between the stages, and the history keeps it.
    assert partnership.members.filter(left_at__isnull=False).count() == 1
    # The award is the demo's Together Women contract: new investment, which does not count.
    assert award.contract is not None
    assert award.contract.reference == "DEMO-ROM-YH-001" and award.contract.funding_source == "new_investment"
    assert twp.status() == "awarded"
    assert SurveyResponse.objects.filter(opportunity=twp).count() == 4
    assert any(
        "time to form a partnership" in r.what_to_change.lower() or "longer to form" in r.what_to_change
        for r in SurveyResponse.objects.all()
    )
    assert Opportunity.objects.get(reference="hypa-upw-2007").status() == "open"
    rows, _totals = funnel_figures(ReportParams(region=Region.objects.get(code="YH")))
    # TWP: stage 1 five bids, three taken forward; stage 2 three bids, one awarded; 91 days from
    # publication (2 May 2006) to award (1 August 2006): 29 + 30 + 31 + 1 = 91.
    twp_rows = [
        (r["stage"], r["bids"], r["taken_forward"], r["awarded"], r["days_to_award"])
        for r in rows
        if r["reference"] == "twp-yh-2006"
    ]
    assert twp_rows == [(1, 5, 3, 0, 91), (2, 3, 0, 1, 91)]

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 rows created, 0 updated, 0 removed" in out.getvalue()


@pytest.mark.django_db
def test_the_together_women_tender_has_its_specification_as_a_real_pdf_in_its_open_data(demo: str, client) -> None:
    import hashlib

    from stepchange.commissioning import ocds
    from stepchange.core.uploads import check_document
    from tests.commissioning.files import upload

    twp = Opportunity.objects.get(reference="twp-yh-2006")
    document = twp.documents.get()
    assert (document.title, document.kind, document.file_format) == ("Service specification", "specification", "pdf")
    content = bytes(document.content)
    checked = check_document(upload("spec.pdf", content))
    assert checked.kind == "pdf" and checked.sha256 == document.sha256 == hashlib.sha256(content).hexdigest()
    assert content.rstrip().endswith(b"%%EOF") and b"Together Women Programme" in content
    package = ocds.release_package([twp], uri="https://example.org/p.json", base_url="https://example.org")
    documents = package["releases"][0]["tender"]["documents"]
    assert [d["documentType"] for d in documents] == ["tenderNotice", "technicalSpecifications"]
    served = client.get(documents[1]["url"].removeprefix("https://example.org"))
    assert served.status_code == 200 and served.content == content


@pytest.mark.django_db
def test_the_open_unpaid_work_pilot_holds_a_sealed_bid_only_its_bidder_reads(demo: str, client_for) -> None:
    from django.urls import reverse

    from stepchange.accounts.models import User
    from stepchange.commissioning import access, sealing
    from stepchange.demo.commissioning import UPW_PRICE

    upw = Opportunity.objects.get(reference="hypa-upw-2007")
    bid = Bid.objects.get(stage__opportunity=upw)
    assert bid.is_submitted and bid.stage.is_sealed()
    fiona, helen, eve = (User.objects.get(username=u) for u in ("foundation.provider", "hypa.manager", "evaluator"))
    # The bidder reads it; the commissioner and the evaluator know nothing of it before the deadline.
    content = sealing.open_bid(bid, reader=fiona)
    assert content.price == UPW_PRICE and "Hull and Grimsby" in content.answer(1)
    for outsider in (helen, eve, User.objects.get(username="admin")):
        assert not access.bids_visible_to(outsider).filter(pk=bid.pk).exists()
        assert client_for(outsider).get(reverse("commissioning:bid", args=[bid.pk])).status_code == 404
    assert "£58,750.00" in client_for(fiona).get(reverse("commissioning:bid", args=[bid.pk])).content.decode()
    # What the database holds: ciphertext only, as the README's command shows.
    shown = io.StringIO()
    call_command("show_sealed_bids", stdout=shown)
    line = next(row for row in shown.getvalue().splitlines() if "Humber Community Placements" in row)
    assert "sealed = " in line and "58750" not in shown.getvalue() and "Grimsby" not in shown.getvalue()
    # A second run re-seals nothing.
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "0 rows created, 0 updated, 0 removed" in again.getvalue()


@pytest.mark.django_db
def test_the_demos_together_women_package_is_valid_and_tells_the_award(demo: str, tmp_path) -> None:
    out = tmp_path / "demo.json"
    call_command("export_ocds", "--all", "--out", str(out), stderr=io.StringIO())
    package = json.loads(out.read_text(encoding="utf-8"))
    assert_valid_package(package)
    releases = {r["ocid"]: r for r in package["releases"]}
    assert set(releases) == {"ocds-stepchange-twp-yh-2006", "ocds-stepchange-hypa-upw-2007"}

    twp = releases["ocds-stepchange-twp-yh-2006"]
    assert twp["tag"] == ["tenderUpdate", "award", "contract"]
    assert twp["tender"]["procurementMethod"] == "selective"
    # Five partnerships bid at stage 1, three were taken forward; three bid at stage 2, one won.
    assert twp["tender"]["numberOfTenderers"] == 5
    assert [m["description"] for m in twp["tender"]["milestones"]] == [
        "5 bids received; 3 taken forward to stage 2.",
        "3 bids received; 1 awarded.",
    ]
    (award,) = twp["awards"]
    assert award["status"] == "active"
    # Foundation Housing leads; the member who left between the stages is not a supplier.
    assert [s["name"] for s in award["suppliers"]] == [
        "Foundation Housing",
        "Shelter",
        "DISC",
        "Touchstone",
        "Doncaster Women's Centre",
    ]
    (contract,) = twp["contracts"]
    assert contract["id"] == "DEMO-ROM-YH-001"
    # 1 September 2006 to 31 March 2008: it had ended by the time of this export.
    assert contract["status"] == "terminated"
    assert sorted(d["title"] for d in contract["documents"]) == [
        "Sub-contract to DISC",
        "Sub-contract to Doncaster Women's Centre",
        "Sub-contract to Shelter",
        "Sub-contract to Touchstone",
    ]
    assert "it does not count toward the target" in twp["planning"]["budget"]["description"]
    funder = next(p for p in twp["parties"] if "funder" in p["roles"])
    assert funder["name"] == "Together Women Programme (Home Office)"

    # The Unpaid Work pilot is open: its one bid is sealed, so nothing is counted, not even it.
    upw = releases["ocds-stepchange-hypa-upw-2007"]
    assert upw["tender"]["status"] == "active" and "numberOfTenderers" not in upw["tender"]
    assert upw["tender"]["procurementMethod"] == "open"
