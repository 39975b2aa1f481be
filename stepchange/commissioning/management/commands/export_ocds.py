"""Write the OCDS release package of published opportunities, for a publisher's cron job.

    python manage.py export_ocds --all --out /srv/open-data/stepchange-ocds.json
    python manage.py export_ocds --reference twp-yh-2006          (to standard output)
    python manage.py export_ocds --contracts --out /srv/open-data/stepchange-contracts-ocds.json

The file is written whole or not at all (a temporary file beside it, then renamed), so a reader
never picks up half a package. Links in it start at PUBLIC_BASE_URL unless --base-url is given;
the package's own uri is where the publisher serves the file (--uri; by default
<base url>/open-data/<file name>).
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stepchange.commissioning import ocds, ocds_contracts
from stepchange.commissioning.models import Opportunity


class Command(BaseCommand):
    help = "Write one OCDS 1.1 release package holding the release of every published opportunity."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every published opportunity.")
        which.add_argument(
            "--contracts", action="store_true", help="Every published contract instead, one release each (streamed)."
        )
        which.add_argument(
            "--reference", action="append", metavar="REF", help="One published opportunity; repeat for more."
        )
        parser.add_argument("--out", help="Write to this file instead of standard output.")
        parser.add_argument(
            "--base-url", default=settings.PUBLIC_BASE_URL, help="Start of the links in the package (PUBLIC_BASE_URL)."
        )
        parser.add_argument("--uri", help="Where the package will be served, for its uri field.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        base_url = options["base_url"].rstrip("/")
        if options["contracts"]:
            self._contracts(options, base_url=base_url, now=now)
            return
        published = ocds.published_opportunities(now=now).order_by("published_at", "reference")
        opportunities: list[Opportunity] = list(published)
        if options["reference"]:
            wanted = [r.strip().lower() for r in options["reference"]]
            found = {o.reference: o for o in opportunities}
            missing = [r for r in wanted if r not in found]
            if missing:
                raise CommandError(f"No published opportunity has the reference {', '.join(missing)}.")
            opportunities = [found[r] for r in wanted]
        out = options["out"]
        uri = options["uri"] or f"{base_url}/open-data/{Path(out).name if out else 'stepchange-ocds.json'}"
        try:
            package = ocds.release_package(opportunities, uri=uri, base_url=base_url, now=now)
        except ValueError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        if not out:
            self.stdout.write(text, ending="")
            return
        target = Path(out)
        handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"{len(package['releases'])} releases written to {target}")

    def _contracts(self, options: dict[str, Any], *, base_url: str, now: datetime.datetime) -> None:
        """Every published contract, written a piece at a time: a national package never sits whole
        in memory, and the file still appears whole or not at all."""
        contracts = ocds_contracts.published_contracts()
        if not contracts.exists():
            raise CommandError("A release package holds at least one release: no contract is published.")
        out = options["out"]
        name = Path(out).name if out else "stepchange-contracts-ocds.json"
        chunks = ocds_contracts.package_chunks(contracts, uri=options["uri"] or f"{base_url}/open-data/{name}", now=now)
        if not out:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        target = Path(out)
        handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.writelines(chunks)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"{contracts.count()} contract releases written to {target}")
