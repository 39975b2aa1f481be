"""Registered numbers of organisations: their format, and how open data names them.

An England and Wales charity number is 6 or 7 digits (older charities have 6); a charity linked
to a main charity on the register carries the main number and a -N suffix, e.g. 1099999-1. A
Companies House number is 8 characters: 8 digits (England and Wales, leading zeros kept), or a
2-letter prefix and 6 digits: SC Scotland, NI Northern Ireland, OC an LLP, SO a Scottish LLP, NC
a Northern Ireland LLP, and the other prefixes the register uses (``COMPANY_PREFIXES``). Spaces
are dropped and letters upper-cased, so "sc 123456" is kept as SC123456.

Open data names an organisation by org-id.guide's schemes: GB-CHC for the Charity Commission
for England and Wales, GB-COH for Companies House.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CHARITY_FORMAT = "6 or 7 digits, with -1, -2 ... after them for a linked charity, for example 1099999 or 1099999-1"
COMPANY_FORMAT = (
    "8 characters: 8 digits, or 2 letters such as SC, NI, OC, SO or NC and 6 digits, for example 04567890 or SC123456"
)
# Limited, LLP, limited partnership, overseas, industrial and provident, royal charter and
# European company registers in England and Wales, Scotland and Northern Ireland.
COMPANY_PREFIXES = frozenset(
    {"SC", "NI", "OC", "SO", "NC", "LP", "SL", "NL", "FC", "SF", "NF", "IP", "SP", "RC", "SR", "NR", "SE", "CE", "CS"}
)
CHARITY_RE = re.compile(r"^\d{6,7}(-\d{1,2})?$")
COMPANY_RE = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")

CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def clean_charity_number(value: str) -> str:
    """The number as the register writes it (spaces dropped), or ValidationError naming the format."""
    number = _squash(value)
    if number and not CHARITY_RE.match(number):
        raise ValidationError(
            f"Enter a registered charity number in England and Wales as {CHARITY_FORMAT}", code="charity_number"
        )
    return number


def clean_company_number(value: str) -> str:
    number = _squash(value)
    if number and not (COMPANY_RE.match(number) and (number.isdigit() or number[:2] in COMPANY_PREFIXES)):
        raise ValidationError(f"Enter a company number as {COMPANY_FORMAT}", code="company_number")
    return number


def identifiers_of(*, charity_number: str, company_number: str) -> list[dict[str, str]]:
    """The org-id identifiers of an organisation, charity first: an organisation that is both a
    charity and a company is known first by its charity number."""
    found = []
    if charity_number:
        found.append({"scheme": CHARITY_SCHEME, "id": charity_number})
    if company_number:
        found.append({"scheme": COMPANY_SCHEME, "id": company_number})
    return found


def describe(*, charity_number: str, company_number: str) -> str:
    """'charity 1099999, company 04567890' for pages and notes; '' when neither is recorded."""
    parts = []
    if charity_number:
        parts.append(f"charity {charity_number}")
    if company_number:
        parts.append(f"company {company_number}")
    return ", ".join(parts)
