"""Every page each demo sign-in can reach passes axe-core's WCAG 2.2 A and AA rules.

The Yorkshire and Humberside demo is loaded, then for each persona (signed out, and one demo
sign-in per role) a breadth-first crawl starts at the home page and follows the links of the
service: same origin, no downloads, no sign-out, no Django admin. It visits one page of each kind
(each URL pattern: a contract's detail, its edit form, an organisation's profile, each report, each
management list and form, ...), the first one linked, so with a real object; the same template
renders every page of a kind, and one each keeps the crawl to about a minute. Each page is checked
with axe-core; the test fails listing page, rule and element for every violation, any link that
leads to an error, and any kind of page the persona should reach but did not.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page

from stepchange.demo.build import PASSWORD
from stepchange.reports.registry import REPORTS
from tests.browser import summary
from tests.browser.conftest import AXE, axe_violations, sign_in, waiting_on_a_busy_machine

# A guard against a crawl that runs away; one page of each kind keeps under it (the superuser
# reaches about 120 kinds).
MAX_PAGES = 170
# Downloads and feeds are files for programs, not pages for people: axe checks HTML pages.
SKIPPED_SUFFIXES = (".csv", ".json", ".xlsx", ".xml", ".atom")
# The API's own pages (/api/v1/: JSON, and the Swagger UI for programmers, drf-spectacular's) are not
# pages of the service's design; tests/api/ checks them.
SKIPPED_PREFIXES = ("/django-admin/", "/account/sign-out/", "/static/", "/api/")

REPORT_PAGES = {f"reports:report/{name}" for name in REPORTS}
PUBLIC_REPORT_PAGES = {f"reports:report/{name}" for name, report in REPORTS.items() if not report.signed_in_only}
# The bulletins are everyone's: reached from the opportunities page.
BULLETINS = {"bulletins:index", "bulletins:archive", "bulletins:subscribe"}
# Funding streams and small grants rounds are public.
FUNDING = {"funding:index", "funding:stream", "funding:round"}
EVERYONE = {"core:home", "reports:index", "reports:definition"} | PUBLIC_REPORT_PAGES | FUNDING | BULLETINS
# The regional team keeps the region's streams and rounds, records bids and reads the applications.
FUNDING_WORK = {
    *(f"funding:{kind}-{verb}" for kind in ("stream", "round") for verb in ("add", "edit")),
    "funding:bids",
    "funding:bid",
    "funding:bid-add",
    "funding:bid-edit",
    "funding:application",
}
# The MOVE consortium: seen by its region's people, run by the regional team and its lead members
# (Foundation Housing among them, which leads a partnership it may link).
CONSORTIUM_SEEN = {"consortia:index", "consortia:detail"}
CONSORTIUM_RUN = CONSORTIUM_SEEN | {"consortia:edit", "consortia:member-add", "consortia:member-remove"}
# Sub-contracting plans (the demo's four drafts, submitted in December 2006): the area's manager
# sees its own and may start another; the regional commissioner approves or sends them back and
# reads the region's roll-up (which links each plan's version).
PLANS_DRAFTED = {"plans:index", "plans:detail", "plans:create"}
PLANS_DECIDED = {"plans:index", "plans:detail", "plans:approve", "plans:send-back", "plans:rollup", "plans:version"}
# The regional team owns the region's action plan and runs its groups (its navigation's Governance).
GOVERNANCE_SEEN = {"governance:index", "governance:plan", "governance:action", "governance:group", "governance:meeting"}
GOVERNANCE_RUN = GOVERNANCE_SEEN | {
    *(f"governance:{kind}-create" for kind in ("plan", "group")),
    *(f"governance:{kind}-add" for kind in ("objective", "action", "note", "member", "meeting", "paper", "decision")),
    "governance:action-update",
}
# The area office's analyst owns demo actions past their due date: the home page's to-do leads to
# them, to the plan, and from its index to the steering group the analyst sits on.
GOVERNANCE_OWNER = GOVERNANCE_SEEN | {"governance:note-add", "governance:action-update"}
# Community engagement: the prison co-ordinator keeps HMP Leeds's records; the area analyst reads
# every establishment's and the region's gaps, and approves the reviews.
ENGAGEMENT_READ = {"engagement:index", "engagement:establishment", "engagement:link"}
ENGAGEMENT_KEEP = ENGAGEMENT_READ | {
    *(f"engagement:link-{verb}" for verb in ("add", "edit", "review", "end")),
    "engagement:requirement-add",
    "engagement:action-add",
    "engagement:action-edit",
}
# The steering group's packs: their list is linked from the reports' index for everyone signed in;
# the demo's finished pack is read by the region's regional commissioner, the national administrator
# and a superuser.
PACKS = {"pack:index", "pack:detail"}
# Monitoring requests: asked by those who manage contracts, answered by the prime's providers; the
# burden by organisation, for the regional commissioner and a provider (its own row).
MONITORING_ASKED = {"burden:requests", "burden:ask", "burden:request", "burden:index"}
MONITORING_ANSWERED = {"burden:requests", "burden:request", "burden:answer", "burden:index"}
SIGNED_IN = (
    EVERYONE
    | REPORT_PAGES
    | {"pack:index"}
    | {"contracts:list", "contracts:detail", "organisations:list", "organisations:detail", "accounts:your-account"}
    | {"notifications:list", "notifications:preferences"}
    | {"api-tokens:list"}
)
MANAGE = {
    "manage:index",
    *(f"manage:{kind}" for kind in ("grants", "targets", "pathways", "figures", "users")),
    *(f"manage:{kind}-create" for kind in ("grant", "target", "pathway", "figure", "return", "user")),
    *(f"manage:{kind}-edit" for kind in ("grant", "target", "pathway", "figure", "user")),
    "manage:returns",
    "manage:user-email",
}
CONTRACT_WORK = {"contracts:create", "contracts:edit", "contracts:sub-contract-add"}
# Targets and pathways are national data: the national administrator changes them, the regional
# commissioner reads them; the regional team decides the organisations' requests for a change.
NATIONAL_CHANGES = {f"manage:{kind}-{verb}" for kind in ("target", "pathway") for verb in ("create", "edit")}
CHANGE_REQUESTS = {"organisations:change-requests", "organisations:change-request"}
NATIONAL = {"manage:index", "manage:targets", "manage:pathways", "manage:figures", "manage:figure-create"}
NATIONAL |= NATIONAL_CHANGES | {"manage:figure-edit"}

# (persona, demo username or None, the kinds of page they must reach from the home page)
PERSONAS: list[tuple[str, str | None, set[str]]] = [
    ("signed out", None, EVERYONE | {"accounts:sign-in", "accounts:password-reset"}),
    (
        "regional commissioner",
        "rom.commissioner",
        SIGNED_IN
        | (MANAGE - NATIONAL_CHANGES)
        | CONTRACT_WORK
        | CHANGE_REQUESTS
        | {"organisations:edit", "organisations:create", "bulletins:team"}
        | FUNDING_WORK
        | {"imports:index", "imports:upload"}
        | CONSORTIUM_RUN
        | {"consortia:create"}
        | PLANS_DECIDED
        | GOVERNANCE_RUN
        | PACKS
        | MONITORING_ASKED,
    ),
    (
        "probation manager",
        "sypa.manager",
        # Every demo contract is public, so the first contract the crawl opens (one page of each
        # kind) is another commissioner's, with no Edit link: the manager reaches the new-contract
        # page; the edit and sub-contract pages are crawled as the regional commissioner's.
        SIGNED_IN
        | (CONTRACT_WORK - {"contracts:edit", "contracts:sub-contract-add"})
        | {"manage:grants", "manage:grant-create", "manage:grant-edit"}
        | PLANS_DRAFTED
        # The demo's monitoring requests are the regional team's: the manager lists none of them.
        | {"burden:requests", "burden:ask"},
    ),
    ("prison co-ordinator", "leeds.coordinator", SIGNED_IN | CONSORTIUM_SEEN | ENGAGEMENT_KEEP),
    (
        "area analyst",
        "area.analyst",
        SIGNED_IN | GOVERNANCE_OWNER | ENGAGEMENT_READ | {"engagement:gaps", "engagement:review-approve"},
    ),
    # The demo's providers administer their organisation's people.
    (
        "provider",
        "foundation.provider",
        SIGNED_IN
        | {"organisations:edit", "accounts:people", "accounts:people-invite", "commissioning:bid-team"}
        | {"organisations:change-request-create"}
        # Foundation Housing records the bids it is helped with (the demo has none of its own).
        | {"funding:bids", "funding:bid-add"}
        | CONSORTIUM_RUN
        | {"consortia:link"}
        | MONITORING_ANSWERED,
    ),
    # The demo publishes no contract, and an evaluator sees only published ones.
    ("evaluator", "evaluator", SIGNED_IN - {"contracts:detail"}),
    # Like the evaluator, the national administrator sees only published contracts.
    ("national administrator", "national.admin", (SIGNED_IN - {"contracts:detail"}) | NATIONAL | PACKS),
    (
        "superuser",
        "admin",
        SIGNED_IN | MANAGE | CONTRACT_WORK | CHANGE_REQUESTS | {"organisations:edit", "organisations:create"} | PACKS,
    ),
]


@dataclass
class Crawl:
    persona: str
    pages: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # kind of page → pages of it visited
    problems: list[str] = field(default_factory=list)


def kind_of(path: str) -> str | None:
    """The URL pattern's name (a report's name too, as each report is its own page), or None
    for an address the service does not answer."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "reports:report":
        return f"reports:report/{match.kwargs['name']}"
    return match.view_name


