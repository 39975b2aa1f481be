"""The oracle of the dashboard, accounts, the directory and the management pages."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from stepchange.core.roles import Role
from stepchange.organisations.models import Claim, Listing, Organisation, ProfileChangeRequest
from tests.access.oracle.base import (
    AWAY,
    COMMISSIONER_MANAGERS,
    NOT_ALLOWED,
    OK,
    REGION_MANAGERS,
    SIGN_IN,
    SIGNED_IN,
    YH_MANAGERS,
    Case,
    allowed,
    everyone,
    guarded,
    post_only,
    public,
    read_only,
)
from tests.access.world import PERSONAS, World
from tests.factories import OrganisationFactory, ProfileChangeRequestFactory, UserFactory

# National data (targets, pathways, national totals) is changed by Nadia, the national
# administrator, and Root; Alice, the regional commissioner, reads targets and pathways.
NATIONAL_MANAGERS = frozenset({"nadia", "root"})
READ_NATIONAL = REGION_MANAGERS | NATIONAL_MANAGERS


def _change_requests(w: World) -> dict[str, ProfileChangeRequest]:
    """A request of Dave's charity (Y&H) and one of Tyne Outreach (North East), each with evidence."""
    return {
        "acorn": ProfileChangeRequestFactory.create(organisation=w.cast.charity, requested_by=w.cast.dave),
        "tyne": ProfileChangeRequestFactory.create(organisation=w.tyne, requested_by=w.nora),
    }


def _request_cases(w: World, *, evidence: bool) -> list[Case]:
    asked = _change_requests(w)
    if evidence:
        get_only = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}
        return [
            Case("Dave's charity's evidence", {"pk": asked["acorn"].pk}, allowed({"alice", "dave", "root"}), get_only),
            Case("Tyne Outreach's evidence", {"pk": asked["tyne"].pk}, allowed({"nick", "nora", "root"}), get_only),
        ]
    # Its own people read a request; only the regional team may post a decision.
    return [
        Case("Dave's charity's", {"pk": asked["acorn"].pk}, allowed({"alice", "dave", "root"}), allowed(YH_MANAGERS)),
        Case(
            "Tyne Outreach's, North East",
            {"pk": asked["tyne"].pk},
            allowed({"nick", "nora", "root"}),
            allowed({"nick", "root"}),
        ),
    ]


def _waiting(w: World) -> dict[str, Organisation]:
    """A registration waiting in each region."""
    return {
        "yh": OrganisationFactory.create(name="Don Valley Project", listing=Listing.WAITING, region=w.cast.region),
        "ne": OrganisationFactory.create(
            name="Wear Valley Project", listing=Listing.WAITING, region=w.cast.other_region
        ),
    }


def _registration_cases(w: World) -> list[Case]:
    waiting = _waiting(w)
    return [
        guarded("Don Valley, Y&H", YH_MANAGERS, pk=waiting["yh"].pk),
        guarded("Wear Valley, North East", {"nick", "root"}, pk=waiting["ne"].pk),
        # Listed already: nobody's to decide.
        guarded("Dave's charity, listed", set(), pk=w.cast.charity.pk),
    ]


