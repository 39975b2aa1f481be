"""The access world's community-engagement records: HMP Leeds's (Frank keeps them) and HMP
Durham's (Pat keeps them), each a link with a review waiting for approval, a requirement and an
action on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from stepchange.engagement.models import Action, Link, Requirement, Review
from stepchange.organisations.models import Commissioner
from tests.engagement.world import make_action, make_link, make_requirement
from tests.personas import Cast


@dataclass
class Engagement:
    link: Link  # Leeds's
    requirement: Requirement  # Leeds's: women, a gap
    action: Action  # on Leeds's requirement
    durham_link: Link
    durham_requirement: Requirement
    review: Review  # of Leeds's link, waiting for the area analyst's approval
    durham_review: Review


def build_engagement(cast: Cast, durham: Commissioner) -> Engagement:
    link = make_link(cast.leeds, "Leeds BME Forum", groups=("bme",), pathways=("ete",))
    requirement = make_requirement(cast.leeds, group_code="women")
    action = make_action(requirement)
    durham_link = make_link(durham, "Durham Faith Forum", groups=("faith",))
    durham_requirement = make_requirement(durham, group_code="bme")
    make_action(durham_requirement)
    review, durham_review = (
        Review.objects.create(
            link=x, reviewed_on=datetime.date(2007, 6, 1), fields={}, notes="Reviewed.", recorded_at=timezone.now()
        )
        for x in (link, durham_link)
    )
    return Engagement(link, requirement, action, durham_link, durham_requirement, review, durham_review)