def followable(url: str, origin: str) -> str | None:
    """The address to visit for a link, or None for links the crawl leaves alone."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if parts.path.endswith(SKIPPED_SUFFIXES) or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return url


_LINKS_JS = """() => [...document.querySelectorAll("a[href]")]
  .filter((a) => !a.hasAttribute("download"))
  .map((a) => a.href)"""


def crawl(page: Page, origin: str, persona: str) -> Crawl:
    result = Crawl(persona)
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([(origin + "/", "the start")])
    while queue and len(result.pages) < MAX_PAGES:
        url, referrer = queue.popleft()
        kind = kind_of(urlsplit(url).path)
        if url in seen or kind in result.kinds:
            continue
        seen.add(url)
        if kind is None:
            result.problems.append(f"{url}: linked from {referrer} but not a page of the service")
            continue
        response = page.goto(url)
        final = page.url
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            result.problems.append(f"{url}: linked from {referrer}, answered {status}")
            continue
        if final != url:  # a redirect, e.g. to the sign-in page: count the page where it landed
            kind = kind_of(urlsplit(final).path)
            if final in seen or kind is None or kind in result.kinds:
                continue
            seen.add(final)
        result.pages.append(final)
        result.kinds[kind] = 1
        for violation in axe_violations(page):
            for target in violation["targets"]:
                result.problems.append(f"{final}: {violation['id']} ({violation['help']}) at {target}")
        for link in page.evaluate(_LINKS_JS):
            target_url = followable(link, origin)
            if target_url is not None and target_url not in seen:
                queue.append((target_url, final))
    return result


def record_count(tmp_path_factory: pytest.TempPathFactory, crawl: Crawl) -> None:
    """For the run's summary (tests/browser/conftest.py), which reads them from every worker."""
    folder = tmp_path_factory.getbasetemp() / summary.FOLDER
    folder.mkdir(exist_ok=True)
    name = crawl.persona.replace(" ", "-")
    (folder / f"{name}.json").write_text(json.dumps({"persona": crawl.persona, "pages": len(crawl.pages)}))


