"""Every figure in the steering group's pack equals the same figure on the service's own page.

On the demo, whose ``load_demo`` builds Yorkshire and Humberside's pack for 2006-07 Q2 (figures at
1 October 2006, the date of the region's report): each report a section shows is the report its page
runs with the parameters in the section's link, and every figure of the pack's tables is on that
page as the page writes it, in the pack's page and in the PDF's text. The quarter's own figures
(commissioning's part of the funnel, the events' attendances by sector) are checked against the
funnel's rows and each event's own page.
"""

from __future__ import annotations

import datetime
import html
import io
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from stepchange.accounts.models import User
from stepchange.capacity.models import Event
from stepchange.capacity.pack import events_in_quarter
from stepchange.commissioning.models import Award
from stepchange.commissioning.pack import in_quarter
from stepchange.commissioning.selectors import quarter_commissioning
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import Quarter, quarters_of
from stepchange.pack.models import Pack
from stepchange.pack.sections import declared_sections
from stepchange.reports.registry import run_report
from tests.fixture_types import ClientFor

pytestmark = pytest.mark.usefixtures("demo", "db")

REPORT_SECTIONS = {
    "probation-share": ["probation-share", "share-trend"],
    "prison-provision": ["prison-spend", "prison-provision"],
    "commissioning": ["commissioning-funnel"],
    "capacity-building": ["capacity-outcomes"],
}


def plain(text: str) -> str:
    """Text as read: markup dropped, entities decoded, white space made single spaces."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def demo_pack() -> Pack:
    return Pack.objects.get(region__code="YH", year__name="2006-07", quarter=2, finished_at__isnull=False)


@pytest.fixture
def commissioner(client_for: ClientFor) -> Client:
    """The regional commissioner, signed in with both factors (the demo's rom.commissioner)."""
    return client_for(User.objects.get(username="rom.commissioner"))


def page_figures(block: dict[str, Any]) -> list[str]:
    """Every figure of a block's tables, as the pack writes it."""
    table = block["table"]
    texts = [cell.text for row in table["rows"] for cell in row["cells"][1:]]
    texts += [cell.text for cell in table["totals_row"] or [] if cell.text]
    texts += [item["text"] for item in table["summary"]]
    return [t for t in texts if t and t != "—"]


def test_the_demo_pack_is_finished_with_every_section() -> None:
    pack = demo_pack()
    assert pack.period.label == "2006-07 Q2"
    assert pack.figures_date == datetime.date(2006, 10, 1)
    assert [s.slug for s in declared_sections() if f'id="{s.slug}"' in pack.html] == [
        s.slug for s in declared_sections()
    ]


@pytest.mark.parametrize("slug", sorted(REPORT_SECTIONS))
def test_each_reports_figures_equal_its_pages(slug: str, commissioner: Client) -> None:
    pack = demo_pack()
    section = next(s for s in declared_sections() if s.slug == slug)
    context = section.build(pack.region, pack.period)
    blocks = context["blocks"]
    assert [b["name"] for b in blocks] == REPORT_SECTIONS[slug]
    pdf_text = plain(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(pack.pdf))).pages)).replace(
        " ", ""
    )
    pack_page = plain(commissioner.get(f"/packs/{pack.pk}/").content.decode())
    for block in blocks:
        address = urlsplit(block["url"])
        # The report as its page runs it, from the parameters of the pack's own link to that page.
        page_result = run_report(block["name"], dict(parse_qsl(address.query)))
        assert block["result"].rows == page_result.rows, block["name"]
        assert block["result"].totals == page_result.totals, block["name"]
        response = commissioner.get(block["url"])
        assert response.status_code == 200, block["url"]
        page = plain(response.content.decode())
        figures = page_figures(block)
        assert figures, block["name"]
        for text in figures:
            assert text in page, (block["name"], text)
            assert text in pack_page, (block["name"], text)
            assert text.replace(" ", "") in pdf_text, (block["name"], text)


