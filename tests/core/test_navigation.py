"""The service navigation, persona by persona: which places each person is offered, in which order,
and which one is marked as the current page. The apps declare their own entries; this table is what
their declarations add up to, so an entry that goes missing, moves or shows to the wrong person fails
here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from stepchange.core.navigation import navigation_for

EVERYONE = ["Home", "Opportunities", "Reports", "Funding"]
SIGNED_IN = [*EVERYONE, "Contracts", "Organisations"]
# Capacity building is offered to whoever works in a region (their own, their commissioner's or
# their organisation's), and to a superuser: everyone of the cast but Nadia, of no region; so are
# the region's consortia.
IN_A_REGION = [
    "Home",
    "Opportunities",
    "Capacity building",
    "Consortia",
    "Reports",
    "Funding",
    "Contracts",
    "Organisations",
]
# Sub-contracting plans are offered to those whose daily work they are: the regional commissioner
# of a region and the probation areas' managers (after Contracts).
WITH_PLANS = [*IN_A_REGION[:-1], "Plans", "Organisations"]
EXPECTED = {
    "signed out": EVERYONE,
    # The regional commissioner owns the region's action plan and runs its groups: Governance, after
    # Consortia (the only place offered to the regional team alone; the plan's readers reach it
    # from their to-dos and its links).
    # Monitoring requests are for those who ask them (who manage contracts) and the providers who
    # answer them (after Returns).
    "alice": [*WITH_PLANS[:4], "Governance", *WITH_PLANS[4:], "Returns", "Monitoring", "Manage", "Imports"],
    # A probation manager and a prison co-ordinator fill in returns: offered the Returns page even
    # before any round (it says there is none yet).
    "bob": [*WITH_PLANS, "Returns", "Monitoring", "Grants"],
    "carol": [*WITH_PLANS, "Returns", "Monitoring", "Grants"],
    "dave": [*IN_A_REGION, "Monitoring", "People"],
    "erin": [*IN_A_REGION, "Monitoring"],
    # The prison co-ordinator keeps their establishment's community-engagement records; the area
    # office analyst reads the region's (no one else is offered the entry: it is not their daily work).
    "frank": [*IN_A_REGION, "Returns", "Community engagement"],
    # The area office analyst imports the region's prison establishments.
    "grace": [*IN_A_REGION, "Returns", "Community engagement", "Imports"],
    "heidi": [*IN_A_REGION, "Evaluations"],
    "root": [*IN_A_REGION, "Returns", "Monitoring", "Manage", "Imports"],
    "nadia": [*SIGNED_IN, "Manage"],
}
URLS = {
    "Home": "/",
    "Opportunities": "/opportunities/",
    "Reports": "/reports/",
    "Funding": "/funding/",
    "Contracts": "/contracts/",
    "Organisations": "/organisations/",
    "Capacity building": "/capacity/",
    "Consortia": "/consortia/",
    "Governance": "/governance/",
    "Evaluations": "/opportunities/evaluations/",
    "Returns": "/returns/",
    "People": "/account/people/",
    "Manage": "/manage/",
    "Grants": "/manage/grants/",
    "Imports": "/imports/",
    "Plans": "/plans/",
    "Community engagement": "/engagement/",
    "Monitoring": "/burden/monitoring/",
}


@pytest.mark.django_db
def test_each_person_is_offered_the_places_of_their_work_in_the_same_order(cast):
    for name, user in cast.everyone().items():
        request = RequestFactory().get("/")
        request.user = user or AnonymousUser()
        items = navigation_for(request)
        assert [item.label for item in items] == EXPECTED[name], name
        assert [item.url for item in items] == [URLS[item.label] for item in items], name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", {"heidi": "Home", "root": "Home", "bob": "Home", "dave": "Home"}),
        ("/opportunities/ABC-1/", {"heidi": "Opportunities", "root": "Opportunities"}),
        # The longest entry the path starts with: Evaluations, for whoever is offered it.
        ("/opportunities/evaluations/12/", {"heidi": "Evaluations", "root": "Opportunities"}),
        ("/reports/probation-share/", {"bob": "Reports"}),
        ("/contracts/3/", {"bob": "Contracts", "heidi": "Contracts"}),
        ("/returns/rounds/1/", {"root": "Returns", "bob": "Returns", "heidi": None}),
        ("/account/people/", {"dave": "People", "root": None}),
        ("/manage/grants/new/", {"root": "Manage", "bob": "Grants"}),
        ("/account/sign-in/", {"heidi": None, "root": None}),
    ],
)
def test_one_entry_at_most_is_the_current_page(cast, path, current):
    for name, label in current.items():
        request = RequestFactory().get(path)
        request.user = getattr(cast, name)
        active = [item.label for item in navigation_for(request) if item.active]
        assert active == ([label] if label else []), (path, name)
