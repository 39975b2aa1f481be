"""Two people change the same bulletin record from pages opened together: the first save stands,
the second is refused with the stale-edit message and leaves no audit event.

A subscriber has no account: "two people" is the same subscriber on two devices (the link of one
message opened on the phone and on the laptop). A digest is drafted and sent by the regional team:
two of them edit it, or one edits it while the other sends it from the page as it was.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stepchange.accounts.models import Role
from stepchange.bulletins import services
from stepchange.bulletins.models import Bulletin, Delivery, Subscriber
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import OpportunityFactory, SubscriberFactory, persona
from tests.fixture_types import ClientFor
from tests.personas import Cast

pytestmark = pytest.mark.django_db

HIDDEN_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"|<input[^>]*value="(\d+)"[^>]*name="version"')


def version_on(page: Any) -> str:
    """The version the page was opened at, as its hidden field carries it."""
    assert page.status_code == 200
    found = HIDDEN_VERSION.search(page.content.decode())
    assert found, "the page carries no version"
    return found.group(1) or found.group(2)


@pytest.fixture
def draft(cast: Cast) -> Bulletin:
    """Yorkshire and Humberside's draft digest, of one opportunity published."""
    OpportunityFactory.create(commissioner=cast.sypa, title="Housing advice", pathways=["accommodation"])
    return services.digest_draft(actor=cast.alice, region=cast.region)


def test_quentins_choices_saved_on_his_phone_stand_when_his_laptop_saves_older_ones(cast: Cast) -> None:
    quentin = SubscriberFactory.create(region=cast.region, email="quentin@example.org", pathways=["health"])
    url = reverse("bulletins:manage", args=[quentin.token])
    phone, laptop = Client(), Client()
    phones_version, laptops_version = version_on(phone.get(url)), version_on(laptop.get(url))
    assert phones_version == laptops_version

    saved = phone.post(url, {"version": phones_version, "kinds": ["opportunities"], "pathways": ["accommodation"]})
    events = AuditEvent.objects.count()
    refused = laptop.post(
        url, {"version": laptops_version, "kinds": ["opportunities"], "pathways": ["ete"], "wants_alerts": "on"}
    )

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200
    assert StaleEdit.message in refused.content.decode()
    assert b"govuk-error-summary" in refused.content
    quentin = Subscriber.objects.get(pk=quentin.pk)
    assert [p.code for p in quentin.pathways.all()] == ["accommodation"]
    assert quentin.wants_alerts is False  # the phone's choice: no alerts
    assert quentin.version == 2
    assert AuditEvent.objects.count() == events  # the refused save left no trace


def test_the_second_of_two_team_members_editing_the_draft_digest_is_refused(
    cast: Cast, client_for: ClientFor, draft: Bulletin
) -> None:
    yusuf = persona(
        "yusuf", Role.REGIONAL_COMMISSIONER, organisation=cast.regional_team.organisation, region=cast.region
    )
    url = reverse("bulletins:edit", args=[cast.region.code, draft.pk])
    alice, colleague = client_for(cast.alice), client_for(yusuf)
    alices_version, colleagues_version = version_on(alice.get(url)), version_on(colleague.get(url))
    assert alices_version == colleagues_version

    saved = alice.post(url, {"version": alices_version, "title": "July bulletin", "intro": "Alice's words"})
    events = AuditEvent.objects.count()
    refused = colleague.post(url, {"version": colleagues_version, "title": "Summer bulletin", "intro": "Yusuf's"})

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200
    assert StaleEdit.message in refused.content.decode()
    assert b"govuk-error-summary" in refused.content
    draft.refresh_from_db()
    assert (draft.title, draft.intro) == ("July bulletin", "Alice's words")
    assert AuditEvent.objects.count() == events


def test_a_digest_changed_meanwhile_is_not_sent_from_the_page_as_it_was(
    cast: Cast, client_for: ClientFor, draft: Bulletin
) -> None:
    SubscriberFactory.create(region=cast.region, email="rita@example.org")
    edit = reverse("bulletins:edit", args=[cast.region.code, draft.pk])
    alice, root = client_for(cast.alice), client_for(cast.root)
    alices_version = version_on(alice.get(edit))  # the send button carries it too
    roots_version = version_on(root.get(edit))

    saved = root.post(edit, {"version": roots_version, "title": draft.title, "intro": "Note the new deadline."})
    events = AuditEvent.objects.count()
    refused = alice.post(
        reverse("bulletins:send", args=[cast.region.code, draft.pk]), {"version": alices_version}, follow=True
    )

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.redirect_chain == [(edit, 302)]
    assert StaleEdit.message in refused.content.decode()
    draft.refresh_from_db()
    assert draft.sent_at is None and draft.intro == "Note the new deadline."
    assert not Delivery.objects.filter(bulletin=draft).exists()  # nobody was sent what Alice had not read
    assert AuditEvent.objects.count() == events
