"""The oracle of the dashboard, accounts, the directory and the management pages."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import (
    AWAY,
    COMMISSIONER_MANAGERS,
    NOT_ALLOWED,
    OK,
    REGION_MANAGERS,
    SIGN_IN,
    SIGNED_IN,
    Case,
    allowed,
    everyone,
    guarded,
    public,
)
from tests.access.world import PERSONAS, World

ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The dashboard and the management index.
    "core:home": lambda w: [public("home")],
    "core:manage": lambda w: [guarded("index", REGION_MANAGERS)],
    # The session-timeout banner's "Stay signed in": a POST that renews the session and goes back.
    "core:stay-signed-in": lambda w: [
        Case(
            "stay signed in",
            {},
            get={p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS},
            post={p: SIGN_IN if p == "signed out" else AWAY for p in PERSONAS},
            data={},
        )
    ],
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
        guarded("Tyne Outreach, North East", {"nick", "nora", "root"}, pk=w.tyne.pk),
    ],
    # Main grants: whoever manages a commissioner, for that commissioner only.
    "manage:grants": lambda w: [guarded("list", COMMISSIONER_MANAGERS)],
    "manage:grant-create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "manage:grant-edit": lambda w: [
        guarded("SYPA's grant", {"alice", "bob", "root"}, pk=w.grants["SYPA"].pk),
        guarded("WYPA's grant", {"alice", "carol", "root"}, pk=w.grants["WYPA"].pk),
        guarded("the North East's grant", {"nick", "olga", "root"}, pk=w.grants["NEPA"].pk),
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
    # Published figures are other regions' by nature (the national comparison): any regional
    # commissioner keeps them, Alice the North East's as Nick does.
    "manage:figure-edit": lambda w: [guarded("North East share", REGION_MANAGERS, pk=w.figure.pk)],
    "manage:returns": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:return-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:users": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:user-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:user-edit": lambda w: [
        guarded("Dave, a provider of the region", {"alice", "root"}, pk=w.cast.dave.pk),
        guarded("Bob, of a probation area of the region", {"alice", "root"}, pk=w.cast.bob.pk),
        guarded("Nora, of the North East", {"nick", "root"}, pk=w.nora.pk),
        guarded("Pat, of a prison of the North East", {"nick", "root"}, pk=w.north.pat.pk),
        # A superuser's account is beyond a regional commissioner.
        guarded("Root", {"root"}, pk=w.cast.root.pk),
    ],
}
