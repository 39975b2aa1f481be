"""The worker killed with SIGKILL while it sends a digest, then resumed: every subscriber has
exactly one message at the SMTP server, nobody two, nobody none.

Real processes against a throw-away SQLite file (a copy of one ``manage.py migrate`` made,
``migrated_sqlite``): a digest of one opportunity sent by the regional team to five subscribers
(``manage.py shell``), then ``manage.py db_worker --batch`` sending through a real SMTP server on
127.0.0.1. The server holds the worker's third connection at its greeting, the test kills the
worker there, two messages having gone out; ``manage.py send_bulletins`` (what cron runs) then
sends the rest.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.bulletins.conftest import HoldingServer
from tests.processes import finish, manage

READERS = 5
WAIT = 300  # seconds: only a broken test (or a very busy machine) waits this long

SEED = f"""
from django.contrib.auth import get_user_model
from stepchange.accounts.models import Role
from stepchange.bulletins import services
from tests.factories import CommissionerFactory, OpportunityFactory, RegionFactory, SubscriberFactory

region = RegionFactory.create(code="YH", name="Yorkshire and Humberside")
sypa = CommissionerFactory.create(code="SYPA", region=region)
alice = get_user_model().objects.create(username="alice", role=Role.REGIONAL_COMMISSIONER, region=region)
for n in range({READERS}):
    SubscriberFactory.create(region=region, email=f"reader{{n}}@example.org")
OpportunityFactory.create(commissioner=sypa, title="Housing advice")
draft = services.digest_draft(actor=alice, region=region)
services.bulletin_send(actor=alice, bulletin=draft, version=draft.version)
"""


def states(database: Path) -> Counter[str]:
    db = sqlite3.connect(database)
    try:
        return Counter(state for (state,) in db.execute("SELECT state FROM bulletins_delivery"))
    finally:
        db.close()


def test_a_worker_killed_mid_send_is_resumed_and_everyone_has_one_message(
    tmp_path: Path, smtp_holding_third: HoldingServer, migrated_sqlite: Callable[[Path], Path]
) -> None:
    server, database = smtp_holding_third, migrated_sqlite(tmp_path / "worker.sqlite3")
    mail = {"EMAIL_URL": f"smtp://127.0.0.1:{server.port}"}
    finish(manage(database, "shell", "-c", SEED, env=mail), timeout=WAIT)
    assert states(database) == {"waiting": READERS}

    worker = manage(database, "db_worker", "--batch", "--no-startup-delay", "--no-reload", env=mail)
    try:
        deadline = time.monotonic() + WAIT
        while not server.holding.wait(0.05):  # until the server holds the third connection
            assert time.monotonic() < deadline, "the worker never reached its third message"
            if worker.poll() is not None:
                _out, err = worker.communicate()
                raise AssertionError("the worker ended before its third message: " + err.decode()[-3000:])
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=WAIT)
    finally:
        server.release.set()
    assert worker.returncode == -signal.SIGKILL
    assert len(server.mailbox.messages) == 2
    assert states(database) == {"sent": 2, "waiting": READERS - 2}

    finish(manage(database, "send_bulletins", env=mail), timeout=WAIT)

    received = Counter(str(message["To"]) for message in server.mailbox.messages)
    assert received == {f"reader{n}@example.org": 1 for n in range(READERS)}
    assert states(database) == {"sent": READERS}
