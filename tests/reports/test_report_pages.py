"""Every registered report has a page, three downloads and a command-line form, open to everyone
(those registered ``signed_in_only`` to everyone signed in); bad parameters are refused with a
message a person understands, never a server error."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from stepchange.contracts.models import Contract
from stepchange.reports.registry import REPORTS

NAMES = sorted(REPORTS)
PARAMS = {"region": "YH", "at": "2006-10-01"}


def test_there_are_the_seven_reports_the_foundation_asks_for():
    assert set(NAMES) >= {
        "probation-share",
        "sector-split",
        "contract-profile",
        "contract-values",
        "national-comparison",
        "share-trend",
        "not-counted",
    }


def reader(client, cast, name):
    """A signed-out client for a published report; for one kept for people signed in, a provider's."""
    if REPORTS[name].signed_in_only:
        client.force_login(cast.dave)
    return client


def test_the_index_lists_and_links_every_registered_report(client, cast):
    signed_out = client.get("/reports/").content.decode()
    client.force_login(cast.dave)
    html = client.get("/reports/").content.decode()
    for name, report in REPORTS.items():
        assert f'href="/reports/{name}/"' in html, f"{name} is registered but not on the index"
        assert (f'href="/reports/{name}/"' in signed_out) is not report.signed_in_only, name
        assert report.title in html.replace("&#x27;", "'")
        assert report.description in html.replace("&#x27;", "'")


@pytest.mark.parametrize("name", NAMES)
def test_each_report_page_has_an_accessible_chart_beside_its_table(region, client, cast, name):
    html = reader(client, cast, name).get(f"/reports/{name}/", PARAMS).content.decode()
    assert '<table class="govuk-table' in html and "govuk-table__caption" in html
    figure = re.search(r'<figure class="app-figure">(.*?)</figure>', html, re.S)
    assert figure, "no chart"
    svg = figure.group(1)
    assert 'role="img"' in svg
    title = re.search(r'<title id="([^"]+)">[^<]+</title>', svg)
    desc = re.search(r'<desc id="([^"]+)">[^<]+</desc>', svg)
    assert title and desc
    assert f'aria-labelledby="{title.group(1)} {desc.group(1)}"' in svg
    assert "<figcaption" in svg
    assert "style=" not in html and "<script" not in svg


@pytest.mark.parametrize("name", NAMES)
def test_each_report_is_open_to_everyone_in_every_format(region, client_for, cast, name):
    for who, user in cast.everyone().items():
        expected = 302 if user is None and REPORTS[name].signed_in_only else 200
        assert client_for(user).get(f"/reports/{name}/", PARAMS).status_code == expected, who
    for extension in ("csv", "json", "xlsx"):
        assert reader(client_for(None), cast, name).get(f"/reports/{name}.{extension}", PARAMS).status_code == 200


@pytest.mark.parametrize("name", NAMES)
def test_reports_never_list_individual_contracts(region, client, cast, name):
    contracts = list(Contract.objects.values_list("reference", "title"))
    assert contracts
    client = reader(client, cast, name)
    for body in (
        client.get(f"/reports/{name}/", PARAMS).content.decode(),
        client.get(f"/reports/{name}.json", PARAMS).content.decode(),
        client.get(f"/reports/{name}.csv", PARAMS).content.decode(),
    ):
        for reference, title in contracts:
            assert reference not in body and title not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"at": "1 October"}, "write it as YYYY-MM-DD"),
        ({"at": "1890-01-01"}, "not in any financial year"),
        ({"region": "ZZ"}, "There is no region with the code"),
        ({"year": "1999-00"}, "There is no financial year"),
        ({"at": "2006-10-01", "year": "2006-07"}, "not both"),
        ({"colour": "blue"}, "Unknown parameter"),
    ],
)
def test_bad_parameters_reshow_the_form_with_an_error_summary(region, client, params, message):
    response = client.get("/reports/contract-values/", params)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in html and message in html
    assert "<title>Error: " in html
    assert 'name="at"' in html and 'name="region"' in html


def test_a_bad_date_is_marked_beside_the_date_field(region, client):
    html = client.get("/reports/probation-share/", {"at": "tomorrow"}).content.decode()
    assert '<a href="#at">' in html and 'id="at-error"' in html and "govuk-input--error" in html


@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_a_download_with_bad_parameters_is_a_400_with_the_message(region, client, extension):
    response = client.get(f"/reports/probation-share.{extension}", {"at": "2006-13-01"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert "Content-Disposition" not in response


def test_an_unknown_report_or_format_is_not_found(region, client):
    assert client.get("/reports/no-such-report/").status_code == 404
    assert client.get("/reports/no-such-report.csv").status_code == 404
    assert client.get("/reports/probation-share.pdf").status_code == 404


def test_a_year_report_offers_the_year_and_a_date_report_does_not(region, client):
    assert 'name="year"' in client.get("/reports/contract-values/", PARAMS).content.decode()
    assert 'name="year"' not in client.get("/reports/probation-share/", PARAMS).content.decode()
    html = client.get("/reports/contract-values/", {"year": "2006-07"}).content.decode()
    assert '<option value="2006-07" selected>' in html
    assert "financial year 2006-07" in html


def test_the_form_shows_the_date_the_report_was_run_for(region, client):
    html = client.get("/reports/probation-share/").content.decode()
    # No return is recorded, so the registry's default date is today, shown in the field.
    import datetime

    assert f'value="{datetime.date.today().isoformat()}"' in html


def test_the_command_lists_every_report(db):
    out = io.StringIO()
    call_command("report", "--list", stdout=out)
    for name, report in REPORTS.items():
        assert f"{name}\t{report.title}" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["probation-share", "--param", "at=2006-02-30"], "YYYY-MM-DD"),
        (["probation-share", "--param", "region=ZZ"], "no region"),
        (["probation-share", "--param", "at"], "key=value"),
        (["no-such-report"], "There is no report called"),
        ([], "--list"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(region, tmp_path, args, message):
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "--format", "csv", "--output", str(target), stderr=io.StringIO())
    assert not target.exists()


def test_the_command_needs_a_file_for_xlsx_when_output_is_not_a_byte_stream(region):
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "probation-share", "--format", "xlsx", stdout=io.StringIO())
