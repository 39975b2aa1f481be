"""One database at one size: run every benchmark module's ``BENCHMARKS`` and write their results.

Started by ``python -m bench`` with DATABASE_URL set to a generated database; never run by hand
except to debug one size::

    DATABASE_URL=sqlite:///bench/.data/sqlite-0p001.sqlite3 \\
        python -m bench.child --database sqlite --scale 0.001 --size 200 --out /tmp/out.json

The output file holds ``{"results": [...], "crashes": [...], "timings": {...}}``: each result is a
``Result`` as a dict (with its ``seconds``), each crash names the benchmark function and its
traceback, and the timings give the wall time each function took. A crash in one function does not
stop the others.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The suite's own modules; every other bench/<name>.py that defines BENCHMARKS is a benchmark module.
NOT_BENCHMARKS = {"__init__", "__main__", "core", "child", "generate", "table", "settings", "urls"}


def benchmark_modules(only: list[str] | None = None) -> list[str]:
    """The names (``reports``, ``http``, ...) of the modules that define BENCHMARKS, sorted."""
    names = []
    for path in sorted(HERE.glob("*.py")):
        name = path.stem
        if name in NOT_BENCHMARKS or name.startswith("_"):
            continue
        if "\nBENCHMARKS" not in path.read_text(encoding="utf-8"):
            continue
        names.append(name)
    if only:
        wanted = {name.removeprefix("bench.").removesuffix(".py") for name in only}
        names = [name for name in names if name in wanted]
    return names


def run(database: str, scale: float, size: int, quick: bool, modules: list[str]) -> dict[str, Any]:
    from django.db import connections

    from bench.core import Context, Result

    scratch = tempfile.mkdtemp(prefix="stepchange-bench-")
    ctx = Context(
        database=database, url=os.environ["DATABASE_URL"], scale=scale, size=size, quick=quick, scratch=scratch
    )
    results: list[dict[str, Any]] = []
    crashes: list[dict[str, str]] = []
    timings: dict[str, float] = {}
    try:
        for name in modules:
            label = f"bench.{name}"
            try:
                module = importlib.import_module(label)
                functions: list[Callable[[Context], list[Result]]] = list(module.BENCHMARKS)
            except Exception:
                crashes.append({"benchmark": label, "traceback": traceback.format_exc()})
                continue
            for function in functions:
                where = f"{label}.{getattr(function, '__name__', repr(function))}"
                began = time.perf_counter()
                print(f"    {database} {size:>7,}  {where} ...", file=sys.stderr, flush=True)
                try:
                    for result in function(ctx):
                        results.append(dataclasses.asdict(result))
                except Exception:
                    crashes.append({"benchmark": where, "traceback": traceback.format_exc()})
                finally:
                    # A benchmark that left a transaction or a connection behind does not spoil the next.
                    connections.close_all()
                timings[where] = time.perf_counter() - began
                print(
                    f"    {database} {size:>7,}  {where} took {timings[where]:.1f}s",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"results": results, "crashes": crashes, "timings": timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("--database", required=True, choices=("sqlite", "postgresql"))
    parser.add_argument("--scale", required=True, type=float)
    parser.add_argument("--size", required=True, type=int)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
    import django

    django.setup()
    outcome = run(args.database, args.scale, args.size, args.quick, benchmark_modules(args.only))
    Path(args.out).write_text(json.dumps(outcome, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
