"""Every file of the bad-file corpus (tests/returns/bad_files.py) is refused with the right message,
and the database is exactly as it was: the row count of every table and a checksum of every row of
the returns tables and the audit log, taken before and after the upload, are equal.
"""

from __future__ import annotations

import datetime
import hashlib
import html
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from stepchange.core.models import Pathway
from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ReturnKind
from stepchange.returns.upload_content import KINDS
from tests.factories import CommissionerFactory, year_0607
from tests.returns.bad_files import CASES, BadFile, Setting
from tests.returns.workbooks import template_bytes

pytestmark = pytest.mark.django_db

CHECKSUMMED = ("returns_", "core_auditevent")


def database_fingerprint() -> dict[str, Any]:
    """Row counts of every table; a SHA-256 of every row, in key order, of the returns tables and the audit log."""
    fingerprint: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - names from the introspection
            fingerprint[table] = cursor.fetchone()[0]
            if table.startswith(CHECKSUMMED):
                cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608
                digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
                fingerprint[f"{table} checksum"] = digest
    return fingerprint


@pytest.fixture
def setting(cast, clock, client_for) -> Setting:
    doncaster = CommissionerFactory.create(
        code="DONC", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PRIVATE
    )

    def open_round(quarter: int, opens: datetime.date) -> Any:
        return services.round_open(
            actor=cast.grace,
            region=cast.region,
            kind=ReturnKind.PRISON,
            year=year_0607(),
            quarter=quarter,
            commissioners=[cast.leeds, doncaster],
            opens_on=opens,
            deadline=opens + datetime.timedelta(days=30),
        )

    q1 = open_round(1, datetime.date(2006, 7, 1))
    q2 = open_round(2, datetime.date(2006, 10, 1))
    leeds = PrisonReturn.objects.get(round=q1, commissioner=cast.leeds)
    frank = client_for(cast.frank)

    def change_the_return() -> None:
        leeds.refresh_from_db()
        services.prison_line_save(
            actor=cast.frank,
            prison_return=leeds,
            expected_version=leeds.version,
            pathway=Pathway.objects.get(code="health"),
            organisations=[],
            proposed=[],
            services_running=2,
            services_started=0,
            services_ended=0,
            spend=None,
        )

    return Setting(
        leeds=leeds,
        doncaster=PrisonReturn.objects.get(round=q1, commissioner=doncaster),
        leeds_q2=PrisonReturn.objects.get(round=q2, commissioner=cast.leeds),
        template=template_bytes(frank, leeds),
        lines_csv=template_bytes(frank, leeds, "csv").decode("utf-8"),
        change_the_return=change_the_return,
    )


def test_the_corpus_has_at_least_25_files_of_both_tiers_and_every_kind_of_content_problem() -> None:
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)
    assert {case.tier for case in CASES} == {1, 2}
    named = " ".join(case.name for case in CASES)
    # Services ended above last quarter's running and started needs last quarter's return, which the
    # first quarter uploaded here has not: test_prison_figures uploads that one to a second quarter.
    for kind in ("pathway", "whole_number", "started_above_running", "total", "formula", "empty"):
        assert kind in named, kind
    assert len(KINDS) >= 15


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_bad_file_is_refused_saying_why_and_changes_nothing(
    case: BadFile, setting: Setting, cast, client_for
) -> None:
    name, content = case.build(setting)
    frank = client_for(cast.frank)
    before = database_fingerprint()

    response = frank.post(f"/returns/prison/{setting.leeds.pk}/upload/", {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'class="govuk-error-summary"' in page
    expected = [text.format(**setting.ids()) for text in case.expected]
    if case.tier == 1:
        assert response.context["problems"] == []
        for text in expected:
            assert text in page, f"{case.name}: {text!r} not on the page"
    else:
        problems = [str(problem) for problem in response.context["problems"]]
        assert f"has {response.context['problems_total']} problem" in page
        for text in expected:
            assert any(text in problem for problem in problems) or text in page, (
                f"{case.name}: {text!r} not among {problems}"
            )
        # Each problem's place, value and expectation are on the page, in the problems table.
        for problem in response.context["problems"]:
            assert f'<td class="govuk-table__cell">{problem.row}</td>' in page
            assert problem.expected[:1].upper() + problem.expected[1:] in page
    assert database_fingerprint() == before, f"{case.name} changed the database"


def test_the_fingerprint_sees_a_change_to_a_single_value(setting: Setting) -> None:
    """The check above could not pass by accident: one figure changed changes the fingerprint."""
    before = database_fingerprint()
    setting.change_the_return()
    after = database_fingerprint()
    assert after != before
    line = setting.leeds.lines.get()
    type(line).objects.filter(pk=line.pk).update(services_running=3)
    assert database_fingerprint()["returns_prisonreturnline checksum"] != after["returns_prisonreturnline checksum"]
    assert apps.get_model("returns", "PrisonReturnLine")._meta.db_table == "returns_prisonreturnline"


def test_the_file_the_corpus_is_made_from_is_accepted(setting: Setting, cast, client_for) -> None:
    """Each bad file is one mistake away from this one, so each refusal is for its mistake."""
    from tests.returns.bad_files import csv_bytes, csv_rows, edited

    frank = client_for(cast.frank)
    name, content = edited(setting, lambda workbook: None)
    accepted = frank.post(f"/returns/prison/{setting.leeds.pk}/upload/", {"file": SimpleUploadedFile(name, content)})
    assert accepted.status_code == 302
    assert setting.leeds.lines.count() == 7
    # The CSV downloaded beside the workbook, before that upload, would now overwrite it: refused.
    rows, heading = csv_rows(setting)
    rows[heading + 1][1] = "3"
    url = f"/returns/prison/{setting.leeds.pk}/upload/"
    stale = frank.post(url, {"file": SimpleUploadedFile("leeds.csv", csv_bytes(rows))})
    assert "The return has been changed since the template leeds.csv was downloaded" in stale.content.decode()
    # Downloaded again, it is taken.
    setting.lines_csv = template_bytes(frank, setting.leeds, "csv").decode("utf-8")
    rows, heading = csv_rows(setting)
    rows[heading + 1][1] = "3"
    again = frank.post(url, {"file": SimpleUploadedFile("leeds.csv", csv_bytes(rows))})
    assert again.status_code == 302
    assert setting.leeds.lines.get(pathway__code="accommodation").services_running == 3
