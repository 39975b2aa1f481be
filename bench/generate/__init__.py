"""A deterministic synthetic national dataset for the benchmarks.

``generate(scale)`` fills the configured database (migrated and empty) with England and Wales over
the financial years 2006-07 to 2009-10. The structure is the same at every scale: 10 regions, 42
probation areas, 130 prisons and a regional team in each region, main grants for every area and
year, targets for every year. The volume grows with the scale: 20,000 × scale providers,
200,000 × scale contracts (with pathways, and one to three sub-contracts on some), and quarterly
prison returns from 130 × scale prisons, one line per pathway, with the organisations delivering
named on each line, and on one approved return 100,000 × scale organisations proposed for the
directory. Every probation area has an approved return at the start of every quarter; those
of 1 October 2008 belong to a round and list the area's live contracts as lines.

Everything is drawn from one seeded ``random.Random``, so the same scale gives the same rows;
rows are written with ``bulk_create`` in batches, with explicit primary keys so the many-to-many
tables can be filled without reading anything back (the sequences are reset at the end).

    python -m bench.generate --scale 0.1      # against DATABASE_URL (default: the local SQLite file)

It also creates one signed-in-able user per role, ``bench-<role>`` with the password
``bench-password``; the regional commissioner of the first region is ``bench-commissioner``.
Those who must use two factors have a confirmed authenticator (key ``totp_key(username)``) and
backup codes (``backup_codes(username)``).
"""

from __future__ import annotations

import time

from bench.generate.directory import Directory
from bench.generate.returns import Returns
from bench.generate.world import COMMISSIONER, CONTRACTS, PASSWORD, ROUND_DAY, YEARS, backup_codes, scaled, totp_key

__all__ = ["COMMISSIONER", "CONTRACTS", "PASSWORD", "ROUND_DAY", "backup_codes", "generate", "scaled", "totp_key"]


def generate(scale: float, *, verbose: bool = False) -> dict[str, int]:
    """Fill the (migrated, empty) default database; return the number of rows written per table."""
    from django.db import transaction

    began = time.perf_counter()
    with transaction.atomic():
        counts = _Generator(scale, verbose=verbose).run()
    _reset_sequences()
    counts["seconds"] = round(time.perf_counter() - began)
    return counts


def _reset_sequences() -> None:
    """Rows were written with explicit ids; later inserts must start after them (PostgreSQL)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [
        m
        for app in ("core", "organisations", "contracts", "returns", "reports")
        for m in apps.get_app_config(app).get_models(include_auto_created=True)
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class _Generator(Directory, Returns):
    def run(self) -> dict[str, int]:
        from stepchange.core.models import FinancialYear, Pathway

        self.years = {y.name: y for y in FinancialYear.objects.filter(name__in=YEARS)}
        self.pathways = list(Pathway.objects.order_by("order"))
        # Prisons report only the pathways asked of prisons.
        self.prison_pathways = [p for p in self.pathways if p.applies_to_prisons]
        self._regions()
        self._commissioners()
        self._organisations()
        self._contracts()
        self._grants_and_targets()
        self._users()
        self._probation_returns()
        self._prison_returns()
        self._published_figures()
        return self.counts
