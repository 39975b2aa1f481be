"""``python -m bench``: every benchmark, on SQLite and PostgreSQL, at three sizes, against its floor.

    python -m bench                           # full: 2,000, 20,000 and 200,000 contracts (minutes)
    python -m bench --quick                   # one small size, to prove it runs (under a minute)
    python -m bench --database sqlite --only reports uploads

For each database and size it prepares a migrated, generated database (bench/generate/), kept
for the next run while the generator and the migrations are unchanged: SQLite files under
``bench/.data/``, PostgreSQL databases ``stepchange_bench_<size tag>`` with the fingerprint in
the database's comment. Migrations run once per engine; each size starts from a copy of the
migrated database (a file copy, or ``CREATE DATABASE ... TEMPLATE``). Each run works on a fresh
copy of the generated database, dropped afterwards, so benchmarks that write leave nothing behind.

On that copy ``python -m bench.child`` runs every module's BENCHMARKS. Then a growth row per
benchmark and database fits time ∝ size^k across the sizes (goal k ≤ 1.1). The table is printed
and written to ``bench/results.json``. The exit status is 1 only when a benchmark crashed or a
database could not be prepared; an unmet goal is a result, not a failure.

PostgreSQL is reached at BENCH_POSTGRES_URL (default ``postgres://postgres@127.0.0.1:5432/postgres``).
The children run with DEBUG off unless DEBUG is set in the environment.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.child import benchmark_modules
from bench.core import Result, growth_exponent
from bench.generate import CONTRACTS, scaled
from bench.table import text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
RESULTS = HERE / "results.json"
FULL_SCALES = (0.01, 0.1, 1.0)
QUICK_SCALES = (0.001,)
GROWTH_LIMIT = 1.1
PREFIX = "stepchange_bench_"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


class PrepareError(RuntimeError):
    """A database could not be migrated or generated."""


def fingerprint() -> str:
    """What a generated database depends on: the generator, every migration and the data version's
    tables and triggers (made after every migrate, stepchange/core/dataversion.py)."""
    digest = hashlib.sha256()
    files = [
        *sorted((HERE / "generate").glob("*.py")),
        ROOT / "stepchange" / "core" / "dataversion.py",
        *sorted(ROOT.glob("stepchange/*/migrations/*.py")),
    ]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tag(scale: float) -> str:
    """An engine-neutral name for a scale: 0.01 → ``0p01``."""
    return f"{scale:g}".replace(".", "p").replace("-", "m")


def size_of(scale: float) -> int:
    """The number of contracts generated at a scale."""
    return scaled(CONTRACTS, scale, minimum=100)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _manage(url: str, *args: str) -> None:
    """Run a command with DATABASE_URL set to ``url``; its output goes to stderr."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "stepchange.settings"}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, stdout=sys.stderr, check=False)  # noqa: S603
    if done.returncode != 0:
        raise PrepareError(f"{' '.join(args)} failed (exit {done.returncode}) on {url}")


def _migrate(url: str) -> None:
    _manage(url, "manage.py", "migrate", "--no-input", "-v0")


def _generate(url: str, scale: float) -> None:
    _manage(url, "-m", "bench.generate", "--scale", repr(scale))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _locked(engine: str) -> Iterator[None]:
    """One preparation per engine at a time, should two runs start together."""
    DATA.mkdir(exist_ok=True)
    with open(DATA / f".lock-{engine}", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"  {engine}: waiting for another run to finish preparing its database")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# SQLite -----------------------------------------------------------------------------------------


