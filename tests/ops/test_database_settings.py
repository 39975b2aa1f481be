"""The database settings production gets from the environment: pooled connections on PostgreSQL,
a replica alias, and the router (stepchange/settings.py)."""

from __future__ import annotations

import json

from tests.core.test_settings import PRODUCTION, load_settings

SHOW = (
    "import json, stepchange.settings as s; d = s.DATABASES; print(json.dumps({"
    "'default_pool': d['default'].get('OPTIONS', {}).get('pool'), 'default_age': d['default'].get('CONN_MAX_AGE'),"
    "'replica_name': d['replica']['NAME'], 'replica_pool': d['replica'].get('OPTIONS', {}).get('pool'),"
    "'mirror': d['replica']['TEST'], 'from_replica': s.REPORTS_READ_FROM_REPLICA, 'routers': s.DATABASE_ROUTERS}))"
)


def _settings(**env: str) -> dict[str, object]:
    result = load_settings(SHOW, **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_production_pools_its_postgresql_connections() -> None:
    loaded = _settings(**PRODUCTION)
    assert loaded["default_pool"] == {"min_size": 2, "max_size": 8, "timeout": 10.0}
    # The pool keeps the connections; Django's own persistent connections are off.
    assert loaded["default_age"] == 0
    # No replica named: the alias is the primary again, unpooled, and reports read from the primary.
    assert (loaded["replica_name"], loaded["replica_pool"], loaded["from_replica"]) == ("x", None, False)
    assert loaded["mirror"] == {"MIRROR": "default"}
    assert loaded["routers"] == ["stepchange.core.replica.ReplicaRouter"]


def test_the_pool_is_sized_from_the_environment_and_can_be_turned_off() -> None:
    sized = _settings(**PRODUCTION, DB_POOL_MIN_SIZE="1", DB_POOL_MAX_SIZE="20", DB_POOL_TIMEOUT="3")
    assert sized["default_pool"] == {"min_size": 1, "max_size": 20, "timeout": 3.0}
    assert _settings(**PRODUCTION, DB_POOL="false")["default_pool"] is None


def test_a_named_replica_is_pooled_and_read_by_the_reports() -> None:
    loaded = _settings(**PRODUCTION, DATABASE_REPLICA_URL="postgres://reader@replica:5432/x")
    assert (loaded["replica_name"], loaded["from_replica"]) == ("x", True)
    assert loaded["replica_pool"] == {"min_size": 2, "max_size": 8, "timeout": 10.0}


def test_locally_and_on_sqlite_there_is_no_pool() -> None:
    assert _settings()["default_pool"] is None
    assert _settings(**{**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})["default_pool"] is None
