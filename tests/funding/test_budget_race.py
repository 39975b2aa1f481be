"""Two awards made at once never take a round over its budget.

Each of two members of the regional team, in their own thread and database connection, awards a
different application at the same moment; either award fits the budget alone, both together do
not. One is made; the other is refused, naming what is left; the round's awards add up to no more
than its budget.

On PostgreSQL the two run truly at once: the second waits on the round's row lock until the first
commits, then adds up the awards again. SQLite's test database refuses a second writer outright,
so there the threads take turns once released.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from stepchange.accounts.models import Role
from stepchange.funding import services
from stepchange.funding.models import ApplicationStatus, Assessment, GrantApplication
from tests.factories import GrantApplicationFactory, GrantsRoundFactory, OrganisationFactory, persona
from tests.personas import Cast, build_cast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    """The cast, in a transactional database (the reference data are there: tests/conftest.py puts
    them back after every transactional test)."""
    return build_cast()


def test_two_awards_at_once_never_exceed_the_budget(cast: Cast) -> None:
    # Budget £10,000; £7,000 and £6,000 each fit alone, together they are £13,000.
    grants_round = GrantsRoundFactory.create(
        region=cast.region, budget=Decimal("10000.00"), max_award=Decimal("8000.00")
    )
    second_assessor = persona(
        "ann", Role.REGIONAL_COMMISSIONER, organisation=cast.regional_team.organisation, region=cast.region
    )
    deciders = [cast.alice, second_assessor]
    applications = [
        GrantApplicationFactory.create(
            round=grants_round,
            organisation=organisation,
            amount_requested=Decimal("8000.00"),
            status=ApplicationStatus.SUBMITTED,
        )
        for organisation in (cast.charity, OrganisationFactory.create(name="Calder Mentoring"))
    ]
    amounts = [Decimal("7000.00"), Decimal("6000.00")]
    for decider, application in zip(deciders, applications, strict=True):
        Assessment.objects.create(
            application=application,
            assessor=decider,
            conflict=False,
            score=8,
            recommendation="award",
            assessed_at=timezone.now(),
        )
    barrier = threading.Barrier(2)
    one_at_a_time = threading.Lock() if connection.vendor == "sqlite" else None
    outcomes: list[str] = ["", ""]
    failures: list[BaseException] = []

    def award(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            if one_at_a_time is not None:
                one_at_a_time.acquire()
            try:
                services.decide(
                    actor=deciders[i], application=applications[i], award=True, reasons="Strong.", amount=amounts[i]
                )
                outcomes[i] = "awarded"
            except ValidationError as refused:
                outcomes[i] = " ".join(refused.messages)
            finally:
                if one_at_a_time is not None:
                    one_at_a_time.release()
        except BaseException as failure:  # reported in the test's own thread
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sorted(outcomes).count("awarded") == 1, outcomes
    (refusal,) = [o for o in outcomes if o != "awarded"]
    # What was left after the award that was made: £10,000 - £7,000 = £3,000, or - £6,000 = £4,000.
    assert refusal in {
        "Only £3,000.00 of this round's budget is left: the amount awarded cannot be more",
        "Only £4,000.00 of this round's budget is left: the amount awarded cannot be more",
    }
    grants_round.refresh_from_db()
    assert grants_round.awarded_total() in {Decimal("7000.00"), Decimal("6000.00")}
    assert GrantApplication.objects.filter(status=ApplicationStatus.AWARDED).count() == 1
