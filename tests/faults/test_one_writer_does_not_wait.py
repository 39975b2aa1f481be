"""A long import does not hold up an unrelated save (stepchange/core/dataversion.py).

One thread opens a transaction that writes contracts and a prison return's lines, as a large import
does, and keeps it open. Meanwhile another connection saves a line of a *different* prison return
with a short ``lock_timeout``: if anything it writes had to wait for the import's commit, the save
fails with a lock timeout error instead of finishing. Then the import commits, and the data
version must have moved although the import drew its change numbers before the save did; a figure
cached in between is computed again.

With ``prune``, both transactions are the ones that prune the change log (their first change's
number is made a multiple of PRUNE_EVERY): the save finds the import pruning and skips, it does
not wait.

PostgreSQL only: SQLite lets one transaction write at a time, whatever the triggers do.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from stepchange.accounts.models import Role
from stepchange.contracts.models import Contract
from stepchange.core.dataversion import LOG, PRUNE_EVERY, cached, data_version
from stepchange.core.models import Pathway
from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn
from tests.factories import CommissionerFactory, ContractFactory, UserFactory, open_prison_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"),
]
IMPORTED = 200
WAIT = 60  # seconds: only a broken test waits this long


def next_change_is_a_prune() -> None:
    """The next change logged gets a number that makes its transaction prune the log."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_serial_sequence('{LOG}', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        last = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, (last // PRUNE_EVERY + 1) * PRUNE_EVERY - 1])


def save_line(actor: Any, prison_return: PrisonReturn, pathway: str, running: int) -> None:
    prison_return.refresh_from_db()
    services.prison_line_save(
        actor=actor,
        prison_return=prison_return,
        expected_version=prison_return.version,
        pathway=Pathway.objects.get(code=pathway),
        organisations=[],
        proposed=[],
        services_running=running,
        services_started=0,
        services_ended=0,
        spend=Decimal("100.00"),
    )


@pytest.mark.parametrize("prune", [False, True], ids=["log", "both prune"])
def test_a_long_import_does_not_hold_up_a_save_of_another_return(transactional_db, cast, clock, prune):
    wakefield = CommissionerFactory.create(
        code="WAKEFIELD", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    the_round = open_prison_round(cast, commissioners=[cast.leeds, wakefield])
    leeds_return = PrisonReturn.objects.get(round=the_round, commissioner=cast.leeds)
    wakefield_return = PrisonReturn.objects.get(round=the_round, commissioner=wakefield)
    coordinator = UserFactory.create(
        username="walter", role=Role.PRISON_COORDINATOR, organisation=wakefield.organisation
    )
    before = Contract.objects.count()

    written, release = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def long_import() -> None:
        try:
            with transaction.atomic():
                ContractFactory.create_batch(IMPORTED, commissioner=cast.sypa)
                save_line(cast.frank, leeds_return, "ete", 3)
                written.set()
                assert release.wait(WAIT), "the test never let the import finish"
        except BaseException as exc:
            failed.append(exc)
            written.set()
        finally:
            connection.close()

    if prune:
        next_change_is_a_prune()
    importer = threading.Thread(target=long_import)
    importer.start()
    try:
        assert written.wait(WAIT) and not failed, failed
        if prune:
            next_change_is_a_prune()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Any wait for the import's locks ends in an error, not a slow pass.
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            save_line(coordinator, wakefield_return, "health", 5)
        # The save is everyone's; the import, which drew its change numbers first, is not yet.
        during = data_version()
        assert cached(("test", "contracts"), Contract.objects.count) == before
    finally:
        release.set()
        importer.join(WAIT)
    assert not importer.is_alive() and not failed, failed
    assert data_version() != during
    assert cached(("test", "contracts"), Contract.objects.count) == before + IMPORTED
    assert leeds_return.lines.get(pathway__code="ete").services_running == 3
    assert wakefield_return.lines.get(pathway__code="health").services_running == 5