def _claim_cases(w: World) -> list[Case]:
    """Gina, a provider with no organisation yet, claims Calder Mentoring (Y&H) and Tyne Outreach."""
    gina = UserFactory.create(username="gina", role=Role.PROVIDER)
    now = timezone.now()
    calder = Claim.objects.create(organisation=w.calder, claimant=gina, reason="Its director", asked_at=now)
    tyne = Claim.objects.create(organisation=w.tyne, claimant=gina, reason="Its director", asked_at=now)
    return [
        guarded("Calder Mentoring's, Y&H", YH_MANAGERS, pk=calder.pk),
        guarded("Tyne Outreach's, North East", {"nick", "root"}, pk=tyne.pk),
    ]


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # The dashboard and the management index.
    "core:home": lambda w: [public("home")],
    # The load balancer's probes: the same answer for everyone, signed in or not; GET only.
    "core:healthz": lambda w: [read_only("process up")],
    "core:readyz": lambda w: [read_only("ready")],
    "manage:index": lambda w: [guarded("index", READ_NATIONAL)],
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
    "accounts:password-reset-sent": lambda w: [read_only("sent")],
    "accounts:password-reset-confirm": lambda w: [
        # A link that is not valid says so, to anyone; nothing is changed.
        Case("a wrong link", {"uidb64": "MQ", "token": "not-a-token"}, get=everyone(OK), post=everyone(OK))
    ],
    "accounts:password-reset-complete": lambda w: [read_only("complete")],
    # The links people are e-mailed work for anyone holding one; a token never issued says so.
    "accounts:invitation-accept": lambda w: [
        Case("a wrong link", {"token": "not-a-token"}, get=everyone(OK), post=everyone(OK))
    ],
    "accounts:email-change-confirm": lambda w: [
        Case("a wrong link", {"token": "not-a-token"}, get=everyone(OK), post=everyone(OK))
    ],
    # Everyone signed in has their own account page (and changes their own address from it).
    "accounts:your-account": lambda w: [guarded("own account", SIGNED_IN)],
    # A provider's own administrator (Dave, for his charity) invites and closes its people; nobody
    # else reaches these pages, Alice included.
    "accounts:people": lambda w: [guarded("list", {"dave"})],
    "accounts:people-invite": lambda w: [guarded("invite", {"dave"})],
    "accounts:people-close": lambda w: [
        post_only("Ivy, of Dave's charity", {"dave"}, rollback=True, pk=w.ivy.pk),
        post_only("Erin, of another provider", set(), pk=w.cast.erin.pk),
        post_only("Dave himself", set(), pk=w.cast.dave.pk),
    ],
    # Re-sending or cancelling an invitation: whoever may invite that person.
    "accounts:invitation-resend": lambda w: [
        post_only("Ivy, invited by Dave", {"dave"}, rollback=True, pk=w.ivy.pk),
        post_only("Pia, invited by Alice", YH_MANAGERS, rollback=True, pk=w.pia.pk),
    ],
    "accounts:invitation-cancel": lambda w: [
        post_only("Ivy, invited by Dave", {"dave"}, rollback=True, pk=w.ivy.pk),
        post_only("Pia, invited by Alice", YH_MANAGERS, rollback=True, pk=w.pia.pk),
    ],
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
    # Protected fields: a provider asks the regional team, who decide.
    "organisations:change-request-create": lambda w: [
        guarded("Dave's charity", {"dave"}, pk=w.cast.charity.pk),
        guarded("Erin's company", {"erin"}, pk=w.cast.company.pk),
        guarded("Calder Mentoring, nobody's own", set(), pk=w.calder.pk),
    ],
    "organisations:change-requests": lambda w: [guarded("to decide", REGION_MANAGERS)],
    # The services an organisation offers: its own people and its regional team keep them.
    "organisations:services": lambda w: [
        guarded("Dave's charity", {"alice", "dave", "root"}, pk=w.cast.charity.pk),
        guarded("Tyne Outreach, North East", {"nick", "nora", "root"}, pk=w.tyne.pk),
    ],
    # A claim is asked by a provider user with no listed organisation: no persona is one.
    "organisations:claim-create": lambda w: [guarded("Calder Mentoring", set(), pk=w.calder.pk)],
    # The downloads and the gap view are of the public directory; they take GET only.
    "organisations:download-csv": lambda w: [read_only("CSV")],
    "organisations:download-json": lambda w: [read_only("JSON")],
    "organisations:download-open-referral": lambda w: [read_only("Open Referral UK")],
    "organisations:gaps": lambda w: [read_only("gaps")],
    "organisations:gaps-download": lambda w: [read_only("gaps CSV")],
    # The regional team's queues: registrations, claims and likely duplicates of its own region.
    "organisations:registrations": lambda w: [guarded("waiting", REGION_MANAGERS)],
    "organisations:registration": _registration_cases,
    "organisations:claims": lambda w: [guarded("to decide", REGION_MANAGERS)],
    "organisations:claim": _claim_cases,
    "organisations:duplicates": lambda w: [guarded("likely", REGION_MANAGERS)],
    "organisations:merge": lambda w: [
        guarded("Dave's charity and Calder, Y&H", YH_MANAGERS, first=w.cast.charity.pk, second=w.calder.pk),
        guarded("Tyne Outreach and Dave's charity, two regions", {"root"}, first=w.tyne.pk, second=w.cast.charity.pk),
    ],
    # Registering an organisation: anyone signed out; someone signed in is sent to the directory.
    "accounts:register": lambda w: [
        Case(
            "register",
            {},
            get={p: OK if p == "signed out" else AWAY for p in PERSONAS},
            post={p: OK if p == "signed out" else AWAY for p in PERSONAS},
        )
    ],
    "organisations:change-request": lambda w: _request_cases(w, evidence=False),
    "organisations:change-request-evidence": lambda w: _request_cases(w, evidence=True),
    # Main grants: whoever manages a commissioner, for that commissioner only.
    "manage:grants": lambda w: [guarded("list", COMMISSIONER_MANAGERS)],
    "manage:grant-create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    "manage:grant-edit": lambda w: [
        guarded("SYPA's grant", {"alice", "bob", "root"}, pk=w.grants["SYPA"].pk),
        guarded("WYPA's grant", {"alice", "carol", "root"}, pk=w.grants["WYPA"].pk),
        guarded("the North East's grant", {"nick", "olga", "root"}, pk=w.grants["NEPA"].pk),
    ],
    # Targets and pathways: national data, read by the region's managers, changed by the national ones.
    "manage:targets": lambda w: [guarded("list", READ_NATIONAL)],
    "manage:target-create": lambda w: [guarded("add", NATIONAL_MANAGERS)],
    "manage:target-edit": lambda w: [guarded("2006-07 probation", NATIONAL_MANAGERS, pk=w.target.pk)],
    "manage:pathways": lambda w: [guarded("list", READ_NATIONAL)],
    "manage:pathway-create": lambda w: [guarded("add", NATIONAL_MANAGERS)],
    "manage:pathway-edit": lambda w: [guarded("FBD", NATIONAL_MANAGERS, pk=w.pathway.pk)],
    # Published figures: a region's are its commissioner's, a national total the national administrator's.
    "manage:figures": lambda w: [guarded("list", READ_NATIONAL)],
    "manage:figure-create": lambda w: [guarded("add", READ_NATIONAL)],
    "manage:figure-edit": lambda w: [
        guarded("SYPA's share, Y&H", YH_MANAGERS, pk=w.sypa_figure.pk),
        guarded("North East share", {"nick", "root"}, pk=w.figure.pk),
        guarded("England and Wales, national", NATIONAL_MANAGERS, pk=w.national_figure.pk),
    ],
    # Return dates and accounts: the region's managers.
    "manage:returns": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:return-create": lambda w: [guarded("add", REGION_MANAGERS)],
    # The region's settings (its minimum tender period): its own commissioner's, and Root's.
    "manage:regions": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:region-edit": lambda w: [
        guarded("Yorkshire and Humberside", {"alice", "root"}, pk=w.cast.region.pk),
        guarded("the North East", {"nick", "root"}, pk=w.cast.other_region.pk),
    ],
    # A region's prisons' pathways: its own commissioner's, and Root's.
    "manage:region-pathways": lambda w: [
        guarded("Yorkshire and Humberside", {"alice", "root"}, pk=w.cast.region.pk),
        guarded("the North East", {"nick", "root"}, pk=w.cast.other_region.pk),
        guarded("the East Midlands, nobody's yet", {"root"}, pk=w.east_midlands.pk),
    ],
    # Setting up regions: Nadia adds them, invites each one's first regional commissioner and reads
    # the national figures; no region's commissioner reaches any of it.
    "manage:service-regions": lambda w: [guarded("list", NATIONAL_MANAGERS)],
    "manage:service-region-create": lambda w: [guarded("add", NATIONAL_MANAGERS)],
    "manage:service-region-join": lambda w: [
        post_only("London, published figures only", NATIONAL_MANAGERS, rollback=True, pk=w.london.pk),
        post_only("Yorkshire and Humberside, on the service already", set(), pk=w.cast.region.pk),
    ],
    "manage:service-region-invite": lambda w: [
        guarded("the East Midlands, with no regional commissioner", NATIONAL_MANAGERS, pk=w.east_midlands.pk),
        guarded("the North East, Nick's", set(), pk=w.cast.other_region.pk),
        guarded("London, not on the service", set(), pk=w.london.pk),
    ],
    "manage:national": lambda w: [guarded("dashboard", NATIONAL_MANAGERS)],
    # A region's probation areas, prisons and regional team: its own commissioner's, and Root's.
    "manage:commissioners": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:commissioner-create": lambda w: [
        guarded("a prison", REGION_MANAGERS, kind="prison"),
        guarded("a probation area", REGION_MANAGERS, kind="probation-area"),
        guarded("no such kind", set(), kind="borstal"),
    ],
    "manage:commissioner-edit": lambda w: [
        guarded("SYPA, Yorkshire and Humberside", YH_MANAGERS, pk=w.cast.sypa.pk),
        guarded("HMP Durham, North East, set up through the service", {"nick", "root"}, pk=w.north.durham.pk),
    ],
    "manage:users": lambda w: [guarded("list", REGION_MANAGERS)],
    "manage:user-create": lambda w: [guarded("add", REGION_MANAGERS)],
    "manage:user-edit": lambda w: [
        guarded("Dave, a provider of the region", YH_MANAGERS, pk=w.cast.dave.pk),
        guarded("Bob, of a probation area of the region", YH_MANAGERS, pk=w.cast.bob.pk),
        guarded("Nora, of the North East", {"nick", "root"}, pk=w.nora.pk),
        guarded("Pat, of a prison of the North East", {"nick", "root"}, pk=w.north.pat.pk),
        guarded("Nadia, the national administrator", {"root"}, pk=w.cast.nadia.pk),
        # A superuser's account is beyond a regional commissioner.
        guarded("Root", {"root"}, pk=w.cast.root.pk),
    ],
    # Asking to change an address: a commissioner's staff member's only, never a provider's.
    "manage:user-email": lambda w: [
        guarded("Bob, of a probation area of the region", YH_MANAGERS, pk=w.cast.bob.pk),
        guarded("Olga, of the North East's probation area", {"nick", "root"}, pk=w.north.olga.pk),
        guarded("Dave, a provider of the region", set(), pk=w.cast.dave.pk),
        guarded("Root", {"root"}, pk=w.cast.root.pk),
    ],
}
