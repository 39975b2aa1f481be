"""The oracle of the funding pages: streams and rounds for everyone, kept by each region's team;
helped bids for the organisation's own people and its region's team; applications for their
organisation's people (drafts too) and the round's region's team (never a draft); assessing and
deciding for the region's team, and deciding only once assessed without a conflict.

The objects (each case makes its own, in the test's savepoint):
  Yorkshire and Humberside: a stream, a bid of Dave's charity to it, a round taking applications
  today, Erin's company's application to it (submitted, assessed by Alice without a conflict), and
  Dave's charity's draft to a second round;
  the North East: a stream, a bid of Nora's Tyne Outreach to it, and a round.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from stepchange.funding.models import (
    ApplicationStatus,
    Assessment,
    FundingStream,
    GrantApplication,
    GrantsRound,
    HelpedBid,
)
from tests.access.oracle.base import (
    AWAY,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REGION_MANAGERS,
    SIGN_IN,
    YH_MANAGERS,
    Case,
    guarded,
    post_only,
    public,
)
from tests.access.world import PERSONAS, World
from tests.factories import FundingStreamFactory, GrantApplicationFactory, GrantsRoundFactory, HelpedBidFactory

NE_MANAGERS = frozenset({"nick", "root"})
# Who records helped bids: the regional teams, a superuser and the providers' people.
BID_RECORDERS = REGION_MANAGERS | {"dave", "erin", "nora"}


@dataclass
class Funding:
    yh_stream: FundingStream
    ne_stream: FundingStream
    daves_bid: HelpedBid
    noras_bid: HelpedBid
    yh_round: GrantsRound
    ne_round: GrantsRound
    erins: GrantApplication  # submitted to yh_round; Alice assessed it without a conflict
    daves_draft: GrantApplication  # to a second Yorkshire and Humberside round


def _build(w: World) -> Funding:
    today = timezone.localdate()
    yh, ne = w.cast.region, w.cast.other_region
    yh_stream = FundingStreamFactory.create(region=yh, programme="Oracle stream YH")
    ne_stream = FundingStreamFactory.create(region=ne, programme="Oracle stream NE")
    dates = {
        "opens_on": today - datetime.timedelta(days=10),
        "closes_on": today + datetime.timedelta(days=10),
        "decisions_by": today + datetime.timedelta(days=40),
    }
    yh_round = GrantsRoundFactory.create(region=yh, name="Oracle round YH", **dates)
    second = GrantsRoundFactory.create(region=yh, name="Oracle round YH two", **dates)
    erins = GrantApplicationFactory.create(
        round=yh_round,
        organisation=w.cast.company,
        created_by=w.cast.erin,
        status=ApplicationStatus.SUBMITTED,
        submitted_by=w.cast.erin,
        submitted_at=timezone.now(),
    )
    Assessment.objects.create(
        application=erins,
        assessor=w.cast.alice,
        conflict=False,
        score=7,
        recommendation="award",
        assessed_at=timezone.now(),
    )
    return Funding(
        yh_stream=yh_stream,
        ne_stream=ne_stream,
        daves_bid=HelpedBidFactory.create(
            organisation=w.cast.charity, stream=yh_stream, recorded_by=w.cast.dave, amount_asked=Decimal("9000.00")
        ),
        noras_bid=HelpedBidFactory.create(organisation=w.tyne, stream=ne_stream, recorded_by=w.nora),
        yh_round=yh_round,
        ne_round=GrantsRoundFactory.create(region=ne, name="Oracle round NE", **dates),
        erins=erins,
        daves_draft=GrantApplicationFactory.create(round=second, organisation=w.cast.charity, created_by=w.cast.dave),
    )


def _outcomes(ok: set[str] | frozenset[str], away: set[str] | frozenset[str]) -> dict[str, str]:
    """``ok`` for some, a redirect (to the record's own page) for ``away``, a 404 for the rest."""
    return {p: OK if p in ok else AWAY if p in away else SIGN_IN if p == "signed out" else NOT_FOUND for p in PERSONAS}


def _streams(w: World) -> list[Case]:
    f = _build(w)
    return [public("Y&H stream", pk=f.yh_stream.pk), public("NE stream", pk=f.ne_stream.pk)]


def _stream_edit(w: World) -> list[Case]:
    f = _build(w)
    return [guarded("Y&H stream", YH_MANAGERS, pk=f.yh_stream.pk), guarded("NE stream", NE_MANAGERS, pk=f.ne_stream.pk)]


def _bid(w: World) -> list[Case]:
    f = _build(w)
    return [
        guarded("Dave's charity's bid", {"dave", "alice", "root"}, pk=f.daves_bid.pk),
        guarded("Tyne Outreach's bid", {"nora", "nick", "root"}, pk=f.noras_bid.pk),
    ]


def _bid_add(w: World) -> list[Case]:
    _build(w)  # so that the form offers streams to bid to
    return [guarded("record a bid", BID_RECORDERS)]


def _rounds(w: World) -> list[Case]:
    f = _build(w)
    return [public("Y&H round", pk=f.yh_round.pk), public("NE round", pk=f.ne_round.pk)]


def _round_edit(w: World) -> list[Case]:
    f = _build(w)
    return [guarded("Y&H round", YH_MANAGERS, pk=f.yh_round.pk), guarded("NE round", NE_MANAGERS, pk=f.ne_round.pk)]


def _apply(w: World) -> list[Case]:
    f = _build(w)
    # Dave's charity has not applied to the Y&H round; Erin's company has (she is sent to it);
    # Nora's organisation is of the North East, whose round she applies to.
    yh = _outcomes({"dave"}, {"erin"})
    ne = _outcomes({"nora"}, set())
    return [Case("Y&H round", {"pk": f.yh_round.pk}, yh, yh), Case("NE round", {"pk": f.ne_round.pk}, ne, ne)]


def _application(w: World) -> list[Case]:
    f = _build(w)
    return [
        guarded("Erin's company's, submitted", {"erin", "alice", "root"}, pk=f.erins.pk),
        # A draft is its organisation's alone: not the regional team's, not a superuser's.
        guarded("Dave's charity's draft", {"dave"}, pk=f.daves_draft.pk),
    ]


def _application_edit(w: World) -> list[Case]:
    f = _build(w)
    submitted = _outcomes(set(), {"erin"})  # sent back to the application: it can no longer change
    return [
        Case("Erin's company's, submitted", {"pk": f.erins.pk}, submitted, submitted),
        guarded("Dave's charity's draft", {"dave"}, pk=f.daves_draft.pk),
    ]


def _application_submit(w: World) -> list[Case]:
    f = _build(w)
    refused_get = {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}
    return [
        # Dave's POST really submits his draft: rolled back.
        post_only("Dave's charity's draft", {"dave"}, rollback=True, pk=f.daves_draft.pk),
        # Erin's is submitted already: she is told so on its page.
        Case("Erin's company's, submitted", {"pk": f.erins.pk}, refused_get, _outcomes(set(), {"erin"})),
    ]


def _assess(w: World) -> list[Case]:
    f = _build(w)
    # Alice has assessed it already (sent back to it); Root has not.
    outcome = _outcomes({"root"}, {"alice"})
    return [Case("Erin's company's, submitted", {"pk": f.erins.pk}, outcome, outcome)]


def _decide(w: World) -> list[Case]:
    f = _build(w)
    # Alice assessed it without a conflict and decides; Root has not assessed it (sent back to it).
    outcome = _outcomes({"alice"}, {"root"})
    return [Case("Erin's company's, submitted", {"pk": f.erins.pk}, outcome, outcome)]


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "funding:index": lambda w: [public("funding")],
    "funding:stream": _streams,
    "funding:stream-add": lambda w: [guarded("add a stream", REGION_MANAGERS)],
    "funding:stream-edit": _stream_edit,
    "funding:bids": lambda w: [guarded("bids helped", BID_RECORDERS)],
    "funding:bid-add": _bid_add,
    "funding:bid": _bid,
    "funding:bid-edit": _bid,
    "funding:round": _rounds,
    "funding:round-add": lambda w: [guarded("open a round", REGION_MANAGERS)],
    "funding:round-edit": _round_edit,
    "funding:apply": _apply,
    "funding:application": _application,
    "funding:application-edit": _application_edit,
    "funding:application-submit": _application_submit,
    "funding:assess": _assess,
    "funding:decide": _decide,
    # The open data: everyone's, signed out included.
    "funding:360giving": lambda w: [public("360Giving JSON")],
    "funding:360giving-csv": lambda w: [public("360Giving CSV")],
}
