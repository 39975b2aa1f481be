"""A prison return's pathway page at any size: the figures form carries the figures alone, and the
organisations delivering and those proposed are paginated, searchable lists changed one button at
a time, each a service of its own (one transaction, one audit event, the return's version checked).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import AuditEvent, Pathway
from stepchange.organisations.models import Organisation, Sector
from stepchange.returns import services
from stepchange.returns.models import PrisonReturn, PrisonReturnLine, ProposedOrganisation
from tests.factories import fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


def accommodation() -> Pathway:
    return Pathway.objects.get(code="accommodation")


@pytest.fixture
def leeds(cast: Any, clock: Any) -> PrisonReturn:
    """HMP Leeds's open Q1 return, every pathway saved with zeros."""
    return fill_prison_return(PrisonReturn.objects.get(round=open_prison_round(cast)), cast.frank)


def line_of(the_return: PrisonReturn) -> PrisonReturnLine:
    return PrisonReturnLine.objects.get(prison_return=the_return, pathway__code="accommodation")


def fresh(the_return: PrisonReturn) -> PrisonReturn:
    the_return.refresh_from_db()
    return the_return


def url(the_return: PrisonReturn, tail: str = "") -> str:
    return f"/returns/prison/{the_return.pk}/pathways/accommodation/{tail}"


def many_organisations(cast: Any, count: int, prefix: str, **fields: Any) -> list[Organisation]:
    values = {"sector": Sector.VCS, "region": cast.region, **fields}
    Organisation.objects.bulk_create(Organisation(name=f"{prefix} {n:05d}", **values) for n in range(count))
    return list(Organisation.objects.filter(name__startswith=f"{prefix} ").order_by("name"))


# Services -----------------------------------------------------------------------------------------


def test_adding_and_removing_an_organisation_is_one_audit_event_each_and_moves_the_version(cast, leeds):
    version = leeds.version
    events = AuditEvent.objects.count()
    services.prison_line_organisation_add(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=version,
        pathway=accommodation(),
        organisation=cast.charity,
    )
    assert list(line_of(leeds).organisations.all()) == [cast.charity]
    assert fresh(leeds).version == version + 1
    added = AuditEvent.objects.latest("pk")
    assert (added.action, added.after) == (
        "return_line_organisation_add",
        {"pathway": "Accommodation", "added": "Acorn Housing Trust"},
    )
    # Twice is refused; so is an organisation that is not one of the region's VCS organisations.
    with pytest.raises(ValidationError, match="already named"):
        services.prison_line_organisation_add(
            actor=cast.frank,
            prison_return=leeds,
            expected_version=leeds.version,
            pathway=accommodation(),
            organisation=cast.charity,
        )
    company = Organisation.objects.get(name="Beacon Services Ltd")
    with pytest.raises(ValidationError, match="only the region's voluntary and community"):
        services.prison_line_organisation_add(
            actor=cast.frank,
            prison_return=leeds,
            expected_version=leeds.version,
            pathway=accommodation(),
            organisation=company,
        )
    services.prison_line_organisation_remove(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation(),
        organisation=cast.charity,
    )
    assert not line_of(leeds).organisations.exists()
    assert AuditEvent.objects.count() == events + 2
    assert AuditEvent.objects.latest("pk").action == "return_line_organisation_remove"
    with pytest.raises(ValidationError, match="is not named"):
        services.prison_line_organisation_remove(
            actor=cast.frank,
            prison_return=fresh(leeds),
            expected_version=leeds.version,
            pathway=accommodation(),
            organisation=cast.charity,
        )


