"""A new check starts as a warning for one round: Frank may confirm a breach of it with a reason in
the first round checked under it; from the next round it refuses the submission."""

from __future__ import annotations

import pytest

from stepchange.returns import checks, services
from stepchange.returns.models import PrisonReturn, ReturnRound, Status
from tests.factories import fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_rule_is_new(monkeypatch):
    # As if "post-missing" had come in with rules version 2.
    monkeypatch.setitem(checks.INTRODUCED_IN, "post-missing", 2)


def _without_post(cast, the_round: ReturnRound) -> PrisonReturn:
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=the_round), cast.frank)
    PrisonReturn.objects.filter(pk=prison_return.pk).update(coordinator_post="", coordinator_fte=None)
    prison_return.refresh_from_db()
    return prison_return


def _round(cast, quarter: int, rules_version: int) -> ReturnRound:
    the_round = open_prison_round(cast, quarter=quarter)
    ReturnRound.objects.filter(pk=the_round.pk).update(rules_version=rules_version)
    the_round.refresh_from_db()
    return the_round


def test_a_new_rule_warns_in_its_first_round_and_refuses_in_the_next(cast, clock, post_rule_is_new):
    # Q1 was opened under version 1, before the rule: no grace is used up there.
    _round(cast, 1, rules_version=1)
    q2 = _round(cast, 2, rules_version=2)
    q3 = _round(cast, 3, rules_version=2)

    first = _without_post(cast, q2)
    result = checks.check_return(first)
    assert [e.code for e in result.errors] == []
    warning = next(w for w in result.warnings if w.code == "post-missing")
    assert warning.message.endswith(checks.NEW_RULE_NOTE)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.return_submit(actor=cast.frank, the_return=first, expected_version=first.version)
    assert [w.code for w in refused.value.unconfirmed] == ["post-missing"]
    services.return_submit(
        actor=cast.frank,
        the_return=first,
        expected_version=first.version,
        reasons={"post-missing": "The post is being re-graded"},
    )
    assert first.status == Status.SUBMITTED
    assert first.rules_version == 1  # the code's current version, recorded with the submission
    assert first.confirmed_warnings[0]["code"] == "post-missing"
    assert first.confirmed_warnings[0]["reason"] == "The post is being re-graded"

    later = _without_post(cast, q3)
    result = checks.check_return(later)
    assert [e.code for e in result.errors] == ["post-missing"]
    with pytest.raises(services.SubmissionRefused):
        services.return_submit(
            actor=cast.frank, the_return=later, expected_version=later.version, reasons={"post-missing": "Again"}
        )


def test_a_founding_rule_is_an_error_even_in_the_first_round(cast, clock):
    prison_return = _without_post(cast, _round(cast, 1, rules_version=1))
    assert [e.code for e in checks.check_return(prison_return).errors] == ["post-missing"]


def test_every_rule_the_checks_raise_as_an_error_has_a_version(cast, clock):
    prison_return = PrisonReturn.objects.get(round=_round(cast, 1, rules_version=1))
    for problem in checks.check_return(prison_return).errors:
        assert checks.rule_of(problem) in checks.INTRODUCED_IN
