"""Run a registered report from the command line, for cron and analysts.

    python manage.py report --list
    python manage.py report probation-share --param at=2006-10-01 --param region=YH --format csv
    python manage.py report contract-values --param year=2006-07 --format xlsx --output values.xlsx

The figures come from ``run_report``, as the page and the downloads do. Bad input stops the
command with the registry's message before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stepchange.reports import exports
from stepchange.reports.registry import REPORTS, ParamError, run_report


class Command(BaseCommand):
    help = "Run a published report and write it as JSON, CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="The report, e.g. probation-share (see --list).")
        parser.add_argument("--list", action="store_true", help="List the reports and stop.")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A parameter: at=YYYY-MM-DD, year=2006-07 or region=CODE. Repeat for more than one.",
        )
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="json")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for report in sorted(REPORTS.values(), key=lambda r: r.name):
                self.stdout.write(f"{report.name}\t{report.title}")
            return
        name = options["name"]
        if not name:
            raise CommandError("Name a report, or use --list to see them.")
        raw: dict[str, str] = {}
        for item in options["param"]:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise CommandError(f"Write each --param as key=value, for example at=2006-10-01 (got {item!r}).")
            if key.strip() in raw:
                raise CommandError(f"The parameter {key.strip()!r} is given twice.")
            raw[key.strip()] = value.strip()
        extension = options["format"]
        output = options["output"]
        try:
            result = run_report(name, raw)
        except ParamError as error:
            raise CommandError(str(error)) from None
        content = exports.FORMATS[extension].render(result)
        if output:
            path = Path(output)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote {path}")
            return
        if isinstance(content, bytes):
            # Binary goes to the underlying byte stream of standard output, when there is one.
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None:
                raise CommandError("XLSX is binary: give --output FILE to write it.")
            self.stdout.flush()
            stream.write(content)
            stream.flush()
            return
        self.stdout.write(content, ending="")
