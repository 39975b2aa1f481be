"""Grace imports a template HMP Leeds e-mailed her, with ``manage.py import_return``: the upload
page's checks and service from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from stepchange.returns.models import PrisonReturn, PrisonReturnUpload
from tests.factories import open_prison_round
from tests.returns.workbooks import as_upload, download_template, fill_every_pathway, set_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(cast, clock, client_for, tmp_path):
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    workbook = download_template(client_for(cast.frank), prison_return)
    fill_every_pathway(workbook)
    set_figures(workbook, "Health", 4, 1, 0, 950)
    path = tmp_path / "leeds.xlsx"
    path.write_bytes(as_upload(workbook).read())
    return prison_return, workbook, path


def test_grace_imports_the_file_and_it_is_saved_as_coming_from_her(cast, emailed):
    prison_return, _workbook, path = emailed
    out = io.StringIO()
    call_command("import_return", "--return", str(prison_return.pk), "--user", "grace", str(path), stdout=out)
    assert f"Saved 7 pathways from leeds.xlsx into {prison_return}." in out.getvalue()
    assert prison_return.lines.get(pathway__code="health").services_running == 4
    assert PrisonReturnUpload.objects.get().uploaded_by == cast.grace
    # The same file again changes nothing.
    again = io.StringIO()
    call_command("import_return", "--return", str(prison_return.pk), "--user", "grace", str(path), stdout=again)
    assert "holds what HMP Leeds 2006-07 Q1 already has: nothing changed." in again.getvalue()
    assert PrisonReturnUpload.objects.count() == 1


def test_a_file_with_problems_is_listed_and_nothing_is_saved(emailed, tmp_path):
    prison_return, workbook, _path = emailed
    set_figures(workbook, "Health", 4, 5, 0)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(as_upload(workbook).read())
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_return", "--return", str(prison_return.pk), "--user", "grace", str(bad), stderr=err)
    assert (
        str(refused.value)
        == "The file has 1 problem. (1 pathway with more services started than running) Nothing was saved."
    )
    assert (
        "Sheet “Lines”, row 4, column C (Services started): found “5”; expected at most the services running (4)"
        in (err.getvalue())
    )
    assert not prison_return.lines.exists()


def test_only_someone_who_fills_in_or_signs_off_the_return_may_import(cast, emailed):
    prison_return, _workbook, path = emailed
    for username in ("bob", "dave", "nobody"):
        with pytest.raises(CommandError):
            call_command("import_return", "--return", str(prison_return.pk), "--user", username, str(path))
    assert not prison_return.lines.exists()
