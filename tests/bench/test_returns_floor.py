"""The national return benchmark's floors store and read what the services do (bench/returns.py).

On Leeds's approved 2006-07 Q1 return, each line naming the charity, another directory
organisation and 40 proposed ones: opening Q2 and reopening Q1 through the services and through
the floors' hand-written INSERT ... SELECTs must leave the same rows, both leaving the database as
they found it; the template's delivery rows and the floor's SELECT must be the same rows.
"""

from __future__ import annotations

import pytest

from bench import returns as bench_returns
from stepchange.returns.models import PrisonReturn, ProposedOrganisation, ReturnRound
from tests.returns.test_bulk_copy import PROPOSED_PER_LINE, approved_q1_with_many_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(cast, clock):
    approved_q1_with_many_named(cast, clock)
    return bench_returns.large_return()


def test_the_large_return_is_the_one_with_most_names_proposed(cast, large):
    assert large.commissioner == cast.leeds and large.round.quarter == 1
    assert ProposedOrganisation.objects.filter(line__prison_return=large).count() == 7 * PROPOSED_PER_LINE


def test_the_copies_and_their_floors_leave_the_same_rows_and_then_nothing(cast, large):
    assert bench_returns.check_same_copies(large, cast.grace) == 7 * PROPOSED_PER_LINE

    assert ReturnRound.objects.count() == 1
    assert PrisonReturn.objects.count() == 1
    assert ProposedOrganisation.objects.count() == 7 * PROPOSED_PER_LINE


def test_the_floor_copies_what_the_service_copies(cast, large):
    for work in (bench_returns.reopen, bench_returns.reopen_unchecked):
        with bench_returns.rolled_back():
            work(large, cast.grace)
            correction = PrisonReturn.objects.filter(revision=2)
            rows = bench_returns.copied_rows(correction)
            assert len(rows["proposed"]) == 7 * PROPOSED_PER_LINE
            assert len(rows["delivering"]) == 14
            assert len(rows["lines"]) == 7


def test_a_floor_that_copies_other_rows_is_refused(cast, large, monkeypatch):
    copy = bench_returns._copy_rows

    def without_the_last_pair(pairs, *, carry_over):
        copy(pairs, carry_over=carry_over)
        ProposedOrganisation.objects.filter(line__prison_return_id=pairs[-1][1]).order_by("-pk")[:1].get().delete()

    monkeypatch.setattr(bench_returns, "_copy_rows", without_the_last_pair)
    with pytest.raises(bench_returns.FloorMismatch, match="proposed"):
        bench_returns.check_same_copies(large, cast.grace)


def test_the_template_and_its_floor_hold_the_same_delivery_rows(cast, large):
    rows = bench_returns.delivery_floor_rows(large.pk)
    # Per pathway: the two directory organisations by name, then the 40 proposed by name.
    assert len(rows) == 7 * (2 + PROPOSED_PER_LINE)
    first = [name for _pathway, name in rows[: 2 + PROPOSED_PER_LINE]]
    assert first[:2] == ["Acorn Housing Trust", "Zephyr Mentoring"]
    assert first[2:] == sorted(first[2:])
    # The drop-downs' lists: the region's VCS organisations (Beacon is private), and no contracts here.
    assert bench_returns.list_floor_rows(large.pk) == [("Acorn Housing Trust",), ("Zephyr Mentoring",)]
    bench_returns.check_same_template(large)
    assert bench_returns.template_floor(large.pk) > 0


def test_a_template_floor_of_other_rows_is_refused(cast, large, monkeypatch):
    real = bench_returns.delivery_floor_rows
    monkeypatch.setattr(bench_returns, "delivery_floor_rows", lambda pk: real(pk)[:-1])
    with pytest.raises(bench_returns.FloorMismatch, match="Delivery"):
        bench_returns.check_same_template(large)
