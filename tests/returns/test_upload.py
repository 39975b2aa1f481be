"""Frank fills HMP Leeds's return from a spreadsheet: the template he downloads, what an upload
saves, what uploading it twice does, and the stored file checked again when the rules change.

The refused files (and the database left as it was by each) are in test_bad_files.py.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stepchange.core.models import AuditEvent, Pathway
from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services, spreadsheet
from stepchange.returns.models import CoordinatorPost, PrisonReturn, PrisonReturnUpload, Status
from tests.factories import (
    CommissionerFactory,
    ContractFactory,
    OrganisationFactory,
    fill_prison_return,
    open_prison_round,
)
from tests.returns.workbooks import (
    add_rows,
    as_upload,
    download_template,
    fill_every_pathway,
    set_figures,
    template_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

ACCOMMODATION = "Accommodation"
ETE = "Education, Training & Employment"


@pytest.fixture
def leeds_return(cast, clock) -> PrisonReturn:
    return PrisonReturn.objects.get(round=open_prison_round(cast))


def test_the_template_has_the_returns_sheets_lists_and_identity(cast, client_for, leeds_return):
    ContractFactory.create(reference="ROM-0001", title="Visitors' centre", commissioner=cast.regional_team)
    workbook = download_template(client_for(cast.frank), leeds_return)

    assert workbook.sheetnames == [
        "Instructions",
        "Lines",
        "Delivery",
        "Organisations",
        "Establishment",
        "Area contracts",
        "Lists",
        "Identity",
    ]
    assert workbook["Lists"].sheet_state == "hidden"
    assert workbook["Identity"].sheet_state == "hidden"
    identity = {row[0]: row[1] for row in workbook["Identity"].iter_rows(values_only=True)}
    assert identity["Return"] == leeds_return.pk
    assert identity["Establishment"] == "LEEDS"
    assert identity["Round"] == "2006-07 Q1"
    assert identity["Template version"] == 1
    # Hexadecimal, so that it can never look like a formula ("-…") in the CSV form.
    assert re.fullmatch(r"[0-9a-f]{64}", identity["Checksum"])
    assert re.fullmatch(r"[0-9a-f]{16}", identity["Download"])
    lines = workbook["Lines"]
    assert [c.value for c in lines[1]] == [
        "Pathway",
        "Services running",
        "Services started",
        "Services ended",
        "Spend (£)",
        "Note",
    ]
    # The seven pathways asked of prisons; not Offender Management or Unpaid Work (probation lines).
    assert [lines.cell(row=r, column=1).value for r in range(2, 10)] == [
        *Pathway.objects.filter(applies_to_prisons=True).order_by("order").values_list("name", flat=True),
        "Total",
    ]
    # Headings locked by sheet protection (no password), the cells to fill unlocked.
    assert lines.protection.sheet and not lines.protection.password
    assert lines["B1"].protection.locked and not lines["B2"].protection.locked
    # The drop-downs: pathways and organisations from the hidden Lists sheet.
    sources = {
        sheet: [v.formula1 for v in workbook[sheet].data_validations.dataValidation]
        for sheet in ("Lines", "Delivery", "Organisations", "Area contracts")
    }
    assert sources["Lines"] == ["=Lists!$A$2:$A$8"]
    assert sources["Delivery"][0] == "=Lists!$A$2:$A$8"
    assert sources["Delivery"][1].startswith("=Organisations!$A$2:$A$")
    assert sources["Organisations"][0] == "=Lists!$B$2:$B$2"
    assert sources["Area contracts"] == ["=Lists!$C$2:$C$2"]
    lists = workbook["Lists"]
    assert lists["B2"].value == "Acorn Housing Trust"  # the region's VCS organisation (Beacon is private)
    assert lists["C2"].value == "ROM-0001 Visitors' centre"


def test_the_template_is_filled_with_the_draft_and_marks_what_is_carried_over(cast, clock, client_for):
    first = PrisonReturn.objects.get(round=open_prison_round(cast, quarter=1))
    fill_prison_return(first, cast.frank, {"accommodation": (4, 1, 0, Decimal("2500.50"))})
    services.prison_line_save(
        actor=cast.frank,
        prison_return=first,
        expected_version=first.version,
        pathway=Pathway.objects.get(code="accommodation"),
        organisations=[cast.charity],
        proposed=[("Leeds Tenants Forum", "vcs")],
        services_running=4,
        services_started=1,
        services_ended=0,
        spend=Decimal("2500.50"),
    )
    first.refresh_from_db()
    services.return_submit(actor=cast.frank, the_return=first, expected_version=first.version)
    services.return_approve(actor=cast.grace, the_return=first, expected_version=first.version)
    clock.set(datetime.date(2006, 10, 2))
    second = PrisonReturn.objects.get(round=open_prison_round(cast, quarter=2))

    workbook = download_template(client_for(cast.frank), second)

    lines = workbook["Lines"]
    assert [c.value for c in lines[2]] == [
        ACCOMMODATION,
        4,
        0,  # a new quarter has started and ended nothing yet
        0,
        2500.5,
        "Carried over from last quarter: check these figures",
    ]
    delivery = [tuple(c.value for c in row) for row in workbook["Delivery"].iter_rows(min_row=2, max_row=3)]
    assert delivery == [(ACCOMMODATION, "Acorn Housing Trust"), (ACCOMMODATION, "Leeds Tenants Forum")]
    organisations = [tuple(c.value for c in row) for row in workbook["Organisations"].iter_rows(min_row=2, max_row=3)]
    assert organisations == [("Acorn Housing Trust", None), ("Leeds Tenants Forum", "Voluntary and community")]
    # The post is not carried over (round_open asks it afresh each quarter): the cell is blank.
    assert workbook["Establishment"]["B2"].value is None


def test_frank_uploads_the_filled_template_and_the_return_has_it_all(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    set_figures(workbook, ACCOMMODATION, 3, 1, 1, 1500)
    set_figures(workbook, ETE, 5.0, 2, 0, 820.25)  # Excel keeps every number as a float: 5.0 is 5
    add_rows(
        workbook,
        "Delivery",
        (ACCOMMODATION, "Acorn Housing Trust"),
        (ACCOMMODATION, "Leeds Tenants Forum"),
        (ETE, "Acorn Housing Trust"),
    )
    add_rows(
        workbook, "Organisations", ("Acorn Housing Trust", None), ("Leeds Tenants Forum", "Voluntary and community")
    )
    workbook["Establishment"]["B2"] = "Part time"
    workbook["Establishment"]["B3"] = 0.6
    workbook["Lines"]["B9"] = 8  # the optional total: 3 + 5 + 0 × 5

    response = upload(frank, leeds_return, as_upload(workbook))

    assert response.status_code == 302
    assert response["Location"] == f"/returns/prison/{leeds_return.pk}/check/"
    leeds_return.refresh_from_db()
    assert leeds_return.status == Status.DRAFT
    assert (leeds_return.coordinator_post, leeds_return.coordinator_fte) == (CoordinatorPost.PART_TIME, Decimal("0.60"))
    lines = {line.pathway.name: line for line in leeds_return.lines.select_related("pathway")}
    assert len(lines) == 7
    accommodation = lines[ACCOMMODATION]
    assert (accommodation.services_running, accommodation.services_started, accommodation.services_ended) == (3, 1, 1)
    assert accommodation.spend == Decimal("1500.00")
    assert list(accommodation.organisations.all()) == [cast.charity]
    assert [(p.name, p.sector) for p in accommodation.proposed.all()] == [("Leeds Tenants Forum", "vcs")]
    assert lines[ETE].spend == Decimal("820.25")
    assert lines["Health"].spend is None
    assert not any(line.carried_over for line in lines.values())
    # One audit event for the whole file, and the file kept with the rules it was checked against.
    event = AuditEvent.objects.filter(action="return_upload").get()
    assert event.actor == cast.frank
    assert event.after is not None
    assert event.after[ACCOMMODATION].startswith("3 running, 1 started, 1 ended, spend £1500.00; delivered by")
    stored = PrisonReturnUpload.objects.get()
    assert (stored.prison_return, stored.uploaded_by, stored.rules_version) == (leeds_return, cast.frank, 1)
    assert bytes(stored.content)[:2] == b"PK" and stored.display_name == "leeds-return.xlsx"
    # The return can now be submitted as if it had been typed in.
    checked = frank.get(response["Location"]).content.decode()
    assert "The figures in leeds-return.xlsx are saved in your draft" in checked
    assert "The return cannot be submitted yet" not in checked


def test_an_upload_and_the_pages_fill_the_same_return(cast, clock, client_for, leeds_return):
    """Two ways in, equal in power: the same figures typed into Hull's pages and uploaded for Leeds."""
    hull = CommissionerFactory.create(
        code="HULL", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    the_round = open_prison_round(cast, quarter=2, commissioners=[cast.leeds, hull])
    leeds = PrisonReturn.objects.get(round=the_round, commissioner=cast.leeds)
    hull_return = PrisonReturn.objects.get(round=the_round, commissioner=hull)
    figures = {"accommodation": (3, 1, 1, Decimal("1500")), "health": (2, 0, 2, None)}
    fill_prison_return(hull_return, cast.root, figures, post=CoordinatorPost.PART_TIME)

    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds)
    fill_every_pathway(workbook)
    set_figures(workbook, ACCOMMODATION, 3, 1, 1, 1500)
    set_figures(workbook, "Health", 2, 0, 2)
    workbook["Establishment"]["B2"] = "Part time"
    workbook["Establishment"]["B3"] = 0.5
    assert upload(frank, leeds, as_upload(workbook)).status_code == 302

    def state(prison_return: PrisonReturn) -> list[tuple[object, ...]]:
        return [
            (line.pathway.code, line.services_running, line.services_started, line.services_ended, line.spend)
            for line in prison_return.lines.select_related("pathway").order_by("pathway__order")
        ] + [(prison_return.coordinator_post, prison_return.coordinator_fte)]

    leeds.refresh_from_db()
    hull_return.refresh_from_db()
    assert state(leeds) == state(hull_return)
    assert len(state(leeds)) == 8


