"""A contract added in a probation return carries the pathways the area gave for it, and keeps
them in a correction revision of the return."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.core.models import AuditEvent, Pathway
from stepchange.returns import services
from stepchange.returns.models import ProbationReturn, ReturnKind
from tests.factories import year_0607

pytestmark = pytest.mark.django_db


def test_a_new_line_keeps_its_pathways_through_a_correction(cast, clock):
    the_round = services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa],
        opens_on=datetime.date(2006, 7, 1),
        deadline=datetime.date(2006, 7, 31),
    )
    probation_return = ProbationReturn.objects.get(round=the_round)
    services.probation_line_add(
        actor=cast.bob,
        probation_return=probation_return,
        expected_version=probation_return.version,
        title="Mentoring",
        annual_value=Decimal("5000"),
        sector="vcs",
        pathways=Pathway.objects.filter(code__in=["ete", "health"]),
    )
    line = probation_return.lines.get(change="new")
    assert sorted(p.code for p in line.pathways.all()) == ["ete", "health"]
    # The audit event holds them too.
    event = AuditEvent.objects.filter(action="return_line_add").latest("id")
    assert event.after is not None and len(event.after["pathways"]) == 2
    ProbationReturn.objects.filter(pk=probation_return.pk).update(
        submitted_at=timezone.now(), approved_at=timezone.now()
    )
    probation_return.refresh_from_db()
    correction = services.return_reopen(actor=cast.alice, the_return=probation_return, reason="Check values")
    copied = correction.lines.get(change="new")
    assert sorted(p.code for p in copied.pathways.all()) == ["ete", "health"]
