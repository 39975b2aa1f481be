"""Alice imports Yorkshire and Humberside's records through the pages: the preview, the questions of
close names, confirming, uploading the same file again, and undoing the import (or being refused)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import AuditEvent
from stepchange.imports.models import Import, ImportItem, ImportStatus
from stepchange.organisations.models import Organisation
from stepchange.returns.models import ProbationReturnLine
from tests.conftest import ClientFor
from tests.factories import ProbationReturnFactory, SubContractFactory
from tests.imports.files import Row, csv_file, xlsx_file
from tests.personas import Cast

ORGANISATIONS: list[Row] = [
    {"ID": "ORG-1", "Name": "Calder Mentoring", "Sector": "vcs", "Charity number": "1123456", "Pathways served": "ete"},
    {"ID": "ORG-2", "Name": "Dales Training Ltd", "Sector": "private", "Company number": "04567890"},
    {"ID": "ORG-3", "Name": "Acorn Housing", "Sector": "vcs"},
]
CONTRACTS: list[Row] = [
    {
        "ID": f"C{n}",
        "Reference": f"YH-IMP-{n}",
        "Title": f"Service {n}",
        "Commissioner": "SYPA",
        "Prime": "ORG-1",
        "Pathways": "ete; accommodation",
        "Annual value": "10000",
        "Start": "1/4/2006",
        "Funding source": "main_grant",
    }
    for n in range(1, 4)
]


def upload(client: object, kind: str, uploaded: SimpleUploadedFile) -> Import:
    response = client.post(reverse("imports:upload", args=["YH", kind]), {"file": uploaded})  # type: ignore[attr-defined]
    assert response.status_code == 302, response.content.decode()[:2000]
    return Import.objects.latest("pk")


def page(client: object, record: Import) -> str:
    response = client.get(reverse("imports:detail", args=[record.pk]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.content.decode())


def confirm(client: object, record: Import) -> Import:
    record.refresh_from_db()
    client.post(reverse("imports:confirm", args=[record.pk]), {"version": record.version})  # type: ignore[attr-defined]
    record.refresh_from_db()
    return record


def test_the_templates_have_dropdowns_notes_and_the_same_columns_as_csv(cast: Cast, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    response = alice.get(reverse("imports:template", args=["YH", "contracts"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Contracts", "Lists", "Notes"]
    sheet = workbook["Contracts"]
    headings = [cell.value for cell in sheet[1]]
    notes = [row[0] for row in workbook["Notes"].iter_rows(min_row=2, values_only=True)]
    assert notes == headings
    validated = {str(v.sqref).split(":")[0][:1]: v.formula1 for v in sheet.data_validations.dataValidation}
    # Commissioner (D), Pathways (F), Funding source (J) and Kind (L) are dropdowns; the pathways'
    # also takes several codes typed (no error alert), the others only a code of their list.
    assert set(validated) == {"D", "F", "J", "L"}
    strict = {str(v.sqref)[:1]: v.showErrorMessage for v in sheet.data_validations.dataValidation}
    assert strict == {"D": True, "F": False, "J": True, "L": True}
    lists = workbook["Lists"]
    assert [c.value for c in lists["A"] if c.value][1:] == ["LEEDS", "ROM-YH", "SYPA", "WYPA"]
    csv_text = alice.get(reverse("imports:template-csv", args=["YH", "contracts"])).content.decode()
    assert csv_text.strip().split(",") == headings


def test_an_import_is_previewed_then_saved_whole_and_the_same_file_again_changes_nothing(
    cast: Cast, client_for: ClientFor
) -> None:
    alice = client_for(cast.alice)
    record = upload(alice, "organisations", xlsx_file("organisations", ORGANISATIONS, region=cast.region))
    assert record.status == ImportStatus.READY
    html = page(alice, record)
    assert "3 organisations new, 0 updated, 0 unchanged" in html
    # "Acorn Housing" is close to Acorn Housing Trust: a question, so it cannot be confirmed yet.
    assert "Row 4: is “Acorn Housing” one of these?" in html
    assert "Confirm and save the import" not in html
    assert confirm(alice, record).status == ImportStatus.READY
    assert not Organisation.objects.filter(name="Calder Mentoring").exists()

    alice.post(
        reverse("imports:detail", args=[record.pk]), {"version": record.version, "answer-4": str(cast.charity.pk)}
    )
    html = page(alice, record)
    assert "2 organisations new, 1 updated, 0 unchanged" in html
    record = confirm(alice, record)
    assert record.status == ImportStatus.SAVED
    calder = Organisation.objects.get(name="Calder Mentoring")
    assert (calder.external_ref, calder.charity_number, calder.region) == ("ORG-1", "1123456", cast.region)
    assert [p.code for p in calder.pathways_served.all()] == ["ete"]
    cast.charity.refresh_from_db()
    # The directory keeps its own name; the file's ID is now Acorn's reference in the region.
    assert (cast.charity.name, cast.charity.external_ref) == ("Acorn Housing Trust", "ORG-3")
    assert record.items.count() == 3
    event = AuditEvent.objects.get(action="import_save")
    assert len(event.after["created"]) == 2 and len(event.after["changed"]) == 1  # type: ignore[index]

    # The same file again: every row found by its ID, nothing to change.
    again = upload(alice, "organisations", xlsx_file("organisations", ORGANISATIONS, region=cast.region))
    assert "0 organisations new, 0 updated, 3 unchanged" in page(alice, again)
    assert not again.questions()
    assert confirm(alice, again).status == ImportStatus.SAVED
    assert again.items.count() == 0
    assert Organisation.objects.filter(external_ref__startswith="ORG-").count() == 3


def test_an_organisation_with_a_known_charity_number_is_a_warning_not_an_error(
    cast: Cast, client_for: ClientFor
) -> None:
    cast.charity.charity_number = "1099999"
    cast.charity.save()
    alice = client_for(cast.alice)
    rows: list[Row] = [{"ID": "A", "Name": "Acorn Housing Trust", "Sector": "vcs", "Charity number": "1099999"}]
    record = upload(alice, "organisations", csv_file("organisations", rows))
    html = page(alice, record)
    assert record.status == ImportStatus.READY
    assert "Warnings: check these, they do not stop the import" in html
    assert "An organisation with the same charity number already exists: Acorn Housing Trust" in html
    assert "0 organisations new, 1 updated, 0 unchanged" in html


def import_region(cast: Cast, alice: object) -> tuple[Import, Import]:
    organisations = upload(alice, "organisations", csv_file("organisations", ORGANISATIONS[:2]))
    confirm(alice, organisations)
    contracts = upload(alice, "contracts", csv_file("contracts", CONTRACTS))
    assert "3 contracts new, 0 updated, 0 unchanged" in page(alice, contracts)
    return organisations, confirm(alice, contracts)


def test_an_import_is_undone_whole_while_nothing_depends_on_it(cast: Cast, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    organisations, contracts = import_region(cast, alice)
    assert Contract.objects.filter(reference__startswith="YH-IMP-").count() == 3
    # The organisations cannot go first: the contracts hold them.
    alice.post(reverse("imports:undo", args=[organisations.pk]), {"version": organisations.version})
    organisations.refresh_from_db()
    assert organisations.status == ImportStatus.SAVED
    html = page(alice, organisations)
    assert "The import cannot be undone" in html and "depends on organisation “Calder Mentoring”" in html

    contracts.refresh_from_db()
    alice.post(reverse("imports:undo", args=[contracts.pk]), {"version": contracts.version})
    contracts.refresh_from_db()
    assert contracts.status == ImportStatus.UNDONE
    assert not Contract.objects.filter(reference__startswith="YH-IMP-").exists()
    organisations.refresh_from_db()
    alice.post(reverse("imports:undo", args=[organisations.pk]), {"version": organisations.version})
    assert not Organisation.objects.filter(name="Calder Mentoring").exists()
    assert AuditEvent.objects.filter(action="import_undo").count() == 2


@pytest.mark.parametrize("what", ["a return line", "a sub-contract added by hand", "an edit after the import"])
def test_undo_is_refused_once_something_depends_on_the_import(cast: Cast, client_for: ClientFor, what: str) -> None:
    alice = client_for(cast.alice)
    _organisations, contracts = import_region(cast, alice)
    imported = Contract.objects.get(reference="YH-IMP-1")
    if what == "a return line":
        the_return = ProbationReturnFactory.create(commissioner=cast.sypa)
        ProbationReturnLine.objects.create(
            probation_return=the_return, contract=imported, title=imported.title, annual_value=imported.annual_value
        )
        reason = "depends on contract “YH-IMP-1 Service 1”"
    elif what == "a sub-contract added by hand":
        SubContractFactory.create(contract=imported, partner=cast.company, value=Decimal("100"))
        reason = "sub contract “YH-IMP-1 → Beacon Services Ltd” depends on contract “YH-IMP-1 Service 1”"
    else:
        imported.title = "Service 1, renamed"
        imported.version += 1
        imported.save()
        reason = "contract “YH-IMP-1 Service 1, renamed” has been changed since the import"
    contracts.refresh_from_db()
    response = alice.post(reverse("imports:undo", args=[contracts.pk]), {"version": contracts.version}, follow=True)
    assert reason in response.content.decode()
    contracts.refresh_from_db()
    assert contracts.status == ImportStatus.SAVED
    assert Contract.objects.filter(reference__startswith="YH-IMP-").count() == 3
    assert ImportItem.objects.filter(record=contracts).count() == 3


def test_sub_contracts_import_and_their_total_against_the_prime(cast: Cast, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    import_region(cast, alice)
    rows: list[Row] = [
        {"ID": "S1", "Contract": "C1", "Partner": "ORG-2", "Value": "6000"},
        {"ID": "S2", "Contract": "C1", "Partner": "Beacon Services Ltd", "Value": "4000"},
    ]
    record = upload(alice, "sub-contracts", xlsx_file("sub-contracts", rows, region=cast.region))
    # £6,000 + £4,000 = £10,000: exactly the contract's annual value, which is allowed.
    assert "2 sub-contracts new, 0 updated, 0 unchanged" in page(alice, record)
    assert confirm(alice, record).status == ImportStatus.SAVED
    assert SubContract.objects.filter(contract__reference="YH-IMP-1").count() == 2


def test_a_page_shows_progress_while_the_worker_has_the_import(
    cast: Cast, client_for: ClientFor, settings: object
) -> None:
    """With the real backend, the upload only enqueues: the page shows how far the check is and refreshes itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    alice = client_for(cast.alice)
    record = upload(alice, "contracts", csv_file("contracts", CONTRACTS))
    assert record.status == ImportStatus.CHECKING
    html = page(alice, record)
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "The file is being checked: 0 of 3 rows (0%)." in html
    assert "Refresh it now" in html


def test_only_the_region_and_kinds_of_the_importer(cast: Cast, client_for: ClientFor) -> None:
    grace = client_for(cast.grace)
    assert grace.get(reverse("imports:upload", args=["YH", "establishments"])).status_code == 200
    assert grace.get(reverse("imports:upload", args=["YH", "contracts"])).status_code == 404
    alice = client_for(cast.alice)
    assert alice.get(reverse("imports:upload", args=["NE", "contracts"])).status_code == 404
    record = upload(alice, "contracts", csv_file("contracts", CONTRACTS))
    assert grace.get(reverse("imports:detail", args=[record.pk])).status_code == 404
