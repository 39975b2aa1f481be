"""Prison returns' figures as prisons fill them: when a return is late, what ended may be, what must reconcile."""

from __future__ import annotations

import datetime

from stepchange.returns import services
from stepchange.returns.models import PrisonReturn
from tests.returns.conftest import fill_prison_return, open_prison_round


def test_lateness_is_judged_by_the_london_date_of_submission(cast, clock):
    # The deadline is 31 July 2006. 23:30 UTC on 31 July is 00:30 on 1 August in London (BST): late.
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    assert prison_return.deadline == datetime.date(2006, 7, 31)
    clock.now = datetime.datetime(2006, 7, 31, 23, 30, tzinfo=datetime.UTC)
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert prison_return.submitted_on == datetime.date(2006, 8, 1)
    assert prison_return.is_late


def test_submitted_late_evening_in_london_on_the_deadline_is_on_time(cast, clock):
    # 22:59 UTC on 31 July is 23:59 in London: still the deadline day.
    prison_return = fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)
    clock.now = datetime.datetime(2006, 7, 31, 22, 59, tzinfo=datetime.UTC)
    services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    assert not prison_return.is_late
