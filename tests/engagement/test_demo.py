"""The demo's community-engagement records: HMP Leeds and HMP Hull, their links, reviews and gaps."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from stepchange.engagement import selectors
from stepchange.engagement.models import Link
from stepchange.organisations.models import Commissioner

pytestmark = pytest.mark.usefixtures("db")


def test_the_two_establishments_records_and_their_gaps(demo: str) -> None:
    """On 1/7/2007: Leeds's current links are the BME Panel and the coalition (MOVE ended on
    31/3/2007). Its requirements: BME (both cover it), Gypsies and Travellers (none: a gap),
    foreign nationals (a gap), ETE (only MOVE served it, ended: a gap), children and families (the
    coalition covers it). Hull's: BME (the panel and project 03), women (project 19), disability
    and faith (no link: gaps)."""
    today = datetime.date(2007, 7, 1)
    leeds, hull = (Commissioner.objects.get(code=c) for c in ("LEEDS", "HULL"))
    gaps = {
        c.code: [r.requirement.subject for r in selectors.requirement_rows(c, today) if r.gap] for c in (leeds, hull)
    }
    assert gaps == {
        "LEEDS": ["Gypsies and Travellers", "Foreign nationals", "Education, Training & Employment"],
        "HULL": ["Disabled people", "Faith communities"],
    }
    rollup = selectors.regional_gaps(Commissioner.objects.filter(code__in=["LEEDS", "HULL"]), today)
    assert rollup.total_gaps == 5
    panel = Link.objects.get(establishment=leeds, partner_name="Yorkshire and Humber Regional BME Panel")
    (latest, first) = selectors.review_history(panel)
    assert [c.label for c in latest.changed or []] == [
        "Evaluation of the contact to date",
        "Plans for future contact",
    ]
    assert first.changed is None
    # Reviewed 28/6/2007: due again by 27/6/2008, overdue the day after.
    row = selectors.link_row(selectors.with_reviews(Link.objects.filter(pk=panel.pk)).get(), datetime.date(2008, 6, 28))
    assert (row.due_on, row.overdue) == (datetime.date(2008, 6, 27), True)


def test_loading_the_demo_again_writes_nothing_new(demo: str) -> None:
    out = io.StringIO()
    links = Link.objects.count()
    call_command("load_demo", stdout=out)
    assert Link.objects.count() == links == 6
