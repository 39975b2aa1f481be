"""A new region from nothing to its figures, through the pages, with the keyboard alone (but for
choosing the file to upload). The import and report pages are checked by axe-core here; the set-up
pages are checked one by one in test_region_setup_journey.py.

Nadia, the national administrator, adds the East Midlands and invites its first regional
commissioner, Emma. Emma accepts the e-mailed link, then adds two probation areas (Derbyshire DPA,
Nottinghamshire NPA) and a prison (HMP Nottingham, NOTT), invites Derbyshire's contracts manager,
and records the areas' main grants for 2006-07 (indicative: DPA £2,000,000, NPA £4,000,000). She
imports the organisations, contracts and sub-contracts from spreadsheets; each file is checked and
saved by the real database worker (``db_worker`` in its batch mode), as in production. Then she
opens the region's probation share, contracts profile and not-counted reports at 1 October 2006.

Organisations: Ouse Housing (VCS), Ridings Training Ltd (private), Wold Council (public).
Contracts, all live on 1 October 2006:
  DPA-1   DPA,  Ouse (VCS),       main grant,           £30,000, accommodation         counted
  DPA-2   DPA,  Ridings (private), main grant,          £20,000, accommodation; ETE    counted
          with a £5,000 sub-contract to Ouse (never added on top)
  DPA-3   DPA,  Wold (public),     main grant,          £40,000, health                not counted (public prime)
  DPA-4   DPA,  Ouse,              new investment (TWP), £50,000, accommodation         not counted (new investment)
  NPA-1   NPA,  Ouse,              main grant,           £60,000, health                counted
  NOTT-1  NOTT, Ouse,              main grant,           £9,000,  accommodation         not counted (a prison's)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings

from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import Region
from stepchange.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.browser.keyboard import follow, skip_to_main_content, tab_to, type_into
from tests.factories import persona
from tests.imports.files import Row, xlsx_file
from tests.personas import PASSWORD

EMMA_CHOSE = "emma chose this for the east midlands"

ORGANISATIONS: list[Row] = [
    {"ID": "OUSE", "Name": "Ouse Housing", "Sector": "vcs", "Charity number": "1111111"},
    {"ID": "RIDINGS", "Name": "Ridings Training Ltd", "Sector": "private", "Company number": "01234567"},
    {"ID": "WOLD", "Name": "Wold Council", "Sector": "public"},
]


def contract(ident: str, commissioner: str, prime: str, value: str, pathways: str, **more: str) -> Row:
    return {
        "ID": ident,
        "Reference": ident,
        "Title": f"Service {ident}",
        "Commissioner": commissioner,
        "Prime": prime,
        "Pathways": pathways,
        "Annual value": value,
        "Start": "1/4/2006",
        "Funding source": "main_grant",
        **more,
    }


CONTRACTS: list[Row] = [
    contract("DPA-1", "DPA", "OUSE", "30000", "accommodation"),
    contract("DPA-2", "DPA", "RIDINGS", "20000", "accommodation;ete", Start="1/6/2006"),
    contract("DPA-3", "DPA", "WOLD", "40000", "health"),
    contract("DPA-4", "DPA", "OUSE", "50000", "accommodation", **{"Funding source": "new_investment", "Funder": "TWP"}),
    contract("NPA-1", "NPA", "OUSE", "60000", "health", Start="1/1/2006"),
    contract("NOTT-1", "NOTT", "OUSE", "9000", "accommodation"),
]
REGION_SHARE = {
    "Main grant": "£6,000,000",
    "Counted spend": "£110,000",
    "Counted spend at baseline": "£90,000",
    "Regional share, weighted by grant": "1.83%",
    "Mean of the areas' shares": "2.00%",
    "Regional share at baseline, weighted by grant": "1.50%",
    "Mean of the areas' shares at baseline": "1.50%",
    "VCS contracts": "2",
    "Private contracts": "1",
}
PROFILE_COLUMNS = (
    "Accommodation",
    "Education, Training & Employment",
    "Health",
    "Pathway entries",
    "Contracts",
    "Entries less contracts",
    "Contracts on several pathways",
)
SUB_CONTRACTS: list[Row] = [{"ID": "SUB-1", "Contract": "DPA-2", "Partner": "OUSE", "Value": "5000"}]

# The text a sighted reader sees in an element: without its visually hidden words.
_SEEN_JS = """
const seen = (el) => {
  const copy = el.cloneNode(true);
  copy.querySelectorAll(".govuk-visually-hidden").forEach((hidden) => hidden.remove());
  return copy.textContent.trim().replace(/\\s+/g, " ");
};
"""
# Each cell of a report's table by its column's heading, for the row whose heading cell is ``name``.
_ROW_JS = (
    "(name) => {"
    + _SEEN_JS
    + """
  const table = document.querySelector("table.app-report-table");
  const headers = [...table.querySelectorAll("thead th")].map(seen);
  const row = [...table.querySelectorAll("tbody tr, tfoot tr")].find((tr) => seen(tr.children[0]) === name);
  if (!row) return null;
  return Object.fromEntries([...row.children].map((cell, i) => [headers[i], seen(cell)]));
}"""
)
# Every row of a report's table, cell by cell.
_ROWS_JS = (
    "() => {"
    + _SEEN_JS
    + """
  return [...document.querySelectorAll("table.app-report-table tbody tr")].map((tr) => [...tr.children].map(seen));
}"""
)
# The headline figures (label: value) above a report's table.
_HEADLINE_JS = (
    "() => {"
    + _SEEN_JS
    + """
  return Object.fromEntries([...document.querySelectorAll(".app-headline-figures__item")].map(
    (item) => [seen(item.querySelector("dt")), seen(item.querySelector("dd"))]));
}"""
)


def pick(page: Page, selector: str, label: str) -> None:
    """Reach a select with the keyboard, then choose the option by its label."""
    tab_to(page, selector)
    expect(page.locator(selector)).to_be_focused()
    page.select_option(selector, label=label)


def saved(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def add_commissioner(page: Page, kind: str, name: str, code: str, *, operator: str | None = None) -> None:
    follow(page, f"a[href='/manage/commissioners/new/{kind}/']")
    skip_to_main_content(page)
    type_into(page, "#id_name", name)
    type_into(page, "#id_code", code)
    if operator is not None:
        tab_to(page, f"input[name=operator][value={operator}]")
        page.keyboard.press("Space")
        expect(page.locator(f"input[name=operator][value={operator}]")).to_be_checked()
        pick(page, "#id_establishment_type", "Local")
    follow(page, "button[type=submit]")


def add_grant(page: Page, area: str, indicative: str) -> None:
    follow(page, "a[href='/manage/grants/new/']")
    skip_to_main_content(page)
    pick(page, "#id_commissioner", area)
    pick(page, "#id_year", "2006-07")
    type_into(page, "#id_indicative", indicative)
    follow(page, "button[type=submit]")
    saved(page, "The main grant has been added")


def run_worker() -> None:
    """Everything queued, then the worker stops (its batch mode): the import pages only enqueue."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def import_file(
    page: Page, region: Region, kind: str, rows: list[Row], tmp_path: Path, counts: str, *, axe: bool = False
) -> None:
    """Upload the file from the imports page, let the worker check it, confirm, let it save."""
    follow(page, f"a[href='/imports/{region.code}/{kind}/upload/']")
    if axe:
        assert_accessible(page)
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(xlsx_file(kind, rows, region=region).read())
    page.set_input_files("#id_file", str(path))
    follow(page, "button.govuk-button")
    expect(page.locator("#status")).to_have_text("Being checked")
    run_worker()
    # The page refreshes itself while the worker has the file; the counts show once it is checked.
    expect(page.locator("#counts")).to_have_text(counts)
    if axe:
        assert_accessible(page)
    follow(page, "form[action$='/confirm/'] button")
    expect(page.locator("#status")).to_have_text("Being saved")
    run_worker()
    expect(page.locator("#status")).to_have_text("Saved")
    follow(page, "a.govuk-back-link")


