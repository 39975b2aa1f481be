"""The two rules of community engagement at their boundaries: a review overdue after 365 days,
and a requirement a gap when no current link covers it."""

from __future__ import annotations

import datetime

import pytest

from stepchange.engagement import rules
from stepchange.engagement.models import Link
from tests.engagement.world import make_link, make_requirement
from tests.personas import Cast

D = datetime.date


@pytest.mark.parametrize(
    ("last", "today", "overdue"),
    [
        # 1/3/2007 + 365 days = 29/2/2008 (2008 is a leap year): on the 365th day still in time.
        (D(2007, 3, 1), D(2008, 2, 29), False),
        # The 366th day, 1/3/2008: overdue.
        (D(2007, 3, 1), D(2008, 3, 1), True),
        # A year without 29 February: 1/6/2006 + 365 days = 1/6/2007, in time; 2/6/2007 overdue.
        (D(2006, 6, 1), D(2007, 6, 1), False),
        (D(2006, 6, 1), D(2007, 6, 2), True),
        # Reviewed today, or on a day still to come: never overdue.
        (D(2007, 6, 1), D(2007, 6, 1), False),
        (D(2007, 6, 2), D(2007, 6, 1), False),
    ],
)
def test_a_review_is_overdue_after_365_days(last: datetime.date, today: datetime.date, overdue: bool) -> None:
    assert rules.review_overdue(last, today) is overdue


def test_the_review_falls_due_365_days_after_the_last() -> None:
    assert rules.review_due_on(D(2007, 3, 1)) == D(2008, 2, 29)
    assert rules.review_due_on(D(2006, 6, 1)) == D(2007, 6, 1)


def _prefetched(*links: Link) -> list[Link]:
    return list(Link.objects.filter(pk__in=[x.pk for x in links]).prefetch_related("groups", "pathways"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started_on", "ended_on", "gap"),
    [
        (D(2006, 6, 1), None, False),  # running, no end: covers
        (D(2006, 6, 1), D(2007, 6, 2), False),  # ends tomorrow: still current today
        (D(2006, 6, 1), D(2007, 6, 1), True),  # ends today: ended
        (D(2006, 6, 1), D(2007, 5, 31), True),  # ended yesterday
        (D(2007, 6, 1), None, False),  # starts today: current
        (D(2007, 6, 2), None, True),  # starts tomorrow: not current yet
    ],
)
def test_a_requirement_is_a_gap_without_a_current_link(
    cast: Cast, started_on: datetime.date, ended_on: datetime.date | None, gap: bool
) -> None:
    today = D(2007, 6, 1)
    link = make_link(cast.leeds, "Leeds BME Forum", groups=("bme",), started_on=started_on, ended_on=ended_on)
    requirement = make_requirement(cast.leeds, group_code="bme")
    assert rules.is_gap(requirement, _prefetched(link), today) is gap


@pytest.mark.django_db
def test_only_a_link_of_the_group_or_pathway_and_of_the_establishment_covers(cast: Cast) -> None:
    today = D(2007, 6, 1)
    hull = cast.sypa  # any other commissioner will do: a link elsewhere never covers Leeds
    women = make_link(cast.leeds, "Women's Centre", groups=("women",), pathways=("accommodation",))
    elsewhere = make_link(hull, "Hull BME Network", groups=("bme",))
    bme = make_requirement(cast.leeds, group_code="bme")
    housing = make_requirement(cast.leeds, pathway_code="accommodation")
    ete = make_requirement(cast.leeds, pathway_code="ete")
    links = _prefetched(women, elsewhere)
    assert rules.is_gap(bme, links, today)  # the BME link is another establishment's
    assert not rules.is_gap(housing, links, today)  # the women's centre's pathway covers it
    assert rules.covering_links(housing, links, today) == [women]
    assert rules.is_gap(ete, links, today)
