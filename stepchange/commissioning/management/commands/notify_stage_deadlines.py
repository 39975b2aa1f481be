"""Tell each partnership of a bid deadline within 7 days, once per deadline; run daily from cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stepchange.commissioning.deadlines import notify_stage_deadlines


class Command(BaseCommand):
    help = "Notify the bid teams whose stage closes within 7 days and whose bid is not in: once per deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="The moment to judge deadlines by, ISO 8601 (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now {options['now']!r} is not a moment: write it as YYYY-MM-DDTHH:MM.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        told = notify_stage_deadlines(now=now)
        self.stdout.write(f"{told} {'person' if told == 1 else 'people'} told of a deadline.")
