"""The access world's monitoring request: South Yorkshire probation (Bob's area) asks Acorn (Dave's
charity), the prime of its contract, for monitoring information; not answered yet."""

from __future__ import annotations

import datetime

from django.utils import timezone

from stepchange.burden.models import MonitoringRequest, Topic
from stepchange.contracts.models import Contract
from tests.personas import Cast


def build_burden(cast: Cast, contract: Contract) -> MonitoringRequest:
    return MonitoringRequest.objects.create(
        contract=contract,
        period_start=datetime.date(2006, 4, 1),
        period_end=datetime.date(2006, 6, 30),
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        topics=[Topic.PEOPLE_STARTED.value, Topic.SPEND.value],
        own_question="How many referrals came from the prison?",
        asked_by=cast.bob,
        asked_at=timezone.now(),
    )
