"""Where the hostile-input tests leave their counts, and the line that sums them after the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

COUNTS_DIR = "hostile-counts"


class Tally:
    """How many hostile inputs a test tried (the ``tally`` fixture)."""

    def __init__(self) -> None:
        self.tried = 0

    def add(self, n: int = 1) -> None:
        self.tried += n


def run_root(config: pytest.Config) -> Path:
    """The directory every process of this run shares: the controller's base temp directory (an
    xdist worker's own one sits inside it)."""
    # pytest keeps its temporary directory factory on the config without declaring it.
    basetemp: Path = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def print_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or factory._basetemp is None:  # nothing asked for a temporary directory
        return
    directory = factory.getbasetemp() / COUNTS_DIR
    files = list(directory.glob("*.txt")) if directory.is_dir() else []
    if files:
        total = sum(int(path.read_text() or 0) for path in files)
        terminalreporter.write_sep("-", f"hostile inputs tried: {total:,} across {len(files)} tests")
