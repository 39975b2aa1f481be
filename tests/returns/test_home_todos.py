"""The returns on each person's home page: whoever fills them in sees their own establishment's or
area's due, returned and recently approved; whoever signs them off sees those waiting for review and
those overdue, of the kind they sign off in their region. Nobody sees another's."""

from __future__ import annotations

import datetime

import pytest

from stepchange.organisations.models import CommissionerKind, Operator
from stepchange.returns import services as returns_services
from stepchange.returns.models import PrisonReturn, ProbationReturn
from stepchange.returns.todo import RECENTLY_APPROVED_DAYS
from tests.core.todo_pages import home, links, section
from tests.factories import CommissionerFactory, fill_prison_return, open_prison_round, open_q1, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def wakefield(cast):
    """HMP Wakefield, in the same region and the same round as HMP Leeds, with its own co-ordinator."""
    prison = CommissionerFactory.create(
        code="WAKE",
        region=cast.region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation__name="HMP Wakefield",
    )
    return prison, persona("walter", "prison_coordinator", organisation=prison.organisation)


def test_a_prison_sees_its_own_return_due_with_its_deadline_and_not_another_prisons(cast, clock, client_for, wakefield):
    wakefield, walter = wakefield
    round_ = open_prison_round(cast, commissioners=[cast.leeds, wakefield])
    leeds = PrisonReturn.objects.get(round=round_, commissioner=cast.leeds)
    wake = PrisonReturn.objects.get(round=round_, commissioner=wakefield)

    page = home(client_for(cast.frank))
    due = section(page, "returns-due")
    assert links(due) == {"Prison returns 2006-07 Q1 for HMP Leeds": f"/returns/prison/{leeds.pk}/"}
    assert due is not None
    assert "Due 31 July 2006" in due
    assert "Late" not in due
    assert f"/returns/prison/{wake.pk}/" not in page
    # Nothing is for a prison to review, nor a provider's or an evaluator's list.
    for key in ("returns-review", "returns-overdue", "bids", "declare", "stages"):
        assert section(page, key) is None, key

    walter_page = home(client_for(walter))
    assert links(section(walter_page, "returns-due")) == {
        "Prison returns 2006-07 Q1 for HMP Wakefield": f"/returns/prison/{wake.pk}/"
    }


def test_a_return_sent_back_is_listed_with_its_reason_then_approved_it_is_listed_as_approved(cast, clock, client_for):
    round_ = open_prison_round(cast)
    the_return = fill_prison_return(PrisonReturn.objects.get(round=round_, commissioner=cast.leeds), cast.frank)
    the_return = returns_services.return_submit(
        actor=cast.frank, the_return=the_return, expected_version=the_return.version
    )
    url = f"/returns/prison/{the_return.pk}/"

    # Submitted: the analyst who signs prison returns off has it to review; the prison has nothing due.
    grace_page = home(client_for(cast.grace))
    review = section(grace_page, "returns-review")
    assert links(review) == {"HMP Leeds: Prison returns 2006-07 Q1": url}
    assert review is not None
    assert "Submitted on 3 July 2006" in review
    assert links(section(home(client_for(cast.frank)), "returns-due")) == {}

    the_return = returns_services.return_send_back(
        actor=cast.grace, the_return=the_return, expected_version=the_return.version, reason="Health is missing."
    )
    frank_page = home(client_for(cast.frank))
    returned = section(frank_page, "returns-returned")
    assert links(returned) == {"Prison returns 2006-07 Q1 for HMP Leeds": url}
    assert returned is not None
    assert "Health is missing." in returned
    assert links(section(home(client_for(cast.grace)), "returns-review")) == {}

    the_return = returns_services.return_submit(
        actor=cast.frank, the_return=the_return, expected_version=the_return.version
    )
    returns_services.return_approve(actor=cast.grace, the_return=the_return, expected_version=the_return.version)
    frank_page = home(client_for(cast.frank))
    assert links(section(frank_page, "returns-returned")) == {}
    approved = section(frank_page, "returns-approved")
    assert links(approved) == {"Prison returns 2006-07 Q1 for HMP Leeds": url}
    assert approved is not None
    assert "Approved on 3 July 2006" in approved

    # Past the window, it is no longer "recent".
    clock.set(datetime.date(2006, 7, 3) + datetime.timedelta(days=RECENTLY_APPROVED_DAYS + 1))
    assert links(section(home(client_for(cast.frank)), "returns-approved")) == {}


def test_the_commissioner_reviews_probation_returns_and_the_analyst_prison_ones(cast, clock, client_for):
    probation = ProbationReturn.objects.get(round=open_q1(cast), commissioner=cast.sypa)
    probation = returns_services.return_submit(actor=cast.bob, the_return=probation, expected_version=probation.version)
    prison = PrisonReturn.objects.get(round=open_prison_round(cast), commissioner=cast.leeds)
    prison = fill_prison_return(prison, cast.frank)
    returns_services.return_submit(actor=cast.frank, the_return=prison, expected_version=prison.version)

    alice = links(section(home(client_for(cast.alice)), "returns-review"))
    assert alice == {
        "South Yorkshire Probation Area: Probation returns 2006-07 Q1": f"/returns/probation/{probation.pk}/"
    }
    grace = links(section(home(client_for(cast.grace)), "returns-review"))
    assert grace == {"HMP Leeds: Prison returns 2006-07 Q1": f"/returns/prison/{prison.pk}/"}
    # Bob, who filled his in, has nothing to review; nor has the other region's commissioner.
    assert section(home(client_for(cast.bob)), "returns-review") is None
    nick = persona("nick-yh-test", "regional_commissioner", region=cast.other_region)
    assert links(section(home(client_for(nick)), "returns-review")) == {}


def test_past_the_deadline_a_return_not_submitted_is_overdue_to_its_signer_and_late_to_its_filler(
    cast, clock, client_for
):
    probation = ProbationReturn.objects.get(round=open_q1(cast), commissioner=cast.sypa)
    url = f"/returns/probation/{probation.pk}/"
    # The whole deadline day (31 July) counts as on time.
    clock.set(datetime.date(2006, 7, 31))
    assert links(section(home(client_for(cast.alice)), "returns-overdue")) == {}
    bob_due = section(home(client_for(cast.bob)), "returns-due")
    assert bob_due is not None
    assert "Late" not in bob_due

    clock.set(datetime.date(2006, 8, 1))
    overdue = section(home(client_for(cast.alice)), "returns-overdue")
    assert links(overdue) == {"South Yorkshire Probation Area: Probation returns 2006-07 Q1": url}
    assert overdue is not None
    assert "Late" in overdue
    bob_due = section(home(client_for(cast.bob)), "returns-due")
    assert links(bob_due) == {"Probation returns 2006-07 Q1 for South Yorkshire Probation Area": url}
    assert bob_due is not None
    assert "Late" in bob_due
    # Carol's area was not in the round: nothing of Bob's is hers.
    assert links(section(home(client_for(cast.carol)), "returns-due")) == {}
    # Prison returns are the analyst's to chase, not the commissioner's.
    assert section(home(client_for(cast.grace)), "returns-overdue") is not None
    assert url not in home(client_for(cast.grace))


def test_signed_out_and_a_superuser_have_no_returns_lists(cast, clock, client_for):
    open_q1(cast)
    for user in (None, cast.root, cast.nadia, cast.dave):
        page = home(client_for(user))
        for key in ("returns-due", "returns-returned", "returns-approved", "returns-review", "returns-overdue"):
            assert section(page, key) is None, (user, key)
