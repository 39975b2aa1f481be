"""Every operation of the OpenAPI document, against a live server, with every persona's token of
the access world (tests/access/world.py) and without one: no server error, and no answer the
document does not describe (its status, content type and body).

A few examples an operation (``EXAMPLES``), so that the whole run stays within a minute or two;
the operations that name a thing are asked about a real one of the world half the time, so that
they are answered with it and not only with a 404.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stepchange.api.services import token_create
from tests.access.world import PERSONAS, build_world

EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def tokens(transactional_db: None, settings: Any) -> dict[str, dict[str, str]]:
    world = build_world()
    world.tenders  # noqa: B018 (bids and opportunities to read)
    world.rounds  # noqa: B018 (returns to read and fill in)
    headers: dict[str, dict[str, str]] = {}
    for persona in PERSONAS:
        user = world.user(persona)
        headers[persona] = (
            {} if user is None else {"Authorization": f"Bearer {token_create(actor=user, name='fuzz')[1]}"}
        )
    real = {
        "/api/v1/organisations/{id}/": world.calder.pk,
        "/api/v1/contracts/{id}/": world.contracts["SY-ACORN-7301"].pk,
        "/api/v1/returns/prison/{id}/": world.rounds.leeds.pk,
        "/api/v1/returns/prison/{id}/lines/": world.rounds.leeds.pk,
        "/api/v1/returns/prison/{id}/submit/": world.rounds.leeds.pk,
        "/api/v1/returns/probation/{id}/": world.rounds.sypa.pk,
        "/api/v1/opportunities/{id}/": world.tenders.sealed.pk,
    }
    headers["__real__"] = {path: str(pk) for path, pk in real.items()}
    return headers


def test_every_operation_answers_as_documented_for_every_persona(live_server: Any, tokens: Any) -> None:
    from django.test import Client

    document = Client().get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(document.json())
    real: dict[str, str] = tokens.pop("__real__")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the document has an operation schemathesis cannot read: {result}"
        operation = result.ok()
        operations += 1
        strategies = [operation.as_strategy()]
        if operation.path in real:
            strategies.append(operation.as_strategy(path_parameters={"id": int(real[operation.path])}))
        if operation.path == "/api/v1/reports/{name}/":
            strategies.append(operation.as_strategy(path_parameters={"name": "contract-values"}))

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(*strategies))
        def check(case: Any) -> None:
            for persona, headers in tokens.items():
                try:
                    case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)
                except Exception as failure:
                    failures.append(f"{persona} {case.method} {case.formatted_path}: {failure}"[:2000])

        check()
    assert operations >= 17
    assert not failures, "\n\n".join(failures[:10])
