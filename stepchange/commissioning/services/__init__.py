"""Every change in commissioning: keyword-only, one transaction and one audit event each.

A broken rule raises ``ValidationError`` (keyed by the form field it belongs to) in words a
person can act on, and nothing is saved. Who may do what is checked against ``access.py``; an
action on a bid the actor may not see raises ``PermissionDenied`` with a message that does not
say whether the bid exists. Every function takes ``now`` so tests can stand either side of a
deadline.

The services are split by theme into the modules beside this one; everything is imported from here.
"""

from stepchange.commissioning.services._common import (
    CENT,
    CHALLENGE_ANSWER_TIME,
    HUNDRED,
    MINIMUM_NOTICE,
    PERSONS_OUTSIDE,
    add_months,
    opportunity_snapshot,
)
from stepchange.commissioning.services.bids import (
    bid_open,
    bid_save,
    bid_snapshot,
    bid_submit,
    bid_withdraw,
    eligibility_failures,
)
from stepchange.commissioning.services.documents import (
    bid_document_add,
    bid_document_open,
    bid_document_remove,
    document_snapshot,
    opportunity_document_add,
    opportunity_document_remove,
    partnership_document_add,
    partnership_document_remove,
)
from stepchange.commissioning.services.evaluation import (
    award_notes,
    award_withdraw,
    bid_award,
    challenge_answer,
    challenge_raise,
    conflict_declare,
    moderation_record,
    score_save,
    scores_submit,
    stage_shortlist,
)
from stepchange.commissioning.services.opportunities import (
    OPPORTUNITY_FIELDS,
    clarification_answer,
    clarification_ask,
    criterion_add,
    evaluator_assign,
    opportunity_cancel,
    opportunity_close_without_award,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
    publication_problems,
    question_add,
    rule_add,
    stage_add,
    stage_deadline_change,
)
from stepchange.commissioning.services.partnerships import (
    bid_team_add,
    bid_team_remove,
    member_confirm,
    member_invite,
    member_leave,
    member_numbers,
    partnership_create,
    partnership_snapshot,
)
from stepchange.commissioning.services.survey import (
    feedback_publish,
    survey_answer,
    survey_invite,
)

__all__ = [
    "CENT",
    "CHALLENGE_ANSWER_TIME",
    "HUNDRED",
    "MINIMUM_NOTICE",
    "OPPORTUNITY_FIELDS",
    "PERSONS_OUTSIDE",
    "add_months",
    "award_notes",
    "award_withdraw",
    "bid_award",
    "bid_document_add",
    "bid_document_open",
    "bid_document_remove",
    "bid_open",
    "bid_save",
    "bid_snapshot",
    "bid_submit",
    "bid_team_add",
    "bid_team_remove",
    "bid_withdraw",
    "challenge_answer",
    "challenge_raise",
    "clarification_answer",
    "clarification_ask",
    "conflict_declare",
    "criterion_add",
    "document_snapshot",
    "eligibility_failures",
    "evaluator_assign",
    "feedback_publish",
    "member_confirm",
    "member_invite",
    "member_leave",
    "member_numbers",
    "moderation_record",
    "opportunity_cancel",
    "opportunity_close_without_award",
    "opportunity_create",
    "opportunity_document_add",
    "opportunity_document_remove",
    "opportunity_publish",
    "opportunity_snapshot",
    "opportunity_update",
    "partnership_create",
    "partnership_document_add",
    "partnership_document_remove",
    "partnership_snapshot",
    "publication_problems",
    "question_add",
    "rule_add",
    "score_save",
    "scores_submit",
    "stage_add",
    "stage_deadline_change",
    "stage_shortlist",
    "survey_answer",
    "survey_invite",
]
