"""The service's commands run as processes of their own, on a SQLite file, for the tests that kill
them part-way: started with ``manage``, waited for with ``finish``, watched with ``began_writing``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(database: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``manage.py`` with ``args`` on the SQLite file ``database`` (and ``env`` besides)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_ENV": "local", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen[bytes], *, timeout: float = 600) -> str:
    """What the process printed, once it has ended well; its errors if it did not."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err.decode()[-3000:]
    return out.decode()


def began_writing(database: Path, process: subprocess.Popen[bytes], *, timeout: float = 300) -> float:
    """When the process's write transaction began: SQLite creates the rollback journal beside the
    file as it does (``time.monotonic()``)."""
    journal = Path(f"{database}-journal")
    deadline = time.monotonic() + timeout
    while not journal.exists():
        if process.poll() is not None:
            _out, err = process.communicate()
            raise AssertionError(f"{process.args!r} ended before it wrote anything: {err.decode()[-2000:]}")
        assert time.monotonic() < deadline, f"{process.args!r} never began writing"
        time.sleep(0.002)
    return time.monotonic()
