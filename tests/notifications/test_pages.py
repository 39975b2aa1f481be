"""A person's notifications page, one notification, and the page choosing which kinds to get."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stepchange.core.models import AuditEvent
from stepchange.notifications.kinds import KINDS, optional_kinds, required_kinds
from stepchange.notifications.models import Declined, Notification
from stepchange.notifications.selectors import recent_for

pytestmark = pytest.mark.django_db


def _for(person, subject="Returned for correction: HMP Leeds", kind="return_returned"):
    return Notification.objects.create(
        event_key=f"page-{subject}-{person.pk}",
        kind=kind,
        recipient=person,
        subject=subject,
        body="Check ETE.",
        link="/returns/",
        why="You fill in HMP Leeds's prison returns.",
        created_at=timezone.now(),
        email_to=person.email,
    )


def test_each_person_lists_and_opens_only_their_own(cast, client_for):
    mine = _for(cast.frank)
    theirs = _for(cast.grace, subject="Grace's own")
    page = client_for(cast.frank).get("/notifications/").content.decode()
    assert "Returned for correction: HMP Leeds" in page and "1 unread." in page
    assert "Grace&#x27;s own" not in page and "Grace's own" not in page
    opened = client_for(cast.frank).get(f"/notifications/{mine.pk}/")
    text = opened.content.decode()
    assert 'href="/returns/"' in text and "Why you got this: You fill in HMP Leeds" in text
    assert "cannot be turned off" in text
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Nothing unread." in client_for(cast.frank).get("/notifications/").content.decode()
    # Nobody opens another's, Root included.
    for person in (cast.frank, cast.root, cast.alice):
        assert client_for(person).get(f"/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for(None).get("/notifications/").status_code == 302


def test_the_home_page_include_has_the_latest_and_the_unread_count(cast):
    _for(cast.frank)
    _for(cast.frank, subject="Approved: HMP Leeds", kind="return_approved")
    _for(cast.grace, subject="Grace's own")
    recent = recent_for(cast.frank)
    assert recent["unread"] == 2
    assert [n.subject for n in recent["latest"]] == ["Approved: HMP Leeds", "Returned for correction: HMP Leeds"]
    from django.template.loader import render_to_string

    html = render_to_string("notifications/_recent.html", {"notifications": recent})
    assert "Your notifications (2 unread)" in html and "Grace" not in html


def test_choosing_kinds_keeps_the_required_ones_and_says_why(cast, client_for):
    client = client_for(cast.dave)
    page = client.get("/notifications/preferences/").content.decode()
    for kind in required_kinds():
        assert kind.label in page
        assert f'value="{kind.key}"' not in page  # no box to untick
    assert "so they cannot be turned off" in page
    optional = [kind.key for kind in optional_kinds()]
    # Untick all but one, and send a required kind as if it could be declined.
    response = client.post(
        "/notifications/preferences/",
        {"shown": [*optional, "return_returned"], "wanted": ["return_approved"]},
    )
    assert response.status_code == 302
    declined = set(Declined.objects.filter(user=cast.dave).values_list("kind", flat=True))
    assert declined == set(optional) - {"return_approved"}
    assert not declined & {kind.key for kind in required_kinds()}
    assert AuditEvent.objects.filter(action="notification_preferences").count() == 1
    page = client.get("/notifications/preferences/").content.decode()
    assert 'value="return_approved" aria-describedby="wanted-return_approved-hint" checked' in page
    assert 'value="feedback_published" aria-describedby="wanted-feedback_published-hint">' in page
    # Ticked again: received again. A kind the page did not show keeps its setting.
    client.post("/notifications/preferences/", {"shown": ["feedback_published"], "wanted": ["feedback_published"]})
    declined = set(Declined.objects.filter(user=cast.dave).values_list("kind", flat=True))
    assert declined == set(optional) - {"return_approved", "feedback_published"}


def test_a_post_not_from_the_page_changes_nothing_and_says_what_to_do(cast, client_for):
    response = client_for(cast.dave).post("/notifications/preferences/", {"wanted": []})
    assert response.status_code == 200
    assert "Choose which messages you get, then save" in response.content.decode()
    assert not Declined.objects.exists()


def test_every_kind_is_described():
    assert all(kind.label and kind.hint for kind in KINDS.values())
    assert {"partnership_invitation", "return_returned", "tender_changed"} <= {k.key for k in required_kinds()}


def test_the_home_page_shows_the_persons_own_latest_and_nothing_to_someone_signed_out(cast, client_for):
    mine = _for(cast.frank)
    _for(cast.grace, subject="Grace's own")
    page = client_for(cast.frank).get("/").content.decode()
    assert "Your notifications (1 unread)" in page
    assert f'href="/notifications/{mine.pk}/"' in page and "Grace" not in page
    assert "Your notifications" not in client_for(None).get("/").content.decode()
