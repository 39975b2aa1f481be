"""Which to-do lists each person's home page offers, persona by persona, as the navigation's test
does for its places: the apps declare their lists (``core.todo``), and this table is what their
declarations add up to, so a list that goes missing, moves or shows to the wrong person fails here.
What each list holds is tested in tests/returns/, tests/commissioning/test_home_todos.py and
tests/engagement/test_engagement.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stepchange.core.navigation import navigation_for
from stepchange.core.todo import declared_todos, todos_for
from tests.commissioning.world import build_tender

FILLER = ["returns-due", "returns-returned", "returns-approved"]
SIGNER = ["returns-review", "returns-overdue"]
MANAGER = ["stages", "moderation", "outcomes", "challenges"]
# A provider answers the monitoring requests its organisation is asked as a contract's prime.
PROVIDER = ["invitations", "bids", "feedback", "matching", "needs", "monitoring"]
EVALUATOR = ["declare", "score", "coming"]
EXPECTED = {
    "signed out": [],
    # The regional commissioner approves the areas' sub-contracting plans; an area's manager
    # sees its plans sent back.
    # The regional commissioner builds the steering group's quarterly pack.
    "alice": [*SIGNER, "returns-proposals", *MANAGER, "attendance", "bulletin-draft", "plans-approval", "pack"],
    "bob": [*FILLER, *MANAGER, "plans-sent-back"],
    "carol": [*FILLER, *MANAGER, "plans-sent-back"],
    "dave": PROVIDER,
    "erin": PROVIDER,
    # The prison co-ordinator's community-engagement links overdue for their annual review.
    "frank": [*FILLER, "engagement-reviews"],
    # The area office analyst approves the region's community-engagement reviews.
    "grace": [*SIGNER, "engagement-approvals"],
    "heidi": EVALUATOR,
    # A superuser may do anything, so none of it is their own work; national data has no to-do.
    "root": [],
    "nadia": [],
}


def keys(user) -> list[str]:
    return [todo.key for todo in todos_for(user or AnonymousUser())]


@pytest.mark.django_db
def test_each_person_is_offered_the_lists_of_their_work_in_order(cast):
    for name, user in cast.everyone().items():
        assert keys(user) == EXPECTED[name], name


def test_every_list_has_its_own_key_and_position():
    todos = declared_todos()
    assert len({todo.key for todo in todos}) == len(todos)
    assert len({todo.position for todo in todos}) == len(todos)


@pytest.mark.django_db
def test_a_commissioner_named_as_an_evaluator_is_offered_the_evaluations_too(cast, rf):
    tender = build_tender(cast)
    tender.stage1.evaluators.add(cast.alice)
    assert keys(cast.alice) == [
        *SIGNER,
        "returns-proposals",
        *MANAGER,
        *EVALUATOR,
        "attendance",
        "bulletin-draft",
        "plans-approval",
        "pack",
    ]
    request = rf.get("/")
    request.user = cast.alice
    assert "Evaluations" in [item.label for item in navigation_for(request)]
    coming = {todo.key: todo for todo in todos_for(cast.alice)}["coming"]
    assert [item.text for item in coming.items] == ["Women's services, stage 1 (Outline)"]


@pytest.mark.django_db
def test_the_owners_of_actions_and_plans_are_offered_their_governance_lists(cast):
    from tests.access.governance import build_governance

    build_governance(cast)
    # Alice owns the action plan: its progress notes due; Bob owns an action of it.
    assert keys(cast.alice) == [
        *SIGNER,
        "returns-proposals",
        *MANAGER,
        "attendance",
        "progress-notes",
        "bulletin-draft",
        "plans-approval",
        "pack",
    ]
    assert keys(cast.bob) == [*FILLER, *MANAGER, "overdue-actions", "plans-sent-back"]
    assert keys(cast.dave) == EXPECTED["dave"]
