"""A throw-away world for the killed-import test, built inside ``manage.py shell`` against a SQLite
file: the cast, HMP Leeds's 2006-07 Q1 return, and a large completed template of it.

Large means thousands of new organisations proposed across the nine pathways, so that saving it is
a transaction long enough (a row per proposed organisation, written in one batch per pathway) for a
SIGKILL to land in the middle of.
"""

from __future__ import annotations

import io
import sys

import openpyxl

from stepchange.returns import spreadsheet
from stepchange.returns.models import PrisonReturn
from stepchange.returns.selectors import prison_pathways
from tests.factories import open_prison_round
from tests.personas import build_cast

# enough to be killed in the middle of.
PROPOSED = 9_900


def large_template(prison_return: PrisonReturn, proposed: int = PROPOSED) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheet.build_workbook(prison_return)))
    rows = range(2, 2 + prison_pathways(prison_return).count())  # the pathway rows, above the Total row
    pathways = [workbook["Lines"].cell(row=row, column=1).value for row in rows]
    for row in rows:
        for column, value in zip((2, 3, 4), (proposed, 10, 5), strict=True):
            workbook["Lines"].cell(row=row, column=column, value=value)
    delivery, organisations = workbook["Delivery"], workbook["Organisations"]
    for n in range(proposed):
        name = f"Community project {n:05d}"
        delivery.cell(row=n + 2, column=1, value=pathways[n % len(pathways)])
        delivery.cell(row=n + 2, column=2, value=name)
        organisations.cell(row=n + 2, column=1, value=name)
        organisations.cell(row=n + 2, column=2, value="Voluntary and community")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main(path: str) -> None:
    """Build the world and write the large template to ``path``; print the return's id."""
    cast = build_cast()
    prison_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    with open(path, "wb") as out:
        out.write(large_template(prison_return))
    sys.stdout.write(f"{prison_return.pk}\n")
