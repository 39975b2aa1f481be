"""What every benchmark shares: the size it runs at, the result row it gives, and how it measures.

A benchmark module (``bench/reports.py``, ``bench/http.py``, ...) defines ``BENCHMARKS``, a list of
functions ``measure(ctx: Context) -> list[Result]``. The runner (``python -m bench``) calls each of
them once per database and size, in a process whose Django is set up against that size's
generated database, then fits the growth exponent across the sizes.

Every value is a ratio against a floor measured in the same run, on the same machine and the same
connection: never a time compared with a constant.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

# The keys of each object in bench/results.json, in the order the table prints them.
KEYS = ("benchmark", "database", "size", "value", "floor", "ratio", "goal", "met")


@dataclass(frozen=True)
class Context:
    """Where a benchmark runs: the database (``sqlite`` or ``postgresql``), its URL, the scale the
    data was generated at, the number of contracts in it, and whether this is the quick run."""

    database: str
    url: str
    scale: float
    size: int
    quick: bool
    # Where a benchmark may write scratch files (uploads, exports); removed after the run.
    scratch: str = "/tmp"  # noqa: S108


@dataclass
class Result:
    """One row of the table.

    ``value`` and ``floor`` are in the same unit (``unit``: seconds, requests/s, rows/s, bytes,
    queries); ``ratio`` is value / floor; ``goal`` says in words what the ratio must be and ``met``
    whether it is. ``seconds`` is the time the measured work took at this size, which the runner
    uses to fit how it grows (time ∝ size^k); leave it None where growth does not apply.
    """

    benchmark: str
    database: str
    size: int
    value: float
    floor: float
    ratio: float
    goal: str
    met: bool
    unit: str = "s"
    seconds: float | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        out = {key: value for key, value in asdict(self).items() if key in KEYS}
        out["unit"] = self.unit
        return out


def at_most(
    benchmark: str,
    ctx: Context,
    value: float,
    floor: float,
    limit: float,
    *,
    unit: str = "s",
    seconds: float | None = None,
) -> Result:
    """A result whose goal is value ≤ limit × floor (times, memory)."""
    ratio = value / floor if floor else math.inf
    return Result(
        benchmark, ctx.database, ctx.size, value, floor, ratio, f"≤ {limit:g}×", ratio <= limit, unit, seconds
    )


def at_least(
    benchmark: str, ctx: Context, value: float, floor: float, limit: float, *, unit: str, seconds: float | None = None
) -> Result:
    """A result whose goal is value ≥ limit × floor (throughputs)."""
    ratio = value / floor if floor else 0.0
    return Result(
        benchmark, ctx.database, ctx.size, value, floor, ratio, f"≥ {limit:g}×", ratio >= limit, unit, seconds
    )


def median_seconds(work: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """The median wall time of ``work()`` over ``repeat`` runs, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def interleaved(
    work: Callable[[], object], floor: Callable[[], object], *, repeat: int = 5, warmup: int = 1
) -> tuple[float, float]:
    """Median times of ``work`` and its ``floor``, run turn about so both see the same machine
    (on two shared cores a burst of other load falls on both, not on one)."""
    for _ in range(warmup):
        work()
        floor()
    worked: list[float] = []
    floored: list[float] = []
    for _ in range(repeat):
        for fn, into in ((work, worked), (floor, floored)):
            gc.collect()
            began = time.perf_counter()
            fn()
            into.append(time.perf_counter() - began)
    return statistics.median(worked), statistics.median(floored)


def queries_made(work: Callable[[], object], using: str = "default") -> int:
    """How many SQL statements ``work()`` sends."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[using]) as captured:
        work()
    return len(captured.captured_queries)


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """Python's peak allocated bytes inside the block (tracemalloc), in the list it yields."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    found: list[int] = []
    try:
        yield found
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        found.append(peak)


def growth_exponent(points: list[tuple[int, float]]) -> float | None:
    """k in time ∝ size^k, fitted by least squares on the logs; None with fewer than two sizes."""
    usable = [(math.log(size), math.log(seconds)) for size, seconds in points if size > 0 and seconds > 0]
    if len({x for x, _ in usable}) < 2:
        return None
    xs, ys = zip(*usable, strict=True)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in usable) / sum((x - mean_x) ** 2 for x in xs)
