"""Each report page links to its definition, the report's section of docs/figures.md shown as a
page of the service (docs/ itself is not served)."""

from __future__ import annotations

import re

import pytest

from stepchange.reports.definitions import FIGURES_MD, render
from stepchange.reports.registry import REPORTS

NAMES = frozenset(REPORTS)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_links_to_its_written_definition(cast, client_for, name):
    client = client_for(cast.alice)  # returns-status is for people signed in
    report = client.get(f"/reports/{name}/")
    assert f'href="/reports/{name}/definition/"' in report.content.decode()
    page = client.get(f"/reports/{name}/definition/")
    assert page.status_code == 200
    html = page.content.decode()
    # The section's first line, its title in bold, as the file writes it.
    section = FIGURES_MD.read_text(encoding="utf-8").split(f"\n## {name}\n", 1)[1]
    title = re.match(r"\s*\*\*(.+?)\*\*", section)
    assert title, f"docs/figures.md has no section for {name}"
    assert f"<strong>{title.group(1)}</strong>".replace("'", "&#x27;") in html
    assert f"docs/figures.md#{name}" in html


def test_no_definition_for_a_report_that_does_not_exist(client):
    assert client.get("/reports/no-such-report/definition/").status_code == 404


def test_the_file_cannot_add_markup_of_its_own():
    html = render('A <script>alert("x")</script> and `<b>code</b>` and **bold**', NAMES)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;code&lt;/b&gt;" in html and "<strong>bold</strong>" in html


def test_links_go_to_another_reports_definition_or_become_text():
    html = render(
        "See [the share](#probation-share), [conventions](#conventions), [x](javascript:alert(1)) "
        "and [GOV.UK](https://www.gov.uk/).",
        NAMES,
    )
    assert '<a class="govuk-link" href="/reports/probation-share/definition/">the share</a>' in html
    assert "conventions" in html and 'href="#conventions"' not in html
    assert "javascript" not in html.split("[x]")[0] and 'href="javascript' not in html
    assert '<a class="govuk-link" href="https://www.gov.uk/">GOV.UK</a>' in html


def test_lists_and_tables_are_govuk_markup():
    html = render("- one\n- two\n  more\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |", NAMES)
    assert '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two more</li></ul>' in html
    assert '<ol class="govuk-list govuk-list--number"><li>first</li><li>second</li></ol>' in html
    assert '<td class="govuk-table__cell">1</td><td class="govuk-table__cell">2</td>' in html
