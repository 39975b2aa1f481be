"""Show what the database itself holds of each bid: the raw sealed column, read with SQL, as a
superuser or anyone with a copy of the database would see it.

    python manage.py show_sealed_bids

Nothing is decrypted here: the answers and price are AES-GCM ciphertext, the documents too, and
the key that would open them is wrapped by a master key the database never holds.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Print each bid's sealed column as the database holds it (nothing is decrypted)."

    def handle(self, *args: Any, **options: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT b.id, p.name, s.number, b.sealed,"
                " (SELECT COUNT(*) FROM commissioning_biddocument d WHERE d.bid_id = b.id)"
                " FROM commissioning_bid b"
                " JOIN commissioning_biddingpartnership p ON p.id = b.partnership_id"
                " JOIN commissioning_stage s ON s.id = b.stage_id ORDER BY b.id"
            )
            rows = cursor.fetchall()
        for bid_id, partnership, stage, sealed, documents in rows:
            raw = bytes(sealed)
            shown = raw[:24].hex() + ("…" if len(raw) > 24 else "")
            self.stdout.write(
                f"bid {bid_id} ({partnership}, stage {stage}): sealed = {len(raw)} bytes {shown}; "
                f"{documents} sealed documents"
            )
        self.stdout.write(f"{len(rows)} bids; answers, prices and documents are stored only as ciphertext.")
