"""No persona changes anything through a URL the rules keep them from, however good their data.

The access matrix POSTs deliberately invalid data, so a view that checked its form before asking
who may use it would pass there. Here every URL pattern that takes POST, with the kwargs of the
matrix's oracle, is sent by every persona the oracle refuses there (a 404, a 405 or the sign-in
page) a *valid-looking* form: the one its page offers to someone who may use it, with the values it
is filled with (an edit page's current values, a select's chosen or first option, the hidden
version), with, for a page whose fields start empty, the values written out below (``VALID``) on
top; or for a button, no field at all (buttons take none). Each is sent inside a savepoint, and before it is
rolled back, a hash of every table's rows (all of the database but the sessions) is taken: it must
be the hash of before, and the answer must be the refusal the oracle says. The hash is taken only
when the database says the request wrote a row (``rows_written``): a request that wrote none left
every table as it was, and hashing the whole database after each of some ten thousand refusals was
half of this module's time.

So that the data are not quietly invalid, each ``VALID`` payload is also sent, rolled back, by
someone who may use the page, and must be taken (a redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stepchange.core.models import FinancialYear, Pathway
from tests.access.oracle.base import NOT_ALLOWED, NOT_FOUND, OK, SIGN_IN, UNAUTHORISED, Case
from tests.access.sealed import sent_and_undone
from tests.access.test_matrix import ORACLE, SERVICE_URLS, _meets
from tests.access.world import PERSONAS, World, database_hash, rows_written
from tests.html_forms import page_form

REFUSALS = (NOT_FOUND, NOT_ALLOWED, SIGN_IN, UNAUTHORISED)


# The values a page's form starts without, by URL name, put over what its form offers. Each makes
# a payload that someone who may use the page gets taken (see ``ACCEPTED_BY``, checked below).
VALID: dict[str, Callable[[World], dict[str, Any]]] = {
    "api-tokens:list": lambda w: {"name": "A valid token"},
    "contracts:create": lambda w: {
        "reference": "SY-VALID-9001",
        "title": "A valid contract",
        "commissioner": str(w.cast.sypa.pk),
        "prime": str(w.calder.pk),
        "annual_value": "1000.00",
        "start": "1/4/2006",
        "end": "31/3/2007",
        "funding_source": "main_grant",
        "kind": "contract",
        "pathways": "accommodation",
    },
    "organisations:create": lambda w: {"name": "A Valid Charity", "sector": "vcs", "region": str(w.cast.region.pk)},
    "manage:pathway-create": lambda w: {"name": "A valid pathway", "short_name": "Valid", "order": "99"},
    "manage:service-region-create": lambda w: {"code": "WM", "name": "West Midlands"},
    "manage:service-region-invite": lambda w: {
        "username": "valid-commissioner",
        "first_name": "Valid",
        "email": "valid-commissioner@example.org",
    },
    # The first of the oracle's cases, a prison.
    "manage:commissioner-create": lambda w: {"name": "HMP Valid", "code": "VALID", "operator": "public"},
    "commissioning:ask": lambda w: {"question": "Is this question valid?"},
    "contracts:sub-contract-add": lambda w: {"value": "100.00"},
    "commissioning:member-invite": lambda w: {"organisation": str(w.calder.pk), "role": "Mentoring", "share": "10"},
    "commissioning:partnership-create": lambda w: {
        "name": "A Valid Partnership",
        "lead_role": "Lead",
        "lead_share": "60",
    },
    "capacity:event-create": lambda w: {
        "kind": "training",
        "title": "A valid event",
        "capacity": "10",
        "place": "Leeds",
        "dates": "1/6/2030",
    },
    "capacity:needs": lambda w: {
        **{f"{theme}_level": "2" for theme in ("bidding", "governance", "finance", "partnership", "monitoring")},
        "version": "0",
    },
    "capacity:attendance": lambda w: {"name": "Sam Visitor", "organisation_name": "Visiting Group", "sector": "vcs"},
    "capacity:evaluate": lambda w: {"content": "5", "delivery": "4", "usefulness": "3"},
    "capacity:event-change": lambda w: {
        "title": "A valid new title",
        "capacity": "30",
        "version": "1",
        **{
            field: value
            for s in w.events.event.sessions.all()
            for field, value in ((f"session_{s.pk}_date", f"{s.date:%d/%m/%Y}"), (f"session_{s.pk}_place", s.place))
        },
    },
    "capacity:event-cancel": lambda w: {"reason": "The trainer is ill.", "version": "1"},
    "funding:stream-add": lambda w: {
        "region": str(w.cast.region.pk),
        "funder": "The Lankelly Foundation",
        "programme": "Offenders and their families",
        "eligibility": "Voluntary organisations.",
    },
    "funding:bid-add": lambda w: {
        "organisation": str(w.cast.charity.pk),
        "submitted_on": "1/9/2006",
        "amount_asked": "5000.00",
        "helped_by": "The development manager",
        "outcome": "waiting",
    },
    "funding:round-add": lambda w: {
        "region": str(w.cast.region.pk),
        "name": "A valid round",
        "budget": "10000",
        "max_award": "2000",
        "opens_on": "1/9/2006",
        "closes_on": "30/9/2006",
        "decisions_by": "31/10/2006",
        "criteria": "Valid criteria.",
    },
    "funding:apply": lambda w: {
        "project_title": "A valid project",
        "summary": "Valid.",
        "amount_requested": "1000",
        "start_on": "1/9/2006",
        "end_on": "31/3/2007",
    },
    "funding:assess": lambda w: {"conflict": "no", "score": "6", "recommendation": "award"},
    "funding:decide": lambda w: {"decision": "award", "amount": "1000", "reasons": "Meets the criteria."},
    "consortia:create": lambda w: {"name": "A Valid Consortium", "version": "0"},
    "consortia:member-add": lambda w: {
        "organisation": str(w.tyne.pk),
        "role": "Outreach",
        "joined_on": "1/6/2006",
    },
    "consortia:member-remove": lambda w: {"left_on": "1/7/2006"},
    "plans:create": lambda w: {"area": str(w.cast.sypa.pk), "year": str(FinancialYear.objects.get(name="2008-09").pk)},
    "plans:planned-add": lambda w: {
        "pathway": str(Pathway.objects.get(code="ete").pk),
        "description": "Through the gate",
        "sector": "vcs",
        "annual_value": "20000",
        "planned_start": "1/10/2007",
        "funding_source": "main_grant",
    },
    "plans:other-add": lambda w: {
        "kind": "co_commissioned",
        "party": "Supporting People",
        "description": "Floating support",
        "annual_value": "12000",
    },
    "plans:send-back": lambda w: {"reason": "Show the need for each pathway."},
    "governance:plan-create": lambda w: {"title": "A valid action plan"},
    "governance:objective-add": lambda w: {"title": "A valid objective"},
    "governance:action-add": lambda w: {
        "title": "A valid action",
        "owner_user": "",
        "owner_name": "A Person",
        "due_on": "31/3/2007",
        "figure": "",
        "figure_area": "",
    },
    "governance:note-add": lambda w: {"text": "Valid progress."},
    "governance:group-create": lambda w: {"name": "A Valid Group"},
    "governance:member-add": lambda w: {"user": "", "name": "A Person", "organisation_name": "Clinks"},
    "governance:meeting-add": lambda w: {"held_on": "1/12/2006", "title": "A valid meeting"},
    "governance:paper-add": lambda w: {
        "title": "A valid paper",
        "file": SimpleUploadedFile("paper.txt", b"A valid paper.\n", content_type="text/plain"),
    },
    "governance:decision-add": lambda w: {"text": "A valid decision."},
    "engagement:link-add": lambda w: {"partner_name": "A Valid Partner", "started_on": "1/6/2006"},
    "engagement:requirement-add": lambda w: {
        "group": str(w.engagement.requirement.group_id),
        "pathway": "",
        "description": "Valid.",
        "priority": "high",
    },
    "engagement:action-add": lambda w: {"description": "Valid.", "owner": "Frank", "due_on": "1/9/2007"},
    "pack:index": lambda w: {"quarter": "2006-07 Q2"},
    "burden:ask": lambda w: {
        "contract": str(w.contracts["SY-ACORN-7301"].pk),
        "period_start": "1/4/2006",
        "period_end": "30/6/2006",
        "topics": "spend",
        "due_on": "31/12/2099",
    },
    "burden:answer": lambda w: {
        "answer-people_started": "12 people started.",
        "answer-spend": "£4,000 of £5,000.",
        "answer-own": "Three came from HMP Leeds.",
        "hours_taken": "2.5",
    },
}
# Who may use each page of ``VALID``: their POST of it (rolled back) must be taken.
ACCEPTED_BY = {
    "contracts:create": "bob",
    "organisations:create": "alice",
    "manage:pathway-create": "nadia",
    "manage:service-region-create": "nadia",
    "manage:service-region-invite": "nadia",
    "manage:commissioner-create": "alice",
    "commissioning:ask": "dave",
    "commissioning:partnership-create": "erin",
    "contracts:sub-contract-add": "bob",
    "commissioning:member-invite": "dave",  # on rt-sealed, where her company is only invited
    "capacity:event-create": "alice",
    "capacity:needs": "dave",
    "capacity:attendance": "alice",
    "capacity:evaluate": "erin",
    "capacity:event-change": "alice",
    "capacity:event-cancel": "alice",
    "funding:stream-add": "alice",
    "funding:bid-add": "dave",
    "funding:round-add": "alice",
    "funding:apply": "dave",
    "funding:assess": "root",
    "funding:decide": "alice",
    "consortia:create": "alice",
    "consortia:member-add": "dave",
    "consortia:member-remove": "alice",
    "plans:create": "bob",
    "plans:planned-add": "bob",
    "plans:other-add": "bob",
    "plans:send-back": "alice",
    "governance:plan-create": "alice",
    "governance:objective-add": "alice",
    "governance:action-add": "alice",
    "governance:note-add": "bob",
    "governance:group-create": "alice",
    "governance:member-add": "alice",
    "governance:meeting-add": "carol",
    "governance:paper-add": "carol",
    "governance:decision-add": "carol",
    "engagement:link-add": "frank",
    "engagement:requirement-add": "frank",
    "engagement:action-add": "frank",
    "pack:index": "alice",
    "api-tokens:list": "dave",
    "burden:ask": "bob",
    "burden:answer": "dave",
}


def hash_if_written(baseline: dict[str, str]) -> Callable[[], dict[str, str]]:
    """What a request changed, as ``database_hash`` would say: the baseline itself when it wrote no
    row, so the whole database is hashed only after a request that wrote something."""
    before = rows_written()
    return lambda: baseline if rows_written() == before else database_hash()


def _payload(
    name: str, case: Case, world: World, url: str, clients: dict[str, Client], readers: list[str]
) -> tuple[dict[str, Any], str]:
    """The valid-looking data for a URL, from the form the first of ``readers`` is offered, and
    where they came from.

    A page that answers a reader with a file (a 200 that is not HTML: a CSV, a spreadsheet, JSON)
    is a download for everyone who may read it, and has no form: the other readers are not asked
    for the same file again (a report's download, built once a reader instead of seventeen times).
    """
    written: dict[str, Any] = VALID[name](world) if name in VALID else {}
    for persona in readers:
        response, _ = sent_and_undone(partial(clients[persona].get, url), lambda: None)
        if response.status_code == 200 and "html" not in response.get("Content-Type", ""):
            break
        if response.status_code == 200:
            fields = page_form(response.content.decode(), url, fill_empty_choices=True)
            if fields is not None:
                return {**fields, **written}, f"{persona}'s form" + (" and VALID" if written else "")
    return written, "VALID" if written else "no field (a button)"


@pytest.mark.parametrize("name", sorted(n for n in SERVICE_URLS if n in ORACLE))
def test_a_refused_post_with_valid_looking_data_changes_nothing(
    name: str, world_once: World, db: None, count_requests: Any
) -> None:
    world = world_once
    clients = {persona: world.client(persona) for persona in PERSONAS}
    cases = ORACLE[name](world)
    baseline = database_hash()
    requests = 0
    wrong: list[str] = []
    # A case nobody may use (a stage the tender lacks, a document under another bid) is sent the
    # form another case of the same page offers.
    borrowed: tuple[dict[str, Any], str] | None = None
    for case in sorted(cases, key=lambda c: not any(c.post[p] == OK for p in PERSONAS)):
        url = reverse(name, kwargs=case.kwargs)
        readers = [p for p in PERSONAS if case.get[p] == OK and case.post[p] == OK]
        data, source = _payload(name, case, world, url, clients, readers)
        if readers and data:
            borrowed = (data, f"{source}, of {case.label}")
        elif not readers and borrowed is not None:
            data, source = borrowed
        refused = [p for p in PERSONAS if case.post[p] in REFUSALS]
        for persona in refused:
            response, after = sent_and_undone(partial(clients[persona].post, url, data), hash_if_written(baseline))
            requests += 1
            changed = sorted(table for table in baseline if after.get(table) != baseline[table])
            if changed:
                wrong.append(f"{persona} POST {url} ({case.label}; {source}) changed {changed}")
            if not _meets(response, case.post[persona], url, method="post"):
                wrong.append(
                    f"{persona} POST {url} ({case.label}; {source}): expected {case.post[persona]}, "
                    f"got {response.status_code} {response.get('Location', '')}"
                )
    count_requests(f"{name} (refused writes)", personas=len(PERSONAS), requests=requests)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_valid_payloads_are_taken_from_those_who_may_post_them(name: str, world_once: World, db: None) -> None:
    world = world_once
    persona = ACCEPTED_BY[name]
    (case,) = [c for c in ORACLE[name](world) if c.post[persona] == OK][:1]
    url = reverse(name, kwargs=case.kwargs)
    clients = {persona: world.client(persona)}
    data, _ = _payload(name, case, world, url, clients, [persona])
    before = database_hash()
    counted = rows_written()
    response, (after, written) = sent_and_undone(
        lambda: clients[persona].post(url, data), lambda: (database_hash(), rows_written())
    )
    form = response.context.get("form") if response.context else None
    assert response.status_code == 302, (name, response.status_code, form.errors if form else None)
    assert after != before, f"{name}: {persona}'s valid POST changed nothing"
    # The count the refusals rely on to skip the hash moves with a write that is taken.
    assert written > counted, f"{name}: {persona}'s valid POST changed the tables but no row was counted"
