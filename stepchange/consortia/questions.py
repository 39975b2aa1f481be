"""The questions of this app's forms that providers answer (collected by ``core.questions``)."""

from stepchange.consortia.forms import ConsortiumForm
from stepchange.core import questions as q

CONSORTIUM = "Setting up a consortium"

QUESTIONS = [
    q.Asked(ConsortiumForm, "constitution", q.CONSTITUTION, CONSORTIUM),
    q.Asked(ConsortiumForm, "bidding_protocol", q.BIDDING_PROTOCOL, CONSORTIUM),
]
