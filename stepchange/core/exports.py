"""What every download (CSV, XLSX) does to a cell before writing it.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some
also act on a leading tab or carriage return; text people typed (an organisation's name, a funder)
must never run as one. Every export passes its text cells through ``safe_cell``.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading single quote; numbers,
    dates and everything that is not text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