def test_the_probation_share_by_hand() -> None:
    """The pack's regional share at 1 October 2006 is the report's: total counted spend over total
    main grant, and the plain mean of the four areas' shares, each as the page rounds it to two
    places (the report's own tests work them by hand from the seed's tables)."""
    pack = demo_pack()
    share = run_report("probation-share", {"region": "YH", "at": "2006-10-01"})
    weighted = share.totals["counted_spend"] / share.totals["main_grant"] * 100
    areas = [r["share_pct"] for r in share.rows]
    assert share.totals["weighted_share_pct"] == weighted
    assert share.totals["mean_share_pct"] == sum(areas) / len(areas)
    text = plain(pack.html)
    assert f"Regional share, weighted by grant {weighted:.2f}%" in text
    for row in share.rows:
        assert row["name"] in text


def test_the_quarters_commissioning_by_hand_and_as_its_pages_show_it(commissioner: Client) -> None:
    """2006-07 Q2 on the demo (1 July to 30 September 2006), worked from its tenders: no opportunity
    published; one stage closed (the women's services tender's second stage), with 3 bids from 3
    partnerships, all VCS-led (their leads are charities); one award made, to a VCS-led partnership,
    at £1,150,000.00 a year. The stage's row is the funnel's; the award's value is the one its
    opportunity's page states."""
    pack = demo_pack()
    rows = run_report("commissioning-funnel", {"region": "YH", "at": "2006-10-01"}).rows
    start, end = datetime.date(2006, 7, 1), datetime.date(2006, 9, 30)
    closed = [r for r in rows if start <= r["deadline"] <= end]
    figures = in_quarter(rows, pack.period)
    assert figures == {
        "stages_closed": len(closed),
        "bids": sum(r["bids"] or 0 for r in closed),
        "taken_forward": sum(r["taken_forward"] or 0 for r in closed),
        "awarded": sum(r["awarded"] or 0 for r in closed),
    }
    assert (figures["stages_closed"], figures["bids"]) == (1, 3)
    moment = timezone.make_aware(datetime.datetime(2006, 10, 2)) - datetime.timedelta(microseconds=1)
    quarter = quarter_commissioning(pack.region, start, end, now=moment)
    assert (quarter.published, quarter.published_value) == (0, Decimal(0))
    assert (quarter.partnerships_bidding, quarter.vcs_led_bidding) == (3, 3)
    assert (quarter.awarded, quarter.awarded_value) == (1, Decimal("1150000.00"))
    assert (quarter.vcs_led_awarded, quarter.vcs_led_awarded_value) == (1, Decimal("1150000.00"))
    award = Award.objects.get(awarded_at__date__gte=start, awarded_at__date__lte=end)
    assert "at £1,150,000.00 a year" in plain(commissioner.get(award.opportunity.get_absolute_url()).content.decode())
    text = plain(pack.html)
    assert "Awards made (annual value) 1 £1,150,000.00" in text
    assert "of which won by VCS-led partnerships 1 £1,150,000.00" in text
    assert "Partnerships that bid to those stages 3" in text
    assert f"Bids to those stages {figures['bids']}" in text


def test_the_quarters_events_equal_each_events_own_page(commissioner: Client) -> None:
    """The demo's events run in October 2006, so 2006-07 Q3's section lists them; each event's
    attendances by sector are those its own page shows its organiser and the regional team."""
    region = Region.objects.get(code="YH")
    quarter: Quarter = quarters_of(FinancialYear.objects.get(name="2006-07"))[2]
    figures = events_in_quarter(region, quarter)
    assert figures["rows"], "the demo has events in October 2006"
    client = commissioner
    for row in figures["rows"]:
        event: Event = row["event"]
        page = plain(client.get(f"/capacity/events/{event.pk}/").content.decode())
        for label, count in zip(figures["sectors"], row["counts"], strict=True):
            assert f"{label} {count}" in page, (event.title, label)
    assert figures["totals"]["total"] == sum(r["total"] for r in figures["rows"])
    assert figures["totals"]["events"] == len(figures["rows"])
