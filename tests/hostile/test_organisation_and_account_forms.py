"""Dave keeps Acorn Housing Trust's profile, Alice adds organisations, anyone searches the directory,
signs in and asks for a new password: each with the worst input, none of it a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given
from hypothesis import strategies as st

from stepchange.accounts.models import User
from stepchange.core.audit import snapshot
from stepchange.organisations.models import Organisation
from tests.fixture_types import ClientFor
from tests.hostile.checks import (
    assert_escaped,
    assert_not_a_server_error,
    assert_refused_or_saved,
    rolled_back,
    row_counts,
)
from tests.hostile.strategies import form_data, hostile_text
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db


def profile_fields(cast: Any, organisation: Organisation | None) -> dict[str, tuple[str, Any]]:
    fields: dict[str, tuple[str, Any]] = {
        "name": ("text", organisation.name if organisation else "Bridge Mentoring CIC"),
        "sector": ("choice", "vcs"),
        "charity_number": ("text", "1100001"),
        "company_number": ("text", ""),
        "region": ("choice", str(cast.region.pk)),
        "areas_served": ("choice", [str(cast.sypa.pk)]),
        "pathways_served": ("choice", ["1"]),
        "bme_led": ("text", ""),
        "women_specific": ("text", "on"),
        "size_band": ("choice", "small"),
        "description": ("text", "Housing advice in Sheffield and Rotherham"),
        "contact_name": ("text", "Dave"),
        "contact_email": ("text", "dave@acorn.example"),
        "website": ("text", "acorn.example"),
    }
    if organisation is not None:
        fields["version"] = ("number", str(organisation.version))
    return fields


@pytest.fixture
def dave(cast: Cast, client_for: ClientFor):
    return client_for(cast.dave)


@pytest.fixture
def alice(cast: Cast, client_for: ClientFor):
    return client_for(cast.alice)


def _pathway_ids(sent: dict[str, Any]) -> None:
    from stepchange.core.models import Pathway

    # "1" stands for the first pathway, whatever id the database gave it.
    first = str(Pathway.objects.order_by("pk").values_list("pk", flat=True)[0])
    sent["pathways_served"] = [first if value == "1" else value for value in sent["pathways_served"]]


@given(data=st.data())
def test_dave_edits_his_charitys_profile_with_hostile_values(cast: Cast, dave, tally: Tally, data) -> None:
    charity = cast.charity
    sent = data.draw(form_data(profile_fields(cast, charity)))
    _pathway_ids(sent)
    tally.add()
    with rolled_back():
        before, record_before = row_counts(), snapshot(Organisation.objects.get(pk=charity.pk))
        response = dave.post(f"/organisations/{charity.pk}/edit/", sent)
        if response.status_code == 302:
            # The many-to-many rows are replaced, not added: compare everything else.
            for label in ("organisations.Organisation_areas_served", "organisations.Organisation_pathways_served"):
                before[label] = row_counts()[label]
        assert_refused_or_saved(response, sent, before=before, record=charity, record_before=record_before)
        assert_escaped(dave.get(f"/organisations/{charity.pk}/"), sent)


@given(data=st.data())
def test_alice_adds_an_organisation_with_hostile_values(cast: Cast, alice, tally: Tally, data) -> None:
    sent = data.draw(form_data(profile_fields(cast, None)))
    _pathway_ids(sent)
    tally.add()
    with rolled_back():
        before = row_counts()
        response = alice.post("/organisations/new/", sent)
        adds = {
            "organisations.Organisation": 1,
            "organisations.Organisation_areas_served": len(set(sent["areas_served"])),
            "organisations.Organisation_pathways_served": len(set(sent["pathways_served"])),
        }
        assert_refused_or_saved(response, sent, before=before, saved_adds=adds)


@pytest.mark.parametrize("who", ["signed out", "erin"])
@given(
    sent=form_data(
        {
            "q": ("text", "Acorn"),
            "sector": ("choice", "vcs"),
            "size_band": ("choice", "small"),
            "pathway": ("choice", ""),
            "flags": ("choice", ["bme_led"]),
            "page": ("choice", "1"),
        }
    )
)
def test_anyone_searches_the_directory_with_hostile_filters(
    cast: Cast, client_for: ClientFor, tally: Tally, who, sent
) -> None:
    tally.add()
    response = client_for(None if who == "signed out" else cast.erin).get("/organisations/", sent)

    assert_not_a_server_error(response)
    assert response.status_code == 200
    assert_escaped(response, sent)


@given(username=hostile_text(), password=hostile_text())
def test_signing_in_with_hostile_credentials_is_refused_with_a_message(
    cast: Cast, client_for: ClientFor, tally: Tally, username, password
) -> None:
    tally.add()
    with rolled_back():  # the failed attempts django-axes records are undone, so no lock-out builds up
        response = client_for(None).post("/account/sign-in/", {"username": username, "password": password})

    assert_not_a_server_error(response)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert_escaped(response, {"username": username})
    assert "_auth_user_id" not in response.wsgi_request.session


@given(email=st.one_of(hostile_text(), hostile_text().map(lambda text: f"{text}@example.org")))
def test_asking_for_a_new_password_with_a_hostile_address_never_fails_or_tells(
    cast: Cast, client_for: ClientFor, tally: Tally, email
) -> None:
    tally.add()
    mail.outbox.clear()
    with rolled_back():  # the requests the rate limit counts are undone, so no limit is reached
        response = client_for(None).post("/account/password-reset/", {"email": email})

    assert_not_a_server_error(response)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"govuk-error-summary" in response.content
    assert_escaped(response, {"email": email})
    assert not mail.outbox  # nobody has that address


@given(first=hostile_text(), second=st.one_of(st.just(None), hostile_text()))
def test_setting_a_new_password_with_hostile_values_is_refused_or_saved_whole(
    cast: Cast, client_for: ClientFor, tally: Tally, first, second
) -> None:
    tally.add()
    with rolled_back():
        bob = User.objects.get(pk=cast.bob.pk)  # as stored: an earlier example's change was undone
        visitor = client_for(None)
        uid = urlsafe_base64_encode(force_bytes(bob.pk))
        landing = visitor.get(f"/account/password-reset/{uid}/{default_token_generator.make_token(bob)}/")
        assert landing.status_code == 302  # to the same page without the token in its address
        sent = {"new_password1": first, "new_password2": first if second is None else second}
        response = visitor.post(landing["Location"], sent)
        assert_not_a_server_error(response)
        bob.refresh_from_db()
        if response.status_code == 302:
            assert bob.check_password(first)
        else:
            assert response.status_code == 200
            assert b"govuk-error-summary" in response.content
            assert bob.check_password("correct horse battery staple")
