"""A digest: drafted from what the service published since the last one, edited and sent by the
regional team; each subscriber gets only the items matching their choices, and nothing when none
match.

Alice (Yorkshire and Humberside's regional commissioner) sends it. Three subscribers:
Rita wants accommodation anywhere in the region, Sam anything in South Yorkshire, Tom only health
in West Yorkshire. Two opportunities were published: housing in South Yorkshire, and drug services
across the whole region.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from stepchange.bulletins import services, sources
from stepchange.bulletins.models import Bulletin, Delivery, DeliveryState
from stepchange.core.models import AuditEvent
from tests.factories import OpportunityFactory, SubscriberFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def readers(cast):
    return {
        "rita": SubscriberFactory.create(region=cast.region, email="rita@example.org", pathways=["accommodation"]),
        "sam": SubscriberFactory.create(region=cast.region, email="sam@example.org", areas=[cast.sypa]),
        "tom": SubscriberFactory.create(
            region=cast.region, email="tom@example.org", pathways=["health"], areas=[cast.wypa]
        ),
    }


@pytest.fixture
def published(cast):
    return {
        "housing": OpportunityFactory.create(
            commissioner=cast.sypa, title="Housing advice", pathways=["accommodation"], areas=[cast.sypa]
        ),
        "drugs": OpportunityFactory.create(
            commissioner=cast.regional_team, title="Drug services", pathways=["drugs-alcohol"]
        ),
    }


def test_the_opportunities_source_is_collected_from_commissioning():
    [source] = [source for source in sources.declared_sources() if source.key == "opportunities"]
    assert source.published_between.__module__ == "stepchange.commissioning.bulletins"


def test_the_draft_holds_what_was_published_since_the_last_digest(cast, published):
    OpportunityFactory.create(commissioner=cast.sypa, title="Not yet public", published_at=None)
    OpportunityFactory.create(
        commissioner=cast.sypa, title="Long ago", published_at=datetime.datetime(2006, 4, 1, tzinfo=datetime.UTC)
    )
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    assert sorted(draft.entries.values_list("title", flat=True)) == ["Drug services", "Housing advice"]
    assert AuditEvent.objects.filter(action="bulletin_digest_draft", object_id=str(draft.pk)).count() == 1

    with pytest.raises(ValidationError, match="A draft digest is already waiting"):
        services.digest_draft(actor=cast.alice, region=cast.region)
    services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version)

    # The next digest starts where this one ended: nothing new yet, so no draft.
    with pytest.raises(ValidationError, match="Nothing has been published since"):
        services.digest_draft(actor=cast.alice, region=cast.region)
    OpportunityFactory.create(commissioner=cast.wypa, title="Mentoring", published_at=draft.covers_to + DAY / 24)
    later = services.digest_draft(actor=cast.alice, region=cast.region, now=draft.covers_to + DAY)
    assert list(later.entries.values_list("title", flat=True)) == ["Mentoring"]
    assert later.covers_from == draft.covers_to


def test_the_north_easts_opportunities_are_not_in_yorkshires_digest(cast, published):
    from stepchange.organisations.models import CommissionerKind
    from tests.factories import CommissionerFactory

    tyne = CommissionerFactory.create(code="NPA", region=cast.other_region, kind=CommissionerKind.PROBATION)
    OpportunityFactory.create(commissioner=tyne, title="Tyneside housing")
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    assert "Tyneside housing" not in list(draft.entries.values_list("title", flat=True))


def test_each_subscriber_gets_only_the_items_matching_their_choices(
    cast, readers, published, smtp, immediate_tasks, client_for, django_capture_on_commit_callbacks
):
    alice = client_for(cast.alice)
    response = alice.post(reverse("bulletins:draft_new", args=["YH"]), follow=True)
    draft = Bulletin.objects.get(region=cast.region, sent_at__isnull=True)
    page = response.content.decode()
    assert "Housing advice" in page and "Drug services" in page

    response = alice.post(
        reverse("bulletins:edit", args=["YH", draft.pk]),
        {"version": draft.version, "title": "Y&H bulletin, April", "intro": "Two new tenders this month."},
        follow=True,
    )
    assert "The digest is saved." in response.content.decode()
    draft.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(reverse("bulletins:send", args=["YH", draft.pk]), {"version": draft.version}, follow=True)
    # Rita (accommodation) and Sam (South Yorkshire) each match something; Tom chose health only,
    # and neither opportunity is on the health pathway.
    assert "The digest is being sent to 2 subscribers." in response.content.decode()

    def titles(address: str) -> list[str]:
        [mail] = smtp.to(address)
        body = smtp.body(mail)
        assert mail["Subject"] == "Y&H bulletin, April"
        assert "Two new tenders this month." in body
        return [title for title in ("Housing advice", "Drug services") if title in body]

    # Rita: housing is accommodation; drug services are not. Sam: both are in South Yorkshire
    # (housing names SYPA, drug services the whole region).
    assert titles("rita@example.org") == ["Housing advice"]
    assert titles("sam@example.org") == ["Housing advice", "Drug services"]
    assert smtp.to("tom@example.org") == []
    assert len(smtp.messages) == 2
    assert Delivery.objects.filter(bulletin=draft, state=DeliveryState.SENT).count() == 2


def test_an_edit_from_a_stale_page_is_refused(cast, published, client_for):
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    services.digest_edit(actor=cast.alice, bulletin=draft, version=draft.version, title="First", intro="")
    response = client_for(cast.alice).post(
        reverse("bulletins:edit", args=["YH", draft.pk]), {"version": 1, "title": "Second", "intro": ""}
    )
    assert "Someone else changed this record" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "First"


def test_a_digest_is_sent_once(cast, published, readers):
    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    assert services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version) == 2
    draft.refresh_from_db()
    with pytest.raises(Exception, match="sent this bulletin"):
        services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version)
    assert Delivery.objects.filter(bulletin=draft).count() == 2


def test_the_draft_is_automatic_for_every_region_with_news(cast, published):
    out = io.StringIO()
    call_command("draft_digests", stdout=out)
    assert "1 digest drafted." in out.getvalue()
    assert Bulletin.objects.filter(region=cast.region, sent_at__isnull=True).count() == 1
    assert not Bulletin.objects.filter(region=cast.other_region).exists()


def test_the_draft_waits_on_alices_home_page_not_on_nicks_or_roots(cast, published):
    from stepchange.core.todo import todos_for

    draft = services.digest_draft(actor=cast.alice, region=cast.region)
    [waiting] = [todo for todo in todos_for(cast.alice) if todo.key == "bulletin-draft"]
    [item] = waiting.items
    assert item.text == "Review and send the Yorkshire and Humberside digest"
    assert item.url == reverse("bulletins:edit", args=["YH", draft.pk])
    assert item.count == 2
    assert "bulletin-draft" not in [todo.key for todo in todos_for(cast.root)]
    services.bulletin_send(actor=cast.alice, bulletin=draft, version=draft.version)
    [waiting] = [todo for todo in todos_for(cast.alice) if todo.key == "bulletin-draft"]
    assert list(waiting.items) == []
