"""Two people edit the same funding record from pages opened together: the first save stands, the
second is refused with the stale-edit message, and leaves no audit event."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from stepchange.accounts.models import Role
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent
from tests.factories import (
    FundingStreamFactory,
    GrantApplicationFactory,
    GrantsRoundFactory,
    HelpedBidFactory,
    persona,
)

pytestmark = pytest.mark.django_db

HIDDEN_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"|<input[^>]*value="(\d+)"[^>]*name="version"')


def _version(page: Any) -> str:
    assert page.status_code == 200
    found = HIDDEN_VERSION.search(page.content.decode())
    assert found, "the edit page carries no version"
    return found.group(1) or found.group(2)


def _stories(cast: Any) -> dict[str, tuple[str, Any, str, Any, dict[str, str], dict[str, str], Any]]:
    stream = FundingStreamFactory.create(region=cast.region)
    bid = HelpedBidFactory.create(organisation=cast.charity, stream=stream, recorded_by=cast.dave)
    grants_round = GrantsRoundFactory.create(region=cast.region)
    draft = GrantApplicationFactory.create(round=grants_round, organisation=cast.charity, created_by=cast.dave)
    dora = persona("dora", Role.PROVIDER, organisation=cast.charity)
    stream_form = {"funder": stream.funder, "programme": stream.programme, "eligibility": "Any charity."}
    bid_form = {"submitted_on": "2/10/2006", "amount_asked": "10000", "helped_by": "CRISP", "outcome": "waiting"}
    round_form = {
        "name": grants_round.name,
        "budget": "20000",
        "max_award": "5000",
        "opens_on": "1/7/2006",
        "closes_on": "31/7/2006",
        "decisions_by": "31/8/2006",
        "criteria": "Need.",
    }
    application_form = {"project_title": "Mentors", "summary": "x", "start_on": "1/9/2006", "end_on": "31/3/2007"}
    return {
        "stream": (
            f"/funding/streams/{stream.pk}/edit/",
            stream,
            "alice",
            cast.root,
            {**stream_form, "amount_max": "41000"},
            {**stream_form, "amount_max": "42000"},
            lambda s: s.amount_max == Decimal("41000"),
        ),
        "helped bid": (
            f"/funding/bids/{bid.pk}/edit/",
            bid,
            "dave",
            cast.alice,
            {**bid_form, "help_given": "Dave's words"},
            {**bid_form, "help_given": "Alice's words"},
            lambda b: b.help_given == "Dave's words",
        ),
        "round": (
            f"/funding/small-grants/{grants_round.pk}/edit/",
            grants_round,
            "alice",
            cast.root,
            {**round_form, "budget": "21000"},
            {**round_form, "budget": "22000"},
            lambda r: r.budget == Decimal("21000"),
        ),
        "draft application": (
            f"/funding/applications/{draft.pk}/edit/",
            draft,
            "dave",
            dora,
            {**application_form, "amount_requested": "3000"},
            {**application_form, "amount_requested": "3500"},
            lambda a: a.amount_requested == Decimal("3000"),
        ),
    }


@pytest.mark.parametrize("story", ["stream", "helped bid", "round", "draft application"])
def test_the_second_of_two_people_editing_the_same_funding_record_is_refused(cast, client_for, story):
    url, record, first_name, second_user, first_change, second_change, holds_first = _stories(cast)[story]
    first, second = client_for(getattr(cast, first_name)), client_for(second_user)
    first_version, second_version = _version(first.get(url)), _version(second.get(url))
    assert first_version == second_version
    saved = first.post(url, {**first_change, "version": first_version})
    events = AuditEvent.objects.count()
    refused = second.post(url, {**second_change, "version": second_version})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert refused.status_code == 200 and StaleEdit.message in refused.content.decode()
    assert holds_first(type(record)._default_manager.get(pk=record.pk))
    assert AuditEvent.objects.count() == events
