"""What a hostile visitor types: text, numbers and dates chosen to break a form, and the rest at random.

Every strategy mixes a fixed list of known troublemakers (drawn first, so the derandomised CI run
always tries them) with generated values.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

LONG = 10_001

NASTY_TEXT = [
    "",
    " ",
    "a" * LONG,
    "€" * LONG,
    "nul\x00byte",
    "\x00",
    "tab\tand\r\nnew line",
    "مرحبا بالعالم עולם Hello",  # Arabic, Hebrew and Latin: right-to-left in the middle
    "\u202egnp.exe",  # right-to-left override
    "zero\u200bwidth\u200d\ufeffjoin",
    "👩‍👩‍👧‍👦🏴‍☠️🇬🇧",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
    "e\u0301\u0301\u0301 combining",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    "'; DROP TABLE contracts_contract; --",
    "1' OR '1'='1",
    "%' OR 1=1 --",
    "{{ 7|add:7 }}{% debug %}",
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "../../../etc/passwd",
    "%s%s%s%n",
    "\\",
]

NASTY_NUMBERS = [
    "1e309",
    "-1e309",
    "1e-400",
    "-0",
    "-0.00",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-inf",
    "9" * 40,
    "0." + "9" * 40,
    "99999999999999999999.99",
    "-1",
    "-0.01",
    "0",
    "1_000",
    "1,0,0,0",
    "£",
    "£-5",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # fullwidth digits
    "0x10",
    "1e5",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "12.345",
]

NASTY_DATES = [
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2006-02-30",
    "2007-02-29",
    "31/02/2007",
    "29/02/2007",
    "10000-01-01",
    "-2006-04-01",
    "2006-13-01",
    "1/1/1",
    "01/01/0001",
    "31/12/9999",
    "99/99/9999",
    "2006-04-01T00:00:00",
    "1 Smarch 2006",
    "०१/०४/२००६",  # Devanagari digits
    "1/4/2006\x00",
]

NASTY_CHOICES = ["999999999", "-1", "0", "1.5", "1e309", "NaN", "' OR 1=1 --", "\x00", "a" * LONG, "[]", "None"]


def _text() -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8"), max_size=60)


def _long_text() -> st.SearchStrategy[str]:
    pieces = st.sampled_from(["a", "€", "مرحبا ", "<b>x</b>", "\u200b", "😀", "' OR 1=1 --"])
    return pieces.map(lambda piece: piece * (LONG // len(piece) + 1))


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_TEXT), _text(), _long_text())


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_NUMBERS),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(repr),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        hostile_text(),
    )


def hostile_date() -> st.SearchStrategy[str]:
    dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
    return st.one_of(
        st.sampled_from(NASTY_DATES),
        dates.map(datetime.date.isoformat),
        dates.map(lambda day: f"{day.day}/{day.month}/{day.year}"),
        hostile_text(),
    )


def hostile_choice() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_CHOICES), hostile_text())


KINDS = {"text": hostile_text, "number": hostile_number, "date": hostile_date, "choice": hostile_choice}


def form_data(fields: dict[str, tuple[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Form data where each field is either its good value or a hostile one of its kind.

    ``fields`` maps a field name to (kind, good value); the good values come first, so the
    simplest examples are clean saves and every field is tried hostile on its own and together.
    A list as a good value stands for a multiple choice (checkboxes).
    """
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for name, (kind, good) in fields.items():
        bad: st.SearchStrategy[Any] = KINDS[kind]()
        if isinstance(good, list):
            bad = st.lists(bad, max_size=3)
        strategies[name] = st.one_of(st.just(good), bad)
    return st.fixed_dictionaries(strategies)
