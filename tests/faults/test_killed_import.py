"""``load_demo`` killed with SIGKILL part-way leaves the database empty of it, never half-loaded.

A real ``manage.py load_demo`` runs in a subprocess against a throw-away SQLite file, a copy of one
that ``manage.py migrate`` made (``migrated_sqlite``). Its one transaction starts when SQLite
creates the rollback journal next to the file; the test watches for
that file, lets the import run a little, and kills the process at a few different moments. Then
every table must hold exactly the rows of the freshly migrated database or exactly those of a
complete load, never anything in between.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processes import began_writing, finish, manage


def row_counts(database: Path) -> dict[str, int]:
    """Opening the file also rolls back a journal a killed process left behind, as SQLite does."""
    db = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608
    finally:
        db.close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Callable[[Path], Path]) -> dict[str, object]:
    """A migrated empty database to copy, and the row counts of it and of a complete load."""
    folder = tmp_path_factory.mktemp("killed-import")
    template = migrated_sqlite(folder / "migrated.sqlite3")
    loaded = migrated_sqlite(folder / "loaded.sqlite3")
    process = manage(loaded, "load_demo")
    began = began_writing(loaded, process)
    finish(process)
    writing = time.monotonic() - began
    return {
        "template": template,
        "empty": row_counts(template),
        "full": row_counts(loaded),
        "writing": writing,
    }


def test_a_complete_load_really_adds_rows(databases) -> None:
    empty, full = databases["empty"], databases["full"]
    assert full["contracts_contract"] > empty["contracts_contract"] == 0
    assert full["core_auditevent"] > empty["core_auditevent"]


def test_load_demo_killed_at_any_moment_leaves_nothing_or_everything(databases, tmp_path: Path) -> None:
    empty, full, writing = databases["empty"], databases["full"], databases["writing"]
    killed_mid_write = 0
    for n, fraction in enumerate((0.05, 0.3, 0.6)):
        database = tmp_path / f"attempt-{n}.sqlite3"
        shutil.copy(databases["template"], database)
        journal = Path(f"{database}-journal")
        process = manage(database, "load_demo")
        began_writing(database, process)
        time.sleep(fraction * writing)
        mid_write = journal.exists() and process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        counts = row_counts(database)

        assert counts in (empty, full), f"killed at {fraction:.0%} of the import: {counts}"
        if mid_write:
            assert process.returncode == -signal.SIGKILL
            assert counts == empty
            killed_mid_write += 1
    # At least one kill landed inside the import's transaction, so the test tested something. The
    # later kills are timed from a reference run; on a busy machine the import may finish first,
    # which is still a whole load, never a part.
    assert killed_mid_write >= 1
