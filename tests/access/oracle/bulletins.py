"""The oracle of the bulletins: the archive, feed and subscribing are everyone's; a subscription
is reached only through the secret of its messages' links (whoever holds it); each region's
digests are its regional team's (Alice Yorkshire and Humberside's, Nick the North East's) and
Root's. A draft is nobody else's, not even on the public archive."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from stepchange.bulletins.models import Bulletin, BulletinKind, Subscriber
from stepchange.bulletins.services import confirmation_token
from stepchange.core.models import Region
from tests.access.oracle.base import NOT_FOUND, REGION_MANAGERS, Case, everyone, guarded, post_only, public
from tests.access.world import World
from tests.factories import SubscriberFactory

YH_TEAM = frozenset({"alice", "root"})
NE_TEAM = frozenset({"nick", "root"})
assert YH_TEAM | NE_TEAM <= REGION_MANAGERS


def _bulletin(region: Region, *, sent: bool) -> Bulletin:
    now = timezone.now()
    return Bulletin.objects.create(
        region=region,
        kind=BulletinKind.DIGEST,
        title=f"{region.name} {'sent' if sent else 'draft'}",
        covers_from=now - datetime.timedelta(days=31),
        covers_to=now,
        drafted_at=now,
        sent_at=now if sent else None,
    )


def _subscriber(w: World, *, confirmed: bool = True) -> Subscriber:
    return SubscriberFactory.create(
        region=w.cast.region,
        email="quentin@example.org" if confirmed else "una@example.org",
        confirmed_at=timezone.now() if confirmed else None,
    )


def _nobody() -> dict[str, str]:
    return everyone(NOT_FOUND)


def _teams(w: World, *, page: str) -> list[Case]:
    """A region's own team reaches its digests; another region's team and everyone else do not."""
    make = guarded if page == "guarded" else post_only
    return [
        make("Y&H's", YH_TEAM, region=w.cast.region.code),
        make("the North East's", NE_TEAM, region=w.cast.other_region.code),
    ]


def _bulletin_pages(w: World, *, page: str) -> list[Case]:
    yh, ne = _bulletin(w.cast.region, sent=page == "resume"), _bulletin(w.cast.other_region, sent=page == "resume")
    if page == "guarded":
        return [
            guarded("Y&H's draft", YH_TEAM, region=w.cast.region.code, pk=yh.pk),
            guarded("the North East's draft", NE_TEAM, region=w.cast.other_region.code, pk=ne.pk),
            # Under the wrong region's address: nobody's.
            guarded("Y&H's draft under NE", frozenset(), region=w.cast.other_region.code, pk=yh.pk),
        ]
    return [
        post_only("Y&H's", YH_TEAM, rollback=True, region=w.cast.region.code, pk=yh.pk),
        post_only("the North East's", NE_TEAM, rollback=True, region=w.cast.other_region.code, pk=ne.pk),
    ]


def _published(w: World) -> list[Case]:
    sent, draft = _bulletin(w.cast.region, sent=True), _bulletin(w.cast.other_region, sent=False)
    return [
        public("a sent digest", region=w.cast.region.code, pk=sent.pk),
        Case("a draft", {"region": w.cast.other_region.code, "pk": draft.pk}, get=_nobody(), post=_nobody()),
    ]


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "bulletins:index": lambda w: [public("every region's")],
    "bulletins:archive": lambda w: [public("Y&H's", region=w.cast.region.code)],
    "bulletins:feed": lambda w: [public("Y&H's", region=w.cast.region.code)],
    "bulletins:bulletin": _published,
    # A POST without an address and a kind re-shows the form with its errors.
    "bulletins:subscribe": lambda w: [public("Y&H's", region=w.cast.region.code)],
    # Whoever holds the link: the button's POST confirms (rolled back here).
    "bulletins:confirm": lambda w: [
        Case(
            "a link just sent",
            {"token": confirmation_token(_subscriber(w, confirmed=False))},
            get=everyone("ok"),
            post=everyone("ok"),
            rollback=True,
        ),
        Case("a forged link", {"token": "1:forged:signature"}, get=_nobody(), post=_nobody()),
    ],
    "bulletins:manage": lambda w: [
        public("the link of Quentin's messages", token=_subscriber(w).token),
        Case("a guessed secret", {"token": "guessed"}, get=_nobody(), post=_nobody()),
    ],
    "bulletins:unsubscribe": lambda w: [
        Case(
            "the link of Quentin's messages",
            {"token": _subscriber(w).token},
            get=everyone("ok"),
            post=everyone("ok"),
            rollback=True,
        ),
        Case(
            "an unconfirmed address (it has no messages)",
            {"token": _subscriber(w, confirmed=False).token},
            get=_nobody(),
            post=_nobody(),
        ),
    ],
    "bulletins:team": lambda w: _teams(w, page="guarded"),
    # Drafting makes a digest (or says why not): rolled back here.
    "bulletins:draft_new": lambda w: [
        post_only("Y&H's", YH_TEAM, rollback=True, region=w.cast.region.code),
        post_only("the North East's", NE_TEAM, rollback=True, region=w.cast.other_region.code),
    ],
    "bulletins:edit": lambda w: _bulletin_pages(w, page="guarded"),
    "bulletins:send": lambda w: _bulletin_pages(w, page="send"),
    "bulletins:resume": lambda w: _bulletin_pages(w, page="resume"),
}
