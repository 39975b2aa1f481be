"""``python manage.py load_demo``: the Yorkshire and Humberside region of 2006-07, and its sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from stepchange.demo.build import DemoRefused, load_demo


class Command(BaseCommand):
    help = (
        "Build the Yorkshire and Humberside region of 2006-07 so that the reports reproduce the Step Change "
        "final report's tables. Running it again leaves the same data."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"Demo data loaded: {result.created} rows created, {result.updated} updated, {result.deleted} removed."
        )
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (every one has the same password):")
        widths = [max(len(row[i]) for row in result.sign_ins) for i in range(4)]
        header = ("Username", "Password", "Role", "Organisation")
        widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
        for row in (header, *result.sign_ins):
            self.stdout.write("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(
            "Two-factor sign-in is required for these; add the key to an authenticator app, or use a backup code once:"
        )
        for username, (key, codes) in result.two_factor.items():
            self.stdout.write(f"  {username}: app key {key}; backup codes {', '.join(codes)}")
