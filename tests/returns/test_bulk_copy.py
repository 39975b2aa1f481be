"""Opening a round and reopening a return copy a prison return's lines in bulk: the same rows as
before, in a few statements however many organisations the lines name (a national return names
100,000)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stepchange.organisations.models import Organisation, Sector
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProposedOrganisation
from tests.factories import fill_prison_return, open_prison_round

PROPOSED_PER_LINE = 40


def approved_q1_with_many_named(cast, clock):
    """Leeds's Q1 return, approved, each line naming the charity and 40 proposed organisations."""
    q1 = fill_prison_return(
        PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank, {"ete": (4, 2, 0, None)}
    )
    other = Organisation.objects.create(name="Zephyr Mentoring", sector=Sector.VCS, region=cast.region)
    for line in q1.lines.all():
        line.organisations.set([cast.charity, other])
        ProposedOrganisation.objects.bulk_create(
            ProposedOrganisation(line=line, name=f"Project {n:03d} on {line.pathway.code}", sector="vcs")
            for n in range(PROPOSED_PER_LINE)
        )
    clock.set(datetime.date(2006, 7, 20))
    services.return_submit(actor=cast.frank, the_return=q1, expected_version=q1.version)
    services.return_approve(actor=cast.grace, the_return=q1, expected_version=q1.version)
    return q1


def contents(prison_return: PrisonReturn) -> dict[str, list[Any]]:
    lines = PrisonReturnLine.objects.filter(prison_return=prison_return)
    return {
        "figures": sorted(
            lines.values_list(
                "pathway__code", "services_running", "services_started", "services_ended", "spend", "carried_over"
            )
        ),
        "organisations": sorted(
            (line.pathway.code, organisation.name) for line in lines for organisation in line.organisations.all()
        ),
        "proposed": sorted(
            ProposedOrganisation.objects.filter(line__prison_return=prison_return).values_list(
                "line__pathway__code", "name", "sector"
            )
        ),
    }


def test_opening_the_next_round_carries_every_name_over_in_a_few_statements(cast, clock):
    q1 = approved_q1_with_many_named(cast, clock)
    before = contents(q1)
    clock.set(datetime.date(2006, 10, 2))

    with CaptureQueriesContext(connection) as captured:
        q2 = PrisonReturn.objects.get(round=open_prison_round(cast, 2), commissioner=cast.leeds)

    carried = contents(q2)
    assert len(carried["proposed"]) == 7 * PROPOSED_PER_LINE == len(before["proposed"])
    assert carried["proposed"] == before["proposed"]
    assert carried["organisations"] == before["organisations"]
    # Running and spend carried over, started and ended back to 0, each line marked carried over.
    assert carried["figures"] == sorted(
        (code, running, 0, 0, spend, True) for code, running, _started, _ended, spend, _carried in before["figures"]
    )
    # Not a statement per line or per name: 280 names and 14 links are copied by a few dozen at most.
    assert len(captured.captured_queries) < 50


def test_reopening_copies_every_name_in_a_few_statements(cast, clock):
    q1 = approved_q1_with_many_named(cast, clock)
    before = contents(q1)

    with CaptureQueriesContext(connection) as captured:
        correction = services.return_reopen(actor=cast.grace, the_return=q1, reason="A name was missed")

    assert correction.revision == 2
    assert contents(correction) == before
    assert len(captured.captured_queries) < 50
    # The approved return keeps its own rows.
    assert contents(PrisonReturn.objects.get(pk=q1.pk)) == before
