"""Monitoring requests: a contract's commissioner asks its prime, the prime's people answer with
the time it took (optional), both see the answer; nobody else asks, answers or sees; the prime's
people have it on their home page until they answer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stepchange.burden import access, services
from stepchange.burden.models import MonitoringRequest
from stepchange.burden.todo import requests_to_answer
from stepchange.core.audit import AuditEvent
from stepchange.core.concurrency import AlreadyDone, StaleEdit
from tests.factories import ContractFactory
from tests.personas import Cast

TODAY = datetime.date(2006, 10, 2)
NOW = timezone.make_aware(datetime.datetime(2006, 10, 2, 9))


@pytest.fixture
def contract(cast: Cast):
    """South Yorkshire probation's contract with Acorn (Dave's charity)."""
    return ContractFactory.create(reference="SY-ACORN-9", commissioner=cast.sypa, prime=cast.charity)


def ask(cast: Cast, contract, **over) -> MonitoringRequest:
    actor = over.pop("actor", cast.bob)
    data: dict[str, Any] = {
        "period_start": datetime.date(2006, 7, 1),
        "period_end": datetime.date(2006, 9, 30),
        "due_on": datetime.date(2006, 10, 31),
        "topics": ["spend", "people_started"],
        "own_question": " How many came from HMP Leeds? ",
        "now": NOW,
    }
    data.update(over)
    return services.monitoring_ask(actor=actor, contract=contract, **data)


@pytest.mark.django_db
def test_the_contracts_commissioner_asks_with_one_audit_event(cast: Cast, contract) -> None:
    before = AuditEvent.objects.count()
    request = ask(cast, contract)
    assert AuditEvent.objects.count() == before + 1
    # The topics in the set's order, the question trimmed.
    assert request.questions() == [
        ("people_started", "How many people started the service"),
        ("spend", "Money spent against the budget"),
        ("own", "How many came from HMP Leeds?"),
    ]
    assert request.asked_by == cast.bob and not request.is_answered


@pytest.mark.django_db
def test_nobody_else_asks(cast: Cast, contract) -> None:
    for who in (cast.carol, cast.dave, cast.frank, cast.heidi):
        with pytest.raises(PermissionDenied):
            ask(cast, contract, actor=who)
    assert not MonitoringRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"topics": [], "own_question": "  "}, "topics"),
        ({"topics": ["gossip"]}, "topics"),
        ({"period_end": datetime.date(2006, 6, 30)}, "period_end"),
        ({"due_on": datetime.date(2006, 10, 1)}, "due_on"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field_and_nothing_is_saved(cast: Cast, contract, over, field) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(cast, contract, **over)
    assert field in refused.value.message_dict
    assert not MonitoringRequest.objects.exists()


@pytest.mark.django_db
def test_the_prime_answers_with_the_time_and_cannot_answer_twice(cast: Cast, contract) -> None:
    request = ask(cast, contract)
    answers = {"people_started": "12", "spend": "£4,000", "own": "Three"}
    assert [i.url for i in requests_to_answer(cast.dave, NOW)] == [request.get_absolute_url()]
    with pytest.raises(PermissionDenied):
        services.monitoring_answer(
            actor=cast.erin, request=request, expected_version=1, answers=answers, hours_taken=None
        )
    with pytest.raises(ValidationError) as refused:
        services.monitoring_answer(
            actor=cast.dave, request=request, expected_version=1, answers={"spend": "x"}, hours_taken=Decimal(1)
        )
    assert set(refused.value.message_dict) == {"answer-people_started", "answer-own"}
    with pytest.raises(StaleEdit):
        services.monitoring_answer(
            actor=cast.dave, request=request, expected_version=0, answers=answers, hours_taken=None
        )
    before = AuditEvent.objects.count()
    done = services.monitoring_answer(
        actor=cast.dave, request=request, expected_version=1, answers=answers, hours_taken=Decimal("2.5")
    )
    assert AuditEvent.objects.count() == before + 1
    assert (done.hours_taken, done.answers["own"], done.answered_by) == (Decimal("2.5"), "Three", cast.dave)
    assert requests_to_answer(cast.dave, NOW) == []
    with pytest.raises(AlreadyDone):
        services.monitoring_answer(actor=cast.dave, request=done, expected_version=2, answers=answers, hours_taken=None)


@pytest.mark.django_db
def test_a_blank_time_is_kept_as_not_said(cast: Cast, contract) -> None:
    request = ask(cast, contract, topics=["risks"], own_question="")
    done = services.monitoring_answer(
        actor=cast.dave, request=request, expected_version=1, answers={"risks": "None"}, hours_taken=None
    )
    assert done.hours_taken is None


@pytest.mark.django_db
def test_who_sees_a_request(cast: Cast, contract) -> None:
    request = ask(cast, contract)
    seeing = {
        name
        for name in ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "root", "nadia")
        if access.monitoring_requests_visible_to(getattr(cast, name)).filter(pk=request.pk).exists()
    }
    assert seeing == {"alice", "bob", "dave", "root"}


@pytest.mark.django_db
def test_asked_answered_and_seen_through_the_pages(cast: Cast, contract, client_for) -> None:
    bob = client_for(cast.bob)
    response = bob.post(
        reverse("burden:ask"),
        {
            "contract": contract.pk,
            "period_start": "1/7/2006",
            "period_end": "30/9/2006",
            "topics": ["spend"],
            "own_question": "",
            "due_on": (timezone.localdate() + datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    request = MonitoringRequest.objects.get()
    dave = client_for(cast.dave)
    page = dave.get(reverse("burden:answer", args=[request.pk]))
    assert "Time answering this request took (hours)" in page.content.decode()
    refused = dave.post(
        reverse("burden:answer", args=[request.pk]), {"version": 1, "answer-spend": "Fine", "hours_taken": "-1"}
    )
    assert "The time must be 0 hours or more" in refused.content.decode()
    taken = dave.post(
        reverse("burden:answer", args=[request.pk]), {"version": 1, "answer-spend": "On budget", "hours_taken": "1.5"}
    )
    assert taken.status_code == 302
    shown = bob.get(reverse("burden:request", args=[request.pk])).content.decode()
    assert "On budget" in shown and "1.5 hours" in shown
