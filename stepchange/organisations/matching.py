"""Which directory organisation a name may be: the suggestions offered when a name is proposed.

Names are compared normalised (``normalised_name``): case and punctuation dropped, "&" read as
"and", and the words that say nothing of which organisation it is ("The", "Ltd", "Limited", "PLC",
"CIC", "LLP") left out, so "The Acorn Housing Trust Ltd." and "acorn housing trust" are the same
name. Close names are scored by rapidfuzz's token-sort ratio of the normalised names (0 to 100,
word order ignored). A registered number is an exact match only: the same charity or company
number, as the register writes it (``identifiers``).

Nothing here decides: it suggests. Whoever reviews a name chooses (returns/services_proposals.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process, utils

from stepchange.organisations.identifiers import clean_charity_number, clean_company_number
from stepchange.organisations.models import Organisation

# Words that tell no organisation from another; left out of the name compared.
NOISE_WORDS = frozenset({"the", "ltd", "limited", "plc", "cic", "llp"})
# A name scoring this or more against a directory name is suggested.
SUGGEST_FROM = 80
SUGGESTIONS = 5


def normalised_name(name: str) -> str:
    """The name as compared: lower case, no punctuation, "&" as "and", no noise words."""
    processed = utils.default_process(re.sub(r"&", " and ", name or ""))
    return " ".join(word for word in processed.split() if word not in NOISE_WORDS)


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation
    # Why it is offered, in words: "the same name", "a similar name (92%)", "the same charity number".
    why: str
    score: int


def similar_organisations(
    name: str, candidates: QuerySet[Organisation], *, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The directory organisations among ``candidates`` whose normalised name is the same as
    ``name``'s or scores at least ``SUGGEST_FROM``, best first (then by name)."""
    wanted = normalised_name(name)
    if not wanted:
        return []
    names = {pk: normalised_name(text) for pk, text in candidates.values_list("pk", "name")}
    found = process.extract(wanted, names, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGEST_FROM, limit=limit * 4)
    by_pk = Organisation.objects.in_bulk([pk for _text, _score, pk in found])
    suggestions = [
        Suggestion(
            organisation=by_pk[pk],
            why="the same name" if text == wanted else f"a similar name ({round(score)}% alike)",
            score=100 if text == wanted else int(score),
        )
        for text, score, pk in found
    ]
    suggestions.sort(key=lambda s: (-s.score, s.organisation.name.casefold()))
    return suggestions[:limit]


def same_numbers(candidates: QuerySet[Organisation], *, charity_number: str, company_number: str) -> list[Suggestion]:
    """The organisations among ``candidates`` with exactly this charity or company number (either,
    once written as the register writes it; an invalid or empty number matches nothing)."""
    q = Q(pk__in=[])
    numbers = []
    for clean, field, words in (
        (clean_charity_number, "charity_number", "the same charity number"),
        (clean_company_number, "company_number", "the same company number"),
    ):
        try:
            number = clean(charity_number if field == "charity_number" else company_number)
        except ValidationError:  # an invalid number is the form's to refuse; it matches nothing
            number = ""
        if number:
            q |= Q(**{field: number})
            numbers.append((field, number, words))
    found = []
    for organisation in candidates.filter(q).order_by("name"):
        why = " and ".join(words for field, number, words in numbers if getattr(organisation, field) == number)
        found.append(Suggestion(organisation=organisation, why=why, score=100))
    return found