class SQLite:
    name = "sqlite"

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite:///{path}"

    def _fresh(self, path: Path) -> bool:
        sidecar = path.with_suffix(".fingerprint")
        return path.exists() and sidecar.exists() and sidecar.read_text() == self.stamp

    def _keep(self, built: Path, path: Path) -> None:
        os.replace(built, path)
        path.with_suffix(".fingerprint").write_text(self.stamp)

    def clean(self) -> None:
        """Remove the working copies of runs that were killed before they could."""
        for path in DATA.glob("run-*-sqlite-*"):
            pid = path.name.split("-")[1]
            if pid.isdigit() and not _alive(int(pid)):
                path.unlink(missing_ok=True)

    def migrated(self) -> Path:
        path = DATA / "sqlite-migrated.sqlite3"
        if not self._fresh(path):
            say("  sqlite: migrating")
            built = DATA / "sqlite-migrated.building.sqlite3"
            built.unlink(missing_ok=True)
            _migrate(self.url(built))
            self._keep(built, path)
        return path

    def prepared(self, scale: float) -> Path:
        path = DATA / f"sqlite-{tag(scale)}.sqlite3"
        if not self._fresh(path):
            template = self.migrated()
            say(f"  sqlite: generating scale {scale:g}")
            built = DATA / f"sqlite-{tag(scale)}.building.sqlite3"
            shutil.copyfile(template, built)
            _generate(self.url(built), scale)
            self._keep(built, path)
        return path

    @contextlib.contextmanager
    def copy(self, scale: float) -> Iterator[str]:
        with _locked(self.name):
            source = self.prepared(scale)
        run = DATA / f"run-{os.getpid()}-sqlite-{tag(scale)}.sqlite3"
        shutil.copyfile(source, run)
        try:
            yield self.url(run)
        finally:
            for leftover in (run, Path(f"{run}-journal"), Path(f"{run}-wal"), Path(f"{run}-shm")):
                leftover.unlink(missing_ok=True)


# PostgreSQL -------------------------------------------------------------------------------------


