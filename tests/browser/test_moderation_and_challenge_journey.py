"""Alice, the regional commissioner, with the keyboard alone (the clock moved with
``django.utils.timezone.now``):

- moderates a criterion whose scores are too far apart: the page shows each evaluator's score and
  justification; she records the agreed score, and coming back to it shows the frozen result, not a
  form;
- answers a bidder's challenge to the award: the page shows the grounds she is answering; once
  answered, the challenge's page shows the answer and no form.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from stepchange.commissioning import services
from stepchange.commissioning.models import Moderation
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, skip_to_main_content, type_into
from tests.commissioning.world import HOUR, award_tender, build_tender, score_bid, second_bidder
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_alice_moderates_seeing_every_score_and_comes_back_to_the_frozen_result(
    live_server, page: Page, transactional_db: None, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    tender = build_tender(cast)
    second_bidder(cast, tender)
    after = tender.after_stage1
    services.evaluator_assign(actor=cast.alice, stage=tender.stage1, evaluator=cast.alice)
    score_bid(cast.heidi, tender.bid, 9, 6, after)
    score_bid(cast.alice, tender.bid, 3, 6, after)
    monkeypatch.setattr(timezone, "now", lambda: after)
    quality = tender.stage1.criteria.order_by("id").first()
    assert quality is not None
    moderate = reverse("commissioning:moderate", args=[tender.bid.pk, quality.pk])
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(live_server.url + reverse("commissioning:evaluation", args=[tender.opportunity.reference, 1]))
    expect(page.locator("main")).to_contain_text("Must be moderated")
    skip_to_main_content(page)
    follow(page, f"main a[href='{moderate}']")

    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate Quality")
    scores = page.get_by_role("table", name="The evaluators' scores of Quality")
    expect(scores.get_by_role("row", name="Heidi")).to_contain_text("9")
    expect(scores.get_by_role("row", name="Alice")).to_contain_text("3")
    expect(scores).to_contain_text("Quality.")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_moderated_score", "6")
    type_into(page, "#id_note", "The panel agreed the plan is sound but thin on evidence.")
    follow(page, "main button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Moderated score recorded")
    assert Moderation.objects.get(bid=tender.bid, criterion=quality).moderated_score == 6
    follow(page, f"main a[href='{moderate}']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality: moderated score")
    expect(page.locator("#moderated")).to_contain_text("The panel agreed the plan is sound but thin on evidence.")
    expect(page.locator("#id_moderated_score")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_alice_answers_a_challenge_reading_its_grounds_and_it_is_closed(
    live_server, page: Page, transactional_db: None, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    tender = build_tender(cast)
    awarded = award_tender(cast, tender)
    challenge = services.challenge_raise(
        actor=awarded.harry,
        award=awarded.award,
        grounds="Our price was scored against a model that was never published.",
        now=awarded.after2 + HOUR,
    )
    monkeypatch.setattr(timezone, "now", lambda: awarded.after2 + 2 * HOUR)
    answer = reverse("commissioning:challenge-answer", args=[challenge.pk])
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(live_server.url + reverse("commissioning:detail", args=[tender.opportunity.reference]))
    skip_to_main_content(page)
    follow(page, f"main a[href='{answer}']")

    expect(page.get_by_role("heading", level=1)).to_have_text("Answer the challenge")
    expect(page.locator("#challenge")).to_contain_text("Our price was scored against a model that was never published.")
    assert_accessible(page)
    skip_to_main_content(page)
    type_into(page, "#id_answer", "The price model was published with the tender on its first day.")
    follow(page, "main button[type=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Challenge answered")
    follow(page, f"main a[href='{answer}']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hope Partnership's challenge")
    expect(page.locator("#challenge")).to_contain_text(
        "The price model was published with the tender on its first day."
    )
    expect(page.locator("#id_answer")).to_have_count(0)
    assert_accessible(page)
