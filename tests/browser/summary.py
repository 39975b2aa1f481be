"""The count of pages the axe crawl visited per persona, printed at the end of the run.

The crawl (test_axe_crawl.py) writes one small JSON file per persona under its pytest temporary
folder; under xdist each worker's folder sits inside the controller's, so the controller finds
every worker's files. The hook that calls this lives in tests/conftest.py: with ``pytest tests``
under xdist, the controller never loads tests/browser/conftest.py.
"""

from __future__ import annotations

import json
from typing import Any

FOLDER = "axe-crawl"


def report_crawl_counts(terminalreporter: Any, config: Any) -> None:
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return
    files = sorted(factory.getbasetemp().rglob(f"{FOLDER}/*.json"))
    if not files:
        return
    counts = sorted((json.loads(f.read_text()) for f in files), key=lambda entry: entry["persona"])
    terminalreporter.write_sep("-", "axe-core crawl: pages checked per persona")
    for entry in counts:
        terminalreporter.write_line(f"{entry['persona']:>24}: {entry['pages']} pages")
    terminalreporter.write_line(f"{'all personas':>24}: {sum(e['pages'] for e in counts)} pages")
