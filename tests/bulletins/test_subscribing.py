"""Subscribing: double opt-in by e-mail, choices kept from a link in each message, one-click
unsubscribe. Quentin, a volunteer at a housing charity, subscribes to Yorkshire and Humberside's
bulletin; nothing is sent to him until he confirms."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

from stepchange.bulletins import services
from stepchange.bulletins.models import Subscriber
from stepchange.core.models import AuditEvent
from tests.factories import OpportunityFactory, SubscriberFactory

if TYPE_CHECKING:
    from tests.fixture_types import TestResponse

QUENTIN = "quentin@example.org"


def link_in(body: str) -> str:
    found = re.search(r"http://localhost:8000(/bulletins/\S+)", body)
    assert found, body
    return found.group(1)


def sign_up(client: Client, cast, **extra: object) -> TestResponse:
    data = {"email": "Quentin@Example.org", "kinds": ["opportunities"], "pathways": ["accommodation"], **extra}
    return client.post(reverse("bulletins:subscribe", args=["YH"]), data)


def test_quentin_confirms_by_the_link_and_only_then_is_subscribed(cast, smtp):
    client = Client()
    page = client.get(reverse("bulletins:subscribe", args=["YH"])).content.decode()
    assert "Commissioning opportunities" in page and "South Yorkshire Probation Area" in page
    assert "HMP Leeds" not in page  # the areas offered are the region's probation areas

    response = sign_up(client, cast, areas=["SYPA"])
    assert "Check your email" in response.content.decode()
    subscriber = Subscriber.objects.get(email=QUENTIN)
    assert not subscriber.is_active
    assert [p.code for p in subscriber.pathways.all()] == ["accommodation"]
    [mail] = smtp.to(QUENTIN)
    confirm = link_in(smtp.body(mail))

    # Nothing reaches him before he confirms: a digest sent now has no message for him.
    OpportunityFactory.create(commissioner=cast.sypa, pathways=["accommodation"])
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    assert services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version) == 0

    # Opening the link (a mail scanner does) confirms nothing; pressing the button does.
    assert "Confirm your subscription" in client.get(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    assert "You are subscribed" in client.post(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.is_active
    assert AuditEvent.objects.filter(action="bulletin_subscriber_confirm", object_id=str(subscriber.pk)).count() == 1

    # The link works once.
    assert client.post(confirm).status_code == 404
    assert client.get(confirm).status_code == 404


def test_a_forged_or_tampered_confirmation_link_does_nothing(cast, smtp):
    sign_up(Client(), cast)
    confirm = link_in(smtp.body(smtp.to(QUENTIN)[0]))
    tampered = confirm.rstrip("/")[:-2] + "xx/"
    assert Client().post(tampered).status_code == 404
    assert not Subscriber.objects.get(email=QUENTIN).is_active


def test_signing_up_an_address_already_subscribed_sends_its_preferences_link_and_changes_nothing(cast, smtp):
    quentin = SubscriberFactory.create(region=cast.region, email=QUENTIN, pathways=["health"])
    response = sign_up(Client(), cast)
    assert "Check your email" in response.content.decode()  # the page does not say he subscribes
    [mail] = smtp.to(QUENTIN)
    assert link_in(smtp.body(mail)) == reverse("bulletins:manage", args=[quentin.token])
    assert [p.code for p in quentin.pathways.all()] == ["health"]


def test_the_form_says_what_is_missing(cast, smtp):
    response = Client().post(reverse("bulletins:subscribe", args=["YH"]), {"email": "not an address"})
    body = response.content.decode()
    assert "Enter an email address in the correct format, like name@example.com" in body
    assert "Choose at least one kind of news" in body
    assert "<title>Error: " in body
    assert not smtp.messages and not Subscriber.objects.exists()


def test_quentin_changes_his_choices_from_the_link(cast):
    quentin = SubscriberFactory.create(region=cast.region, email=QUENTIN, pathways=["health"])
    url = reverse("bulletins:manage", args=[quentin.token])
    client = Client()
    assert 'value="health" checked' in client.get(url).content.decode()
    response = client.post(
        url, {"version": quentin.version, "kinds": ["opportunities"], "pathways": ["ete", "accommodation"]}, follow=True
    )
    assert "Your choices are saved." in response.content.decode()
    quentin.refresh_from_db()
    assert sorted(p.code for p in quentin.pathways.all()) == ["accommodation", "ete"]
    assert quentin.wants_alerts is False


def test_a_link_with_an_unknown_secret_opens_nothing(cast):
    SubscriberFactory.create(region=cast.region, email=QUENTIN)
    client = Client()
    assert client.get(reverse("bulletins:manage", args=["guess"])).status_code == 404
    assert client.post(reverse("bulletins:unsubscribe", args=["guess"])).status_code == 404


def test_one_click_unsubscribe_needs_no_form_and_takes_effect_at_once(cast):
    quentin = SubscriberFactory.create(region=cast.region, email=QUENTIN)
    # A mail program's POST (RFC 8058): no CSRF token, no cookie.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("bulletins:unsubscribe", args=[quentin.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    quentin.refresh_from_db()
    assert quentin.unsubscribed_at is not None and not quentin.is_active
    # Doing it again changes nothing.
    client.post(reverse("bulletins:unsubscribe", args=[quentin.token]))
    assert AuditEvent.objects.filter(action="bulletin_subscriber_unsubscribe").count() == 1


def test_the_form_e_mails_an_address_at_most_once_in_five_minutes(cast, smtp, clock):
    client = Client()
    sign_up(client, cast)
    sign_up(client, cast)
    assert len(smtp.to(QUENTIN)) == 1
    clock.now += datetime.timedelta(minutes=6)
    sign_up(client, cast)
    assert len(smtp.to(QUENTIN)) == 2
    # The same holds for an address already subscribed (sent its choices' link).
    SubscriberFactory.create(region=cast.region, email="rita@example.org")
    sign_up(client, cast, email="rita@example.org")
    sign_up(client, cast, email="rita@example.org")
    assert len(smtp.to("rita@example.org")) == 1
