"""Until it is published, Alice may change anything of a draft opportunity: its commissioner and
its reference too. Once published, those two are fixed (bidders and the open-data release know it
by them) and the page no longer offers them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import Opportunity
from stepchange.core.models import AuditEvent
from tests.commissioning.world import draft_opportunity
from tests.factories import CommissionerFactory

NOW = timezone.make_aware(datetime.datetime(2006, 7, 3, 10, 0))
DAY = datetime.timedelta(days=1)

FORM = {
    "title": "Mentoring for women leaving custody",
    "description": "Mentoring through the gate.",
    "kind": "tender",
    "estimated_value": "40,000",
    "duration_months": "12",
    "contract_start": "1/11/2006",
    "funding_source": "main_grant",
}


def draft(cast) -> Opportunity:
    return draft_opportunity(
        cast,
        reference="mentoring",
        title="Mentoring",
        description="Mentoring for people leaving custody.",
        contract_start=datetime.date(2006, 11, 1),
    )


def test_alice_moves_a_draft_to_south_yorkshire_and_renames_its_reference(cast, client_for):
    opportunity = draft(cast)
    alice = client_for(cast.alice)
    page = alice.get("/opportunities/mentoring/edit/").content.decode()
    assert 'name="commissioner"' in page
    assert 'name="reference"' in page

    response = alice.post(
        "/opportunities/mentoring/edit/",
        FORM | {"commissioner": cast.sypa.pk, "reference": "sypa-mentoring", "version": opportunity.version},
    )

    assert response.status_code == 302
    assert response["Location"] == "/opportunities/sypa-mentoring/"
    opportunity.refresh_from_db()
    assert (opportunity.commissioner, opportunity.reference) == (cast.sypa, "sypa-mentoring")
    assert opportunity.title == "Mentoring for women leaving custody"
    event = AuditEvent.objects.get(action="opportunity_update")
    assert event.before is not None and event.after is not None
    assert (event.before["commissioner"], event.after["commissioner"]) == (cast.regional_team.code, cast.sypa.code)
    # Bob manages South Yorkshire's opportunities: the draft is now his to change as well.
    assert client_for(cast.bob).get("/opportunities/sypa-mentoring/edit/").status_code == 200


def test_a_draft_cannot_move_to_a_commissioner_she_does_not_manage(cast):
    opportunity = draft(cast)
    elsewhere = CommissionerFactory.create(code="NEPA", region=cast.other_region)
    with pytest.raises(ValidationError) as refused:
        services.opportunity_update(
            actor=cast.alice, opportunity=opportunity, expected_version=opportunity.version, commissioner=elsewhere
        )
    assert refused.value.message_dict["commissioner"] == [f"You cannot run opportunities for {elsewhere.name}."]


def test_a_draft_cannot_take_a_reference_in_use(cast):
    opportunity = draft(cast)
    draft_opportunity(
        cast,
        reference="housing",
        title="Housing",
        description="Housing advice.",
        contract_start=datetime.date(2006, 11, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.opportunity_update(
            actor=cast.alice, opportunity=opportunity, expected_version=opportunity.version, reference="Housing"
        )
    assert refused.value.message_dict["reference"] == ["The reference housing is already in use. Enter another."]


def test_once_published_its_commissioner_and_reference_are_fixed(cast, client_for, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    opportunity = draft(cast)
    stage = services.stage_add(actor=cast.alice, opportunity=opportunity, number=1, name="Bid", deadline=NOW + 30 * DAY)
    services.question_add(actor=cast.alice, stage=stage, text="How?")
    services.criterion_add(actor=cast.alice, stage=stage, name="Quality", weight=100)
    services.evaluator_assign(actor=cast.alice, stage=stage, evaluator=cast.heidi)
    services.opportunity_publish(actor=cast.alice, opportunity=opportunity, now=NOW)
    opportunity.refresh_from_db()

    page = client_for(cast.alice).get("/opportunities/mentoring/edit/").content.decode()
    assert 'name="commissioner"' not in page
    assert 'name="reference"' not in page
    with pytest.raises(ValidationError) as refused:
        services.opportunity_update(
            actor=cast.alice, opportunity=opportunity, expected_version=opportunity.version, commissioner=cast.sypa
        )
    assert refused.value.message_dict["commissioner"] == [
        "The commissioner cannot change once the opportunity is published."
    ]
    with pytest.raises(ValidationError):
        services.opportunity_update(
            actor=cast.alice, opportunity=opportunity, expected_version=opportunity.version, reference="other"
        )
    opportunity.refresh_from_db()
    assert (opportunity.commissioner, opportunity.reference) == (cast.regional_team, "mentoring")
