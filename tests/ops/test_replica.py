"""Reports read from the read replica; nothing else does, and nothing is ever written there
(core/replica.py). In the tests the ``replica`` alias mirrors the default database
(settings: ``TEST={"MIRROR": "default"}``): a second connection to the same rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from stepchange.contracts.models import Contract
from stepchange.core.dataversion import cached
from stepchange.core.models import Region
from stepchange.core.replica import REPLICA, ReplicaRouter, primary_reads, read_alias, report_reads
from stepchange.reports.registry import REPORTS, run_report
from tests.factories import ContractFactory
from tests.ops.fingerprint import fingerprint
from tests.personas import build_cast

BOTH = ["default", REPLICA]


def test_writes_go_to_the_primary_whoever_asks(settings: Settings) -> None:
    settings.REPORTS_READ_FROM_REPLICA = True
    router = ReplicaRouter()
    with report_reads():
        assert router.db_for_write(Contract) == "default"
    assert router.db_for_write(Contract) == "default"


def test_the_replica_is_never_migrated() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "contracts") is False
    assert router.allow_migrate("default", "contracts") is None


@pytest.mark.django_db
def test_reads_in_a_transaction_stay_on_the_primary(settings: Settings) -> None:
    """A service reads what it has just written: inside a transaction (as every ``db`` test is)
    even a report reads from the primary."""
    settings.REPORTS_READ_FROM_REPLICA = True
    assert connections["default"].in_atomic_block
    with report_reads():
        assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_only_a_report_reads_from_the_replica(settings: Settings) -> None:
    settings.REPORTS_READ_FROM_REPLICA = True
    assert read_alias() == "default"
    with report_reads():
        assert read_alias() == REPLICA
        with primary_reads():
            assert read_alias() == "default"
        with transaction.atomic():
            assert read_alias() == "default"
    settings.REPORTS_READ_FROM_REPLICA = False
    with report_reads():
        assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_every_report_reads_from_the_replica_with_the_same_figures(transactional_db: None, settings: Settings) -> None:
    """Every registered report, for every region, in every format, gives the same from the replica
    as from the primary; run through the replica, its selector's reads all go there."""
    cast = build_cast()
    ContractFactory.create(commissioner=cast.sypa, annual_value=Decimal("25000.00"), pathways=["ACC"])
    ContractFactory.create(commissioner=cast.sypa, annual_value=Decimal("10000.00"))

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        from_primary = fingerprint(replica=False)
    assert len(on_replica) == 0

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        from_replica = fingerprint(replica=True)
    assert from_replica == from_primary
    assert len(on_replica) > 0
    # The primary answered only what the registry asks before the selector runs (the region, the
    # date's financial year) and the row counts, never a selector's own query.
    report_tables = ("contracts_contract", "returns_", "reports_")
    selector_reads = [
        q["sql"] for q in on_primary if "count(*)" not in q["sql"] and any(t in q["sql"] for t in report_tables)
    ]
    assert not selector_reads, selector_reads[:3]

    # One report, its queries counted: all of them on the replica.
    settings.REPORTS_READ_FROM_REPLICA = True
    region = Region.objects.get(code="YH")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        result = run_report("probation-share", {"region": region.code})
    assert result.name == "probation-share" and len(on_replica) > 0
    assert set(REPORTS) >= {"probation-share"}


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_cached_figures_are_read_from_the_primary(transactional_db: None, settings: Settings) -> None:
    """A figure kept under the data version is computed from the primary, so a replica a moment
    behind never leaves an old figure in the cache under the new version."""
    settings.REPORTS_READ_FROM_REPLICA = True
    build_cast()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        cached(("replica test", 1), lambda: run_report("probation-share", {"region": "YH"}))
    assert len(on_replica) == 0
