"""Two people of the prime answer the same monitoring request from pages opened together: the first
answer stands, the second is refused saying who answered, and leaves nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stepchange.accounts.models import Role
from stepchange.burden import services
from stepchange.burden.models import MonitoringRequest
from stepchange.core.models import AuditEvent
from tests.factories import ContractFactory, persona

pytestmark = pytest.mark.django_db


def test_the_second_answer_from_a_page_opened_together_is_refused_naming_who_answered(cast, client_for) -> None:
    contract = ContractFactory.create(commissioner=cast.sypa, prime=cast.charity)
    request = services.monitoring_ask(
        actor=cast.bob,
        contract=contract,
        period_start=datetime.date(2006, 7, 1),
        period_end=datetime.date(2006, 9, 30),
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        topics=["spend"],
    )
    dora = persona("dora", Role.PROVIDER, organisation=cast.charity, first_name="Dora", last_name="Hale")
    url = reverse("burden:answer", args=[request.pk])
    dave, second = client_for(cast.dave), client_for(dora)
    assert dave.get(url).status_code == 200 and second.get(url).status_code == 200
    first = dave.post(url, {"version": "1", "answer-spend": "On budget", "hours_taken": "2"})
    assert first.status_code == 302
    events = AuditEvent.objects.count()
    late = second.post(url, {"version": "1", "answer-spend": "Over budget", "hours_taken": ""}, follow=True)
    page = late.content.decode()
    assert "answered this request" in page
    request.refresh_from_db()
    assert (request.answers, request.answered_by, str(request.hours_taken)) == (
        {"spend": "On budget"},
        cast.dave,
        "2.0",
    )
    assert AuditEvent.objects.count() == events
    assert MonitoringRequest.objects.count() == 1
