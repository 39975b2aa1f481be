"""The benchmark runner's own arithmetic and bookkeeping (no benchmark is timed here)."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

import bench.child
import bench.table
from bench.__main__ import finite, size_of, tag, with_growth
from bench.core import Context, Result, at_most


def result(name: str, size: int, seconds: float | None) -> Result:
    return Result(name, "sqlite", size, 2.0, 1.0, 2.0, "≤ 3×", True, "s", seconds)


def test_growth_row_fits_the_exponent_across_sizes() -> None:
    # 10× the size in 10× the time is linear (k = 1); 10× in 100× is quadratic (k = 2).
    rows = with_growth(
        [
            result("linear", 1000, 0.1),
            result("linear", 100, 0.01),
            result("square", 100, 0.01),
            result("square", 1000, 1.0),
        ]
    )
    assert [(r.benchmark, r.size) for r in rows] == [
        ("linear", 100),
        ("linear", 1000),
        ("linear growth", 1000),
        ("square", 100),
        ("square", 1000),
        ("square growth", 1000),
    ]
    linear, square = rows[2], rows[5]
    assert linear.value == pytest.approx(1.0) and linear.met and linear.goal == "k ≤ 1.1"
    assert square.value == pytest.approx(2.0) and not square.met


def test_no_growth_row_without_two_timed_sizes() -> None:
    rows = with_growth([result("queries", 100, None), result("queries", 1000, None), result("one", 100, 0.5)])
    assert [r.benchmark for r in rows] == ["queries", "queries", "one"]


def test_sizes_and_tags() -> None:
    assert [size_of(s) for s in (0.01, 0.1, 1.0)] == [2_000, 20_000, 200_000]
    assert [tag(s) for s in (0.001, 0.01, 1.0)] == ["0p001", "0p01", "1"]


def test_numbers_keep_four_significant_figures() -> None:
    assert [bench.table.number(v) for v in (0, 0.012345, 1.5, 172.0, 1234.6, float("inf"))] == [
        "0",
        "0.01235",
        "1.500",
        "172",
        "1,235",
        "∞",
    ]


def test_a_crashing_benchmark_does_not_hide_the_others(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    def crashes(ctx: Context) -> list[Result]:
        raise ZeroDivisionError("boom")

    def works(ctx: Context) -> list[Result]:
        return [at_most("works", ctx, 3.0, 2.0, 1.5, seconds=3.0)]

    fake = types.SimpleNamespace(BENCHMARKS=[crashes, works])
    monkeypatch.setattr(bench.child.importlib, "import_module", lambda name: fake)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused")
    outcome = bench.child.run("sqlite", 0.001, 200, True, ["fake"])
    assert [c["benchmark"] for c in outcome["crashes"]] == ["bench.fake.crashes"]
    assert "ZeroDivisionError: boom" in outcome["crashes"][0]["traceback"]
    (row,) = outcome["results"]
    # 3 s against a 2 s floor is 1.5×: the goal ≤ 1.5× is met.
    assert (row["benchmark"], row["ratio"], row["met"], row["seconds"]) == ("works", 1.5, True, 3.0)


def test_the_markdown_table_goes_between_the_results_page_markers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = tmp_path / "RESULTS.md"
    page.write_text("# x\n\n<!-- bench-table: note -->\nold\n<!-- /bench-table -->\nafter\n")
    monkeypatch.setattr(bench.table, "RESULTS_PAGE", page)
    row = result("report", 2000, 0.5).as_json()
    assert bench.table.into_results_page(bench.table.markdown([row])) == 0
    assert bench.table.into_results_page(bench.table.markdown([row])) == 0
    assert page.read_text() == (
        "# x\n\n<!-- bench-table: note -->\n"
        "| benchmark | database | size | value | floor | ratio | goal | met |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| report | sqlite | 2,000 | 2 s | 1 s | 2 | ≤ 3× | yes |\n"
        "<!-- /bench-table -->\nafter\n"
    )


def test_working_copies_of_killed_runs_are_removed_and_live_ones_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import subprocess
    import sys

    import bench.__main__ as runner

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    monkeypatch.setattr(runner, "DATA", tmp_path)
    killed = tmp_path / f"run-{dead.pid}-sqlite-0p01.sqlite3"
    running = tmp_path / f"run-{os.getpid()}-sqlite-0p01.sqlite3"
    kept = tmp_path / "sqlite-0p01.sqlite3"
    for path in (killed, running, kept):
        path.write_bytes(b"")
    runner.SQLite("stamp").clean()
    assert not killed.exists() and running.exists() and kept.exists()


def test_a_ratio_against_a_zero_floor_is_written_as_null() -> None:
    row = finite({"benchmark": "b", "value": 1.0, "floor": 0.0, "ratio": float("inf"), "met": False})
    assert row == {"benchmark": "b", "value": 1.0, "floor": 0.0, "ratio": None, "met": False}


def test_the_results_page_is_the_one_the_table_is_written_into() -> None:
    page = bench.table.RESULTS_PAGE.read_text(encoding="utf-8")
    assert Path(bench.__file__).resolve().parent / "RESULTS.md" == bench.table.RESULTS_PAGE
    assert page.count(bench.table.START) == 1
    assert page.index(bench.table.START) < page.index(bench.table.END)


def test_a_page_without_markers_is_left_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = tmp_path / "RESULTS.md"
    page.write_text("# x\nno markers\n")
    monkeypatch.setattr(bench.table, "RESULTS_PAGE", page)
    assert bench.table.into_results_page("| a |") == 1
    assert page.read_text() == "# x\nno markers\n"
