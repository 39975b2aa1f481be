"""The access matrix: every URL of the service, every persona, every method, against a written oracle.

The URL names come from Django's resolver, so a page added without an entry in ``ORACLE`` fails
here with a message saying to add one. The oracle is written out by hand from issue 3's "Who does
what" and the docstrings of the scoping modules; it never calls them, so a scoping function that
drifts from the rules is caught rather than copied.

Outcomes:
  ok        200 (a POST may also redirect, anywhere but the sign-in page)
  404       the page does not admit the thing exists
  sign-in   302 to /account/sign-in/?next=<the page>
  405       the page does not take that method
  redirect  302 somewhere other than the sign-in page (signing in while signed in, signing out)

Every POST carries deliberately invalid data, so an "ok" re-shows a form with its errors and
changes nothing; after every POST the tables are compared with how they were (see
``world.fingerprint``). The one POST that really changes something, removing a sub-contract, puts
the sub-contract back. PUT, PATCH and DELETE are taken by no page: each must answer 405, 404 or a
redirect to sign in, never 200 or a server error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from stepchange.commissioning.models import Opportunity
from stepchange.reports.registry import REPORTS
from tests.access.world import EDITABLE, PERSONAS, SY, VISIBLE, WY, World, build_world, fingerprint

OK, NOT_FOUND, SIGN_IN, NOT_ALLOWED, AWAY = "ok", "404", "sign-in", "405", "redirect"
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"signed out"}
REGION_MANAGERS = frozenset({"alice", "root"})
# Those who manage at least one commissioner's contracts and grants: Alice her region's, Bob and
# Carol their own areas', Root everyone's.
COMMISSIONER_MANAGERS = frozenset({"alice", "bob", "carol", "root"})
INVALID = {"deliberately": "invalid"}
WRITE_METHODS_NO_PAGE_TAKES = ("put", "patch", "delete")

# Written out, not read from the registry, so that a new report must be entered here too.
REPORT_NAMES = (
    "commissioning-feedback",
    "commissioning-funnel",
    "contract-profile",
    "contract-values",
    "national-comparison",
    "not-counted",
    "prison-provision",
    "prison-spend",
    "probation-share",
    "returns-status",
    "sector-split",
    "share-trend",
)
DOWNLOAD_FORMATS = ("csv", "json", "xlsx")


def allowed(ok: set[str] | frozenset[str], *, signed_out: str = SIGN_IN) -> dict[str, str]:
    """``ok`` for the named personas; the rest get a 404, someone signed out ``signed_out``."""
    return {p: OK if p in ok else signed_out if p == "signed out" else NOT_FOUND for p in PERSONAS}


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


@dataclass
class Case:
    label: str
    kwargs: dict[str, Any]
    get: dict[str, str]
    # What a POST gets. Pages that only read answer a POST as a GET and change nothing.
    post: dict[str, str]
    data: dict[str, str] = field(default_factory=lambda: dict(INVALID))
    # Undoes a POST that really changed something (and so is not compared with the fingerprint).
    undo: Callable[[], None] | None = None


def public(label: str, **kwargs: Any) -> Case:
    return Case(label, kwargs, get=everyone(OK), post=everyone(OK))


def guarded(label: str, ok: set[str] | frozenset[str], **kwargs: Any) -> Case:
    """A page behind sign-in that only ``ok`` reach; it takes POST (a form, or a list answering as a GET)."""
    return Case(label, kwargs, get=allowed(ok), post=allowed(ok))


def contract_pages(world: World, holders: dict[str, set[str]], *, signed_out: str) -> list[Case]:
    cases = []
    for reference, contract in world.contracts.items():
        ok = {p for p in PERSONAS if reference in holders[p]}
        outcomes = allowed(ok, signed_out=signed_out)
        cases.append(Case(reference, {"pk": contract.pk}, get=outcomes, post=outcomes))
    return cases


def sub_contract_removals(world: World) -> list[Case]:
    def undo(reference: str) -> Callable[[], None]:
        def put_back() -> None:
            world.subs[reference].save(force_insert=True)

        return put_back

    cases = []
    for reference in (SY, WY):
        ok = {p for p in PERSONAS if reference in EDITABLE[p]}
        kwargs = {"pk": world.contracts[reference].pk, "sub_pk": world.subs[reference].pk}
        cases.append(Case(reference, kwargs, get=allowed(ok), post=allowed(ok), data={}, undo=undo(reference)))
    # A sub-contract reached through a contract it is not on: nobody, not even Root.
    crossed = {"pk": world.contracts[SY].pk, "sub_pk": world.subs[WY].pk}
    cases.append(Case("WY's sub-contract through SY", crossed, get=allowed(set()), post=allowed(set()), data={}))
    return cases


def opportunity_pages(world: World) -> list[Case]:
    """A published South Yorkshire opportunity (everyone's to read) and a draft one (its managers')."""

    def opportunity(reference: str, **extra: Any) -> Opportunity:
        return Opportunity.objects.create(
            reference=reference,
            commissioner=world.cast.sypa,
            title=f"Opportunity {reference}",
            description="Housing advice on release",
            estimated_value=Decimal("50000.00"),
            duration_months=12,
            contract_start=datetime.date(2007, 4, 1),
            funding_source="main_grant",
            **extra,
        )

    published = opportunity("sy-published", published_at=timezone.now() - datetime.timedelta(days=1))
    draft = opportunity("sy-draft")
    return [
        public("published", reference=published.reference),
        # Not behind sign-in: a draft is a 404 to anyone who does not manage South Yorkshire.
        Case(
            "draft",
            {"reference": draft.reference},
            get=allowed({"alice", "bob", "root"}, signed_out=NOT_FOUND),
            post=allowed({"alice", "bob", "root"}, signed_out=NOT_FOUND),
        ),
    ]


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The dashboard and the management index.
    "core:home": lambda w: [public("home")],
    "core:manage": lambda w: [guarded("index", REGION_MANAGERS)],
    # Signing in and out, and resetting a password: open to everyone, signed out or not.
    "accounts:sign-in": lambda w: [
        Case(
            "sign in",
            {},
            # Someone already signed in is sent on to the home page.
            get={p: OK if p == "signed out" else AWAY for p in PERSONAS},
            post={p: OK if p == "signed out" else AWAY for p in PERSONAS},
            data={"username": "", "password": ""},
        )
    ],
    # Signing out is a POST only (a link could be followed by a crawler); it is the last request
    # each persona's client makes in this case, so the persona is signed out only afterwards.
    "accounts:sign-out": lambda w: [Case("sign out", {}, get=everyone(NOT_ALLOWED), post=everyone(AWAY), data={})],
    # Two-factor sign-in is offered to everyone signed in. The test clients of Alice, Grace, Heidi
    # and Root have passed it already, so "verify" sends them on; the others have no app to verify
    # with and are sent to set one up.
    "accounts:two-factor": lambda w: [guarded("overview", SIGNED_IN)],
    "accounts:two-factor-setup": lambda w: [
        Case("set up", {}, get=allowed(SIGNED_IN), post=allowed(SIGNED_IN), data={"code": "not a code"})
    ],
    "accounts:two-factor-verify": lambda w: [
        Case(
            "verify",
            {},
            get={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            post={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            data={"code": "not a code"},
        )
    ],
    "accounts:password-reset": lambda w: [
        Case("ask", {}, get=everyone(OK), post=everyone(OK), data={"email": "not an address"})
    ],
    "accounts:password-reset-sent": lambda w: [Case("sent", {}, get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "accounts:password-reset-confirm": lambda w: [
        # A link that is not valid says so, to anyone; nothing is changed.
        Case("a wrong link", {"uidb64": "MQ", "token": "not-a-token"}, get=everyone(OK), post=everyone(OK))
    ],
    "accounts:password-reset-complete": lambda w: [Case("complete", {}, get=everyone(OK), post=everyone(NOT_ALLOWED))],
    # The directory is public; a provider changes its own profile, Alice any of her region's.
    "organisations:list": lambda w: [public("directory")],
    "organisations:create": lambda w: [guarded("add", REGION_MANAGERS)],
    "organisations:detail": lambda w: [
        public("Dave's charity", pk=w.cast.charity.pk),
        public("Erin's company", pk=w.cast.company.pk),
        public("Tyne Outreach, North East", pk=w.tyne.pk),
    ],
    "organisations:edit": lambda w: [
        guarded("Dave's charity", {"alice", "dave", "root"}, pk=w.cast.charity.pk),
        guarded("Erin's company", {"alice", "erin", "root"}, pk=w.cast.company.pk),
        guarded("Calder Mentoring, Y&H, nobody's own", {"alice", "root"}, pk=w.calder.pk),
        guarded("Tyne Outreach, North East", {"root"}, pk=w.tyne.pk),
    ],
    # Contracts: the list and its CSV show anyone what they may see (test_rows checks the rows).
    "contracts:list": lambda w: [public("list")],
    "contracts:list-csv": lambda w: [public("CSV")],
    "contracts:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    # Not behind sign-in: a published contract is public, so someone signed out gets a 404 too.
    "contracts:detail": lambda w: contract_pages(w, VISIBLE, signed_out=NOT_FOUND),
    "contracts:edit": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-add": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-remove": sub_contract_removals,
    # Reports are aggregate figures, public to everyone.
    "reports:index": lambda w: [public("index")],
    "reports:report": lambda w: [
        *(public(name, name=name) for name in REPORT_NAMES),
        Case("no such report", {"name": "no-such-report"}, get=everyone(NOT_FOUND), post=everyone(NOT_FOUND)),
    ],
    "reports:download": lambda w: [
        *(public(f"{name}.{ext}", name=name, extension=ext) for name in REPORT_NAMES for ext in DOWNLOAD_FORMATS),
        Case(
            "a format reports do not come in",
            {"name": "probation-share", "extension": "pdf"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
        Case(
            "no such report",
            {"name": "no-such-report", "extension": "csv"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
    ],
    # Commissioning: opportunities are public once published; their commissioner's managers
    # create them and see drafts; anyone signed in has a (possibly empty) list of evaluations.
    "commissioning:list": lambda w: [public("list")],
    "commissioning:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "commissioning:evaluations": lambda w: [guarded("mine", SIGNED_IN)],
    "commissioning:detail": opportunity_pages,
    # Main grants: whoever manages a commissioner, for that commissioner only.
    "manage:grants": lambda w: [guarded("list", COMMISSIONER_MANAGERS)],
    "manage:grant-create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "manage:grant-edit": lambda w: [
        guarded("SYPA's grant", {"alice", "bob", "root"}, pk=w.grants["SYPA"].pk),
        guarded("WYPA's grant", {"alice", "carol", "root"}, pk=w.grants["WYPA"].pk),
        guarded("the North East's grant", {"root"}, pk=w.grants["NEPA"].pk),
    ],
    # Targets, pathways, published figures, return dates and accounts: the region's managers.
    "manage:targets": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:target-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:target-edit": lambda w: [guarded("2006-07 probation", REGION_MANAGERS, pk=w.target.pk)],
    "manage:pathways": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:pathway-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:pathway-edit": lambda w: [guarded("FBD", REGION_MANAGERS, pk=w.pathway.pk)],
    "manage:figures": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:figure-create": lambda w: [guarded("add", REGION_MANAGERS)],
    # Published figures are other regions' by nature (the national comparison): Alice keeps them.
    "manage:figure-edit": lambda w: [guarded("North East share", REGION_MANAGERS, pk=w.figure.pk)],
    "manage:returns": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:return-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:users": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:user-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:user-edit": lambda w: [
        guarded("Dave, a provider of the region", REGION_MANAGERS, pk=w.cast.dave.pk),
        guarded("Bob, of a probation area of the region", REGION_MANAGERS, pk=w.cast.bob.pk),
        guarded("Nora, of the North East", {"root"}, pk=w.nora.pk),
        # A superuser's account is beyond a regional commissioner.
        guarded("Root", {"root"}, pk=w.cast.root.pk),
    ],
}


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
    if outcome == AWAY:
        return status == 302 and not _location(response).startswith(reverse("accounts:sign-in"))
    raise AssertionError(f"unknown outcome {outcome!r}")


def _explain(persona: str, method: str, url: str, case: Case, outcome: str, response: Any) -> str:
    where = f" to {_location(response)}" if response.status_code in (301, 302) else ""
    return f"{persona} {method.upper()} {url} ({case.label}): expected {outcome}, got {response.status_code}{where}"


# URLs with many cases are checked in parts, so that xdist's two workers share them evenly.
PARTS = {"reports:download": 6, "reports:report": 2}


def _url_parts() -> list[Any]:
    return [
        pytest.param(name, part, id=name if PARTS.get(name, 1) == 1 else f"{name}-{part + 1}")
        for name in sorted(SERVICE_URLS)
        for part in range(PARTS.get(name, 1))
    ]


@pytest.mark.parametrize(("name", "part"), _url_parts())
def test_every_persona_gets_what_the_rules_say_on(
    name: str, part: int, db: None, client_for: Any, count_requests: Any
) -> None:
    assert name in ORACLE, (
        f"The URL {name!r} (/{SERVICE_URLS[name]}) has no entry in ORACLE in tests/access/test_matrix.py: "
        "add one saying, for objects each persona owns and does not, what GET and POST give them."
    )
    world = build_world()
    clients: dict[str, Client] = {persona: client_for(world.user(persona)) for persona in PERSONAS}
    cases = ORACLE[name](world)
    assert cases, f"{name}: the oracle lists no case"
    cases = cases[part :: PARTS.get(name, 1)]
    requests = 0
    wrong: list[str] = []
    for case in cases:
        assert set(case.get) == set(case.post) == EVERYONE, f"{name} ({case.label}): name every persona"
        url = reverse(name, kwargs=case.kwargs)
        path = url
        for persona in PERSONAS:
            client = clients[persona]
            response = client.get(url)
            requests += 1
            if not _meets(response, case.get[persona], path, method="get"):
                wrong.append(_explain(persona, "get", url, case, case.get[persona], response))
            # The methods no page takes, then POST last (signing out ends the client's session).
            before = fingerprint()
            for method in WRITE_METHODS_NO_PAGE_TAKES:
                response = getattr(client, method)(url)
                requests += 1
                if not (response.status_code in (404, 405) or _is_sign_in_redirect(response, path)):
                    wrong.append(_explain(persona, method, url, case, "405, 404 or sign-in", response))
            response = client.post(url, case.data)
            requests += 1
            if not _meets(response, case.post[persona], path, method="post"):
                wrong.append(_explain(persona, "post", url, case, case.post[persona], response))
            if case.undo is not None and response.status_code == 302 and case.post[persona] == OK:
                case.undo()
            else:
                assert fingerprint() == before, (
                    f"{persona} PUT, PATCH, DELETE or POST {url} ({case.label}) changed something"
                )
    count_requests(name, personas=len(PERSONAS), requests=requests)
    assert not wrong, "\n".join(wrong)


def test_the_oracle_names_only_urls_that_exist() -> None:
    stale = sorted(set(ORACLE) - set(SERVICE_URLS))
    assert not stale, f"ORACLE in tests/access/test_matrix.py names URLs the service no longer has: {stale}"


def test_the_oracle_lists_every_registered_report() -> None:
    assert set(REPORT_NAMES) == set(REPORTS), "add the new report to REPORT_NAMES in tests/access/test_matrix.py"


def _admin_pages() -> list[str]:
    """The admin's index and, for each of the service's own models there, its list and its add page."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        if not opts.app_config.name.startswith("stepchange."):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return pages


def test_only_a_superuser_reaches_the_django_admin(db: None, client_for: Any, count_requests: Any) -> None:
    world = build_world()
    pages = _admin_pages()
    pages.append(reverse("admin:contracts_contract_change", args=[world.contracts[SY].pk]))
    requests = 0
    for persona in PERSONAS:
        client = client_for(world.user(persona))
        for page in pages:
            response = client.get(page)
            requests += 1
            if persona == "root":
                assert response.status_code == 200, (persona, page, response.status_code)
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
