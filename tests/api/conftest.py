"""Clients of the API: one carrying a person's token (made through the tokens service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from stepchange.api.services import token_create


@pytest.fixture
def api_for(db: None) -> Callable[[Any], APIClient]:
    """An API client with a new token of ``user`` (signed out, no token, for None)."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            _, whole = token_create(actor=user, name=f"test token {user.pk}-{user.api_tokens.count()}")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {whole}")
        return client

    return make
