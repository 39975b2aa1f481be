"""After the deadlines: Heidi scores with her justifications; after the award Harry (who lost)
challenges it, Alice answers him, and Harry answers the bidder survey; each types the worst things.

The tender is awarded as in tests/commissioning/world.py; the clock stands just after the stage 2
deadline, as the services saw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from stepchange.commissioning import services
from tests.commissioning.world import Tender, award_tender, build_tender
from tests.fixture_types import ClientFor
from tests.hostile.checks import (
    assert_escaped,
    assert_good_values_save,
    assert_not_a_server_error,
    post_hostile,
    rolled_back,
    row_counts,
)
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    who: Any
    url: str
    fields: dict[str, tuple[str, Any]]
    record: Any = None


def awarded(cast: Any, monkeypatch: Any) -> Any:
    tender = build_tender(cast)
    done = award_tender(cast, tender)
    monkeypatch.setattr(timezone, "now", lambda: done.after2)
    return done


def challenge_raise(cast: Any, monkeypatch: Any) -> Setting:
    done = awarded(cast, monkeypatch)
    url = f"/opportunities/partnerships/{done.hope_bid.partnership_id}/challenge/"
    return Setting(done.harry, url, {"grounds": ("text", "The price scores were added up wrongly.")})


def challenge_answer(cast: Any, monkeypatch: Any) -> Setting:
    done = awarded(cast, monkeypatch)
    challenge = services.challenge_raise(actor=done.harry, award=done.award, grounds="Scores.", now=done.after2)
    url = f"/opportunities/challenges/{challenge.pk}/answer/"
    return Setting(cast.alice, url, {"answer": ("text", "The scores were checked again.")}, challenge)


def survey(cast: Any, monkeypatch: Any) -> Setting:
    done = awarded(cast, monkeypatch)
    invitation = done.award.opportunity.survey_invitations.get(partnership=done.hope_bid.partnership)
    fields = {
        "clarity": ("choice", "4"),
        "time_to_form_partnership": ("choice", "3"),
        "transparency": ("choice", "5"),
        "effort_hours": ("number", "40"),
        "effort_people": ("number", "3"),
        "what_to_change": ("text", "More time between the stages."),
    }
    return Setting(done.harry, f"/opportunities/surveys/{invitation.pk}/", fields, invitation)


PAGES: dict[str, Callable[[Any, Any], Setting]] = {
    "challenge raise": challenge_raise,
    "challenge answer": challenge_answer,
    "survey": survey,
}


@pytest.fixture
def setting(cast: Cast, monkeypatch: pytest.MonkeyPatch, page) -> Setting:
    """The awarded tender and the page, built once per test, before the first example."""
    return PAGES[page](cast, monkeypatch)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_good_values_of_every_form_after_the_deadlines_save(client_for: ClientFor, page, setting) -> None:
    assert_good_values_save(client_for(setting.who), setting.url, setting.fields)


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=8)
@given(data=st.data())
def test_every_form_after_the_deadlines_takes_hostile_values(
    client_for: ClientFor, tally: Tally, page, setting, data
) -> None:
    visitor = client_for(setting.who)
    sent = data.draw(form_data(setting.fields))
    tally.add()
    post_hostile(visitor, setting.url, sent, record=setting.record)


def without_openings(counts: dict[str, int]) -> dict[str, int]:
    """A bid's page logs every opening (a row and its audit event), a refused save included."""
    from stepchange.core.models import AuditEvent

    kept = {label: n for label, n in counts.items() if label != "commissioning.BidOpening"}
    kept["core.AuditEvent"] -= AuditEvent.objects.filter(action="bid_open").count()
    return kept


@pytest.fixture
def tender_to_score(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Tender:
    """The tender after its first stage, Heidi having declared no conflict: made once per test,
    before the first example."""
    tender = build_tender(cast)
    monkeypatch.setattr(timezone, "now", lambda: tender.after_stage1)
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=tender.after_stage1)
    return tender


@settings(max_examples=12)
@given(data=st.data())
def test_heidi_scores_with_hostile_values_and_justifications(
    cast: Cast, client_for: ClientFor, tally: Tally, tender_to_score: Tender, data: st.DataObject
) -> None:
    tender = tender_to_score
    fields: dict[str, tuple[str, Any]] = {}
    for criterion in tender.stage1.criteria.order_by("id"):
        fields |= {
            f"score_{criterion.pk}": ("number", "7"),
            f"why_{criterion.pk}": ("text", "Strong links with the women's centre."),
        }
    sent = data.draw(form_data(fields))
    tally.add()
    with rolled_back():
        before = without_openings(row_counts())
        response = client_for(cast.heidi).post(f"/opportunities/bids/{tender.bid.pk}/", sent)
        assert_not_a_server_error(response)
        assert_escaped(response, sent)
        after = without_openings(row_counts())
        if response.status_code == 200:
            assert b"govuk-error-summary" in response.content
            assert after == before, "refused, yet scores changed"
        else:
            assert response.status_code == 302
            assert after["commissioning.Score"] == before["commissioning.Score"] + 2
