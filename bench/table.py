"""The results table: aligned text for the terminal, or Markdown for bench/RESULTS.md.

python -m bench.table                  # Markdown from bench/results.json, printed
python -m bench.table --results        # the same, written into bench/RESULTS.md between its markers
python -m bench.table --text           # the aligned table python -m bench prints
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.core import KEYS

RESULTS = Path(__file__).resolve().parent / "results.json"
RESULTS_PAGE = Path(__file__).resolve().parent / "RESULTS.md"
START = "<!-- bench-table:"
END = "<!-- /bench-table -->"


def number(value: Any) -> str:
    """Four significant figures, with thousands separated; ∞ and – where there is no number."""
    if value is None:
        return "–"
    value = float(value)
    if math.isinf(value):
        return "∞"
    if math.isnan(value):
        return "–"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude >= 3:
        return f"{value:,.0f}"
    return f"{value:.{max(0, 3 - magnitude)}f}"


def cells(row: dict[str, Any]) -> list[str]:
    unit = row.get("unit", "")
    suffix = f" {unit}" if unit and unit not in {"k", "×"} else ""
    return [
        str(row["benchmark"]),
        str(row["database"]),
        f"{int(row['size']):,}",
        number(row["value"]) + suffix,
        number(row["floor"]) + suffix,
        f"{number(row['ratio'])}",
        str(row["goal"]),
        "yes" if row["met"] else "NO",
    ]


def text(rows: Iterable[dict[str, Any]]) -> str:
    """Aligned columns: text left, numbers right."""
    body = [cells(row) for row in rows]
    header = list(KEYS)
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {2, 3, 4, 5}

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if i in right else value.ljust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(values) for values in body)])


def markdown(rows: Iterable[dict[str, Any]]) -> str:
    body = [cells(row) for row in rows]
    lines = ["| " + " | ".join(KEYS) + " |", "| " + " | ".join("---" for _ in KEYS) + " |"]
    lines += ["| " + " | ".join(value.replace("|", "\\|") for value in values) + " |" for values in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.table", description="Print bench/results.json as a table.")
    parser.add_argument("path", nargs="?", default=str(RESULTS))
    parser.add_argument("--text", action="store_true", help="aligned text instead of Markdown")
    parser.add_argument(
        "--results", action="store_true", help="write the Markdown table into bench/RESULTS.md between its markers"
    )
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"{path} does not exist: run make bench (or make bench-quick) first.", file=sys.stderr)
        return 1
    rows = json.loads(path.read_text(encoding="utf-8"))
    if args.results:
        return into_results_page(markdown(rows))
    print(text(rows) if args.text else markdown(rows))
    return 0


def into_results_page(table: str) -> int:
    """Replace what is between the markers in bench/RESULTS.md (the markers and the rest stay)."""
    page = RESULTS_PAGE.read_text(encoding="utf-8")
    start, end = page.find(START), page.find(END)
    if start < 0 or end < start:
        print(f"{RESULTS_PAGE.name} has no {START} ... {END} markers.", file=sys.stderr)
        return 1
    first_line_end = page.index("\n", start) + 1
    RESULTS_PAGE.write_text(page[:first_line_end] + table + "\n" + page[end:], encoding="utf-8")
    print(f"Wrote {table.count(chr(10)) - 1} rows into {RESULTS_PAGE}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