def test_a_stale_version_a_closed_return_and_a_pathway_not_yet_saved_are_refused(cast, clock):
    the_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    with pytest.raises(ValidationError, match="Save the Accommodation figures first"):
        services.prison_line_proposed_add(
            actor=cast.frank,
            prison_return=the_return,
            expected_version=the_return.version,
            pathway=accommodation(),
            name="Leeds Tenants Forum",
            sector="vcs",
        )
    fill_prison_return(the_return, cast.frank)
    with pytest.raises(StaleEdit):
        services.prison_line_organisation_add(
            actor=cast.frank,
            prison_return=the_return,
            expected_version=the_return.version - 1,
            pathway=accommodation(),
            organisation=cast.charity,
        )
    assert not line_of(the_return).organisations.exists()
    services.return_submit(actor=cast.frank, the_return=the_return, expected_version=the_return.version)
    events = AuditEvent.objects.count()
    for clear in (services.prison_line_organisations_clear, services.prison_line_proposed_clear):
        with pytest.raises(ValidationError, match="cannot be changed"):
            clear(
                actor=cast.frank,
                prison_return=fresh(the_return),
                expected_version=the_return.version,
                pathway=accommodation(),
            )
    assert AuditEvent.objects.count() == events


def test_proposed_organisations_are_added_removed_and_cleared_one_event_each(cast, leeds):
    proposed = services.prison_line_proposed_add(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation(),
        name=" Leeds Tenants Forum ",
        sector="vcs",
    )
    assert (proposed.name, proposed.sector) == ("Leeds Tenants Forum", "vcs")
    with pytest.raises(ValidationError, match="already proposed"):
        services.prison_line_proposed_add(
            actor=cast.frank,
            prison_return=fresh(leeds),
            expected_version=leeds.version,
            pathway=accommodation(),
            name="Leeds Tenants Forum",
            sector="private",
        )
    with pytest.raises(ValidationError, match="Choose the sector"):
        services.prison_line_proposed_add(
            actor=cast.frank,
            prison_return=leeds,
            expected_version=leeds.version,
            pathway=accommodation(),
            name="Another",
            sector="public",
        )
    services.prison_line_proposed_remove(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation(),
        proposed_id=proposed.pk,
    )
    assert not ProposedOrganisation.objects.exists()
    ProposedOrganisation.objects.bulk_create(
        ProposedOrganisation(line=line_of(leeds), name=f"Group {n}", sector="vcs") for n in range(30)
    )
    events = AuditEvent.objects.count()
    removed = services.prison_line_proposed_clear(
        actor=cast.frank, prison_return=fresh(leeds), expected_version=leeds.version, pathway=accommodation()
    )
    assert removed == 30
    assert not ProposedOrganisation.objects.exists()
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("pk").after == {"pathway": "Accommodation", "removed_count": 30}


def test_saving_the_figures_leaves_the_lists_as_they_are(cast, leeds):
    line = line_of(leeds)
    line.organisations.add(cast.charity)
    ProposedOrganisation.objects.create(line=line, name="Leeds Tenants Forum", sector="vcs")
    services.prison_line_save(
        actor=cast.frank,
        prison_return=leeds,
        expected_version=leeds.version,
        pathway=accommodation(),
        services_running=4,
        services_started=1,
        services_ended=0,
        spend=Decimal("20.00"),
    )
    line.refresh_from_db()
    assert line.services_running == 4
    assert list(line.organisations.all()) == [cast.charity]
    assert [p.name for p in line.proposed.all()] == ["Leeds Tenants Forum"]
    # The audit event is of the figures; the lists, which did not change, are not copied into it.
    event = AuditEvent.objects.latest("pk")
    assert event.after is not None
    assert event.after["services_running"] == 4 and "proposed" not in event.after


def test_clearing_the_organisations_named_removes_them_all_in_one_event(cast, leeds):
    organisations = many_organisations(cast, 40, "Charity")
    line_of(leeds).organisations.add(*organisations)
    assert (
        services.prison_line_organisations_clear(
            actor=cast.frank, prison_return=leeds, expected_version=leeds.version, pathway=accommodation()
        )
        == 40
    )
    assert not line_of(leeds).organisations.exists()
    assert Organisation.objects.filter(name__startswith="Charity ").count() == 40  # the directory keeps them


