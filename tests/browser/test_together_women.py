"""The Together Women tender through the pages, as each persona, in Chromium: Alice publishes a
two-stage tender that a VCS-led partnership of at least two must win; Dave forms a partnership
with a women's centre, whose Wendy confirms, and bids; four more partnerships bid (made through
the services to keep the test short); the deadline passes; Heidi declares and scores, Ian
declares a conflict; Alice shortlists three, stage 2 is bid and scored, and Alice awards to
Dave's partnership. It ends on the contract page with its sub-contract, and in the not-counted
report: Together Women money is new investment, so it is reported but does not count toward the
target. Every page visited is checked with axe-core.

The clock is moved the way time passes: each stage's deadline is set to a minute ago in the
database once its bids are in (the services refuse a deadline in the past, rightly).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from stepchange.accounts.models import Role, User
from stepchange.commissioning import services
from stepchange.commissioning.models import Bid, BiddingPartnership, Opportunity, Stage
from stepchange.organisations.models import Sector
from tests.browser.conftest import assert_accessible, sign_in, waiting_on_a_busy_machine
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import PASSWORD, Cast

REFERENCE = "twp-yh"
TITLE = "Together Women Programme, Yorkshire and Humberside"


def typed(when: datetime.datetime) -> str:
    return f"{timezone.localtime(when):%d/%m/%Y %H:%M}"


class Persona:
    """One person's browser tab, signed in, checking every page it lands on with axe-core."""

    def __init__(self, browser: Browser, base_url: str, username: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page: Page = waiting_on_a_busy_machine(self.context.new_page())
        self.base_url = base_url
        sign_in(self.page, base_url, username, PASSWORD)

    def visit(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        assert_accessible(self.page)
        return self.page

    def follow(self, name: str) -> Page:
        """Follow the link (or link styled as a button) with this accessible name; check where it lands."""
        link = self.page.get_by_role("link", name=name, exact=True)
        with self.page.expect_navigation():
            (link if link.count() else self.page.get_by_role("button", name=name, exact=True)).click()
        assert_accessible(self.page)
        return self.page

    def press(self, button: str) -> Page:
        """Press a button, and check the page the form leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        assert_accessible(self.page)
        return self.page

    def done(self, text: str) -> None:
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text(text)


@pytest.fixture
def personas(browser: Browser, live_server: Any) -> Iterator[dict[str, Persona]]:
    opened: dict[str, Persona] = {}

    class Opener(dict[str, Persona]):
        def __missing__(self, username: str) -> Persona:
            self[username] = opened[username] = Persona(browser, live_server.url, username)
            return self[username]

    yield Opener()
    for persona in opened.values():
        persona.context.close()


def close_stage(number: int) -> None:
    """Time passes: the stage's deadline is a minute ago."""
    Stage.objects.filter(opportunity__reference=REFERENCE, number=number).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )


def other_bidders() -> list[tuple[BiddingPartnership, User]]:
    """Four more VCS-led partnerships, each with the same outreach charity as member, bid at stage 1."""
    outreach = OrganisationFactory.create(name="Leeds Women's Aid", sector=Sector.VCS, women_specific=True)
    lwa = UserFactory.create(username="lwa", role=Role.PROVIDER, organisation=outreach, password=PASSWORD)
    opportunity = Opportunity.objects.get(reference=REFERENCE)
    stage1 = opportunity.stages.get(number=1)
    made: list[tuple[BiddingPartnership, User]] = []
    for name, price in (("Hope", "1100000"), ("Ivy", "1120000"), ("Oak", "990000"), ("Elm", "1050000")):
        lead = OrganisationFactory.create(name=f"{name} Trust", sector=Sector.VCS, charity_number=f"11{len(made)}0000")
        user = UserFactory.create(username=name.lower(), role=Role.PROVIDER, organisation=lead, password=PASSWORD)
        partnership = services.partnership_create(
            actor=user, opportunity=opportunity, name=f"{name} Partnership", lead_role="Lead", lead_share=Decimal(70)
        )
        member = services.member_invite(
            actor=user, partnership=partnership, organisation=outreach, role="Outreach", share=Decimal(30)
        )
        services.member_confirm(actor=lwa, member=member)
        bid = services.bid_save(
            actor=user,
            partnership=partnership,
            stage=stage1,
            answers={"1": f"{name}: a VCS-led partnership.", "2": "Women's centres."},
            price=Decimal(price),
        )
        services.bid_submit(actor=user, bid=bid)
        made.append((partnership, user))
    return made


def score(evaluator: User, bid: Bid, marks: tuple[int, ...]) -> None:
    services.conflict_declare(actor=evaluator, bid=bid, has_conflict=False)
    for criterion, mark in zip(bid.stage.criteria.order_by("id"), marks, strict=True):
        services.score_save(actor=evaluator, bid=bid, criterion=criterion, score=mark, justification=f"Scored {mark}.")
    services.scores_submit(actor=evaluator, bid=bid)


@pytest.mark.django_db(transaction=True)
def test_the_together_women_tender_from_publication_to_contract(
    live_server: Any,
    transactional_db: None,
    cast: Cast,
    personas: dict[str, Persona],
) -> None:
    now = timezone.now()
    centre = OrganisationFactory.create(
        name="Doncaster Women's Centre", sector=Sector.VCS, women_specific=True, charity_number="1100001"
    )
    UserFactory.create(username="wendy", role=Role.PROVIDER, organisation=centre, password=PASSWORD)
    ian = UserFactory.create(username="ian", role=Role.EVALUATOR, region=cast.region, password=PASSWORD)

    # --- Alice publishes the tender -------------------------------------------------------------
    alice = personas["alice"]
    alice.visit("/opportunities/")
    page = alice.follow("Create an opportunity")
    page.select_option("#id_commissioner", label="Regional Offender Manager, Y&H")
    page.fill("#id_reference", REFERENCE)
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Woman-centred services, delivered by a voluntary sector led partnership.")
    page.check("input[name=kind][value=tender]")
    for pathway in ("accommodation", "ete", "health"):
        page.check(f"input[name=pathways][value={pathway}]")
    for area in ("SYPA", "WYPA"):
        page.check(f"input[name=areas][value={area}]")
    page.fill("#id_estimated_value", "1,150,000")
    page.fill("#id_duration_months", "19")
    page.fill("#id_contract_start", f"{(now + datetime.timedelta(days=40)).date():%d/%m/%Y}")
    page.check("input[name=funding_source][value=new_investment]")
    page.fill("#id_funder", "Together Women Programme (Home Office)")
    page.fill("#id_clarification_deadline", typed(now + datetime.timedelta(days=3)))
    page.fill("#id_answers_published_by", typed(now + datetime.timedelta(days=5)))
    alice.press("Save draft")
    alice.done("Opportunity saved as a draft")

    for number, name, days in ((1, "Outline proposal", 10), (2, "Full bid", 20)):
        alice.follow("Add a stage")
        page.fill("#id_number", str(number))
        page.fill("#id_name", name)
        page.fill("#id_deadline", typed(now + datetime.timedelta(days=days)))
        # Ten days a stage is less than the region's 28-day minimum tender period: she says why.
        page.fill("#id_short_period_reason", "The Home Office money must be committed by the end of the quarter.")
        alice.press("Add stage")
        alice.done("Stage added")
    for number, questions, criteria in (
        (
            1,
            ["Describe your VCS-led partnership.", "How will you reach women at risk?"],
            [("Quality", 60), ("Price", 40)],
        ),
        (2, ["Your delivery plan in each area."], [("Quality", 60), ("Price", 40)]),
    ):
        for question in questions:
            alice.follow(f"Add a question to stage {number}")
            page.fill("#id_text", question)
            alice.press("Add question")
        for criterion, weight in criteria:
            alice.follow(f"Add a criterion to stage {number}")
            page.fill("#id_name", criterion)
            page.fill("#id_weight", str(weight))
            alice.press("Add criterion")
        alice.follow(f"Name an evaluator for stage {number}")
        page.select_option("#id_evaluator", label="Heidi")
        alice.press("Add evaluator")
    # The VCS-led partnership rule: the lead is voluntary and community sector, with a partner.
    alice.follow("Add an eligibility rule")
    page.check("input[name=kind][value=lead_sector]")
    page.select_option("#id_sector", "vcs")
    alice.press("Add rule")
    alice.follow("Add an eligibility rule")
    page.check("input[name=kind][value=min_members]")
    page.fill("#id_number", "2")
    alice.press("Add rule")
    alice.press("Publish")
    alice.done("Published")
    expect(page.locator("ul.govuk-list--bullet").first).to_contain_text(
        "The lead organisation must be voluntary and community sector"
    )
    opportunity = Opportunity.objects.get(reference=REFERENCE)
    services.evaluator_assign(actor=cast.alice, stage=opportunity.stages.get(number=1), evaluator=ian)

    # --- Dave forms a partnership with the women's centre, and bids ----------------------------
    dave = personas["dave"]
    dave.visit(f"/opportunities/{REFERENCE}/")
    page = dave.follow("Form a bidding partnership")
    page.fill("#id_name", "Together Women Y&H Partnership")
    page.fill("#id_lead_role", "Lead: supported housing")
    page.fill("#id_lead_share", "60")
    page.fill("#id_charity_number", "1099999")
    dave.press("Form partnership")
    # Acorn's profile records no number: the membership carries the one Dave entered.
    expect(page.get_by_role("row", name="Acorn Housing Trust (lead)")).to_contain_text("Charity 1099999")
    dave.follow("Invite a member")
    page.select_option("#id_organisation", label="Doncaster Women's Centre (charity 1100001)")
    page.fill("#id_role", "Gender-specific community services")
    page.fill("#id_share", "40")
    dave.press("Invite")
    dave.done("must confirm its membership")
    partnership_url = page.url.removeprefix(live_server.url)

    wendy = personas["wendy"]
    page = wendy.visit(f"/opportunities/{REFERENCE}/")
    wendy.follow("Together Women Y&H Partnership")
    wendy.press("Confirm Doncaster Women's Centre's membership")
    wendy.done("You have confirmed your membership")

    page = dave.visit(partnership_url)
    dave.follow("Write the stage 1 bid")
    page.fill("#id_q1", "Foundation-style supported housing led by a charity, with a women's centre.")
    page.fill("#id_q2", "Through the women's centre and outreach in each probation area.")
    page.fill("#id_price", "1,150,000")
    dave.press("Submit bid")
    dave.done("Bid submitted")
    others = other_bidders()

    # --- Stage 1 closes; Ian declares a conflict, Heidi declares none and scores ---------------
    close_stage(1)
    ian_tab = personas["ian"]
    page = ian_tab.visit("/opportunities/evaluations/")
    ian_tab.follow("Bid from Hope Partnership")
    page.check("input[name=has_conflict][value=yes]")
    page.fill("#id_details", "I chaired Hope Trust's board until last year.")
    ian_tab.press("Continue")
    ian_tab.done("Conflict recorded: you are removed from this bid")
    expect(page.get_by_role("link", name="Bid from Hope Partnership")).to_have_count(0)

    heidi = personas["heidi"]
    page = heidi.visit("/opportunities/evaluations/")
    heidi.follow("Bid from Together Women Y&H Partnership")
    page.check("input[name=has_conflict][value=no]")
    heidi.press("Continue")
    quality, price = opportunity.stages.get(number=1).criteria.order_by("id")
    page.fill(f"#id_score_{quality.pk}", "8")
    page.fill(f"#id_why_{quality.pk}", "A housing-led model with a women's centre at its heart.")
    page.fill(f"#id_score_{price.pk}", "7")
    page.fill(f"#id_why_{price.pk}", "Priced at the estimate.")
    heidi.press("Submit scores")
    heidi.done("Scores submitted")
    stage1_bids = {b.partnership.name: b for b in Bid.objects.filter(stage__number=1, stage__opportunity=opportunity)}
    for (partnership, _user), marks in zip(others, ((7, 7), (7, 6), (5, 6), (5, 5)), strict=True):
        score(cast.heidi, stage1_bids[partnership.name], marks)
    # Ian, cleared on the rest, scores them close to Heidi.
    score(ian, stage1_bids["Together Women Y&H Partnership"], (7, 7))
    for name, marks in (("Ivy Partnership", (7, 6)), ("Oak Partnership", (5, 5)), ("Elm Partnership", (4, 5))):
        score(ian, stage1_bids[name], marks)

    # --- Alice takes three forward ------------------------------------------------------------
    alice.visit(f"/opportunities/{REFERENCE}/")
    page = alice.follow("Evaluation of stage 1")
    for name in ("Together Women Y&H Partnership", "Hope Partnership", "Ivy Partnership"):
        page.get_by_label(f"Take forward {name}").check()
    page.get_by_label("Feedback to Oak Partnership").fill("The delivery plan did not reach every area.")
    alice.press("Decide the shortlist")
    alice.done("Outcomes decided")

    # --- Stage 2: Dave's full bid through the page, Hope's and Ivy's through the services ------
    page = dave.visit(partnership_url)
    expect(page.get_by_role("row", name="Stage 1: Outline proposal")).to_contain_text("Taken forward")
    dave.follow("Write the stage 2 bid")
    page.fill("#id_q1", "A women's centre in each of the four areas, with supported housing.")
    page.fill("#id_price", "1,150,000")
    dave.press("Submit bid")
    dave.done("Bid submitted")
    stage2 = opportunity.stages.get(number=2)
    for partnership, user in others[:2]:
        bid = services.bid_save(
            actor=user, partnership=partnership, stage=stage2, answers={"1": "In every area."}, price=Decimal("1120000")
        )
        services.bid_submit(actor=user, bid=bid)
    close_stage(2)
    for bid, marks in zip(
        Bid.objects.filter(stage=stage2).order_by("partnership__name"), ((6, 6), (6, 7), (9, 8)), strict=True
    ):
        score(cast.heidi, bid, marks)

    # --- Alice awards; the contract and its sub-contract follow --------------------------------
    alice.visit(f"/opportunities/{REFERENCE}/")
    page = alice.follow("Evaluation of stage 2")
    page.get_by_label("Award to Together Women Y&H Partnership").check()
    alice.press("Award the contract")
    alice.done("Outcomes decided")
    award_section = page.locator("main")
    expect(award_section).to_contain_text("to Together Women Y&H Partnership, led by Acorn Housing Trust")
    page = alice.follow("The contract, TWP-YH-AWARD-1, and its sub-contracts")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    # The women's centre's 40% of £1,150,000 a year is £460,000.
    expect(page.get_by_role("row", name=re.compile("^Doncaster Women's Centre"))).to_contain_text("£460,000.00")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Sub-contractors: Doncaster Women's Centre (charity 1100001), Gender-specific community services, 40.00%."
    )

    # The money is new investment: reported in the not-counted figures, not counted.
    contract = Bid.objects.get(stage=stage2, outcome="awarded").awards.get().contract
    assert contract is not None
    contract_start = contract.start
    page = alice.visit(f"/reports/not-counted/?region=YH&at={contract_start.isoformat()}")
    row = page.get_by_role("row", name="New investment")
    expect(row).to_contain_text("Together Women Programme (Home Office)")
    expect(row).to_contain_text("£1,150,000")

    # The losing bidders are told, and the open data now tells the award.
    hope = personas["hope"]
    hope.visit(f"/opportunities/{REFERENCE}/")
    page = hope.follow("Hope Partnership")
    expect(page.locator("main")).to_contain_text("Highest-scoring bid's weighted total")
    package = alice.page.request.get(f"{live_server.url}/opportunities/{REFERENCE}/ocds.json").json()
    assert [s["name"] for s in package["releases"][0]["awards"][0]["suppliers"]] == [
        "Acorn Housing Trust",
        "Doncaster Women's Centre",
    ]
