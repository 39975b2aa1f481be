"""Rows already checked, inserted in one go: ``COPY`` on PostgreSQL, one ``executemany`` elsewhere.

``bulk_create`` builds a model object per row and prepares every value through its field; for the
tens of thousands of plain rows a national upload saves (the organisations a return names), that
building costs more than the insert. ``insert_rows`` takes the rows as tuples of database-ready
values (ids, text, numbers) in the order of the fields named, and sends them unchanged: nothing is
checked or converted here, so callers pass only what their own checks have passed. No model signal
is sent (none is listened for on the tables it serves), and no id comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` into ``model``'s table, each a value per field of ``fields``; return how many."""
    rows = list(rows)
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3's own cursor, whose copy streams rows in the binary-safe text format
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 -- names from the model
    return len(rows)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not isinstance(field, models.Field) or not column:
        raise ValueError(f"{model.__name__}.{name} is not a column.")
    return str(column)
