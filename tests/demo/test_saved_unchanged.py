"""Every demo record that has an edit page saves through it unchanged.

For each kind of editable record, every one the demo holds: its edit page is opened by the first
demo sign-in offered it (the record's own people before the regional team and the superuser), and
the form is sent back exactly as the page filled it, as a browser would send it. Each must be taken
(a redirect) or be re-shown saying nothing changed, never with an error. A record whose page nobody
is offered (an approved return, a closed stage) has nothing to save and is passed over; a page that
fails for someone is a failure. A failure names the record, who opened it and what the page said.

Pages whose form starts empty because it asks for something new rather than showing a record (your
account's change of e-mail address, a score's moderation, answering a clarification or a
challenge, deciding a request) have no unchanged values to send and are not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from stepchange.accounts.models import User
from stepchange.commissioning.models import Bid, BiddingPartnership, Opportunity, Stage
from stepchange.contracts.models import Contract, MainGrant, Target
from stepchange.core.models import Pathway
from stepchange.funding.models import FundingStream, GrantsRound, HelpedBid
from stepchange.organisations.models import Organisation
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProbationReturnLine
from tests.conftest import signed_in
from tests.html_forms import page_form

pytestmark = pytest.mark.usefixtures("demo", "db")

# Whom to offer each page, most particular first: a record's own people before the regional
# commissioner, the national administrator and the superuser.
EDITORS = (
    "sypa.manager",
    "hypa.manager",
    "nypa.manager",
    "wypa.manager",
    "leeds.coordinator",
    "doncaster.coordinator",
    "foundation.provider",
    "private.provider",
    "forum.member",
    "evaluator",
    "area.analyst",
    "rom.commissioner",
    "national.admin",
    "admin",
)
ERROR_SUMMARY = "govuk-error-summary"
ERROR_TEXT = re.compile(r'<div class="govuk-error-summary__body">(.*?)</div>', re.S)


@dataclass(frozen=True)
class Kind:
    records: Callable[[], Iterable[Any]]
    url: Callable[[Any], str]
    name: Callable[[Any], str] = str
    # Whom to offer the page, in order, when not EDITORS.
    editors: tuple[str, ...] = EDITORS


PRISON_FILLERS = ("leeds.coordinator", "doncaster.coordinator", "admin")
PROBATION_FILLERS = ("sypa.manager", "hypa.manager", "nypa.manager", "wypa.manager", "admin")


KINDS: dict[str, Kind] = {
    "contract": Kind(lambda: Contract.objects.order_by("reference"), lambda c: f"/contracts/{c.pk}/edit/"),
    "organisation": Kind(lambda: Organisation.objects.order_by("name"), lambda o: f"/organisations/{o.pk}/edit/"),
    "main grant": Kind(
        lambda: MainGrant.objects.select_related("commissioner", "year").order_by("pk"),
        lambda g: f"/manage/grants/{g.pk}/edit/",
    ),
    "target": Kind(lambda: Target.objects.order_by("pk"), lambda t: f"/manage/targets/{t.pk}/edit/"),
    "pathway": Kind(lambda: Pathway.objects.order_by("order"), lambda p: f"/manage/pathways/{p.pk}/edit/"),
    "published figure": Kind(
        lambda: PublishedFigure.objects.order_by("pk"),
        lambda f: f"/manage/figures/{f.pk}/edit/",
        lambda f: f"figure {f.pk} ({f})",
    ),
    "user": Kind(
        lambda: User.objects.order_by("username"), lambda u: f"/manage/users/{u.pk}/edit/", lambda u: u.username
    ),
    "opportunity": Kind(
        lambda: Opportunity.objects.order_by("reference"), lambda o: f"/opportunities/{o.reference}/edit/"
    ),
    "stage deadline": Kind(
        lambda: Stage.objects.select_related("opportunity").order_by("opportunity__reference", "number"),
        lambda s: f"/opportunities/{s.opportunity.reference}/stages/{s.number}/deadline/",
        lambda s: f"{s.opportunity.reference} stage {s.number}",
    ),
    "bid": Kind(
        lambda: Bid.objects.select_related("stage", "partnership").order_by("pk"),
        lambda b: f"/opportunities/partnerships/{b.partnership_id}/stages/{b.stage.number}/bid/",
        lambda b: f"bid {b.pk} of {b.partnership.name}",
    ),
    "bid team": Kind(
        lambda: BiddingPartnership.objects.order_by("pk"),
        lambda p: f"/opportunities/partnerships/{p.pk}/bid-team/",
        lambda p: p.name,
    ),
    "evaluation": Kind(
        lambda: Stage.objects.select_related("opportunity").order_by("opportunity__reference", "number"),
        lambda s: f"/opportunities/{s.opportunity.reference}/stages/{s.number}/evaluation/",
        lambda s: f"{s.opportunity.reference} stage {s.number}",
    ),
    "funding stream": Kind(lambda: FundingStream.objects.order_by("pk"), lambda f: f"/funding/streams/{f.pk}/edit/"),
    "helped bid": Kind(lambda: HelpedBid.objects.order_by("pk"), lambda b: f"/funding/bids/{b.pk}/edit/"),
    "small grants round": Kind(
        lambda: GrantsRound.objects.order_by("pk"), lambda r: f"/funding/small-grants/{r.pk}/edit/"
    ),
    # A prison return is filled in by its own establishment's co-ordinator (or a superuser).
    # Each pathway's line once it has one (a pathway not yet filled in is a new entry, not a record).
    "prison return line": Kind(
        lambda: PrisonReturnLine.objects.select_related("prison_return__commissioner", "pathway").order_by("pk"),
        lambda line: f"/returns/prison/{line.prison_return_id}/pathways/{line.pathway.code}/",
        lambda line: f"{line.prison_return.commissioner} return {line.prison_return_id}, {line.pathway.name}",
        PRISON_FILLERS,
    ),
    "prison return post": Kind(
        lambda: PrisonReturn.objects.exclude(coordinator_post="").select_related("commissioner").order_by("pk"),
        lambda r: f"/returns/prison/{r.pk}/post/",
        lambda r: f"{r.commissioner} return {r.pk}",
        PRISON_FILLERS,
    ),
    "prison return area contracts": Kind(
        lambda: PrisonReturn.objects.select_related("commissioner").order_by("pk"),
        lambda r: f"/returns/prison/{r.pk}/contracts/",
        lambda r: f"{r.commissioner} return {r.pk}",
        PRISON_FILLERS,
    ),
    "probation return line": Kind(
        lambda: ProbationReturnLine.objects.select_related("probation_return").order_by("pk"),
        lambda line: f"/returns/probation/{line.probation_return_id}/contracts/{line.pk}/",
        lambda line: f"line {line.pk} of probation return {line.probation_return_id}",
        PROBATION_FILLERS,
    ),
}


# Kinds of which the demo holds none that can be changed now, and why; their pages are still opened
# (none may fail, none may offer a form).
NONE_OPEN = {"probation return line": "every demo probation return is approved"}


class Clients:
    """One signed-in client per demo user, made when first needed."""

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}

    def __getitem__(self, username: str) -> Client:
        if username not in self._clients:
            self._clients[username] = signed_in(User.objects.get(username=username))
        return self._clients[username]


def errors_on(body: str) -> str:
    found = ERROR_TEXT.search(body)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_demo_record_saves_unchanged(kind: str) -> None:
    spec = KINDS[kind]
    clients = Clients()
    failures: list[str] = []
    saved = 0
    for record in spec.records():
        url, name = spec.url(record), spec.name(record)
        offered = None
        for username in spec.editors:
            page = clients[username].get(url)
            if page.status_code >= 500:
                failures.append(f"{name}: its page {url} failed with {page.status_code} for {username}")
                break
            fields = page_form(page.content.decode(), url) if page.status_code == 200 else None
            if fields is not None:
                offered = (username, fields)
                break
        if offered is None:
            continue
        username, fields = offered
        response = clients[username].post(url, fields)
        body = response.content.decode(errors="replace")
        if response.status_code == 302 or (response.status_code == 200 and ERROR_SUMMARY not in body):
            saved += 1
            continue
        said = errors_on(body) or body[:300]
        failures.append(f"{name} ({url}, as {username}): {response.status_code}: {said}")
    assert not failures, f"{len(failures)} {kind} record(s) did not save unchanged:\n" + "\n".join(failures)
    if kind in NONE_OPEN:
        assert not saved, f"a demo {kind} can be changed now: take it out of NONE_OPEN"
    else:
        assert saved, f"no demo {kind} has an edit page anyone is offered"
