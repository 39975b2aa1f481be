"""Alice and Heidi type the worst things into the forms that decide a tender once bids are in.

The stage-deadline form (Alice moves stage 2's deadline), the conflict-of-interest declaration and
the score form (Heidi, on the bid page after stage 1 has closed) and the moderation form (Alice,
once Heidi's scores are submitted). Whatever is sent, the form comes back with a GOV.UK error
summary and nothing saved, or a clean save with its audit event; never a server error, never the
sender's markup echoed unescaped. The clock is moved to an hour after stage 1's deadline, as the
pages see it.
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
from tests.commissioning.world import DAY, Tender, build_tender, score_bid
from tests.fixture_types import ClientFor
from tests.hostile.checks import assert_good_values_save, post_hostile, row_counts
from tests.hostile.strategies import form_data
from tests.hostile.tally import Tally
from tests.personas import Cast

pytestmark = pytest.mark.django_db

Fields = dict[str, tuple[str, Any]]


@dataclass
class Page:
    who: Callable[[Any], Any]
    prepare: Callable[[Any, Tender], None]
    url: Callable[[Tender], str]
    fields: Callable[[Tender], Fields]
    record: Callable[[Tender], Any] | None = None
    # Rows every request adds whatever it carries: the bid page logs each opening of a sealed bid
    # (a row and its audit event) before it reads the form, as it must.
    logged: tuple[str, ...] = ()


OPENING = ("commissioning.BidOpening", "core.AuditEvent")


def nothing(cast: Any, tender: Tender) -> None:
    return None


def declared(cast: Any, tender: Tender) -> None:
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=tender.after_stage1)


def scored(cast: Any, tender: Tender) -> None:
    score_bid(cast.heidi, tender.bid, 7, 6, tender.after_stage1)


def score_fields(tender: Tender) -> Fields:
    fields: Fields = {}
    for criterion in tender.stage1.criteria.order_by("id"):
        fields[f"score_{criterion.pk}"] = ("number", "7")
        fields[f"why_{criterion.pk}"] = ("text", "Strong links with the women's centre.")
    return fields


def quality(tender: Tender) -> Any:
    return tender.stage1.criteria.order_by("id").first()


PAGES: dict[str, Page] = {
    "stage deadline": Page(
        lambda cast: cast.alice,
        nothing,
        lambda t: f"/opportunities/{t.opportunity.reference}/stages/2/deadline/",
        lambda t: {"deadline": ("date", (t.start + 25 * DAY).strftime("%d/%m/%Y %H:%M"))},
        lambda t: t.stage2,
    ),
    "conflict declaration": Page(
        lambda cast: cast.heidi,
        nothing,
        lambda t: f"/opportunities/bids/{t.bid.pk}/",
        lambda t: {"has_conflict": ("choice", "no"), "details": ("text", "")},
    ),
    "scores": Page(
        lambda cast: cast.heidi, declared, lambda t: f"/opportunities/bids/{t.bid.pk}/", score_fields, logged=OPENING
    ),
    "moderation": Page(
        lambda cast: cast.alice,
        scored,
        lambda t: f"/opportunities/bids/{t.bid.pk}/moderate/{quality(t).pk}/",
        lambda t: {"moderated_score": ("number", "6.5"), "note": ("text", "The panel agreed on 6.5.")},
    ),
}


@dataclass
class Setting:
    who: Any
    url: str
    fields: Fields
    record: Any
    logged: tuple[str, ...]

    def before(self) -> dict[str, int]:
        """The row counts a refused request leaves: what is here now, and what every request logs."""
        counts = row_counts()
        for label in self.logged:
            counts[label] += 1
        return counts


@pytest.fixture
def setting(cast: Cast, page, monkeypatch: pytest.MonkeyPatch) -> Setting:
    """The tender with Acorn's stage 1 bid submitted, the clock past stage 1's deadline."""
    told = PAGES[page]
    tender = build_tender(cast)
    monkeypatch.setattr(timezone, "now", lambda: tender.after_stage1)
    told.prepare(cast, tender)
    record = told.record(tender) if told.record else None
    return Setting(told.who(cast), told.url(tender), told.fields(tender), record, told.logged)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_good_values_of_every_evaluation_form_save(client_for: ClientFor, page, setting) -> None:
    """So that the hostile examples below start from a form that saves."""
    assert_good_values_save(client_for(setting.who), setting.url, setting.fields, before=setting.before)


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=12)
@given(data=st.data())
def test_every_evaluation_form_takes_hostile_values(client_for: ClientFor, tally: Tally, page, setting, data) -> None:
    visitor = client_for(setting.who)
    sent = data.draw(form_data(setting.fields))
    tally.add()
    post_hostile(visitor, setting.url, sent, record=setting.record, before=setting.before)
