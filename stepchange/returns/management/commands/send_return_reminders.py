"""Reminders (notifications) about returns due within 7 days, overdue or returned; safe to run daily from cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stepchange.returns.reminders import send_reminders


class Command(BaseCommand):
    help = "Notify the people whose returns are due within 7 days, overdue or returned: once per state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The date to judge deadlines by, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today {options['today']!r} is not a date: write it as YYYY-MM-DD.") from None
        sent = send_reminders(today=today)
        for record in sent:
            self.stdout.write(f"{record.get_reminder_display()}: {record.the_return} to {record.recipients}")
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