# The personas in three groups of about the same crawling time, one test each: a test loads the demo
# once for its group (about 4 s), and xdist still shares the three between its workers.
GROUPS = (
    ("regional commissioner", "evaluator", "signed out"),
    ("superuser", "prison co-ordinator", "national administrator"),
    ("provider", "area analyst", "probation manager"),
)


def crawl_as(browser: Browser, origin: str, persona: str, username: str | None) -> Crawl:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=AXE)  # axe-core in every page from the start, sent once
    page = waiting_on_a_busy_machine(context.new_page())
    try:
        if username is not None:
            sign_in(page, origin, username, PASSWORD)
            assert "/account/sign-in/" not in page.url, f"{username} could not sign in"
        return crawl(page, origin, persona)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("group", GROUPS, ids=[", ".join(group) for group in GROUPS])
def test_every_page_a_persona_reaches_passes_axe(
    live_server,
    browser: Browser,
    transactional_db: None,
    tmp_path_factory: pytest.TempPathFactory,
    group: tuple[str, ...],
) -> None:
    call_command("load_demo", stdout=StringIO())
    found: list[str] = []
    for persona, username, must_reach in PERSONAS:
        if persona not in group:
            continue
        # Each persona in a browser context of its own; a crawl only reads (its sign-in aside).
        result = crawl_as(browser, live_server.url, persona, username)
        record_count(tmp_path_factory, result)
        problems = result.problems + [
            f"never reached a page of kind {k}" for k in sorted(must_reach - set(result.kinds))
        ]
        if problems:
            found.append(
                f"{persona}, {len(result.pages)} pages crawled, {len(problems)} problems:\n" + "\n".join(problems)
            )
    assert not found, "\n\n".join(found)


def test_the_groups_name_every_persona_once() -> None:
    named = [persona for group in GROUPS for persona in group]
    assert sorted(named) == sorted(persona for persona, _, _ in PERSONAS)
