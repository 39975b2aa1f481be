"""The two rules of community engagement, each written once here and called by everything else.

- **A review is overdue** when the link was last reviewed (or, never reviewed, recorded as
  starting) more than a year ago: more than 365 days before today. On the 365th day it is due
  but not overdue; on the 366th it is overdue.
- **A requirement is a gap** when no current link of its establishment covers its group or
  pathway. A link is current from the day it starts until the day it ends: on its end day it is
  ended, and so is a link not started yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from stepchange.engagement.models import Link, Requirement

REVIEW_EVERY_DAYS = 365


def review_overdue(last_reviewed_on: datetime.date, today: datetime.date) -> bool:
    """Whether a link last reviewed (or started) on ``last_reviewed_on`` is overdue ``today``."""
    return (today - last_reviewed_on).days > REVIEW_EVERY_DAYS


def review_due_on(last_reviewed_on: datetime.date) -> datetime.date:
    """The last day a review is in time: 365 days after the last one."""
    return last_reviewed_on + datetime.timedelta(days=REVIEW_EVERY_DAYS)


def is_current(link: Link, today: datetime.date) -> bool:
    """Whether the link runs today: started on or before it, not ended on or before it."""
    return link.started_on <= today and (link.ended_on is None or link.ended_on > today)


def covers(link: Link, requirement: Requirement, *, group_ids: set[int], pathway_ids: set[int]) -> bool:
    """Whether a link tagged with these groups and pathways answers the requirement."""
    if requirement.group_id is not None:
        return requirement.group_id in group_ids
    return requirement.pathway_id in pathway_ids


def covering_links(requirement: Requirement, links: Iterable[Link], today: datetime.date) -> list[Link]:
    """The current links of the requirement's establishment that cover it. ``links`` are the
    establishment's, with their groups and pathways prefetched."""
    return [
        link
        for link in links
        if link.establishment_id == requirement.establishment_id
        and is_current(link, today)
        and covers(
            link,
            requirement,
            group_ids={g.pk for g in link.groups.all()},
            pathway_ids={p.pk for p in link.pathways.all()},
        )
    ]


def is_gap(requirement: Requirement, links: Iterable[Link], today: datetime.date) -> bool:
    """Whether the requirement is a gap today: no current link covers it."""
    return not covering_links(requirement, links, today)
