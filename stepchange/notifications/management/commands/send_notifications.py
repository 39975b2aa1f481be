"""E-mail the notifications waiting in the outbox: once, or every --interval seconds with --loop."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stepchange.notifications import delivery


class Command(BaseCommand):
    help = (
        "E-mail the notifications waiting to be sent, each once. --loop keeps going; --uncertain lists "
        "messages that may or may not have gone out; --resend ID queues one of them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep sending, a pass every --interval seconds")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between passes with --loop")
        parser.add_argument("--batch", type=int, default=delivery.BATCH, help="Rows claimed at a time")
        parser.add_argument("--uncertain", action="store_true", help="List messages left handed to the mail server")
        parser.add_argument("--resend", type=int, metavar="ID", help="Queue again a message checked as not delivered")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["uncertain"]:
            rows = delivery.uncertain()
            for row in rows:
                self.stdout.write(
                    f"{row.pk}\t{row.email_to}\t{row.message_id}\t{row.sending_at:%Y-%m-%d %H:%M}\t{row.subject}"
                )
            self.stdout.write(f"{len(rows)} message{'s' if len(rows) != 1 else ''} of uncertain delivery.")
            return
        if options["resend"] is not None:
            if not delivery.resend(options["resend"]):
                raise CommandError(f"Notification {options['resend']} is not one left sending or failed.")
            self.stdout.write(f"Notification {options['resend']} will be sent again.")
            return
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        while True:
            run = delivery.send_waiting(batch=options["batch"])
            self.stdout.write(
                f"{len(run.sent)} sent, {len(run.retry)} to try again, {len(run.failed)} failed, "
                f"{len(run.uncertain)} uncertain."
            )
            if not options["loop"]:
                return
            time.sleep(options["interval"])
