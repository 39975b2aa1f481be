"""What the service's forms ask providers, question by question: the registry the burden report
reads to find the questions a provider is asked in more than one form.

Each app declares the questions of its own forms that providers answer in its ``questions.py``
(``QUESTIONS``: a list of ``Asked``), mapping each form field to one of the canonical questions
below; this module collects them through the app registry, as ``navigation`` collects the
navigation, and imports no app itself.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from importlib import import_module

from django import forms
from django.apps import apps
from django.utils.module_loading import module_has_submodule

# The canonical questions: one wording each, whichever form asks it.
CHARITY_NUMBER = "Charity number"
COMPANY_NUMBER = "Company number"
CONTACT_NAME = "Contact name"
CONTACT_EMAIL = "Contact e-mail"
PATHWAYS_SERVED = "Pathways served"
ANNUAL_TURNOVER = "Annual turnover (size band)"
WHAT_THE_ORGANISATION_DOES = "What the organisation does"
CONSTITUTION = "Constitution"
BIDDING_PROTOCOL = "Joint bidding protocol"
PROJECT_SUMMARY = "What the work will do, for whom"
AMOUNT_ASKED = "Amount of money asked for"
TIME_TAKEN = "Time the form took"


@dataclass(frozen=True)
class Asked:
    """One question a form asks providers: the form, the field's name on it, the canonical
    question it is, and what the form is called in the report ("Organisation profile")."""

    form: type[forms.Form] | type[forms.ModelForm]
    field: str
    question: str
    form_title: str

    @property
    def form_path(self) -> str:
        return f"{self.form.__module__}.{self.form.__qualname__}"


@dataclass(frozen=True)
class AskedTwice:
    question: str
    forms: tuple[str, ...]


# Core itself asks providers nothing; it is collected like every app (it is an app of the service).
QUESTIONS: list[Asked] = []


@functools.cache
def declared_questions() -> tuple[Asked, ...]:
    """Every question the service's apps declare, in app order."""
    found: list[Asked] = []
    for config in apps.get_app_configs():
        if config.name.startswith("stepchange.") and module_has_submodule(config.module, "questions"):
            found.extend(import_module(f"{config.name}.questions").QUESTIONS)
    return tuple(found)


def asked_twice(questions: tuple[Asked, ...] | None = None) -> list[AskedTwice]:
    """The canonical questions asked in more than one form (the time a form took aside: it is
    asked of every form on purpose), with the forms that ask them, by question."""
    by_question: dict[str, set[str]] = defaultdict(set)
    for asked in declared_questions() if questions is None else questions:
        if asked.question != TIME_TAKEN:
            by_question[asked.question].add(asked.form_title)
    return [
        AskedTwice(question, tuple(sorted(titles)))
        for question, titles in sorted(by_question.items())
        if len(titles) > 1
    ]
