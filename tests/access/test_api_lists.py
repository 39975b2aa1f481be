"""The API lists, for every persona's token, exactly what the pages' scoping functions give that
persona (compared by id), and keeps sealed bids sealed as the pages do.

The scoping functions are the apps' own (``contracts_visible_to``, ``returns_visible_to``, ...):
the API asks them, never a rule of its own, so the two must agree row for row. The sealed-bid
expectations are written out by hand from tests/access/tenders.py instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from stepchange.api.services import token_create
from stepchange.commissioning.access import bids_visible_to, opportunities_visible_to
from stepchange.contracts.access import contracts_visible_to
from stepchange.organisations.access import organisations_visible_to
from stepchange.returns.access import returns_visible_to
from stepchange.returns.models import ReturnKind
from tests.access.world import PERSONAS, World

LISTS: dict[str, Callable[[Any], Any]] = {
    "api:organisations": organisations_visible_to,
    "api:contracts": contracts_visible_to,
    "api:prison-returns": lambda user: returns_visible_to(user, ReturnKind.PRISON),
    "api:probation-returns": lambda user: returns_visible_to(user, ReturnKind.PROBATION),
    "api:opportunities": lambda user: opportunities_visible_to(user).filter(published_at__isnull=False),
    "api:bids": bids_visible_to,
}


def _client(world: World, persona: str) -> APIClient:
    client = APIClient()
    user = world.user(persona)
    if user is not None:
        _, whole = token_create(actor=user, name="access test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {whole}")
    return client


def _ids(client: APIClient, name: str) -> list[int]:
    found: list[int] = []
    url: str | None = reverse(name) + "?page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code, response.content[:300])
        body = response.json()
        found += [row["id"] for row in body["results"]]
        url = body["next"]
    return found


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_is_the_scoping_function_for_every_persona(name: str, world_once: World, db: None) -> None:
    cache.clear()
    wrong = []
    for persona in PERSONAS:
        user = world_once.user(persona) or AnonymousUser()
        expected = sorted(LISTS[name](user).values_list("pk", flat=True))
        got = _ids(_client(world_once, persona), name)
        assert len(got) == len(set(got)), f"{persona}: {name} lists a row twice"
        if sorted(got) != expected:
            wrong.append(f"{persona}: {name} gave {sorted(got)}, the scoping function {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_contracts_notes_only_to_those_who_work_with_it(persona: str, world_once: World, db: None) -> None:
    cache.clear()
    user = world_once.user(persona) or AnonymousUser()
    from stepchange.contracts.access import contracts_worked_with_by

    worked_with = set(contracts_worked_with_by(user).values_list("pk", flat=True))
    response = _client(world_once, persona).get(reverse("api:contracts") + "?page_size=200")
    for row in response.json()["results"]:
        assert (row["notes"] is not None) == (row["id"] in worked_with), (persona, row["reference"])


# Which bids each persona's token lists, by their names in tests/access/tenders.py, worked out from
# its docstring: a bidder sees its own partnerships' bids at any time (Dave: Acorn's sealed,
# withdrawn and winning bids; Erin: Beacon's, the unsubmitted stage 2 one too, and the runner-up;
# Nora: Tyne North's both, and Tyne's), a manager the submitted bids of stages past their deadline,
# an evaluator those of their stages less a conflict. Nobody outside a bid sees one while its stage
# is sealed: "sealed", "stage 2", "withdrawn" and "ne sealed" appear only for their own bidders.
SEALED = {"sealed": {"dave"}, "stage 2": {"erin"}, "withdrawn": {"dave"}, "ne sealed": {"nora"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_sealed_bids_stay_sealed_through_the_api(persona: str, world_once: World, db: None) -> None:
    cache.clear()
    bids = world_once.tenders.bids
    got = set(_ids(_client(world_once, persona), "api:bids"))
    for short, readers in SEALED.items():
        assert (bids[short].pk in got) == (persona in readers), (persona, short)
    if persona == "signed out":
        assert got == set()