class PostgreSQL:
    name = "postgresql"

    def __init__(self, stamp: str) -> None:
        import psycopg

        self.stamp = stamp
        self.admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        try:
            self.admin = psycopg.connect(self.admin_url, autocommit=True)
        except psycopg.Error as exc:
            raise PrepareError(f"PostgreSQL is not reachable at {self.admin_url}: {exc}") from exc

    def url(self, name: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}"

    def _sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with self.admin.cursor() as cursor:
            cursor.execute(statement, params or None)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def _fresh(self, name: str) -> bool:
        rows = self._sql(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            name,
        )
        return bool(rows) and rows[0][0] == self.stamp

    def _drop(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _keep(self, built: str, name: str) -> None:
        self._drop(name)
        self._sql(f'ALTER DATABASE "{built}" RENAME TO "{name}"')
        self._sql(f"COMMENT ON DATABASE \"{name}\" IS '{self.stamp}'")

    def clean(self) -> None:
        """Drop the working copies of runs that were killed before they could."""
        rows = self._sql("SELECT datname FROM pg_database WHERE datname LIKE %s", f"{PREFIX}%_run%")
        for (name,) in rows:
            pid = name.rpartition("_run")[2]
            if pid.isdigit() and not _alive(int(pid)):
                self._drop(name)

    def migrated(self) -> str:
        name = f"{PREFIX}migrated"
        if not self._fresh(name):
            say("  postgresql: migrating")
            built = f"{name}_building"
            self._drop(built)
            self._sql(f'CREATE DATABASE "{built}"')
            _migrate(self.url(built))
            self._keep(built, name)
        return name

    def prepared(self, scale: float) -> str:
        name = f"{PREFIX}{tag(scale)}"
        if not self._fresh(name):
            template = self.migrated()
            say(f"  postgresql: generating scale {scale:g}")
            built = f"{name}_building"
            self._drop(built)
            self._sql(f'CREATE DATABASE "{built}" TEMPLATE "{template}"')
            _generate(self.url(built), scale)
            # The statistics autovacuum would gather in a while on a live database.
            import psycopg

            with psycopg.connect(self.url(built), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
            self._keep(built, name)
        return name

    @contextlib.contextmanager
    def copy(self, scale: float) -> Iterator[str]:
        with _locked(self.name):
            source = self.prepared(scale)
            run = f"{source}_run{os.getpid()}"
            self._drop(run)
            self._sql(f'CREATE DATABASE "{run}" TEMPLATE "{source}"')
        try:
            yield self.url(run)
        finally:
            self._drop(run)


# The run ----------------------------------------------------------------------------------------


def run_child(engine: str, url: str, scale: float, quick: bool, only: list[str] | None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(prefix="stepchange-bench-", suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    command = [
        sys.executable,
        "-m",
        "bench.child",
        "--database",
        engine,
        "--scale",
        repr(scale),
        "--size",
        str(size_of(scale)),
        "--out",
        str(out_path),
    ]
    if quick:
        command.append("--quick")
    if only:
        command += ["--only", *only]
    env = {**os.environ, "DATABASE_URL": url}
    env.setdefault("DEBUG", "False")
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, check=False)  # noqa: S603
        if done.returncode != 0 or not out_path.exists() or not out_path.stat().st_size:
            return {"results": [], "crashes": [{"benchmark": "bench.child", "traceback": f"exit {done.returncode}"}]}
        outcome: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
        return outcome
    finally:
        out_path.unlink(missing_ok=True)


def with_growth(results: list[Result]) -> list[Result]:
    """The results grouped by benchmark and database, each group followed by its growth row."""
    groups: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        groups.setdefault((result.benchmark, result.database), []).append(result)
    out: list[Result] = []
    for (benchmark, database), group in groups.items():
        group.sort(key=lambda r: r.size)
        out += group
        points: dict[int, float] = {}
        for r in group:
            if r.seconds is not None:
                points.setdefault(r.size, r.seconds)
        k = growth_exponent(sorted(points.items()))
        if k is None:
            continue
        out.append(
            Result(
                f"{benchmark} growth",
                database,
                max(points),
                k,
                1.0,
                k,
                f"k ≤ {GROWTH_LIMIT:g}",
                k <= GROWTH_LIMIT,
                unit="k",
            )
        )
    return out


def finite(row: dict[str, Any]) -> dict[str, Any]:
    """JSON has no infinity: a ratio against a zero floor is written as null (shown as –)."""
    return {key: None if isinstance(v, float) and not math.isfinite(v) else v for key, v in row.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SCALES} instead of {FULL_SCALES}")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--only", nargs="+", metavar="MODULE", help="only these modules (reports, http, ...)")
    parser.add_argument("--scales", nargs="+", type=float, help="other scales (1 is 200,000 contracts)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    scales = tuple(args.scales or (QUICK_SCALES if args.quick else FULL_SCALES))
    engines = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    modules = benchmark_modules(args.only)
    say(f"bench: modules {', '.join(modules) or '(none)'}; databases {', '.join(engines)}; scales {scales}")
    stamp = fingerprint()
    results: list[Result] = []
    crashes: list[dict[str, str]] = []
    spent: dict[str, float] = {}
    for engine in engines:
        try:
            server: SQLite | PostgreSQL = SQLite(stamp) if engine == "sqlite" else PostgreSQL(stamp)
        except PrepareError as exc:
            crashes.append({"benchmark": f"{engine} database", "traceback": str(exc)})
            continue
        with _locked(engine):
            server.clean()
        for scale in scales:
            say(f"bench: {engine} at scale {scale:g} ({size_of(scale):,} contracts)")
            try:
                with server.copy(scale) as url:
                    outcome = run_child(engine, url, scale, args.quick, args.only)
            except PrepareError as exc:
                crashes.append({"benchmark": f"{engine} scale {scale:g}", "traceback": str(exc)})
                continue
            results += [Result(**row) for row in outcome["results"]]
            for where, seconds in outcome.get("timings", {}).items():
                spent[where] = spent.get(where, 0.0) + seconds
            crashes += [
                {**crash, "benchmark": f"{crash['benchmark']} ({engine}, scale {scale:g})"}
                for crash in outcome["crashes"]
            ]

    rows = [finite(result.as_json()) for result in with_growth(results)]
    RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text(rows) if rows else "(no results)")
    unmet = sum(1 for row in rows if not row["met"])
    say(
        f"bench: {len(rows)} rows, {unmet} goal(s) not met, {len(crashes)} crash(es); "
        f"wrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - began:.0f}s"
    )
    if spent:
        say(
            "bench: time per benchmark, all sizes and databases: "
            + ", ".join(f"{w} {s:.0f}s" for w, s in spent.items())
        )
    for crash in crashes:
        say(f"\nCRASHED: {crash['benchmark']}\n{crash['traceback']}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
