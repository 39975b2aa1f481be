"""Where the access tests leave their counts, and the line that sums them after the run.

Each test writes one JSON line per URL name it checked into a directory of this run's base
temporary directory, which every xdist worker shares with the controller; ``print_summary`` runs
in the controller (it is called from tests/conftest.py, the one conftest an xdist controller
loads) and adds them up.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

COUNTS_DIR = "access-counts"


def _run_root(config: pytest.Config) -> Path:
    """The controller's base temporary directory (an xdist worker's own one sits inside it)."""
    # pytest keeps its temporary directory factory on the config without declaring it.
    basetemp: Path = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def record(config: pytest.Config, *, url: str, personas: int, requests: int) -> None:
    directory = _run_root(config) / COUNTS_DIR
    directory.mkdir(exist_ok=True)
    line = json.dumps({"url": url, "personas": personas, "requests": requests})
    (directory / f"{uuid.uuid4().hex}.jsonl").write_text(line + "\n", encoding="utf-8")


def print_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or factory._basetemp is None:  # nothing asked for a temporary directory
        return
    directory = factory.getbasetemp() / COUNTS_DIR
    entries = [
        json.loads(line)
        for path in (directory.glob("*.jsonl") if directory.is_dir() else [])
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    if entries:
        urls = len({entry["url"] for entry in entries})
        personas = max(entry["personas"] for entry in entries)
        requests = sum(entry["requests"] for entry in entries)
        terminalreporter.write_sep(
            "-", f"access matrix: {urls} URL patterns × {personas} personas × methods = {requests:,} requests checked"
        )
