"""Wrap every opportunity's bid key again under the current master key, all or nothing.

    BID_SEALING_KEYS="2027-01:NEWKEY,2026-12:OLDKEY" python manage.py rotate_bid_keys

The first key in BID_SEALING_KEYS is the current one; every older key still wrapping an opportunity
key must be listed after it. When the command has run, no opportunity key is wrapped by an old
master key and the old key can be taken out of the environment (see docs/operations.md). The bids
themselves are not re-encrypted: their opportunity keys do not change, only how they are wrapped.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from stepchange.commissioning import sealing


class Command(BaseCommand):
    help = "Re-wrap every opportunity's bid key under the current master key (the first in BID_SEALING_KEYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        current, _ = sealing.current_master_key()
        try:
            rewrapped, unchanged = sealing.rewrap_all()
        except sealing.SealBroken as broken:
            raise CommandError(f"{broken}. Nothing was changed.") from None
        self.stdout.write(
            f"{rewrapped} opportunity keys re-wrapped under master key {current!r}, "
            f"{unchanged} already under it. No opportunity key needs any other master key now."
        )