# The page -----------------------------------------------------------------------------------------


def field_names(form_html: str) -> list[str]:
    return re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form_html)


def forms_of(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, flags=re.S)


def test_a_line_of_thousands_of_organisations_saves_and_no_form_has_a_field_per_row(cast, leeds, client_for):
    """More than Django's 1,000 fields of organisations named, proposed and in the directory."""
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    line = line_of(leeds)
    named = many_organisations(cast, 1200, "Named charity")
    line.organisations.add(*named)
    many_organisations(cast, 1100, "Directory charity")
    ProposedOrganisation.objects.bulk_create(
        ProposedOrganisation(line=line, name=f"Proposed group {n:05d}", sector="vcs") for n in range(2500)
    )
    frank = client_for(cast.frank)
    page = frank.get(url(leeds)).content.decode()
    assert "1200 organisations named" in page and "2500 organisations proposed" in page
    assert page.count("govuk-pagination__list") == 2
    # Every form on the page is small: none has a field per organisation.
    assert max(len(field_names(form)) for form in forms_of(page)) <= 8
    assert "Named charity 00020" not in page  # page 2

    saved = frank.post(
        url(leeds),
        {"version": leeds.version, "services_running": "7", "services_started": "2", "services_ended": "1"},
    )
    assert saved.status_code == 302
    line.refresh_from_db()
    assert (line.services_running, line.organisations.count(), line.proposed.count()) == (7, 1200, 2500)

    # The directory search finds the region's VCS organisations not yet named, 20 to a page.
    found = frank.get(url(leeds), {"find": "charity", "fpage": "3"}).content.decode()
    assert "1100 organisations not yet named here match" in found
    assert "Directory charity 00040" in found and "Directory charity 00039" not in found
    assert "Named charity 00000</td>" not in found.split('id="add-organisation"')[1].split('id="proposed"')[0]


def test_a_form_with_a_field_per_row_would_be_refused(cast, leeds, client_for):
    """What the page avoids: a POST of more than 1,000 fields is a 400 (so the test above can fail)."""
    response = client_for(cast.frank).post(
        url(leeds), {"version": leeds.version, "keep": [str(n) for n in range(1001)]}
    )
    assert response.status_code == 400


def test_frank_searches_and_pages_the_lists_and_removes_with_a_button(cast, leeds, client_for):
    line = line_of(leeds)
    ProposedOrganisation.objects.bulk_create(
        ProposedOrganisation(line=line, name=f"{kind} group {n:02d}", sector="vcs")
        for kind in ("Tenants", "Mentoring")
        for n in range(25)
    )
    frank = client_for(cast.frank)
    searched = frank.get(url(leeds), {"pq": "tenants", "ppage": "2"}).content.decode()
    assert "25 of 50 organisations match “tenants”" in searched
    assert "(page 2 of 2)" in searched
    assert "Tenants group 24" in searched and "Tenants group 00" not in searched and "Mentoring" not in searched
    # The page links keep the search.
    assert 'href="?pq=tenants&amp;ppage=1#proposed"' in searched

    target = ProposedOrganisation.objects.get(name="Tenants group 24")
    removed = frank.post(
        url(leeds, "proposed/remove/") + "?pq=tenants&ppage=2&next=https://evil.example/",
        {"version": leeds.version, "proposed": target.pk},
    )
    assert removed.status_code == 302
    assert removed["Location"] == url(leeds) + "?pq=tenants&ppage=2#proposed"
    assert not ProposedOrganisation.objects.filter(pk=target.pk).exists()
    assert "Tenants group 24 is removed from Accommodation" in frank.get(removed["Location"]).content.decode()

    # A button pressed on a page opened before another change is refused, and nothing is removed.
    other = ProposedOrganisation.objects.get(name="Tenants group 23")
    stale = frank.post(url(leeds, "proposed/remove/"), {"version": leeds.version, "proposed": other.pk})
    assert stale.status_code == 200
    assert "govuk-error-summary" in stale.content.decode() and "Someone else changed" in stale.content.decode()
    assert ProposedOrganisation.objects.filter(pk=other.pk).exists()


