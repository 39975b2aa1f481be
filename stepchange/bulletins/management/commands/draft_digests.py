"""Draft the next digest of every region with something new published (run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stepchange.bulletins import services


class Command(BaseCommand):
    help = "Draft each region's next bulletin digest from what was published since the last one."

    def handle(self, *args: Any, **options: Any) -> None:
        drafted = services.draft_due_digests()
        for bulletin in drafted:
            self.stdout.write(f"Drafted: {bulletin.title} ({bulletin.entries.count()} items)")
        self.stdout.write(f"{len(drafted)} digest{'s' if len(drafted) != 1 else ''} drafted.")
