"""The questions of this app's forms that the organisations filling returns answer (collected by
``core.questions``)."""

from stepchange.core import questions as q
from stepchange.returns.forms import SubmitForm

QUESTIONS = [q.Asked(SubmitForm, "hours_taken", q.TIME_TAKEN, "Submitting a return")]
