"""An alert as soon as a matching opportunity is published: commissioning's publishing calls the
bulletins (below it), inside its own transaction. Rita wants accommodation alerts; Uma wants
accommodation too but only the digest; Vic wants health alerts."""

from __future__ import annotations

from stepchange.bulletins.models import Bulletin, BulletinKind, Delivery
from tests.commissioning.world import build_tender
from tests.factories import SubscriberFactory


def test_publishing_alerts_the_subscribers_it_matches_who_want_alerts(
    cast, smtp, immediate_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory.create(region=cast.region, email="rita@example.org", pathways=["accommodation"])
    SubscriberFactory.create(
        region=cast.region, email="uma@example.org", pathways=["accommodation"], wants_alerts=False
    )
    SubscriberFactory.create(region=cast.region, email="vic@example.org", pathways=["ete"])
    with django_capture_on_commit_callbacks(execute=True):
        tender = build_tender(cast, submit=False)  # "Women's services": accommodation and health, SYPA and WYPA

    alert = Bulletin.objects.get(kind=BulletinKind.ALERT)
    assert alert.title == "New: Women's services"
    assert [entry.key for entry in alert.entries.all()] == [tender.opportunity.reference]
    assert [m["To"] for m in smtp.messages] == ["rita@example.org"]
    body = smtp.body(smtp.messages[0])
    assert "Women's services" in body
    assert "Pathways: Accommodation; Health" in body
    assert "http://localhost:8000/opportunities/womens-services/" in body


def test_no_alert_when_nobody_wants_it(cast):
    SubscriberFactory.create(region=cast.region, email="vic@example.org", pathways=["ete"])
    build_tender(cast, submit=False)
    assert not Bulletin.objects.exists()
    assert not Delivery.objects.exists()
