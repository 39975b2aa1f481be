"""The access matrix: every URL of the service, every persona, every method, against a written oracle,
and again without the sealed bids.

The URL names come from Django's resolver, so a page added without an entry in ``ORACLE`` fails
here with a message saying to add one. ``ORACLE`` is assembled below from the oracle's modules,
one an app (tests/access/oracle/), written out by hand from the service's "Who does what" rules (docs/access.md) and the
docstrings of the scoping modules; it never calls them, so a scoping function that drifts from
the rules is caught rather than copied.

Outcomes:
  ok        200 (a POST may also redirect, anywhere but the sign-in page)
  404       the page does not admit the thing exists
  sign-in   302 to /account/sign-in/?next=<the page>
  405       the page does not take that method
  redirect  302 somewhere other than the sign-in page (signing in while signed in, signing out)
  401       the API asks for a token (its writes, and what is for people signed in: the matrix's
            clients have sessions, which the API does not take)

Every request is sent in a savepoint that is rolled back (tests/access/sealed.py), so each starts
from the same database. Every POST carries deliberately invalid data, so an "ok" re-shows a form
with its errors and changes nothing; before each POST is rolled back, if the database says it wrote
a row (``world.rows_written``), the tables are compared with how they were (``world.fingerprint``),
except where a case says the POST of those it is "ok" for really changes something (confirming a
membership, withdrawing a bid, removing a sub-contract).
PUT, PATCH and DELETE are taken by no page: each must answer 405 without a single statement
reaching the database, so it can have changed nothing. They are refused before the session, the
user or any view is read, whatever object the URL names (stepchange/core/methods.py), so each
persona sends them once a URL pattern, with its first case.

Sealed means sealed: the service answers exactly the same whether or not the sealed bids exist.
Each GET and POST answer above (and those of the same pages with a query that changes what is
counted or listed, ``QUERIES``) is kept; then the sealed bids are taken out, with all that hangs on
them, for each persona all of them but what is their own partnership's to see, and every persona
asks again, where the first answer's statements named a table that taking them out changes (an
answer that read none of those tables was given the same rows either way: ``Reads``). Every answer
must be the same (tests/access/sealed.py says what is compared and what is
masked): a URL that names a sealed thing must, to these personas, answer as it does once the thing
is gone, as if it had never existed. test_sealed_differential.py does the same for the export
commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from stepchange.reports.registry import REPORTS
from tests.access.oracle import (
    api,
    bulletins,
    burden,
    capacity,
    commissioning,
    consortia,
    contracts,
    core,
    documents,
    engagement,
    funding,
    governance,
    imports,
    notifications,
    pack,
    plans,
    reports,
    returns,
)
from tests.access.oracle.base import (
    AWAY,
    EVERYONE,
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SIGN_IN,
    UNAUTHORISED,
    Case,
)
from tests.access.oracle.reports import REPORT_NAMES, SIGNED_IN_REPORT_NAMES
from tests.access.sealed import (
    QUERIES,
    Answers,
    Reads,
    answer,
    asked,
    differences,
    redirects,
    restore,
    rolled_back,
    sequences,
    without_what_is_hidden,
)
from tests.access.world import PERSONAS, SY, World, fingerprint, rows_written

WRITE_METHODS_NO_PAGE_TAKES = ("put", "patch", "delete")
# The statements of the savepoint each request is sent in (Django's, on SQLite and PostgreSQL).
SAVEPOINT_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
ORACLE_MODULES = (
    core,
    contracts,
    reports,
    commissioning,
    documents,
    returns,
    notifications,
    imports,
    capacity,
    bulletins,
    funding,
    consortia,
    plans,
    governance,
    engagement,
    pack,
    api,
    burden,
)


def _assemble() -> dict[str, Callable[[World], list[Case]]]:
    """The oracle of every app in one table; a URL pattern named by two modules is an error."""
    table: dict[str, Callable[[World], list[Case]]] = {}
    for module in ORACLE_MODULES:
        twice = set(table) & set(module.ORACLE)
        assert not twice, f"{module.__name__} names URLs another oracle module names too: {sorted(twice)}"
        table.update(module.ORACLE)
    return table


ORACLE = _assemble()


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str | None, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            # Django's own admin has its own test below; it is not how any role does its work.
            if pattern.app_name == "admin":
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if route.startswith(settings.STATIC_URL.lstrip("/")):
                continue
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else None, route


def service_urls() -> dict[str, str]:
    """Every URL pattern of the service, by name, with its route (for messages)."""
    urls: dict[str, str] = {}
    for name, route in _walk(get_resolver().url_patterns, "", ""):
        urls[name or f"(unnamed) {route}"] = route
    return urls


SERVICE_URLS = service_urls()


def _location(response: Any) -> str:
    return str(response.get("Location", ""))


def _is_sign_in_redirect(response: Any, path: str) -> bool:
    return response.status_code == 302 and _location(response) == f"{reverse('accounts:sign-in')}?next={quote(path)}"


def _meets(response: Any, outcome: str, path: str, *, method: str) -> bool:
    status = response.status_code
    if outcome == OK:
        if method == "get":
            return status == 200
        return status == 200 or (status == 302 and not _location(response).startswith(reverse("accounts:sign-in")))
    if outcome == NOT_FOUND:
        return status == 404
    if outcome == NOT_ALLOWED:
        return status == 405
    if outcome == SIGN_IN:
        return _is_sign_in_redirect(response, path)
    if outcome == UNAUTHORISED:
        return status == 401
    if outcome == AWAY:
        return status == 302 and not _location(response).startswith(reverse("accounts:sign-in"))
    raise AssertionError(f"unknown outcome {outcome!r}")


def _explain(persona: str, method: str, url: str, case: Case, outcome: str, response: Any) -> str:
    where = f" to {_location(response)}" if response.status_code in (301, 302) else ""
    return f"{persona} {method.upper()} {url} ({case.label}): expected {outcome}, got {response.status_code}{where}"


# URLs with many cases are checked in parts, so that xdist's two workers share them evenly.
PARTS = {"reports:download": 12, "reports:report": 4, "reports:definition": 2}


def _url_parts() -> list[Any]:
    return [
        pytest.param(name, part, id=name if PARTS.get(name, 1) == 1 else f"{name}-{part + 1}")
        for name in sorted(SERVICE_URLS)
        for part in range(PARTS.get(name, 1))
    ]


def _with_queries(url: str, name: str) -> list[str]:
    """The URL, then the same page with each query that changes what it counts or lists."""
    return [url, *(f"{url}?{urlencode(query)}" for query in QUERIES.get(name, []))]


@pytest.mark.parametrize(("name", "part"), _url_parts())
def test_every_persona_gets_what_the_rules_say_on(
    name: str,
    part: int,
    world_once: World,
    sealed_tables: frozenset[str],
    db: None,
    count_requests: Any,
) -> None:
    assert name in ORACLE, (
        f"The URL {name!r} (/{SERVICE_URLS[name]}) has no entry in the oracle (tests/access/oracle/): "
        "add one to its app's module saying, for objects each persona owns and does not, what GET and POST give them."
    )
    world = world_once
    started = timezone.now()
    cases = ORACLE[name](world)
    assert cases, f"{name}: the oracle lists no case"
    cases = cases[part :: PARTS.get(name, 1)]
    for case in cases:
        assert set(case.get) == set(case.post) == EVERYONE, f"{name} ({case.label}): name every persona"
    unchanged = fingerprint()
    requests = 0
    wrong: list[str] = []
    with_sealed: Answers = {}
    # Per persona and URL: did its GET or POST name a table taking the sealed bids out changes?
    reads: dict[tuple[str, str], Reads] = {}

    def changed_nothing(what: str) -> Callable[[], None]:
        # Made just before the request is sent; the check runs inside its savepoint, before the
        # rollback. A request that wrote no row (``rows_written``) changed no table; the tables
        # are counted only after one that wrote something.
        written = rows_written()

        def check() -> None:
            if rows_written() != written:
                assert fingerprint() == unchanged, f"{what} changed something"

        return check

    for persona in PERSONAS:
        client = world.client(persona)
        numbered = sequences()  # after signing in, which is kept
        for case in cases:
            url = reverse(name, kwargs=case.kwargs)
            watched = reads.setdefault((persona, url), Reads(sealed_tables))
            response = rolled_back(partial(client.get, url), watch=watched)
            if not _meets(response, case.get[persona], url, method="get"):
                wrong.append(_explain(persona, "get", url, case, case.get[persona], response))
            with_sealed[(persona, "get", url)] = answer(name, response, started)
            # The methods no page takes (refused before any view, whatever the object: sent with
            # the first case only), then POST (signing out ends the client's session).
            for method in WRITE_METHODS_NO_PAGE_TAKES if case is cases[0] else ():
                # Still in a savepoint, so that a refusal that did write could not spoil the rest.
                with CaptureQueriesContext(connection) as sent:
                    response = rolled_back(partial(getattr(client, method), url))
                read = [q["sql"] for q in sent.captured_queries if not q["sql"].startswith(SAVEPOINT_STATEMENTS)]
                if response.status_code != 405:
                    wrong.append(_explain(persona, method, url, case, "405", response))
                if read:
                    wrong.append(
                        f"{persona} {method.upper()} {url} ({case.label}) sent {len(read)} statements to the "
                        f"database, the first {read[0][:120]!r}: it is to be refused before anything is read"
                    )
            # Only the POST of those a case lets really change something may change something.
            may_change = case.rollback and case.post[persona] == OK
            what = f"{persona} POST {url} ({case.label})"
            response = rolled_back(
                partial(client.post, url, case.data),
                inside=None if may_change else changed_nothing(what),
                watch=watched,
            )
            if redirects(response):
                restore(numbered)
            if not _meets(response, case.post[persona], url, method="post"):
                wrong.append(_explain(persona, "post", url, case, case.post[persona], response))
            with_sealed[(persona, "post", url)] = answer(name, response, started)
            requests += 5 if case is cases[0] else 2
            for query_url in _with_queries(url, name)[1:]:
                watched = reads.setdefault((persona, query_url), Reads(sealed_tables))
                got, posted = asked(client, query_url, case.data, numbered, watch=watched)
                with_sealed[(persona, "get", query_url)] = answer(name, got, started)
                with_sealed[(persona, "post", query_url)] = answer(name, posted, started)
                requests += 2

    asked_again = 0

    def ask_again(persona: str) -> Answers:
        # Only what read the tables the removal changes: any other answer is the same rows' answer.
        nonlocal asked_again
        answers: Answers = {}
        client = None
        for case in cases:
            for url in _with_queries(reverse(name, kwargs=case.kwargs), name):
                if not reads[(persona, url)].seen:
                    for method in ("get", "post"):
                        answers[(persona, method, url)] = with_sealed[(persona, method, url)]
                    continue
                if client is None:
                    # A fresh client: signing out (rolled back in the database) still clears the cookie.
                    client = world.client(persona)
                    numbered = sequences()
                got, posted = asked(client, url, case.data, numbered)
                answers[(persona, "get", url)] = answer(name, got, started)
                answers[(persona, "post", url)] = answer(name, posted, started)
                asked_again += 2
        return answers

    without = without_what_is_hidden(
        world.tenders,
        ask_again,
        asks_anything=lambda persona: any(r.seen for (p, _), r in reads.items() if p == persona),
    )
    count_requests(name, personas=len(PERSONAS), requests=requests + asked_again)
    assert not wrong, "\n".join(wrong)
    told = differences(with_sealed, without)
    assert not told, "Sealed bids change what these personas are told:\n\n" + "\n\n".join(told)


def test_the_oracle_names_only_urls_that_exist() -> None:
    stale = sorted(set(ORACLE) - set(SERVICE_URLS))
    assert not stale, f"The oracle (tests/access/oracle/) names URLs the service no longer has: {stale}"


def test_the_oracle_lists_every_registered_report() -> None:
    assert set(REPORT_NAMES) | set(SIGNED_IN_REPORT_NAMES) == set(REPORTS), (
        "add the new report to REPORT_NAMES in tests/access/oracle/reports.py"
    )


def _admin_pages(root: Any) -> list[tuple[str, int]]:
    """The admin's index and, for each of the service's own models there, its list and its add
    page, each with what the superuser gets: a read-only model's add page (returns) is a 403."""
    request = RequestFactory().get("/")
    request.user = root
    pages = [(reverse("admin:index"), 200)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not opts.app_config.name.startswith("stepchange."):
            continue
        pages.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), 200))
        adds = model_admin.has_add_permission(request)
        pages.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), 200 if adds else 403))
    return pages


def test_only_a_superuser_reaches_the_django_admin(world_once: World, db: None, count_requests: Any) -> None:
    world = world_once
    pages = _admin_pages(world.cast.root)
    pages.append((reverse("admin:contracts_contract_change", args=[world.contracts[SY].pk]), 200))
    requests = 0
    for persona in PERSONAS:
        client = world.client(persona)
        for page, for_root in pages:
            response = client.get(page)
            requests += 1
            if persona == "root":
                assert response.status_code == for_root, (persona, page, response.status_code)
            else:
                # Alice manages the region, but through the service's own pages, never the admin.
                assert response.status_code == 302, (persona, page, response.status_code)
                assert _location(response).startswith(reverse("admin:login")), (persona, page, _location(response))
            before = fingerprint()
            response = client.post(page, INVALID)
            requests += 1
            if persona != "root":
                assert response.status_code == 302 and _location(response).startswith(reverse("admin:login"))
            assert fingerprint() == before, (persona, page)
    count_requests("django-admin", personas=len(PERSONAS), requests=requests)
