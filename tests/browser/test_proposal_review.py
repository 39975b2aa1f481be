"""Frank proposes an organisation the directory does not have on HMP Leeds's return; Alice, the
regional commissioner, finds it from the Returns page and, with the keyboard alone, first saves
without choosing (and is told to choose), then accepts it as the directory organisation suggested.
Frank's return then says what became of it. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from stepchange.core.models import Pathway
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, ProposalStatus, ProposedOrganisation
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import follow, press, skip_to_main_content, tab_to
from tests.factories import OrganisationFactory, open_prison_round
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db(transaction=True)
def test_alice_accepts_a_proposed_organisation_with_the_keyboard(
    live_server, page: Page, transactional_db: None, cast: Cast
) -> None:
    leeds = PrisonReturn.objects.get(round=open_prison_round(cast))
    accommodation = Pathway.objects.get(code="accommodation")
    services.prison_line_save(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation,
        services_running=2,
        services_started=2,
        services_ended=0,
        spend=None,
    )
    leeds.refresh_from_db()
    proposal = services.prison_line_proposed_add(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation,
        name="The Leeds Debt Advice Ltd",
        sector="vcs",
    )
    directory = OrganisationFactory.create(name="Leeds Debt Advice", region=cast.region)

    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/returns/")
    skip_to_main_content(page)
    follow(page, "a[href='/returns/proposals/']")
    expect(page.get_by_role("table", name="1 name awaiting review")).to_contain_text("HMP Leeds")
    assert_accessible(page)

    skip_to_main_content(page)
    follow(page, f"a[href='/returns/proposals/{proposal.pk}/']")
    expect(page.locator("label[for=id_decision_0]")).to_contain_text("It is Leeds Debt Advice, in the directory")
    assert_accessible(page)

    # Saved without a choice: told to make one, and nothing is decided.
    skip_to_main_content(page)
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_decision-error")).to_be_visible()
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING

    tab_to(page, "#id_decision_0")
    press(page, "Space")
    expect(page.locator("#id_decision_0")).to_be_checked()
    follow(page, "button[type=submit]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("accepted as Leeds Debt Advice")
    expect(page.locator("main")).to_contain_text(
        "No organisation proposed in your region's prison returns is awaiting review"
    )
    assert_accessible(page)
    assert ProposedOrganisation.objects.get(pk=proposal.pk).organisation == directory

    page.context.clear_cookies()
    sign_in(page, live_server.url, "frank", PASSWORD)
    page.goto(f"{live_server.url}/returns/prison/{leeds.pk}/")
    proposals = page.get_by_role("table", name="1 proposed")
    expect(proposals).to_contain_text("Accepted into the directory")
    expect(proposals).to_contain_text("Leeds Debt Advice")
    assert_accessible(page)
