"""A backup restores with every figure unchanged (docs/operations.md#backup-and-restore).

The demo is loaded into a PostgreSQL database of its own, dumped with ``pg_dump -Fc`` and restored
with ``pg_restore`` into a new, empty database, as the procedure says. Then both give the same
fingerprint (tests/ops/fingerprint.py): the same number of rows in every table, and every
registered report, for every region, in every export format, alike. Only on PostgreSQL (the CI
runs the suite on it too); both databases are dropped afterwards, whatever happened.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ops.postgres import admin, only_on_postgresql, tool_env, url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = only_on_postgresql


def _run(command: list[str], database: str | None = None) -> str:
    env = tool_env()
    if database is not None:
        env.update(DATABASE_URL=url(database), DJANGO_ENV="local")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def test_a_dump_restores_with_every_figure_unchanged(
    dump_and_restore_databases: tuple[str, ...], tmp_path: Path
) -> None:
    source, restored = dump_and_restore_databases
    python = sys.executable
    _run([python, "manage.py", "migrate", "--no-input", "-v0"], source)
    _run([python, "manage.py", "load_demo"], source)
    before = json.loads(_run([python, "-m", "tests.ops.fingerprint"], source))

    # The procedure of docs/operations.md: a custom-format dump, restored into an empty database.
    dump = tmp_path / "stepchange.dump"
    _run(["pg_dump", "-Fc", "--no-owner", "--file", str(dump), source])
    admin(f'CREATE DATABASE "{restored}"')
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)])
    after = json.loads(_run([python, "-m", "tests.ops.fingerprint"], restored))

    # The demo is there to compare: rows in the tables the figures come from, every report run.
    assert before["tables"]["contracts_contract"] > 0 and before["tables"]["returns_prisonreturnline"] > 0
    from stepchange.reports.registry import REPORTS

    assert {key.split("/")[0] for key in before["reports"]} == set(REPORTS)
    assert not [key for key, value in before["reports"].items() if value.startswith("error")]
    differing_tables = {
        t: (n, after["tables"].get(t)) for t, n in before["tables"].items() if after["tables"].get(t) != n
    }
    assert not differing_tables, f"row counts differ after the restore: {differing_tables}"
    differing_reports = sorted(k for k, v in before["reports"].items() if after["reports"].get(k) != v)
    assert not differing_reports, f"figures differ after the restore: {differing_reports}"
    assert after == before
    # The restored database is a working one: its migrations are all recorded as applied.
    plan = _run([python, "manage.py", "migrate", "--plan"], restored)
    assert "No planned migration operations." in plan
