"""No module of the project is longer than 700 lines (the migrations aside: they are written once
and never edited). A module that outgrows it is split by theme into a package whose ``__init__``
imports every name (docs/apps.md)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "stepchange"
LIMIT = 700


def too_long(root: Path, limit: int = LIMIT) -> list[str]:
    """Each module under ``root`` longer than ``limit`` lines, as "path: N lines"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append(f"{path.relative_to(root)}: {count} lines")
    return found


def test_no_module_is_longer_than_700_lines() -> None:
    assert list(ROOT.rglob("*.py")), "no modules found"
    assert not too_long(ROOT), "split these by theme: " + "; ".join(too_long(ROOT))


def test_a_long_module_is_named_with_its_length(tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text("x = 1\n" * 701)
    (tmp_path / "short.py").write_text("x = 1\n" * 700)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    assert too_long(tmp_path) == ["long.py: 701 lines"]
