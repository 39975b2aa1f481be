"""The migration that seals existing bids: a database with plaintext bids, migrated, holds none.

Run in a separate process on a database of its own (SQLite, or PostgreSQL when the suite runs on
it), because it migrates from before sealing (commissioning 0003) with rows in place, which the
test database, already migrated, cannot do.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import datetime, json, sys
import django
django.setup()
from decimal import Decimal
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("commissioning", "0003_documents")
# Every other app as it is now, except those that build on a later commissioning (they wait for
# the final migrate below); commissioning as it was before sealing.
executor = MigrationExecutor(connection)
graph = executor.loader.graph
allowed = set(graph.forwards_plan(BEFORE))
targets = [
    node
    for node in graph.leaf_nodes()
    if node[0] != "commissioning"
    and all(step[0] != "commissioning" or step in allowed for step in graph.forwards_plan(node))
] + [BEFORE]
executor.migrate(targets)
old = MigrationExecutor(connection).loader.project_state(targets, at_end=True).apps
model = old.get_model
now = timezone.now()
region = model("core", "Region").objects.create(code="R1", name="Region 1", holds_contracts=True)
area_org = model("organisations", "Organisation").objects.create(name="Area", sector="public")
area = model("organisations", "Commissioner").objects.create(
    organisation=area_org, code="PA1", kind="probation", region=region
)
acorn = model("organisations", "Organisation").objects.create(name="Acorn", sector="vcs")
dave = model("accounts", "User").objects.create(username="dave", role="provider", organisation=acorn)
model("accounts", "User").objects.create(username="newcomer", role="provider", organisation=acorn, is_active=False)
opportunity = model("commissioning", "Opportunity").objects.create(
    reference="o1", commissioner=area, title="O", description="D", estimated_value=Decimal(1000),
    duration_months=12, contract_start=datetime.date(2030, 1, 1), funding_source="main_grant", published_at=now,
)
stage = model("commissioning", "Stage").objects.create(
    opportunity=opportunity, number=1, name="S", deadline=now + datetime.timedelta(days=9)
)
partnership = model("commissioning", "BiddingPartnership").objects.create(
    opportunity=opportunity, name="P", lead=acorn, created_at=now
)
model("commissioning", "PartnershipMember").objects.create(
    partnership=partnership, organisation=acorn, role="Lead", share=100, invited_at=now, confirmed_at=now
)
bid = model("commissioning", "Bid").objects.create(
    partnership=partnership, stage=stage, answers={"1": "Wombat-orchard 5521"}, price=Decimal("987654.32"),
    submitted_at=now, created_at=now,
)
document = model("commissioning", "BidDocument").objects.create(
    bid=bid, kind="other", title="T", display_name="t.txt", file_format="text", content_type="text/plain",
    content=b"Wombat-document 5521", size=20, sha256="0" * 64, uploaded_at=now,
)
model("core", "AuditEvent").objects.create(
    action="bid_create", object_type="commissioning.bid", object_id=str(bid.pk), object_repr="P",
    after={"answers": {"1": "Wombat-orchard 5521"}, "price": "987654.32", "stage": 1},
)

call_command("migrate", verbosity=0)

from stepchange.accounts.models import User
from stepchange.commissioning import sealing
from stepchange.commissioning.models import Bid, BidDocument

with connection.cursor() as cursor:
    held = []
    for table in connection.introspection.table_names():
        cursor.execute(f"SELECT * FROM {table}")
        for row in cursor.fetchall():
            text = " ".join(bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v) for v in row)
            held += [table for needle in ("Wombat", "987654") if needle in text]
    columns = [c.name for c in connection.introspection.get_table_description(cursor, "commissioning_bid")]
dave = User.objects.get(username="dave")
opened = sealing.open_bid(Bid.objects.get(pk=bid.pk), reader=dave)
content = sealing.open_bid_document(BidDocument.objects.get(pk=document.pk), reader=dave)
print(json.dumps({
    "held": held,
    "columns": sorted(columns),
    "answers": opened.answers,
    "price": str(opened.price),
    "document": content.decode(),
    "team": sorted(u.username for u in Bid.objects.get(pk=bid.pk).partnership.members.get().team.all()),
}))
"""


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL for an empty database of the engine the suite runs on, dropped afterwards."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    import psycopg

    name = f"stepchange_sealing_migration_{os.getpid()}"
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_existing_bids_are_sealed_and_their_plaintext_dropped(tmp_path):
    import json

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
    with scratch_database(tmp_path) as url:
        env |= {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "stepchange.settings"}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # No table holds the answer, the price or the document any more, the audit trail included...
    assert result["held"] == []
    assert "answers" not in result["columns"] and "price" not in result["columns"] and "sealed" in result["columns"]
    # ...and the bid's team, the organisation's active providers when it was sealed, reads it all.
    assert result["team"] == ["dave"]
    assert result["answers"] == {"1": "Wombat-orchard 5521"} and result["price"] == "987654.32"
    assert result["document"] == "Wombat-document 5521"
