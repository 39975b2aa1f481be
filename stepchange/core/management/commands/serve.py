"""Run the service as production does (``make serve``): on PostgreSQL, migrated, its static files
collected, under gunicorn (whitenoise serving the static files) with the background worker
(``manage.py db_worker``) as a process of its own beside it.

    DATABASE_URL=postgres://... DJANGO_ENV=production ... python manage.py serve

The two run until this command is stopped (Ctrl-C, or SIGTERM from the service manager), when both
are stopped, or until either stops by itself, when the other is stopped too and the command exits
with an error naming which one stopped: a service whose worker is gone is not left half running.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# Seconds each process is given to finish its requests or its task once asked to stop.
GRACE = 30


class Command(BaseCommand):
    help = "Serve under gunicorn on PostgreSQL with the background worker beside it (make serve)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.SERVE["bind"], help="host:port (SERVE_BIND)")
        parser.add_argument("--workers", type=int, default=settings.SERVE["workers"], help="(WEB_CONCURRENCY)")
        parser.add_argument("--threads", type=int, default=settings.SERVE["threads"], help="(WEB_THREADS)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connections["default"].vendor != "postgresql":
            raise CommandError(
                "make serve runs on PostgreSQL, as production does: set DATABASE_URL to a postgres:// URL "
                f"(the database now is {connections['default'].vendor}). For SQLite use make demo."
            )
        call_command("migrate", interactive=False, verbosity=1)
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # none is carried into the processes started below
        web = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "stepchange.wsgi:application",
                "--config",
                "python:stepchange.gunicorn_conf",
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--timeout",
                str(settings.SERVE["timeout"]),
                "--graceful-timeout",
                str(GRACE),
            ],
            cwd=settings.BASE_DIR,
        )
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"], cwd=settings.BASE_DIR
        )
        processes = {"the web service (gunicorn)": web, "the background worker (db_worker)": worker}
        self.stderr.write(
            f"Serving on http://{options['bind']}/ (gunicorn pid {web.pid}), background worker pid {worker.pid}. "
            "Ctrl-C stops both."
        )
        asked_to_stop: list[int] = []

        def stop(signum: int, frame: Any) -> None:
            asked_to_stop.append(signum)

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            stopped = self._wait(processes, asked_to_stop)
        finally:
            self._stop_all(processes)
            for s, handler in previous.items():
                signal.signal(s, handler)
        if stopped:
            raise CommandError(
                f"{stopped} stopped (exit code {processes[stopped].returncode}), so the other was stopped too."
            )
        self.stderr.write("Stopped the web service and the background worker.")

    @staticmethod
    def _wait(processes: dict[str, subprocess.Popen[bytes]], asked_to_stop: list[int]) -> str:
        """Wait until asked to stop (returns "") or until one process stops by itself (returns its name)."""
        while not asked_to_stop:
            for name, process in processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.2)
        return ""

    @staticmethod
    def _stop_all(processes: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()  # gunicorn and db_worker both finish their work on SIGTERM
        deadline = time.monotonic() + GRACE + 5
        for process in processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