def open_report(page: Page, base_url: str, name: str) -> None:
    """The report's page from the published reports, then its figures for the East Midlands at 1 October 2006."""
    page.goto(f"{base_url}/reports/")
    skip_to_main_content(page)
    follow(page, f"main a[href='/reports/{name}/']")
    type_into(page, "#at", "2006-10-01")
    pick(page, "#region", "East Midlands")
    follow(page, "button.govuk-button--secondary")
    expect(page.locator("table.app-report-table caption")).to_contain_text("East Midlands, at 1 October 2006")


def cells(page: Page, name: str) -> dict[str, str]:
    found: dict[str, str] | None = page.evaluate(_ROW_JS, name)
    assert found is not None, f"no row {name} on {page.url}"
    return found


@pytest.mark.django_db(transaction=True)
def test_a_new_region_from_nothing_to_its_figures(
    live_server, page: Page, browser: Browser, transactional_db: None, smtp, settings: Settings, tmp_path: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    persona("nadia", Role.NATIONAL_ADMIN)

    # Nadia adds the region and invites its first regional commissioner.
    sign_in(page, live_server.url, "nadia", PASSWORD)
    page.goto(f"{live_server.url}/manage/service-regions/new/")
    skip_to_main_content(page)
    type_into(page, "#id_code", "EM")
    type_into(page, "#id_name", "East Midlands")
    follow(page, "button[type=submit]")
    saved(page, "Invite its first regional commissioner next")
    region = Region.objects.get(code="EM")
    follow(page, f"a[href='/manage/service-regions/{region.pk}/invite/']")
    skip_to_main_content(page)
    type_into(page, "#id_username", "emma")
    type_into(page, "#id_first_name", "Emma")
    type_into(page, "#id_last_name", "Hart")
    type_into(page, "#id_email", "emma@example.org")
    follow(page, "button[type=submit]")
    saved(page, "emma@example.org")

    # Emma, in her own browser, follows the e-mailed link, chooses her password and signs in.
    [message] = smtp.to("emma@example.org")
    link = re.search(r"https?://\S+/account/invitation/\S+", smtp.body(message))
    assert link
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    emma = waiting_on_a_busy_machine(context.new_page())
    emma.goto(link.group(0).replace("http://testserver", live_server.url))
    skip_to_main_content(emma)
    type_into(emma, "#id_new_password1", EMMA_CHOSE)
    type_into(emma, "#id_new_password2", EMMA_CHOSE)
    follow(emma, "button[type=submit]")
    sign_in(emma, live_server.url, "emma", EMMA_CHOSE)

    # Two probation areas and a prison.
    emma.goto(f"{live_server.url}/manage/commissioners/")
    add_commissioner(emma, "probation-area", "Derbyshire Probation Area", "DPA")
    saved(emma, "A probation area has been added")
    add_commissioner(emma, "probation-area", "Nottinghamshire Probation Area", "NPA")
    saved(emma, "A probation area has been added")
    add_commissioner(emma, "prison", "HMP Nottingham", "NOTT", operator="public")
    saved(emma, "A prison has been added")

    # Derbyshire's contracts manager, invited from the users pages.
    emma.goto(f"{live_server.url}/manage/users/new/")
    skip_to_main_content(emma)
    type_into(emma, "#id_username", "derek")
    type_into(emma, "#id_first_name", "Derek")
    type_into(emma, "#id_email", "derek@example.org")
    pick(emma, "#id_role", "Probation contracts manager")
    pick(emma, "#id_organisation", "Derbyshire Probation Area")
    follow(emma, "button[type=submit]")
    saved(emma, "derek@example.org")
    assert smtp.to("derek@example.org")

    # The areas' main grants for 2006-07.
    emma.goto(f"{live_server.url}/manage/grants/")
    add_grant(emma, "Derbyshire Probation Area (DPA)", "2,000,000")
    add_grant(emma, "Nottinghamshire Probation Area (NPA)", "4,000,000")

    # The imports, from the service navigation: the worker checks each file, then saves it.
    follow(emma, ".govuk-service-navigation__list a[href='/imports/']")
    assert_accessible(emma)
    skip_to_main_content(emma)
    import_file(
        emma, region, "organisations", ORGANISATIONS, tmp_path, "3 organisations new, 0 updated, 0 unchanged", axe=True
    )
    import_file(emma, region, "contracts", CONTRACTS, tmp_path, "6 contracts new, 0 updated, 0 unchanged")
    import_file(emma, region, "sub-contracts", SUB_CONTRACTS, tmp_path, "1 sub-contracts new, 0 updated, 0 unchanged")
    assert Contract.objects.filter(commissioner__region=region).count() == 6
    assert SubContract.objects.get().value == 5000

    # Probation share at 1 October 2006. Counted spend: main grant, VCS or private prime, live.
    #   DPA: DPA-1 30,000 (VCS) + DPA-2 20,000 (private) = 50,000; the 5,000 sub-contract is inside
    #        DPA-2, not added; DPA-3 (public prime) and DPA-4 (new investment) do not count.
    #        50,000 / 2,000,000 = 2.5%.
    #   NPA: NPA-1 60,000 / 4,000,000 = 1.5%.
    #   Region, weighted by grant: (50,000 + 60,000) / (2,000,000 + 4,000,000) = 110,000 / 6,000,000
    #        = 1.8333...% (1.83% to two places); mean of the areas' shares: (2.5 + 1.5) / 2 = 2.00%.
    #   VCS contracts counted: DPA-1, NPA-1 (2); private: DPA-2 (1).
    # At the year's baseline, 1 April 2006, DPA-2 (from 1 June) had not started:
    #   DPA: 30,000 / 2,000,000 = 1.5%; NPA: 60,000 / 4,000,000 = 1.5% (NPA-1 from 1 January 2006).
    #   Region: 90,000 / 6,000,000 = 1.50% weighted, (1.5 + 1.5) / 2 = 1.50% the mean.
    #   Change since the baseline: DPA 2.5 - 1.5 = +1.00 points, NPA 1.5 - 1.5 = 0.00.
    open_report(emma, live_server.url, "probation-share")
    assert_accessible(emma)
    derbyshire = cells(emma, "Derbyshire Probation Area")
    assert (derbyshire["Main grant"], derbyshire["Counted spend"], derbyshire["Share of main grant"]) == (
        "£2,000,000",
        "£50,000",
        "2.5%",
    )
    notts = cells(emma, "Nottinghamshire Probation Area")
    assert (notts["Main grant"], notts["Counted spend"], notts["Share of main grant"]) == (
        "£4,000,000",
        "£60,000",
        "1.5%",
    )
    assert derbyshire["Change (points)"] == "+1.00"
    assert notts["Change (points)"] == "0.00"
    headline = emma.evaluate(_HEADLINE_JS)
    assert {key: headline[key] for key in REGION_SHARE} == REGION_SHARE

    # Contracts profile: counted contracts only (DPA-1, DPA-2, NPA-1), once on each of their pathways.
    #   DPA: accommodation 2 (DPA-1, DPA-2), ETE 1 (DPA-2): 3 entries for 2 contracts, a difference
    #        of 1 (DPA-2 is on two pathways).
    #   NPA: health 1 (NPA-1): 1 entry, 1 contract.
    #   Region: accommodation 2, ETE 1, health 1: 4 entries, 3 contracts, a difference of 1.
    open_report(emma, live_server.url, "contract-profile")
    assert_accessible(emma)
    profile = {
        name: {key: cells(emma, name)[key] for key in PROFILE_COLUMNS}
        for name in ("Derbyshire Probation Area", "Nottinghamshire Probation Area", "Total")
    }
    assert profile == {
        "Derbyshire Probation Area": dict(zip(PROFILE_COLUMNS, ["2", "1", "0", "3", "2", "1", "1"], strict=True)),
        "Nottinghamshire Probation Area": dict(zip(PROFILE_COLUMNS, ["0", "0", "1", "1", "1", "0", "0"], strict=True)),
        "Total": dict(zip(PROFILE_COLUMNS, ["2", "1", "1", "4", "3", "1", "1"], strict=True)),
    }

    # Not counted at 1 October 2006: DPA-3 40,000 (public prime) + DPA-4 50,000 (new investment)
    #   = 90,000 of probation money, + NOTT-1 9,000 (a prison's main grant) = £99,000 in 3 contracts;
    #   counted beside it: 30,000 + 20,000 + 60,000 = £110,000 in 3 contracts.
    open_report(emma, live_server.url, "not-counted")
    headline = emma.evaluate(_HEADLINE_JS)
    print(headline)
    assert_accessible(emma)
    assert emma.evaluate(_HEADLINE_JS) == {
        "Contracts not counted": "3",
        "Annual value not counted": "£99,000",
        "Not counted, commissioned by probation areas": "£90,000",
        "Not counted, commissioned by prisons": "£9,000",
        "Not counted, commissioned by the regional team": "£0",
        "Contracts counted": "3",
        "Annual value counted": "£110,000",
    }
    public_prime = "Main grant with a public-sector prime"
    new_investment = "New investment from outside the main grant"
    prisons = "Main grant of a prison or the regional team, not an area's"
    assert emma.evaluate(_ROWS_JS) == [
        ["Probation area", "Derbyshire Probation Area", public_prime, "Main grant", "1", "£40,000"],
        ["Probation area", "Derbyshire Probation Area", new_investment, "TWP", "1", "£50,000"],
        ["Prison", "HMP Nottingham", prisons, "Main grant", "1", "£9,000"],
    ]
    context.close()
