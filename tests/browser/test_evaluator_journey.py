"""Heidi, an evaluator, scores Acorn Women's Partnership's stage 1 bid with the keyboard alone, once
the stage's deadline has passed (the clock moved with ``django.utils.timezone.now``): from her
evaluations, in the service navigation, to the bid; she declares no conflict of interest before she
may read it, then scores Quality and Price. She first submits Quality's score without its
justification; the error summary takes focus and its link takes her to the justification, which she
writes, and submits her scores. Having declared, she sees who is bidding: the members and their
roles on the bid's page, and, a link away, the partnership's page with its constitution and joint
bidding protocol as the lead typed them.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stepchange.commissioning.models import BiddingPartnership, Score
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to, type_into
from tests.commissioning.world import Tender, build_tender
from tests.personas import PASSWORD, Cast


@pytest.fixture
def tender(transactional_db: None, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Tender:
    """The tender with Acorn's stage 1 bid submitted, and the clock an hour past the stage 1 deadline."""
    tender = build_tender(cast)
    BiddingPartnership.objects.filter(pk=tender.partnership.pk).update(
        constitution="Members decide by simple majority.", bidding_protocol="Acorn submits for all members."
    )
    after = tender.after_stage1
    monkeypatch.setattr(timezone, "now", lambda: after)
    return tender


@pytest.mark.django_db(transaction=True)
def test_heidi_declares_no_conflict_and_scores_a_bid_with_the_keyboard(
    live_server, page: Page, cast: Cast, tender: Tender
) -> None:
    bid = tender.bid
    quality, price = tender.stage1.criteria.order_by("id")
    sign_in(page, live_server.url, "heidi", PASSWORD)

    # Evaluations, from the service navigation (before the skip link's target, so Tab from the top).
    follow(page, ".govuk-service-navigation__list a[href='/opportunities/evaluations/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
    expect(page.locator(".govuk-service-navigation [aria-current=page]")).to_have_count(1)
    assert_accessible(page)
    skip_to_main_content(page)
    follow(page, f"a[href='/opportunities/bids/{bid.pk}/']")

    # She declares before she reads the bid.
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflict of interest")
    expect(page.locator("main")).not_to_contain_text("Through the women's centre.")
    assert_accessible(page)
    skip_to_main_content(page)
    tab_to(page, "#id_has_conflict_0")  # I have no conflict of interest with this bid
    page.keyboard.press("Space")
    expect(page.locator("#id_has_conflict_0")).to_be_checked()
    follow(page, "button[type=submit]")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bid from Acorn Women's Partnership")
    expect(page.locator("main")).to_contain_text("Through the women's centre.")
    members = page.get_by_role("table", name="The partnership bidding")
    expect(members.get_by_role("row", name="Riverside Women's Centre")).to_contain_text("40.00%")
    assert_accessible(page)

    # Both scores, but Quality without its justification.
    skip_to_main_content(page)
    type_into(page, f"#id_score_{quality.pk}", "7")
    type_into(page, f"#id_score_{price.pk}", "6")
    type_into(page, f"#id_why_{price.pk}", "A fair price for two years of outreach.")
    follow(page, "button[name=submit]")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Justify the score for Quality")
    expect(page.locator(f"#id_why_{quality.pk}-error")).to_contain_text("Justify the score for Quality")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # What Heidi got right is still there, and nothing is saved.
    expect(page.locator(f"#id_score_{quality.pk}")).to_have_value("7")
    expect(page.locator(f"#id_why_{price.pk}")).to_have_value("A fair price for two years of outreach.")
    assert not Score.objects.filter(bid=bid).exists()

    # The summary's link takes her to the justification; she writes it and submits.
    press(page, "Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#id_why_{quality.pk}")).to_be_focused()
    page.keyboard.type("Reaches women through a women's centre they already trust.")
    follow(page, "button[name=submit]")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Scores submitted")
    scores = page.get_by_role("table", name="Scores")
    expect(scores.get_by_role("row", name="Quality")).to_contain_text("7")
    expect(scores.get_by_role("row", name="Price")).to_contain_text("6")
    assert_accessible(page)
    saved = {s.criterion_id: s for s in Score.objects.filter(bid=bid, evaluator=cast.heidi)}
    assert saved[quality.pk].score == 7 and saved[price.pk].score == 6
    assert all(s.submitted_at for s in saved.values())

    # Who is bidding, a link away: the partnership's page, with what the lead typed. Focus is on the
    # success banner, above the link.
    follow(page, f"main a[href='/opportunities/partnerships/{tender.partnership.pk}/#documents']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acorn Women's Partnership")
    expect(page.locator("#agreements")).to_contain_text("Members decide by simple majority.")
    expect(page.locator("#agreements")).to_contain_text("Acorn submits for all members.")
    assert_accessible(page)
