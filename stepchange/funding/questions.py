"""The questions of this app's forms that providers answer (collected by ``core.questions``)."""

from stepchange.core import questions as q
from stepchange.funding.forms import ApplicationForm

APPLICATION = "Small grant application"

QUESTIONS = [
    q.Asked(ApplicationForm, "summary", q.PROJECT_SUMMARY, APPLICATION),
    q.Asked(ApplicationForm, "amount_requested", q.AMOUNT_ASKED, APPLICATION),
    q.Asked(ApplicationForm, "hours_taken", q.TIME_TAKEN, APPLICATION),
]
