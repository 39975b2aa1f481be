"""The demo's governance: the refreshed plan's four VCS objectives with their actions, the
steering group of section 2.5 of the report, its last meeting's decision feeding the plan."""

from __future__ import annotations

import pytest

from stepchange.governance.models import Action, ActionPlan, Group, MemberSector

pytestmark = pytest.mark.usefixtures("db")


def test_the_plan_and_the_steering_group(demo: str) -> None:
    plan = ActionPlan.objects.get(title="Reducing re-offending action plan: VCS pathway")
    assert list(plan.objectives.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert all(o.actions.exists() for o in plan.objectives.all())
    linked = Action.objects.get(objective__plan=plan, figure="region-weighted-share")
    assert str(linked.target) == "10.00"
    steering = Group.objects.get(name="Step Change Steering Group")
    members = list(steering.members.select_related("user__organisation"))
    # 15 members: the chair (the ROM), 13 bodies' members, the secretariat.
    assert len(members) == 15
    assert sorted(m.display_organisation for m in members if m.sector == MemberSector.VCS) == ["Clinks", "SOVA"]
    assert [m.display_organisation for m in members if m.sector == MemberSector.PRIVATE] == ["GSL UK Ltd"]
    (meeting,) = steering.meetings.all()
    (arising,) = meeting.actions.all()
    assert arising.objective.number == 2
