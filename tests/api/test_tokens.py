"""API tokens: made on Your account and shown once, kept only hashed, listed with when they were
made and last used, revoked; a revoked token, or one of a closed account, no longer works."""

from __future__ import annotations

import hashlib
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from stepchange.api.models import ApiToken
from stepchange.api.services import token_create, token_revoke
from stepchange.contracts.access import contracts_visible_to
from stepchange.core.models import AuditEvent
from tests.factories import ContractFactory
from tests.personas import Cast


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_token_is_made_shown_once_and_kept_only_as_its_hash(cast: Cast, client_for: Any) -> None:
    page = client_for(cast.dave)
    response = page.post(reverse("api-tokens:list"), {"name": "Case records"})
    assert response.status_code == 302
    shown = page.get(reverse("api-tokens:list"))
    token = ApiToken.objects.get(user=cast.dave)
    whole = shown.context["just_made"]["token"]
    assert whole.startswith(f"sc_{token.prefix}_") and whole in shown.content.decode()
    # 32 random bytes, URL-safe base64: 43 characters after the prefix.
    assert len(whole) == len("sc_") + 12 + 1 + 43
    assert token.secret_hash == hashlib.sha256(whole.encode()).hexdigest()
    assert whole not in str(ApiToken.objects.values_list().get(pk=token.pk))
    assert whole not in str(list(AuditEvent.objects.values_list("before", "after")))
    again = page.get(reverse("api-tokens:list")).content.decode()
    assert whole not in again and "Case records" in again
    assert AuditEvent.objects.filter(action="api_token_create", actor=cast.dave).count() == 1


def test_a_name_is_needed_and_used_once(cast: Cast, client_for: Any) -> None:
    page = client_for(cast.dave)
    response = page.post(reverse("api-tokens:list"), {"name": ""})
    assert response.status_code == 200 and "Enter a name for the token" in response.content.decode()
    token_create(actor=cast.dave, name="Case records")
    response = page.post(reverse("api-tokens:list"), {"name": "case records"})
    assert "You already have a token called case records" in response.content.decode()
    assert ApiToken.objects.filter(user=cast.dave).count() == 1


def test_the_page_lists_only_ones_own_tokens(cast: Cast, client_for: Any) -> None:
    token_create(actor=cast.dave, name="Dave tool")
    token_create(actor=cast.erin, name="Erin tool")
    body = client_for(cast.dave).get(reverse("api-tokens:list")).content.decode()
    assert "Dave tool" in body and "Erin tool" not in body
    assert "Never" in body  # not used yet


def test_a_token_works_and_records_when_it_was_last_used(cast: Cast) -> None:
    token, whole = token_create(actor=cast.bob, name="Contracts system")
    assert token.last_used_at is None
    ContractFactory.create(commissioner=cast.sypa, published=False)
    ContractFactory.create(commissioner=cast.sypa, published=True)
    response = _bearer(whole).get(reverse("api:contracts"))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # The request is Bob's: the list is what he sees on the pages, more than the public sees.
    assert response.json()["count"] == contracts_visible_to(cast.bob).count()
    assert response.json()["count"] > APIClient().get(reverse("api:contracts")).json()["count"]


def test_revoking_stops_a_token_and_is_audited(cast: Cast, client_for: Any) -> None:
    token, whole = token_create(actor=cast.bob, name="Contracts system")
    assert _bearer(whole).get(reverse("api:prison-returns")).status_code == 200
    # Someone else cannot revoke it: the button's target does not admit it exists.
    assert client_for(cast.dave).post(reverse("api-tokens:revoke", args=[token.pk])).status_code == 404
    assert client_for(cast.bob).post(reverse("api-tokens:revoke", args=[token.pk])).status_code == 302
    response = _bearer(whole).get(reverse("api:prison-returns"))
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("The token is not valid")
    assert AuditEvent.objects.filter(action="api_token_revoke", actor=cast.bob).count() == 1
    assert "Contracts system" not in client_for(cast.bob).get(reverse("api-tokens:list")).content.decode()


def test_a_closed_accounts_token_stops_working(cast: Cast) -> None:
    _, whole = token_create(actor=cast.bob, name="Contracts system")
    cast.bob.is_active = False
    cast.bob.save()
    assert _bearer(whole).get(reverse("api:contracts")).status_code == 401


def test_a_wrong_or_malformed_token_is_refused(cast: Cast) -> None:
    token, whole = token_create(actor=cast.bob, name="Contracts system")
    wrong_secret = whole[:-4] + ("aaaa" if not whole.endswith("aaaa") else "bbbb")
    for given in (wrong_secret, "sc_nothing", "not-a-token", f"sc_{token.prefix}_"):
        response = _bearer(given).get(reverse("api:contracts"))
        assert response.status_code == 401, given
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert set(response.json()) == {"status", "title", "errors"}


def test_revoked_twice_or_by_another_is_refused(cast: Cast) -> None:
    import pytest
    from django.core.exceptions import PermissionDenied

    token, _ = token_create(actor=cast.bob, name="Contracts system")
    with pytest.raises(PermissionDenied):
        token_revoke(actor=cast.dave, token=token)
    token_revoke(actor=cast.bob, token=token)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=cast.bob, token=token)


def test_a_session_is_not_taken_by_the_api(cast: Cast, client_for: Any) -> None:
    """Signed in on the pages, a browser reads the API as someone signed out, and cannot write."""
    session = client_for(cast.bob)
    _, whole = token_create(actor=cast.bob, name="Contracts system")
    ContractFactory.create(commissioner=cast.sypa, published=False)
    as_bob = _bearer(whole).get(reverse("api:contracts")).json()
    as_public = APIClient().get(reverse("api:contracts")).json()
    assert session.get(reverse("api:contracts")).json() == as_public
    assert as_public["count"] == 0 and as_bob["count"] == 1
    response = session.post(reverse("api:contracts"), {"reference": "X"}, content_type="application/json")
    assert response.status_code == 401
