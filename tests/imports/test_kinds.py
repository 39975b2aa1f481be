"""The kinds not walked through the pages in test_import_flow.py: prison establishments, main grants
updated by a file, an exact directory name asked about, and undoing an import that changed records."""

from __future__ import annotations

from decimal import Decimal

from stepchange.contracts.models import MainGrant
from stepchange.core.models import AuditEvent
from stepchange.imports import services
from stepchange.imports.models import Import, ImportStatus
from stepchange.organisations.models import Commissioner, CommissionerKind, Organisation
from tests.factories import MainGrantFactory, year_0607
from tests.imports.files import Row, csv_file
from tests.personas import Cast


def run(cast: Cast, kind: str, rows: list[Row], answers: dict[str, str] | None = None) -> Import:
    record, _plan = services.run_now(
        actor=cast.alice,
        region=cast.region,
        kind=kind,
        uploaded_file=csv_file(kind, rows),
        answers=answers or {},
        dry_run=False,
    )
    return record


def test_prison_establishments_are_imported_with_their_organisations_and_undone_whole(cast: Cast) -> None:
    rows: list[Row] = [
        {"ID": "P1", "Code": "WAKE", "Name": "HMP Wakefield", "Operator": "public", "Establishment type": "cat_b"},
        {"ID": "P2", "Code": "DONC", "Name": "HMP Doncaster", "Operator": "private", "Establishment type": "local"},
    ]
    record = run(cast, "establishments", rows)
    assert record.status == ImportStatus.SAVED
    doncaster = Commissioner.objects.get(code="DONC")
    assert (doncaster.kind, doncaster.operator, doncaster.region, doncaster.external_ref) == (
        CommissionerKind.PRISON,
        "private",
        cast.region,
        "P2",
    )
    assert doncaster.organisation.name == "HMP Doncaster" and doncaster.organisation.sector == "private"
    assert record.items.count() == 4  # two organisations, two commissioners

    # The same file again changes nothing; a renamed prison is an update of its organisation's name.
    assert run(cast, "establishments", rows).counts() == {"new": 0, "updated": 0, "unchanged": 2}
    renamed = run(cast, "establishments", [{**rows[0], "Name": "HMP & YOI Wakefield"}, rows[1]])
    assert renamed.counts() == {"new": 0, "updated": 1, "unchanged": 1}
    assert Commissioner.objects.get(code="WAKE").organisation.name == "HMP & YOI Wakefield"

    # Undo the rename first (the first import's organisation was changed by it), then the first import.
    services.import_undo(actor=cast.alice, record=renamed, expected_version=renamed.version)
    assert Commissioner.objects.get(code="WAKE").organisation.name == "HMP Wakefield"
    record.refresh_from_db()
    services.import_undo(actor=cast.alice, record=record, expected_version=record.version)
    assert not Commissioner.objects.filter(code__in=["WAKE", "DONC"]).exists()
    assert not Organisation.objects.filter(name__in=["HMP Wakefield", "HMP Doncaster"]).exists()


def test_a_grant_already_recorded_is_updated_with_a_warning_and_put_back_by_undo(cast: Cast) -> None:
    MainGrantFactory.create(commissioner=cast.sypa, year=year_0607(), indicative=Decimal("1900000"), final=None)
    rows: list[Row] = [
        {"ID": "G1", "Commissioner": "SYPA", "Financial year": "2006-07", "Indicative": "1900000", "Final": "2000000"}
    ]
    record = run(cast, "grants", rows)
    assert record.status == ImportStatus.SAVED
    assert record.warnings[0]["message"] == "SYPA already has a grant for 2006-07. This row updates it."
    assert record.preview[0]["changes"] == ["Final", "ID"]
    grant = MainGrant.objects.get(commissioner=cast.sypa)
    assert (grant.final, grant.external_ref, grant.version) == (Decimal("2000000.00"), "G1", 2)

    services.import_undo(actor=cast.alice, record=record, expected_version=record.version)
    grant.refresh_from_db()
    assert (grant.indicative, grant.final, grant.external_ref) == (Decimal("1900000.00"), None, "")
    # Put back as it was, its version too: a form opened on the grant since holds version 2.
    assert grant.version == 1
    event = AuditEvent.objects.get(action="import_undo")
    assert event.after == {"deleted": [], "restored": [f"contracts.maingrant {grant.pk}"]}


def test_an_exact_directory_name_is_a_question_without_a_new_organisation_to_choose(cast: Cast) -> None:
    rows: list[Row] = [{"ID": "A", "Name": "acorn housing trust", "Sector": "vcs"}]
    record = run(cast, "organisations", rows)
    assert record.status == ImportStatus.READY
    question = record.preview[0]["question"]
    assert question["allow_new"] is False
    assert question["options"] == [[cast.charity.pk, "Acorn Housing Trust (the same name)"]]
    # "new" is not an answer it takes; the directory's organisation is.
    refused = run(cast, "organisations", rows, answers={"2": "new"})
    assert refused.status == ImportStatus.READY and not Organisation.objects.filter(external_ref="A").exists()
    answered = run(cast, "organisations", rows, answers={"2": str(cast.charity.pk)})
    assert answered.status == ImportStatus.SAVED
    assert Organisation.objects.get(pk=cast.charity.pk).external_ref == "A"
