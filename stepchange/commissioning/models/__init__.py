"""Commissioning: opportunities and their stages, bidding partnerships, sealed bids, scoring,
moderation, awards, challenges and the bidders' feedback survey.

Status is never a free field: an opportunity is open, evaluating, awarded, cancelled or closed
because of which of its ``*_at`` timestamps are set, and a bid is sealed until its stage's
deadline has passed. Who may see which rows is decided in ``access.py`` only.

The models live in one module per theme; every model and choice is importable from here.
"""

from stepchange.commissioning.models.awards import Award, BidderNotice, Challenge
from stepchange.commissioning.models.bids import Bid, BidOpening, OpportunityKey, Outcome
from stepchange.commissioning.models.documents import (
    BidDocument,
    BidDocumentKind,
    OpportunityDocument,
    OpportunityDocumentKind,
    PartnershipDocument,
    PartnershipDocumentKind,
    StoredDocument,
)
from stepchange.commissioning.models.evaluation import SCORE_MAX, ConflictDeclaration, Moderation, Score
from stepchange.commissioning.models.opportunities import (
    ClarificationQuestion,
    Criterion,
    EligibilityRule,
    MemberFlag,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Question,
    RuleKind,
    Stage,
)
from stepchange.commissioning.models.partnerships import BiddingPartnership, PartnershipMember
from stepchange.commissioning.models.surveys import Rating, SurveyInvitation, SurveyResponse

__all__ = [
    "SCORE_MAX",
    "Award",
    "Bid",
    "BidDocument",
    "BidDocumentKind",
    "BidOpening",
    "BidderNotice",
    "BiddingPartnership",
    "Challenge",
    "ClarificationQuestion",
    "ConflictDeclaration",
    "Criterion",
    "EligibilityRule",
    "MemberFlag",
    "Moderation",
    "Opportunity",
    "OpportunityDocument",
    "OpportunityDocumentKind",
    "OpportunityKey",
    "OpportunityKind",
    "OpportunityStatus",
    "Outcome",
    "PartnershipDocument",
    "PartnershipDocumentKind",
    "PartnershipMember",
    "Question",
    "Rating",
    "RuleKind",
    "Score",
    "Stage",
    "StoredDocument",
    "SurveyInvitation",
    "SurveyResponse",
]
