"""The directory its sector keeps: self-registration checked by the regional team, claims of an
entry, services by pathway and area, likely duplicates and the merge, the downloads (CSV, JSON,
Open Referral UK) and the gap view."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError

from stepchange.accounts.models import Invitation, User
from stepchange.contracts.forms import ContractForm
from stepchange.contracts.models import Contract, SubContract
from stepchange.core.models import AuditEvent, Pathway
from stepchange.core.roles import Role
from stepchange.organisations import directory
from stepchange.organisations.models import (
    Claim,
    Commissioner,
    CommissionerKind,
    Listing,
    Organisation,
    OrganisationAlias,
    OrganisationMerge,
    ProfileChangeRequest,
    ServiceOffer,
)
from stepchange.returns.models import PrisonReturn
from stepchange.returns.selectors import may_deliver_on_line
from tests.factories import (
    CommissionerFactory,
    ContractFactory,
    OrganisationFactory,
    ProfileChangeRequestFactory,
    SubContractFactory,
    UserFactory,
    open_prison_round,
)


def _offer(org: Organisation, code: str, *areas: Commissioner) -> None:
    pathway = Pathway.objects.get(code=code)
    for area in areas:
        ServiceOffer.objects.create(organisation=org, pathway=pathway, area=area)


def _registration(cast, **extra: str) -> dict[str, object]:
    housing = Pathway.objects.get(code="accommodation")
    data: dict[str, object] = {
        "name": "Don Valley Women's Project",
        "sector": "vcs",
        "charity_number": "1 099 999",
        "company_number": "",
        "region": cast.region.pk,
        "size_band": "small",
        "women_specific": "on",
        "description": "Supported housing for women leaving prison.",
        "contact_name": "Fay Hill",
        "contact_email": "info@donvalley.example.org",
        "website": "",
        f"pathway_{housing.pk}": [str(cast.sypa.pk)],
        "first_name": "Fay",
        "last_name": "Hill",
        "username": "fay",
        "email": "fay@donvalley.example.org",
    }
    data.update(extra)
    return data


# --- Registration --------------------------------------------------------------------------------


def test_a_registered_organisation_waits_for_the_regional_teams_check(cast, client_for, mailoutbox):
    response = client_for(None).post("/account/register/", _registration(cast))

    assert response.status_code == 200, response.context["form"].errors
    org = Organisation.objects.get(name="Don Valley Women's Project")
    assert org.listing == Listing.WAITING
    assert org.charity_number == "1099999"  # written as the register writes it
    assert [str(s.area) for s in org.services.all()] == ["South Yorkshire Probation Area"]
    fay = User.objects.get(username="fay")
    assert fay.organisation == org and fay.is_organisation_admin and fay.role == Role.PROVIDER
    assert not fay.has_usable_password()
    assert Invitation.objects.filter(user=fay).count() == 1
    assert mailoutbox[-1].to == ["fay@donvalley.example.org"]
    assert "/account/invitation/" in mailoutbox[-1].body
    assert AuditEvent.objects.filter(action="organisation_register", object_id=str(org.pk)).count() == 1
    # Not in the directory, nor its page, for anyone but the regional team and its own people.
    assert "Don Valley" not in client_for(None).get("/organisations/").content.decode()
    assert client_for(None).get(f"/organisations/{org.pk}/").status_code == 404
    assert client_for(cast.dave).get(f"/organisations/{org.pk}/").status_code == 404
    assert client_for(cast.alice).get(f"/organisations/{org.pk}/").status_code == 200
    assert "Don Valley" in client_for(cast.alice).get("/organisations/registrations/").content.decode()


def test_a_registration_refuses_a_malformed_number_and_a_name_already_listed(cast, client_for):
    response = client_for(None).post(
        "/account/register/", _registration(cast, name="Acorn Housing Trust", company_number="ZZ123")
    )

    errors = response.context["form"].errors
    assert "claim it instead" in errors["name"][0]
    assert "8 characters" in errors["company_number"][0]
    assert not User.objects.filter(username="fay").exists()


def test_registrations_are_rate_limited_per_address(cast, client_for):
    statuses = [
        client_for(None)
        .post("/account/register/", _registration(cast, name=f"Project {n}", username=f"fay{n}"))
        .status_code
        for n in range(6)
    ]
    # The first registers; the next four are refused (the address has an account) but counted;
    # the sixth is over the five an hour an address may ask for.
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert Organisation.objects.filter(name__startswith="Project").count() == 1


def test_alice_approves_a_registration_and_the_registrant_is_emailed(cast, client_for, mailoutbox):
    client_for(None).post("/account/register/", _registration(cast))
    org = Organisation.objects.get(name="Don Valley Women's Project")

    refused = client_for(cast.alice).post(f"/organisations/registrations/{org.pk}/", {"decision": "refuse"})
    assert "Say why" in str(refused.context["form"].errors)
    response = client_for(cast.alice).post(f"/organisations/registrations/{org.pk}/", {"decision": "approve"})

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.listing == Listing.LISTED
    assert mailoutbox[-1].to == ["fay@donvalley.example.org"]
    assert "now listed" in mailoutbox[-1].body
    assert "Don Valley" in client_for(None).get("/organisations/", {"q": "don valley"}).content.decode()
    # Nick, of another region, never had it to decide.
    assert client_for(cast.alice).get(f"/organisations/registrations/{org.pk}/").status_code == 404


def test_a_refused_registration_says_why(cast, client_for, mailoutbox):
    client_for(None).post("/account/register/", _registration(cast))
    org = Organisation.objects.get(name="Don Valley Women's Project")

    client_for(cast.alice).post(
        f"/organisations/registrations/{org.pk}/", {"decision": "refuse", "refusal_reason": "Already listed as DVWP."}
    )

    org.refresh_from_db()
    assert org.listing == Listing.REFUSED
    assert "Already listed as DVWP." in mailoutbox[-1].body


# --- Claims --------------------------------------------------------------------------------------


def test_a_provider_without_an_organisation_claims_an_entry_and_alice_approves(cast, client_for, mailoutbox):
    calder = OrganisationFactory.create(name="Calder Mentoring", region=cast.region)
    gina = UserFactory.create(username="gina", role=Role.PROVIDER)
    assert "Claim it" in client_for(gina).get(f"/organisations/{calder.pk}/").content.decode()
    assert "Claim it" not in client_for(cast.dave).get(f"/organisations/{calder.pk}/").content.decode()

    client_for(gina).post(f"/organisations/{calder.pk}/claim/", {"reason": "I am its director; ring 0113 000 0000."})
    claim = Claim.objects.get()
    assert client_for(cast.dave).get(f"/organisations/claims/{claim.pk}/").status_code == 404
    client_for(cast.alice).post(f"/organisations/claims/{claim.pk}/", {"decision": "approve"})

    gina.refresh_from_db()
    assert gina.organisation == calder and gina.is_organisation_admin
    assert mailoutbox[-1].to == [gina.email]
    assert client_for(gina).get(f"/organisations/{calder.pk}/services/").status_code == 200


# --- Services ------------------------------------------------------------------------------------


def test_dave_keeps_his_charitys_services(cast, client_for):
    housing = Pathway.objects.get(code="accommodation")
    ete = Pathway.objects.get(code="ete")
    _offer(cast.charity, "ete", cast.wypa)

    client_for(cast.dave).post(
        f"/organisations/{cast.charity.pk}/services/",
        {
            "version": cast.charity.version,
            f"pathway_{housing.pk}": [str(cast.sypa.pk), str(cast.wypa.pk)],
            f"pathway_{ete.pk}": [],
        },
    )

    assert sorted((s.pathway.code, s.area.code) for s in cast.charity.services.all()) == [
        ("accommodation", "SYPA"),
        ("accommodation", "WYPA"),
    ]
    assert client_for(cast.erin).get(f"/organisations/{cast.charity.pk}/services/").status_code == 404
    # The same form sent again, read at the old version, is refused: someone saved in between.
    stale = client_for(cast.dave).post(
        f"/organisations/{cast.charity.pk}/services/", {"version": cast.charity.version, f"pathway_{ete.pk}": []}
    )
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert cast.charity.services.count() == 2


# --- Duplicates and merging ----------------------------------------------------------------------


def test_likely_duplicates_by_number_and_by_close_name(cast, client_for):
    OrganisationFactory.create(name="The Acorn Housing Trust Ltd.", region=cast.region)
    OrganisationFactory.create(name="Calder Mentoring", region=cast.region, charity_number="1111111")
    OrganisationFactory.create(name="Calder Valley Mentors", region=cast.region, charity_number="1111111")
    OrganisationFactory.create(name="Acorn Housing Trust North", region=cast.other_region)

    page = client_for(cast.alice).get("/organisations/duplicates/")

    pairs = [(d.first.name, d.second.name, d.why) for d in page.context["duplicates"]]
    assert pairs == [
        ("Calder Mentoring", "Calder Valley Mentors", "the same charity number"),
        ("Acorn Housing Trust", "The Acorn Housing Trust Ltd.", "the same name"),
    ]
    assert client_for(cast.dave).get("/organisations/duplicates/").status_code == 404


def test_a_merge_moves_everything_and_keeps_the_duplicates_history(cast, client_for):
    duplicate = OrganisationFactory.create(
        name="The Acorn Housing Trust Ltd.", region=cast.region, charity_number="1099999"
    )
    held = ContractFactory.create(commissioner=cast.sypa, prime=duplicate)
    other = ContractFactory.create(commissioner=cast.wypa, prime=cast.company)
    SubContractFactory.create(contract=other, partner=duplicate)
    staff = UserFactory.create(username="sam", role=Role.PROVIDER, organisation=duplicate)
    request = ProfileChangeRequestFactory.create(organisation=duplicate, requested_by=staff)
    _offer(duplicate, "ete", cast.sypa)
    _offer(duplicate, "accommodation", cast.sypa)
    _offer(cast.charity, "accommodation", cast.sypa)  # both offer it: one service is kept

    response = client_for(cast.alice).post(
        f"/organisations/duplicates/{cast.charity.pk}/{duplicate.pk}/", {"kept": str(cast.charity.pk)}
    )

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert Contract.objects.get(pk=held.pk).prime == cast.charity
    assert SubContract.objects.get(contract=other).partner == cast.charity
    assert User.objects.get(pk=staff.pk).organisation == cast.charity
    assert ProfileChangeRequest.objects.get(pk=request.pk).organisation == cast.charity
    assert [(s.pathway.code, s.area.code) for s in cast.charity.services.all()] == [
        ("accommodation", "SYPA"),
        ("ete", "SYPA"),
    ]
    assert list(OrganisationAlias.objects.values_list("name", flat=True)) == ["The Acorn Housing Trust Ltd."]
    merge = OrganisationMerge.objects.get()
    assert merge.merged_name == "The Acorn Housing Trust Ltd." and merge.merged_profile["charity_number"] == "1099999"
    assert merge.moved["contracts.contract.prime"] == 1 and merge.moved["accounts.user.organisation"] == 1
    cast.charity.refresh_from_db()
    assert cast.charity.charity_number == "1099999"  # taken from the duplicate, which had one
    assert AuditEvent.objects.filter(action="organisation_merge").count() == 1
    # Its old name still finds it.
    found = client_for(None).get("/organisations/", {"q": "Trust Ltd"}).context["page"]
    assert [o.name for o in found] == ["Acorn Housing Trust"]


def test_a_merge_that_would_clash_is_refused_whole(cast):
    duplicate = OrganisationFactory.create(name="Acorn Housing", region=cast.region)
    contract = ContractFactory.create(commissioner=cast.wypa, prime=cast.company)
    SubContractFactory.create(contract=contract, partner=duplicate)
    SubContractFactory.create(contract=contract, partner=cast.charity)
    held = ContractFactory.create(commissioner=cast.sypa, prime=duplicate)

    with pytest.raises(ValidationError, match="resolve it before merging"):
        directory.organisation_merge(actor=cast.alice, kept=cast.charity, duplicate=duplicate)

    assert Contract.objects.get(pk=held.pk).prime == duplicate
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_no_merge_across_regions_nor_of_two_commissioners(cast, client_for):
    north = OrganisationFactory.create(name="Acorn Housing Trust (North East)", region=cast.other_region)
    with pytest.raises(ValidationError, match="regional team of both"):
        directory.organisation_merge(actor=cast.alice, kept=cast.charity, duplicate=north)
    with pytest.raises(ValidationError, match="different regions"):
        directory.organisation_merge(actor=cast.root, kept=cast.charity, duplicate=north)
    with pytest.raises(ValidationError, match="two commissioners"):
        directory.organisation_merge(actor=cast.alice, kept=cast.sypa.organisation, duplicate=cast.wypa.organisation)
    assert Organisation.objects.filter(pk=north.pk).exists()


# --- Downloads -----------------------------------------------------------------------------------


def _services_of_the_charity(cast) -> None:
    cast.charity.charity_number = "1099999"
    cast.charity.company_number = "04567890"
    cast.charity.save()
    _offer(cast.charity, "accommodation", cast.sypa, cast.wypa)
    _offer(cast.charity, "ete", cast.sypa)


def test_the_csv_and_json_downloads_hold_what_the_viewer_may_see(cast, client_for):
    _services_of_the_charity(cast)
    OrganisationFactory.create(name="Acorn Waiting", listing=Listing.WAITING, region=cast.region)

    rows = list(
        csv.reader(
            io.StringIO(
                client_for(None).get("/organisations/download/organisations.csv", {"q": "acorn"}).content.decode()
            )
        )
    )
    data = json.loads(client_for(None).get("/organisations/download/organisations.json", {"q": "acorn"}).content)
    alice_sees = json.loads(
        client_for(cast.alice).get("/organisations/download/organisations.json", {"q": "acorn"}).content
    )

    assert [row[1] for row in rows[1:]] == ["Acorn Housing Trust"]
    assert rows[1][12] == (
        "Accommodation in South Yorkshire Probation Area; Accommodation in West Yorkshire Probation Area; "
        "Education, Training & Employment in South Yorkshire Probation Area"
    )
    (acorn,) = data["organisations"]
    assert acorn["identifiers"] == [{"scheme": "GB-CHC", "id": "1099999"}, {"scheme": "GB-COH", "id": "04567890"}]
    assert acorn["services"] == [
        {"pathway": "accommodation", "probation_area": "SYPA"},
        {"pathway": "accommodation", "probation_area": "WYPA"},
        {"pathway": "ete", "probation_area": "SYPA"},
    ]
    assert [o["name"] for o in alice_sees["organisations"]] == ["Acorn Housing Trust", "Acorn Waiting"]


def test_the_open_referral_download_has_the_shape_of_open_referral_uk(cast, client_for):
    _services_of_the_charity(cast)

    data = json.loads(client_for(None).get("/organisations/download/open-referral.json", {"q": "acorn"}).content)

    assert set(data) == {"organizations", "services"}
    (org,) = data["organizations"]
    assert org["id"] == f"org-{cast.charity.pk}" and org["name"] == "Acorn Housing Trust"
    assert [i["identifier_scheme"] for i in org["organization_identifiers"]] == ["GB-CHC", "GB-COH"]
    housing, ete = data["services"]
    assert housing["id"] == f"service-{cast.charity.pk}-accommodation"
    assert housing["organization"]["id"] == org["id"]
    assert housing["status"] == "active"
    assert [a["service_area"] for a in housing["service_areas"]] == [
        "South Yorkshire Probation Area",
        "West Yorkshire Probation Area",
    ]
    assert housing["service_taxonomys"][0]["taxonomy"] == {
        "id": "pathway-accommodation",
        "name": "Accommodation",
        "vocabulary": "stepchange-pathway",
    }
    assert housing["service_at_locations"] == []
    assert [a["service_area"] for a in ete["service_areas"]] == ["South Yorkshire Probation Area"]
    for service in data["services"]:
        assert set(service) >= {
            "id",
            "organization",
            "name",
            "description",
            "status",
            "service_areas",
            "service_taxonomys",
        }


# --- The gap view --------------------------------------------------------------------------------


def test_the_gap_view_counts_vcs_providers_by_pathway_and_area(cast, client_for):
    humber = CommissionerFactory.create(code="HPA", region=cast.region, organisation__name="Humberside Probation Area")
    assert humber.kind == CommissionerKind.PROBATION
    women = OrganisationFactory.create(name="Women's Centre", women_specific=True, region=cast.region)
    _offer(cast.charity, "accommodation", cast.sypa, cast.wypa)
    _offer(women, "accommodation", cast.sypa)
    _offer(cast.company, "accommodation", humber)  # private: not counted
    waiting = OrganisationFactory.create(name="Not Yet", listing=Listing.WAITING, region=cast.region)
    _offer(waiting, "accommodation", humber)  # not listed: not counted

    page = client_for(None).get("/organisations/gaps/", {"region": "YH"})
    gaps = page.context["gaps"]

    assert [a.code for a in gaps.areas] == ["HPA", "SYPA", "WYPA"]
    accommodation = dict((p.code, [c.count for c in cells]) for p, cells in gaps.rows)["accommodation"]
    # Humberside: none; South Yorkshire: Acorn and the women's centre; West Yorkshire: Acorn.
    assert accommodation == [0, 2, 1]
    assert [[c.gap for c in cells] for p, cells in gaps.rows if p.code == "accommodation"] == [["none", "", "few"]]
    specialists = {label: [c.count for c in cells] for label, cells in gaps.specialist_rows}
    assert specialists == {"BME-led": [0, 0, 0], "Women-specific": [0, 1, 0]}
    html = page.content.decode()
    assert re.search(r'<th scope="row" class="govuk-table__header">Accommodation</th>', html)

    download = client_for(None).get("/organisations/gaps/download.csv", {"region": "YH"}).content.decode()
    lines = download.splitlines()
    assert (
        lines[0]
        == "Pathway or group,Humberside Probation Area,South Yorkshire Probation Area,West Yorkshire Probation Area"
    )
    assert "Accommodation,0,2,1" in lines
    assert "Women-specific (any pathway),0,1,0" in lines


def test_a_registration_waiting_is_offered_nowhere_else(cast):
    waiting = OrganisationFactory.create(name="Not Checked Yet", listing=Listing.WAITING, region=cast.region)
    listed = OrganisationFactory.create(name="Checked", region=cast.region)
    the_return = PrisonReturn.objects.get(round=open_prison_round(cast), commissioner=cast.leeds)

    offered_to_prisons = may_deliver_on_line(the_return)
    primes = ContractForm(user=cast.alice).fields["prime"].queryset  # type: ignore[attr-defined]

    assert listed in offered_to_prisons and waiting not in offered_to_prisons
    assert listed in primes and waiting not in primes


def test_a_registrant_may_claim_the_entry_already_listed_and_a_refusal_says_why(cast, client_for, mailoutbox):
    client_for(None).post("/account/register/", _registration(cast, name="Acorn Housing"))
    fay = User.objects.get(username="fay")
    fay.set_password("a long enough password")
    fay.save()
    assert "Claim it" in client_for(fay).get(f"/organisations/{cast.charity.pk}/").content.decode()
    assert client_for(fay).get(f"/organisations/{cast.sypa.organisation.pk}/claim/").status_code == 404

    client_for(fay).post(f"/organisations/{cast.charity.pk}/claim/", {"reason": "I run Acorn's Sheffield office."})
    claim = Claim.objects.get()
    assert client_for(fay).get(f"/organisations/claims/{claim.pk}/").status_code == 200  # her own
    assert client_for(fay).post(f"/organisations/claims/{claim.pk}/", {"decision": "approve"}).status_code == 404
    unexplained = client_for(cast.alice).post(f"/organisations/claims/{claim.pk}/", {"decision": "refuse"})
    assert "Say why" in str(unexplained.context["form"].errors)
    client_for(cast.alice).post(
        f"/organisations/claims/{claim.pk}/", {"decision": "refuse", "refusal_reason": "Acorn has no Sheffield office."}
    )

    claim.refresh_from_db()
    fay.refresh_from_db()
    assert claim.status == "Refused"
    assert fay.organisation is not None and fay.organisation.name == "Acorn Housing"
    assert "Acorn has no Sheffield office." in mailoutbox[-1].body
    assert AuditEvent.objects.filter(action__in=["claim_create", "claim_refuse"]).count() == 2
