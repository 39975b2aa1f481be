"""The boundaries of funding/access.py, allowed and refused, for each role."""

from __future__ import annotations

import pytest

from stepchange.accounts.models import Role
from stepchange.funding import access
from stepchange.funding.models import ApplicationStatus
from tests.factories import (
    FundingStreamFactory,
    GrantApplicationFactory,
    GrantsRoundFactory,
    HelpedBidFactory,
    OrganisationFactory,
    persona,
)

pytestmark = pytest.mark.django_db


def test_who_keeps_streams_and_rounds(cast):
    yh, ne = FundingStreamFactory.create(region=cast.region), FundingStreamFactory.create(region=cast.other_region)
    assert set(access.streams_visible_to(None)) == {yh, ne}
    assert set(access.streams_editable_by(cast.alice)) == {yh}
    assert set(access.streams_editable_by(cast.root)) == {yh, ne}
    for person in (cast.bob, cast.dave, cast.frank, cast.grace, cast.heidi, cast.nadia):
        assert not access.streams_editable_by(person).exists()
        assert not access.may_keep_funding(person)


def test_an_infrastructure_body_records_nothing_and_applies_for_nothing(cast):
    body = OrganisationFactory.create(name="Regional VCS Forum", region=cast.region, infrastructure_body=True)
    ivan = persona("ivan", Role.INFRASTRUCTURE, organisation=body)
    grants_round = GrantsRoundFactory.create(region=cast.region)
    HelpedBidFactory.create(organisation=body)
    assert not access.may_record_bids(ivan)
    assert not access.helped_bids_visible_to(ivan).exists()
    assert not access.rounds_open_to(ivan).exists()
    assert not access.may_apply(ivan, grants_round)
    assert not access.may_keep_funding(ivan)


def test_a_provider_applies_to_its_own_regions_rounds_and_sees_its_own_applications_only(cast):
    yh, ne = GrantsRoundFactory.create(region=cast.region), GrantsRoundFactory.create(region=cast.other_region)
    assert set(access.rounds_open_to(cast.dave)) == {yh}
    assert not access.may_apply(cast.dave, ne)
    daves = GrantApplicationFactory.create(round=yh, organisation=cast.charity)
    erins = GrantApplicationFactory.create(round=yh, organisation=cast.company, status=ApplicationStatus.SUBMITTED)
    assert set(access.applications_visible_to(cast.dave)) == {daves}
    assert set(access.applications_visible_to(cast.alice)) == {erins}  # never a draft
    assert not access.may_see_assessments(cast.erin, erins)
    assert access.may_see_assessments(cast.alice, erins)
    assert not access.applications_visible_to(cast.bob).exists()
