"""A large upload killed with SIGKILL part-way leaves nothing of it saved.

``manage.py import_return`` (the upload page's checks and service) runs in a real subprocess
against a throw-away SQLite file (a copy of one ``manage.py migrate`` made, ``migrated_sqlite``).
Its one write transaction starts when SQLite creates the rollback journal beside the file; the
test watches for that file and kills the process at a few moments inside the transaction, measured
from a complete import of the same file. Afterwards every
table holds exactly what it held before (row counts, and a checksum of the returns tables and the
audit log), or, for a kill that came too late, exactly what a complete import leaves.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processes import began_writing, finish, manage
from tests.returns.large_upload import PROPOSED

CHECKSUMMED = ("returns_", "core_auditevent")
# A complete import made at another moment differs from the reference one only in its times (the
# upload's, the audit event's, the return's started_at, in columns and inside the audit's JSON).
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def timeless(row: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(MOMENT.sub("<moment>", value) if isinstance(value, str) else value for value in row)


def contents(database: Path) -> dict[str, object]:
    """Every table's row count, and a checksum of the returns tables and the audit log (times aside).

    Opening the file also rolls back a journal a killed process left behind, as SQLite does.
    """
    db = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        found: dict[str, object] = {}
        for table in sorted(tables):
            found[table] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            if table.startswith(CHECKSUMMED):
                rows = db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608
                found[f"{table} checksum"] = hashlib.sha256(repr([timeless(r) for r in rows]).encode()).hexdigest()
        return found
    finally:
        db.close()


def import_return(database: Path, return_id: str, upload: Path) -> subprocess.Popen[bytes]:
    return manage(database, "import_return", "--return", return_id, "--user", "frank", str(upload))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Callable[[Path], Path]) -> dict[str, object]:
    """A migrated database holding Leeds's return and a large template of it; what it holds before
    the import and after a complete one; and how long a complete import spends writing."""
    folder = tmp_path_factory.mktemp("killed-upload")
    template = migrated_sqlite(folder / "before.sqlite3")
    upload = folder / "large.xlsx"
    script = f"from tests.returns.large_upload import main; main({str(upload)!r})"
    return_id = finish(manage(template, "shell", "-c", script)).strip().splitlines()[-1]
    complete = folder / "complete.sqlite3"
    shutil.copy(template, complete)
    process = import_return(complete, return_id, upload)
    began = began_writing(complete, process)
    output = finish(process)
    return {
        "template": template,
        "upload": upload,
        "return_id": return_id,
        "before": contents(template),
        "complete": contents(complete),
        "writing": time.monotonic() - began,
        "output": output,
    }


def test_a_complete_import_of_the_large_file_saves_all_of_it(world) -> None:
    before, complete = world["before"], world["complete"]
    assert "Saved 7 pathways from large.xlsx" in world["output"]
    assert before["returns_proposedorganisation"] == 0
    assert complete["returns_proposedorganisation"] == PROPOSED
    assert complete["returns_prisonreturnupload"] == 1
    assert complete["core_auditevent"] == before["core_auditevent"] + 1
    # Long enough to be killed in the middle of (the kills below are spread across it).
    assert world["writing"] > 0.3


def test_an_import_killed_at_any_moment_leaves_nothing_or_everything(world, tmp_path: Path) -> None:
    before, complete, writing = world["before"], world["complete"], world["writing"]
    killed_mid_write = 0
    for n, fraction in enumerate((0.05, 0.3, 0.6)):
        database = tmp_path / f"attempt-{n}.sqlite3"
        shutil.copy(world["template"], database)
        journal = Path(f"{database}-journal")
        process = import_return(database, world["return_id"], world["upload"])
        began_writing(database, process)
        time.sleep(fraction * writing)
        mid_write = journal.exists() and process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        found = contents(database)

        differs = sorted(k for k in found if found[k] != before.get(k) and found[k] != complete.get(k))
        assert found in (before, complete), f"killed at {fraction:.0%} of the import: part of it was saved: {differs}"
        if mid_write:
            assert process.returncode == -signal.SIGKILL
            assert found == before
            killed_mid_write += 1
    # At least one kill landed inside the transaction, so the test tested something; on a busy
    # machine a later kill may come after the commit, which is still a whole upload, never a part.
    assert killed_mid_write >= 1


def test_a_kill_after_the_commit_finds_the_whole_upload(world, tmp_path: Path) -> None:
    """A kill that comes too late is compared with the reference import made at another moment:
    the two must match, times aside, or a late kill would read as a partial save."""
    database = tmp_path / "late.sqlite3"
    shutil.copy(world["template"], database)
    process = import_return(database, world["return_id"], world["upload"])
    finish(process)
    process.send_signal(signal.SIGKILL)  # it has already exited: the kill changes nothing
    assert contents(database) == world["complete"]
    assert contents(database) != world["before"]
