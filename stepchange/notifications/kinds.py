"""The kinds of message the service sends, and which of them the process requires.

Each person chooses which kinds they receive (``Declined`` records a kind they turned off), except
the kinds marked ``required``: those ask them to act, or tell them what the process obliges the
service to tell them, so they cannot be turned off.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    hint: str
    required: bool = False


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "partnership_invitation",
            "Invitations to join a bidding partnership",
            "Your organisation is invited to bid as a member of a partnership; it must confirm.",
            required=True,
        ),
        Kind(
            "tender_changed",
            "An opportunity you bid for has changed",
            "The commissioner changed it after bids were in; your bid must be re-confirmed.",
            required=True,
        ),
        Kind(
            "stage_result",
            "Stage results and awards",
            "Whether your bid was taken forward, rejected or awarded, with its scores.",
            required=True,
        ),
        Kind(
            "challenge_raised",
            "Challenges to an award you manage",
            "A bidder challenged an award; the challenge must be answered within 5 days.",
            required=True,
        ),
        Kind(
            "challenge_answered",
            "Answers to your challenges",
            "The commissioner answered a challenge your partnership raised.",
            required=True,
        ),
        Kind(
            "return_returned",
            "Returns returned for correction",
            "A return you fill in was sent back; it must be corrected and submitted again.",
            required=True,
        ),
        Kind(
            "grant_decision",
            "Decisions on small grant applications",
            "Your organisation's application to a small grants round was awarded or declined, with the reasons.",
            required=True,
        ),
        Kind(
            "event_cancelled",
            "Capacity-building events you booked cancelled",
            "An event you had a place on, or were waiting for, was cancelled, with the reason.",
            required=True,
        ),
        Kind("return_approved", "Returns approved", "A return you filled in was approved."),
        Kind(
            "return_deadline",
            "Return deadlines approaching or passed",
            "A return you fill in is due within 7 days, or overdue.",
        ),
        Kind(
            "stage_deadline",
            "Bid deadlines approaching",
            "A stage your partnership may bid at closes within 7 days and your bid is not submitted.",
        ),
        Kind(
            "feedback_published",
            "Feedback summaries published",
            "The anonymous summary of bidders' feedback on an opportunity you bid for.",
        ),
        Kind(
            "opportunity_news",
            "Other news of opportunities you bid for",
            "An opportunity ended without an award, an award withdrawn, a feedback survey.",
        ),
    )
}


def optional_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if not kind.required]


def required_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.required]
