"""The fields that decide bid eligibility and the figures (sector, region, size band, BME-led,
women-specific, user-led) are the regional team's to change. Dave, of Acorn Housing Trust, keeps
the rest of his charity's profile and asks, with evidence, for a change to these; Alice, the
regional commissioner, approves or refuses; each change made is dated and kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from stepchange.core.concurrency import AlreadyDone
from stepchange.core.models import AuditEvent
from stepchange.organisations import services
from stepchange.organisations.models import ProfileChange, ProfileChangeRequest, Sector
from tests.factories import RegionFactory, UserFactory
from tests.organisations.test_profile_edit import profile
from tests.personas import PASSWORD, Cast


def ask(cast: Cast, **changes):
    org = cast.charity
    data = {
        "sector": org.sector,
        "region": org.region_id or "",
        "size_band": org.size_band,
        "reason": "Our board is now mostly people from Black and minority ethnic communities.",
    }
    data.update(changes)
    return data


def test_dave_posting_protected_fields_to_his_profile_changes_none_of_them(cast, client_for):
    dave = client_for(cast.dave)
    before = {f: getattr(cast.charity, f) for f in ("sector", "region_id", "size_band", "bme_led", "user_led")}

    response = dave.post(
        f"/organisations/{cast.charity.pk}/edit/",
        profile(
            cast.charity,
            sector=Sector.PUBLIC,
            region=cast.other_region.pk,
            size_band="major",
            bme_led="on",
            women_specific="on",
            user_led="on",
            description="Housing advice.",
        ),
    )

    assert response.status_code == 302
    cast.charity.refresh_from_db()
    assert {f: getattr(cast.charity, f) for f in before} == before
    assert not cast.charity.women_specific
    assert cast.charity.description == "Housing advice."  # the rest of the profile is still his
    assert not ProfileChange.objects.exists()


def test_daves_form_leaves_out_the_protected_fields_and_points_to_asking(cast, client_for):
    page = client_for(cast.dave).get(f"/organisations/{cast.charity.pk}/edit/").content.decode()

    assert 'name="sector"' not in page and 'name="bme_led"' not in page and 'name="region"' not in page
    assert 'name="description"' in page
    assert f"/organisations/{cast.charity.pk}/ask-for-a-change/" in page


def test_the_service_refuses_a_protected_change_from_a_provider(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=cast.dave,
            organisation=cast.charity,
            expected_version=cast.charity.version,
            fields={"name": cast.charity.name, "sector": Sector.PUBLIC},
        )
    cast.charity.refresh_from_db()
    assert (cast.charity.sector, cast.charity.version) == (Sector.VCS, 1)
    assert not AuditEvent.objects.exists()


def test_alices_change_of_a_protected_field_is_dated_and_shown_to_those_who_may_see_it(cast, client_for):
    alice = client_for(cast.alice)

    alice.post(f"/organisations/{cast.charity.pk}/edit/", profile(cast.charity, bme_led="on", size_band="medium"))

    cast.charity.refresh_from_db()
    assert cast.charity.bme_led and cast.charity.size_band == "medium"
    change = ProfileChange.objects.get()
    assert change.changed_by == cast.alice and change.request is None
    assert change.before == {"size_band": "Not recorded", "bme_led": "No"}
    assert change.after == {"size_band": "Medium (£100,000 to £1 million)", "bme_led": "Yes"}
    for who, sees in [(cast.alice, True), (cast.dave, True), (cast.erin, False), (None, False)]:
        page = client_for(who).get(f"/organisations/{cast.charity.pk}/").content.decode()
        assert ("Changes made" in page) == sees, who
        assert ("Medium (£100,000 to £1 million)" in page and "Not recorded" in page) or not sees


def test_dave_asks_with_evidence_and_alice_approves_from_a_date(cast, client_for):
    dave, alice = client_for(cast.dave), client_for(cast.alice)
    evidence = SimpleUploadedFile("board.txt", b"Minutes: the board elected ...\n", content_type="text/plain")

    asked = dave.post(
        f"/organisations/{cast.charity.pk}/ask-for-a-change/", {**ask(cast, bme_led="on"), "evidence": evidence}
    )
    change_request = ProfileChangeRequest.objects.get()
    cast.charity.refresh_from_db()
    assert asked.status_code == 302 and not cast.charity.bme_led  # nothing changes until decided
    assert change_request.changes == {"bme_led": True}
    assert (
        change_request.evidence_name == "board.txt"
        and change_request.evidence is not None
        and bytes(change_request.evidence) == b"Minutes: the board elected ...\n"
    )
    listed = alice.get("/organisations/change-requests/").content.decode()
    assert "Acorn Housing Trust" in listed and "1 waiting for a decision" in listed
    download = alice.get(f"/organisations/change-requests/{change_request.pk}/evidence/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    decided = alice.post(
        f"/organisations/change-requests/{change_request.pk}/", {"decision": "approve", "effective_on": "1/4/2006"}
    )

    assert decided.status_code == 302
    cast.charity.refresh_from_db()
    assert cast.charity.bme_led
    change = ProfileChange.objects.get()
    assert (change.effective_on, change.request, change.changed_by) == (
        datetime.date(2006, 4, 1),
        change_request,
        cast.alice,
    )
    assert (change.before, change.after) == ({"bme_led": "No"}, {"bme_led": "Yes"})
    change_request.refresh_from_db()
    assert change_request.status == "Approved" and change_request.decided_by == cast.alice
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "profile_change_request_create",
        "profile_change_request_approve",
    ]
    page = dave.get(f"/organisations/{cast.charity.pk}/").content.decode()
    assert "1 Apr 2006" in page and "Approved" in page


def test_alice_refuses_with_a_reason_that_dave_is_shown(cast, client_for):
    dave, alice = client_for(cast.dave), client_for(cast.alice)
    dave.post(f"/organisations/{cast.charity.pk}/ask-for-a-change/", ask(cast, sector=Sector.PRIVATE))
    change_request = ProfileChangeRequest.objects.get()

    without_reason = alice.post(f"/organisations/change-requests/{change_request.pk}/", {"decision": "refuse"})
    refused = alice.post(
        f"/organisations/change-requests/{change_request.pk}/",
        {"decision": "refuse", "refusal_reason": "The charity is registered; it is not a company."},
    )

    assert without_reason.status_code == 200 and "Say why the request is refused" in without_reason.content.decode()
    assert refused.status_code == 302
    cast.charity.refresh_from_db()
    assert cast.charity.sector == Sector.VCS
    assert not ProfileChange.objects.exists()
    page = dave.get(f"/organisations/change-requests/{change_request.pk}/").content.decode()
    assert "Refused" in page and "it is not a company" in page


def test_a_request_asking_nothing_a_second_pending_request_or_hostile_evidence_is_refused(cast, client_for):
    dave = client_for(cast.dave)
    url = f"/organisations/{cast.charity.pk}/ask-for-a-change/"

    nothing = dave.post(url, ask(cast)).content.decode()
    old_word = SimpleUploadedFile("board.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    hostile = dave.post(url, {**ask(cast, user_led="on"), "evidence": old_word}).content.decode()
    assert not ProfileChangeRequest.objects.exists()
    dave.post(url, ask(cast, user_led="on"))
    second = dave.post(url, ask(cast, women_specific="on"), follow=True).content.decode()

    assert "Change at least one of these answers" in nothing
    assert "older Office format" in hostile
    assert "asked for a change to these answers at" in second
    assert "that request is waiting for the regional team" in second
    assert ProfileChangeRequest.objects.count() == 1


def test_only_the_organisations_people_and_its_regional_team_see_a_request(cast, client_for):
    client_for(cast.dave).post(
        f"/organisations/{cast.charity.pk}/ask-for-a-change/",
        {**ask(cast, user_led="on"), "evidence": SimpleUploadedFile("a.txt", b"evidence\n")},
    )
    change_request = ProfileChangeRequest.objects.get()
    elsewhere = UserFactory.create(
        username="nell", role="regional_commissioner", region=RegionFactory.create(code="NW"), password=PASSWORD
    )
    page = f"/organisations/change-requests/{change_request.pk}/"
    evidence = f"{page}evidence/"

    for who in (cast.erin, cast.bob, cast.nadia, elsewhere):
        client = client_for(who)
        assert client.get(page).status_code == 404, who
        assert client.get(evidence).status_code == 404, who
        assert client.post(page, {"decision": "approve"}).status_code == 404, who
    assert client_for(elsewhere).get("/organisations/change-requests/").context["pending"] == []
    # Dave reads his own request but cannot decide it.
    assert client_for(cast.dave).get(page).status_code == 200
    assert client_for(cast.dave).post(page, {"decision": "approve"}).status_code == 404
    assert client_for(cast.dave).get("/organisations/change-requests/").status_code == 404
    change_request.refresh_from_db()
    assert change_request.is_pending
    cast.charity.refresh_from_db()
    assert not cast.charity.user_led


def test_the_service_refuses_a_decision_by_someone_outside_the_regional_team(cast):
    change_request = services.change_request_create(
        actor=cast.dave, organisation=cast.charity, fields={"bme_led": True}, reason="Our board changed."
    )

    with pytest.raises(PermissionDenied):
        services.change_request_decide(actor=cast.dave, change_request=change_request, approve=True)
    with pytest.raises(PermissionDenied):
        services.change_request_create(
            actor=cast.erin, organisation=cast.charity, fields={"bme_led": True}, reason="Not ours."
        )
    services.change_request_decide(actor=cast.alice, change_request=change_request, approve=True)
    with pytest.raises(AlreadyDone, match=r"^Alice approved this request at \d\d:\d\d; here it is\.$"):
        services.change_request_decide(actor=cast.alice, change_request=change_request, approve=False)
    cast.charity.refresh_from_db()
    assert cast.charity.bme_led
