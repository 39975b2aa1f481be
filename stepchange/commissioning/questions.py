"""The questions of this app's forms that providers answer (collected by ``core.questions``)."""

from stepchange.commissioning.forms import InviteForm, PartnershipForm, SurveyForm
from stepchange.core import questions as q

PARTNERSHIP = "Forming a bidding partnership"
INVITE = "Inviting a partnership member"

QUESTIONS = [
    q.Asked(PartnershipForm, "charity_number", q.CHARITY_NUMBER, PARTNERSHIP),
    q.Asked(PartnershipForm, "company_number", q.COMPANY_NUMBER, PARTNERSHIP),
    q.Asked(PartnershipForm, "constitution", q.CONSTITUTION, PARTNERSHIP),
    q.Asked(PartnershipForm, "bidding_protocol", q.BIDDING_PROTOCOL, PARTNERSHIP),
    q.Asked(InviteForm, "charity_number", q.CHARITY_NUMBER, INVITE),
    q.Asked(InviteForm, "company_number", q.COMPANY_NUMBER, INVITE),
    # The bid's time is asked once, in the bidders' survey, not again at each stage.
    q.Asked(SurveyForm, "effort_hours", q.TIME_TAKEN, "Bidders' survey"),
]