def test_uploading_the_same_file_twice_changes_nothing_the_second_time(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook, running=2)
    file = as_upload(workbook)
    assert upload(frank, leeds_return, file).status_code == 302
    leeds_return.refresh_from_db()
    version, events, uploads = leeds_return.version, AuditEvent.objects.count(), PrisonReturnUpload.objects.count()

    again = upload(frank, leeds_return, file)

    assert again.status_code == 302
    leeds_return.refresh_from_db()
    assert (leeds_return.version, AuditEvent.objects.count(), PrisonReturnUpload.objects.count()) == (
        version,
        events,
        uploads,
    )
    assert (
        "holds the figures your return already has: nothing has changed"
        in frank.get(again["Location"]).content.decode()
    )


def test_a_corrected_file_can_be_uploaded_again_but_not_one_made_before_a_change_on_the_pages(
    cast, client_for, leeds_return
):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    assert upload(frank, leeds_return, as_upload(workbook)).status_code == 302
    # Frank spots a slip in his own file and uploads it again without downloading a new template.
    set_figures(workbook, "Health", 7, 1, 0)
    assert upload(frank, leeds_return, as_upload(workbook)).status_code == 302
    assert leeds_return.lines.get(pathway__code="health").services_running == 7

    # Then he changes a figure on the pathway page: the file no longer shows the return as it is.
    leeds_return.refresh_from_db()
    page = frank.post(
        f"/returns/prison/{leeds_return.pk}/pathways/health/",
        {"version": leeds_return.version, "services_running": "9", "services_started": "0", "services_ended": "0"},
    )
    assert page.status_code == 302
    set_figures(workbook, "Health", 8, 1, 0)
    stale = upload(frank, leeds_return, as_upload(workbook))

    assert stale.status_code == 200
    assert "The return has been changed since the template leeds-return.xlsx was downloaded" in stale.content.decode()
    assert leeds_return.lines.get(pathway__code="health").services_running == 9


