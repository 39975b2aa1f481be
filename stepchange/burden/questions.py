"""The questions of this app's forms that providers answer (collected by ``core.questions``)."""

from stepchange.burden.forms import AnswerForm
from stepchange.core.questions import TIME_TAKEN, Asked

QUESTIONS = [Asked(AnswerForm, "hours_taken", TIME_TAKEN, "Monitoring request answer")]
