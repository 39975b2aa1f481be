"""Import a region's data from a spreadsheet on disk: the same checks, preview and saving as the
import pages, for an analyst with the file at hand.

    manage.py import_region_data contracts contracts.xlsx --region yh [--dry-run]
        [--answer 7=new --answer 9=1234] [--as alice]

A file with problems is refused with each problem listed (sheet, row, column, value, expected) and
nothing saved; a close organisation name is a question answered with --answer ROW=ID or ROW=new.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused
from stepchange.imports import services
from stepchange.imports.models import ImportKind, ImportStatus


class Command(BaseCommand):
    help = "Import organisations, contracts, sub-contracts, main grants or prison establishments into a region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help="The region's code")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; save nothing")
        parser.add_argument("--answer", action="append", default=[], metavar="ROW=ID|new")
        parser.add_argument("--as", dest="username", default="", help="Whose import the audit records")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"There is no region with the code {options['region']!r}.")
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"There is no user {options['username']!r}.")
        answers = {}
        for answer in options["answer"]:
            row, _, value = answer.partition("=")
            if not row.isdigit() or not value:
                raise CommandError(f"--answer {answer!r}: give ROW=ID or ROW=new.")
            answers[row] = value
        try:
            with open(options["file"], "rb") as handle:
                record, plan = services.run_now(
                    actor=actor,
                    region=region,
                    kind=options["kind"],
                    uploaded_file=handle,
                    answers=answers,
                    dry_run=options["dry_run"],
                )
        except UploadRefused as refused:
            raise CommandError(str(refused)) from None
        except OSError as missing:
            raise CommandError(f"The file cannot be read: {missing}") from None
        if record.refusal:
            raise CommandError(record.refusal)
        if record.problems:
            for problem in record.problems:
                place = (
                    f"Sheet “{problem['sheet']}”, " if problem["sheet"] else ""
                ) + f"row {problem['row']}, column {problem['column']}"
                if problem["heading"]:
                    place += f" ({problem['heading']})"
                found = f"“{problem['value']}”" if problem["value"] else "nothing"
                self.stderr.write(f"{place}: found {found}; expected {problem['expected']}")
            raise CommandError(f"The file has {len(record.problems)} problem(s): nothing was saved.")
        for warning in record.warnings:
            self.stdout.write(
                f"Warning, row {warning['row']}, column {warning['column']} ({warning['heading']}): {warning['message']}"
            )
        for row in plan.unanswered:
            question = next(r.question for r in plan.rows if r.row == row)
            assert question is not None
            options_text = ", ".join(f"{pk} = {label}" for pk, label in question["options"])
            self.stdout.write(
                f"Question, row {row}: is “{question['name']}” one of {options_text}? Answer with --answer {row}=ID or {row}=new."
            )
        counts = plan.counts()
        self.stdout.write(
            f"{counts['new']} {options['kind']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        elif plan.unanswered:
            raise CommandError("Answer every question (--answer): nothing was saved.")
        elif record.status == ImportStatus.SAVED:
            self.stdout.write(self.style.SUCCESS(f"Saved as import {record.pk}."))
        else:
            raise CommandError(f"Nothing was saved: {record.save_failure or record.status.label}.")
