"""Demo returns: the probation return dates of the report, and four quarters of prison returns.

Everything is saved through the demo Loader by natural keys, so running the demo twice changes
nothing; dates and times are fixed, never "now".
"""

from __future__ import annotations

import datetime

UTC = datetime.UTC


def approved_when_recorded(day: datetime.date) -> datetime.datetime:
    """A demo return date recorded (and so approved) at nine in the morning of its own date."""
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=UTC)