def test_frank_adds_from_the_directory_proposes_one_and_removes_all_after_confirming(cast, leeds, client_for):
    frank = client_for(cast.frank)
    found = frank.get(url(leeds), {"find": "acorn"}).content.decode()
    assert "Acorn Housing Trust" in found
    added = frank.post(
        url(leeds, "organisations/add/") + "?find=acorn",
        {"version": leeds.version, "organisation": cast.charity.pk},
    )
    assert added["Location"] == url(leeds) + "?find=acorn#add-organisation"
    assert list(line_of(leeds).organisations.all()) == [cast.charity]
    # Once named, it is no longer offered.
    assert "not yet named here matches “acorn”" in frank.get(url(leeds), {"find": "acorn"}).content.decode()

    # A private company of the region is not offered, and its id sent by hand is refused.
    company = Organisation.objects.get(name="Beacon Services Ltd")
    refused = frank.post(
        url(leeds, "organisations/add/"), {"version": fresh(leeds).version, "organisation": company.pk}
    )
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()

    missing = frank.post(url(leeds, "proposed/add/"), {"version": leeds.version, "proposed_name": "Forum"})
    assert missing.status_code == 200
    assert "Choose the sector of the organisation you are proposing" in missing.content.decode()
    proposed = frank.post(
        url(leeds, "proposed/add/"), {"version": leeds.version, "proposed_name": "Forum", "proposed_sector": "private"}
    )
    assert proposed.status_code == 302
    assert [(p.name, p.sector) for p in line_of(leeds).proposed.all()] == [("Forum", "private")]

    confirm = frank.get(url(leeds, "organisations/remove-all/")).content.decode()
    assert "Remove all 1 organisation from Accommodation?" in confirm
    done = frank.post(url(leeds, "organisations/remove-all/"), {"version": fresh(leeds).version})
    assert done["Location"] == url(leeds) + "#organisations"
    assert not line_of(leeds).organisations.exists()
    assert line_of(leeds).proposed.count() == 1  # the other list is left alone
    frank.post(url(leeds, "proposed/remove-all/"), {"version": fresh(leeds).version})
    assert not line_of(leeds).proposed.exists()


def test_a_pathway_not_yet_saved_asks_for_its_figures_before_its_organisations(cast, clock, client_for):
    the_return = PrisonReturn.objects.get(round=open_prison_round(cast))
    frank = client_for(cast.frank)
    page = frank.get(url(the_return)).content.decode()
    assert "Save the figures first" in page and "Save and name the organisations" in page
    saved = frank.post(
        url(the_return),
        {
            "version": the_return.version,
            "services_running": "1",
            "services_started": "1",
            "services_ended": "0",
            "then": "organisations",
        },
    )
    assert saved["Location"] == url(the_return) + "#organisations"
    assert "Add an organisation from the directory" in frank.get(saved["Location"]).content.decode()


def test_check_your_answers_counts_a_long_list_rather_than_naming_every_organisation(cast, leeds, client_for):
    line = line_of(leeds)
    line.organisations.add(*many_organisations(cast, 12, "Named charity"))
    ProposedOrganisation.objects.create(line=line, name="Leeds Tenants Forum", sector="vcs")
    health = PrisonReturnLine.objects.get(prison_return=leeds, pathway__code="health")
    health.organisations.add(cast.charity)
    page = client_for(cast.frank).get(f"/returns/prison/{leeds.pk}/check/").content.decode()
    assert "Delivered by 12 organisations of the directory and 1 proposed for it" in page
    assert "Named charity 00003" not in page
    assert "Delivered by Acorn Housing Trust" in page  # a short list is still named
