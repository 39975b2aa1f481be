"""Send the bulletin messages waiting (what the worker does), or deal with uncertain ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stepchange.bulletins import delivery


class Command(BaseCommand):
    help = (
        "Send every bulletin message waiting, each once. --uncertain lists messages that may or may "
        "not have gone out; --resend ID queues one of them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--uncertain", action="store_true", help="List messages left handed to the mail server")
        parser.add_argument("--resend", type=int, metavar="ID", help="Queue again a message checked as not delivered")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["uncertain"]:
            rows = delivery.uncertain()
            for row in rows:
                self.stdout.write(
                    f"{row.pk}\t{row.subscriber.email}\t{row.message_id}\t{row.sending_at:%Y-%m-%d %H:%M}\t{row.bulletin}"
                )
            self.stdout.write(f"{len(rows)} message{'s' if len(rows) != 1 else ''} of uncertain delivery.")
            return
        if options["resend"] is not None:
            if not delivery.resend(options["resend"]):
                raise CommandError(f"Message {options['resend']} is not one left sending or failed.")
            self.stdout.write(f"Message {options['resend']} will be sent again.")
            return
        run = delivery.send_waiting()
        self.stdout.write(
            f"{len(run.sent)} sent, {len(run.skipped)} skipped, {len(run.retry)} to try again, "
            f"{len(run.failed)} failed, {len(run.uncertain)} uncertain."
        )