def test_the_csv_form_fills_the_same_lines(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    rows = list(csv.reader(io.StringIO(template_bytes(frank, leeds_return, "csv").decode("utf-8"))))
    assert rows[0] == ["StepChange prison return", ""]
    assert rows[1] == ["Return", str(leeds_return.pk)]
    heading = rows.index(
        ["Pathway", "Services running", "Services started", "Services ended", "Spend (£)", "Note", "Organisations"]
    )
    for row in rows[heading + 1 : heading + 8]:
        row[1:4] = ["1", "0", "0"]
    rows[heading + 1][1:7] = ["4", "2", "1", "1,250.00", "", "Acorn Housing Trust"]
    rows[heading + 8][1] = "10"  # Total: 4 + 6 × 1
    out = io.StringIO()
    csv.writer(out).writerows(rows)

    response = upload(frank, leeds_return, SimpleUploadedFile("leeds.csv", out.getvalue().encode(), "text/csv"))

    assert response.status_code == 302
    accommodation = leeds_return.lines.get(pathway__code="accommodation")
    assert (accommodation.services_running, accommodation.spend) == (4, Decimal("1250.00"))
    assert list(accommodation.organisations.all()) == [cast.charity]
    assert PrisonReturnUpload.objects.get().file_format == "csv"


def test_warnings_from_an_upload_are_confirmed_on_the_same_check_page(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    set_figures(workbook, "Health", 0, 0, 0, 300)  # spend, but no services
    workbook["Establishment"]["B2"] = "Full time"
    response = upload(frank, leeds_return, as_upload(workbook))
    check = frank.get(response["Location"]).content.decode()
    assert "Health: spend is reported but no services are running." in check

    leeds_return.refresh_from_db()
    submitted = frank.post(
        response["Location"],
        {"version": leeds_return.version, "reason-spend-without-services:health": "A service paid for in advance"},
    )

    assert submitted.status_code == 302
    leeds_return.refresh_from_db()
    assert leeds_return.status == Status.SUBMITTED
    assert leeds_return.confirmed_warnings[0]["reason"] == "A service paid for in advance"


def test_a_stored_upload_is_checked_again_against_todays_rules(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    set_figures(workbook, ACCOMMODATION, 3, 1, 0)
    upload(frank, leeds_return, as_upload(workbook))
    stored = PrisonReturnUpload.objects.get()
    url = f"/returns/prison/{leeds_return.pk}/uploads/{stored.pk}/"
    grace = client_for(cast.grace)
    assert "Against rules version 1: no problems" in grace.get(url).content.decode()
    assert "leeds-return.xlsx" in grace.get(f"/returns/prison/{leeds_return.pk}/").content.decode()

    # A later year renames a pathway (pathways are data): Attitudes, Thinking & Behaviour becomes
    # Thinking Skills, and the stored file, which names the old name, no longer passes.
    Pathway.objects.filter(code="atb").update(name="Thinking Skills", short_name="TS")
    page = grace.get(url).content.decode()

    assert "1 problem, listed below" in page
    assert "“Attitudes, Thinking &amp; Behaviour”" in page and "Children &amp; Families, Thinking Skills" in page


def test_who_may_download_and_upload(cast, client_for, leeds_return):
    # The template shows the return's figures: whoever sees the return may download it.
    for user in (cast.frank, cast.grace, cast.alice, cast.root):
        assert client_for(user).get(f"/returns/prison/{leeds_return.pk}/template.xlsx").status_code == 200
        assert client_for(user).get(f"/returns/prison/{leeds_return.pk}/lines.csv").status_code == 200
    for user in (cast.bob, cast.dave, cast.heidi):
        assert client_for(user).get(f"/returns/prison/{leeds_return.pk}/template.xlsx").status_code == 404
    # Only whoever fills it in may upload.
    assert client_for(cast.frank).get(f"/returns/prison/{leeds_return.pk}/upload/").status_code == 200
    for user in (cast.grace, cast.alice, cast.bob):
        assert client_for(user).get(f"/returns/prison/{leeds_return.pk}/upload/").status_code == 404


def test_a_submitted_return_takes_no_upload(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    filled = fill_prison_return(leeds_return, cast.frank)
    services.return_submit(actor=cast.frank, the_return=filled, expected_version=filled.version)
    set_figures(workbook, ACCOMMODATION, 5, 0, 0)

    response = upload(frank, leeds_return, as_upload(workbook))

    assert response.status_code == 302 and response["Location"] == f"/returns/prison/{leeds_return.pk}/"
    assert leeds_return.lines.get(pathway__code="accommodation").services_running == 0


def test_an_organisation_typed_in_that_is_in_the_directory_is_not_proposed(cast, client_for, leeds_return):
    OrganisationFactory.create(name="Calder Women's Centre", sector="vcs", region=cast.region)
    frank = client_for(cast.frank)
    workbook = download_template(frank, leeds_return)
    fill_every_pathway(workbook)
    set_figures(workbook, "Health", 1, 0, 0)
    add_rows(workbook, "Delivery", ("health", "calder women's centre"))  # its code, and any capitals
    add_rows(workbook, "Organisations", ("Calder  Women's Centre", "Private"))
    assert upload(frank, leeds_return, as_upload(workbook)).status_code == 302
    health = leeds_return.lines.get(pathway__code="health")
    assert [o.name for o in health.organisations.all()] == ["Calder Women's Centre"]
    assert not health.proposed.exists()


def test_the_template_round_trips_through_openpyxl_unchanged(cast, client_for, leeds_return):
    """Saving the template again in a spreadsheet program keeps its drop-downs and identity."""
    frank = client_for(cast.frank)
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(frank, leeds_return)))
    resaved = openpyxl.load_workbook(io.BytesIO(as_upload(workbook).read()))
    assert len(resaved["Delivery"].data_validations.dataValidation) == 2
    assert resaved["Identity"].sheet_state == "hidden"


def _csv_with_sections(frank, leeds_return, *sections: list[list[str]]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(template_bytes(frank, leeds_return, "csv").decode("utf-8"))))
    heading = rows.index(
        ["Pathway", "Services running", "Services started", "Services ended", "Spend (£)", "Note", "Organisations"]
    )
    for row in rows[heading + 1 : heading + 8]:
        row[1:4] = ["1", "0", "0"]
    rows[heading + 1][6] = "Acorn Housing Trust; Leeds Tenants Forum"
    # The template's own sections (empty for this return) are replaced by the ones given.
    rows = rows[: heading + 9]
    for section in sections:
        rows += [[], *section]
    return rows


def _csv_upload(rows: list[list[str]]) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("leeds.csv", out.getvalue().encode(), "text/csv")


def test_the_csv_form_proposes_organisations_and_answers_the_post_and_contracts(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    template = template_bytes(frank, leeds_return, "csv").decode("utf-8")
    # The template carries the three sections under the workbook's headings.
    assert "Organisation,Sector (of one not in the directory)" in template
    assert "Question,Answer" in template and "Area-wide contract" in template
    offered = list(spreadsheet.area_wide_contracts(leeds_return))
    contract_rows = [["Area-wide contract"]] + [[spreadsheet.contract_label(c)] for c in offered[:1]]
    rows = _csv_with_sections(
        frank,
        leeds_return,
        [["Organisation", "Sector (of one not in the directory)"], ["Leeds Tenants Forum", "Voluntary and community"]],
        [["Question", "Answer"], ["VCS co-ordinator post", "Part time"], ["FTE of a part-time post", "0.5"]],
        contract_rows,
    )
    response = upload(frank, leeds_return, _csv_upload(rows))

    assert response.status_code == 302
    accommodation = leeds_return.lines.get(pathway__code="accommodation")
    assert list(accommodation.organisations.all()) == [cast.charity]
    assert [(p.name, p.sector) for p in accommodation.proposed.all()] == [("Leeds Tenants Forum", "vcs")]
    leeds_return.refresh_from_db()
    assert (leeds_return.coordinator_post, leeds_return.coordinator_fte) == ("part_time", Decimal("0.50"))
    assert list(leeds_return.area_contracts.all()) == offered[:1]
    # Downloaded again, the CSV carries what was saved.
    again = template_bytes(frank, leeds_return, "csv").decode("utf-8")
    assert "Leeds Tenants Forum,Voluntary and community" in again
    assert "VCS co-ordinator post,Part time" in again


def test_the_csv_sections_are_checked_like_the_sheets_naming_the_csv_row(cast, client_for, leeds_return):
    frank = client_for(cast.frank)
    rows = _csv_with_sections(
        frank,
        leeds_return,
        [["Organisation", "Sector (of one not in the directory)"], ["Leeds Tenants Forum", ""]],
        [["Question", "Answer"], ["VCS co-ordinator post", "Sometimes"], ["FTE of a part-time post", ""]],
        [["Area-wide contract"], ["ROM-9999 Visitors centre"]],
    )
    organisation_heading = next(n for n, row in enumerate(rows, start=1) if row[:1] == ["Organisation"])
    question_heading = next(n for n, row in enumerate(rows, start=1) if row[:1] == ["Question"])
    contract_heading = next(n for n, row in enumerate(rows, start=1) if row[:1] == ["Area-wide contract"])
    response = upload(frank, leeds_return, _csv_upload(rows))

    # The problems table: sheet (none in a CSV), row, column, value found, what was expected.
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert response.status_code == 200
    assert "The file leeds.csv has 4 problems, so nothing from it was saved" in page
    assert (
        f"– {organisation_heading + 1} B (Sector) nothing The sector of Leeds Tenants Forum, which is not in the "
        "directory: Voluntary and community or Private"
    ) in page
    assert f"– {question_heading + 1} B (VCS co-ordinator post) “Sometimes” One of: No co-ordinator post" in page
    assert f"– {contract_heading + 1} A (Area-wide contract) “ROM-9999 Visitors centre” An area-wide contract" in page
    # The new organisation without its sector is not proposed either.
    assert "– 12 G (Organisations) “Leeds Tenants Forum”" in page
    # Nothing was saved.
    assert not PrisonReturnUpload.objects.exists()
    leeds_return.refresh_from_db()
    assert leeds_return.coordinator_post == ""
