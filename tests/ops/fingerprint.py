"""Every figure a database gives, as one JSON document: run as a program against DATABASE_URL.

    DATABASE_URL=postgres://.../name python -m tests.ops.fingerprint

Prints the number of rows of every table the models name, and, for every registered report, every
region and every export format, a digest of what the report gives: the CSV and JSON bytes as
downloaded, the workbook's cell values (a workbook's own bytes carry the moment it was written), or
the parameter error the report answers with. Two databases whose fingerprints are equal give every
figure alike (tests/ops/test_backup_restore.py). With ``--replica`` the reports read through the
replica alias (core/replica.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from typing import Any


def fingerprint(*, replica: bool = False) -> dict[str, Any]:
    from django.apps import apps
    from django.db import connection
    from django.test.utils import override_settings
    from openpyxl import load_workbook

    from stepchange.core.models import Region
    from stepchange.reports.exports import FORMATS
    from stepchange.reports.registry import REPORTS, ParamError, run_report

    tables: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in tables and not model._meta.proxy:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (a model's own table name)
                tables[table] = cursor.fetchone()[0]
    reports: dict[str, str] = {}
    with override_settings(REPORTS_READ_FROM_REPLICA=replica):
        for code in Region.objects.order_by("code").values_list("code", flat=True):
            for name in sorted(REPORTS):
                try:
                    result = run_report(name, {"region": code})
                except ParamError as error:
                    reports[f"{name}/{code}"] = f"error: {error}"
                    continue
                for extension, form in sorted(FORMATS.items()):
                    content = form.render(result)
                    if extension == "xlsx":
                        assert isinstance(content, bytes)
                        book = load_workbook(io.BytesIO(content), read_only=True)
                        content = repr([[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book])
                    data = content if isinstance(content, bytes) else content.encode()
                    reports[f"{name}/{code}/{extension}"] = hashlib.sha256(data).hexdigest()
    return {"tables": tables, "reports": reports}


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
    django.setup()
    json.dump(fingerprint(replica="--replica" in sys.argv), sys.stdout, indent=1, sort_keys=True)
