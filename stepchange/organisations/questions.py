"""The questions of this app's forms that providers answer (collected by ``core.questions``)."""

from stepchange.core import questions as q
from stepchange.organisations.forms import OrganisationForm

PROFILE = "Organisation profile"

QUESTIONS = [
    q.Asked(OrganisationForm, "charity_number", q.CHARITY_NUMBER, PROFILE),
    q.Asked(OrganisationForm, "company_number", q.COMPANY_NUMBER, PROFILE),
    q.Asked(OrganisationForm, "pathways_served", q.PATHWAYS_SERVED, PROFILE),
    q.Asked(OrganisationForm, "size_band", q.ANNUAL_TURNOVER, PROFILE),
    q.Asked(OrganisationForm, "description", q.WHAT_THE_ORGANISATION_DOES, PROFILE),
    q.Asked(OrganisationForm, "contact_name", q.CONTACT_NAME, PROFILE),
    q.Asked(OrganisationForm, "contact_email", q.CONTACT_EMAIL, PROFILE),
]
