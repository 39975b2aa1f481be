"""Organisations proposed in prison returns: the suggestions, the regional commissioner's decision
(accept as a directory organisation, add a new one, reject), who may make it, what the prison sees,
and that no figure moves when a proposal is accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stepchange.core.concurrency import AlreadyDone
from stepchange.core.models import AuditEvent, Pathway
from stepchange.organisations.matching import normalised_name, same_numbers, similar_organisations
from stepchange.organisations.models import CommissionerKind, Operator, Organisation
from stepchange.reports.registry import run_report
from stepchange.returns import services, services_proposals
from stepchange.returns.models import PrisonReturn, ProposalStatus, ProposedOrganisation
from stepchange.returns.selectors import proposals_awaiting_review
from tests.core.todo_pages import home, links, section
from tests.factories import CommissionerFactory, OrganisationFactory, approve, fill_prison_return, open_prison_round

pytestmark = pytest.mark.django_db


def propose(prison_return: PrisonReturn, actor, name: str, *, code: str = "accommodation", sector: str = "vcs"):
    prison_return.refresh_from_db()
    pathway = Pathway.objects.get(code=code)
    if not prison_return.lines.filter(pathway=pathway).exists():
        services.prison_line_save(
            actor=actor,
            prison_return=prison_return,
            expected_version=prison_return.version,
            pathway=pathway,
            services_running=1,
            services_started=1,
            services_ended=0,
            spend=None,
        )
        prison_return.refresh_from_db()
    return services.prison_line_proposed_add(
        actor=actor,
        prison_return=prison_return,
        expected_version=prison_return.version,
        pathway=pathway,
        name=name,
        sector=sector,
    )


@pytest.fixture
def leeds_q1(cast, clock):
    return PrisonReturn.objects.get(round=open_prison_round(cast))


# Suggestions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("The Acorn Housing Trust Ltd.", "acorn housing trust"),
        ("ACORN HOUSING TRUST", "acorn housing trust"),
        ("Acorn Housing Trust Limited", "acorn housing trust"),
        ("Bridge & Way", "bridge and way"),
        ("Theatre in Prisons", "theatre in prisons"),  # "The" is a word, not the start of one
        ("", ""),
    ],
)
def test_a_name_is_compared_without_case_punctuation_ltd_or_the(name, normalised):
    assert normalised_name(name) == normalised


def test_the_same_name_comes_first_then_similar_ones_and_unlike_ones_not_at_all(db):
    same = OrganisationFactory.create(name="Acorn Housing Trust Ltd")
    similar = OrganisationFactory.create(name="Acorn Housing Trusts")
    OrganisationFactory.create(name="Calder Mentoring")
    found = similar_organisations("the acorn housing trust", Organisation.objects.all())
    assert (found[0].organisation, found[0].why) == (same, "the same name")
    assert [s.organisation for s in found] == [same, similar]
    assert "alike" in found[1].why


def test_a_registered_number_matches_exactly_and_an_invalid_one_matches_nothing(db):
    charity = OrganisationFactory.create(name="Acorn", charity_number="1012345")
    company = OrganisationFactory.create(name="Beacon", company_number="04567890")
    everyone = Organisation.objects.all()
    assert [s.organisation for s in same_numbers(everyone, charity_number="101 2345", company_number="")] == [charity]
    assert [s.why for s in same_numbers(everyone, charity_number="", company_number="04567890")] == [
        "the same company number"
    ]
    assert [s.organisation for s in same_numbers(everyone, charity_number="10123", company_number="")] == []
    assert company not in [s.organisation for s in same_numbers(everyone, charity_number="1012345", company_number="")]


# Deciding -----------------------------------------------------------------------------------------


def test_accepting_a_name_links_every_proposal_of_it_in_the_region_and_no_other(cast, clock, leeds_q1):
    hull = CommissionerFactory.create(
        code="HULL", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    durham = CommissionerFactory.create(
        code="DURH", region=cast.other_region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    first = propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    the_round = leeds_q1.round
    the_round.commissioners.add(hull, durham)
    hull_return = PrisonReturn.objects.create(round=the_round, commissioner=hull)
    durham_return = PrisonReturn.objects.create(round=the_round, commissioner=durham)
    at_hull = propose(hull_return, cast.root, "LEEDS DEBT ADVICE", code="ete")
    in_the_north_east = propose(durham_return, cast.root, "Leeds Debt Advice")
    other_name = propose(leeds_q1, cast.frank, "Calder Arts")
    directory = OrganisationFactory.create(name="Leeds Debt Advice Ltd", region=cast.region)

    assert proposals_awaiting_review(cast.alice).count == 2  # Leeds Debt Advice and Calder Arts

    services_proposals.proposal_accept_as(actor=cast.alice, proposal=first, organisation=directory)

    for proposal in (first, at_hull):
        proposal.refresh_from_db()
        assert (proposal.status, proposal.organisation, proposal.decided_by) == (
            ProposalStatus.ACCEPTED,
            directory,
            cast.alice,
        )
    in_the_north_east.refresh_from_db()
    other_name.refresh_from_db()
    assert in_the_north_east.status == other_name.status == ProposalStatus.AWAITING
    event = AuditEvent.objects.get(action="proposal_accept")
    assert event.actor == cast.alice
    assert event.after == {"name": "Leeds Debt Advice", "proposals": 2, "organisation": "Leeds Debt Advice Ltd"}
    waiting = proposals_awaiting_review(cast.alice)
    assert (waiting.count, list(waiting.proposals)) == (1, [other_name])


def test_a_name_decided_meanwhile_is_not_decided_again_and_says_who(cast, clock, leeds_q1):
    proposal = propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    stale = ProposedOrganisation.objects.get(pk=proposal.pk)  # the second reviewer's page, read before
    services_proposals.proposal_reject(actor=cast.alice, proposal=proposal, reason="A person, not an organisation")
    with pytest.raises(AlreadyDone) as done:
        services_proposals.proposal_accept_new(actor=cast.root, proposal=stale, name="Leeds Debt Advice", sector="vcs")
    assert "rejected this organisation" in done.value.message
    assert str(cast.alice) in done.value.message
    assert not Organisation.objects.filter(name="Leeds Debt Advice").exists()
    assert AuditEvent.objects.filter(action__startswith="proposal_").count() == 1


def test_accepting_as_new_adds_it_to_the_directory_in_the_prisons_region(cast, clock, leeds_q1):
    proposal = propose(leeds_q1, cast.frank, "leeds debt advice")
    made = services_proposals.proposal_accept_new(
        actor=cast.alice, proposal=proposal, name="Leeds  Debt Advice", sector="vcs", charity_number="1099999"
    )
    assert (made.name, made.sector, made.region, made.charity_number) == (
        "Leeds Debt Advice",
        "vcs",
        cast.region,
        "1099999",
    )
    proposal.refresh_from_db()
    assert proposal.organisation == made
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"organisation_create", "proposal_accept"}


def test_a_new_one_with_a_number_the_directory_has_is_refused_naming_that_organisation(cast, clock, leeds_q1):
    OrganisationFactory.create(name="Oak Housing Trust", charity_number="1012345")
    proposal = propose(leeds_q1, cast.frank, "Oak Housing")
    with pytest.raises(ValidationError) as refused:
        services_proposals.proposal_accept_new(
            actor=cast.alice, proposal=proposal, name="Oak Housing", sector="vcs", charity_number="1012345"
        )
    assert "Oak Housing Trust in the directory has the same charity number" in str(refused.value)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING
    assert not Organisation.objects.filter(name="Oak Housing").exists()


def test_a_new_one_by_a_name_the_directory_has_is_refused(cast, clock, leeds_q1):
    OrganisationFactory.create(name="Acorn Housing Trust")
    proposal = propose(leeds_q1, cast.frank, "Acorn")
    with pytest.raises(ValidationError) as refused:
        services_proposals.proposal_accept_new(
            actor=cast.alice, proposal=proposal, name="acorn housing trust", sector="vcs"
        )
    assert "Acorn Housing Trust is in the directory already" in str(refused.value)


def test_rejecting_needs_a_reason_and_keeps_it(cast, clock, leeds_q1):
    proposal = propose(leeds_q1, cast.frank, "Bob's Van")
    with pytest.raises(ValidationError):
        services_proposals.proposal_reject(actor=cast.alice, proposal=proposal, reason="  ")
    services_proposals.proposal_reject(actor=cast.alice, proposal=proposal, reason="A man with a van, not a charity")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rejected_reason) == (ProposalStatus.REJECTED, "A man with a van, not a charity")


def test_a_decision_is_carried_over_to_next_quarter_with_the_proposal(cast, clock, leeds_q1):
    fill_prison_return(leeds_q1, cast.frank)
    proposal = propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    directory = OrganisationFactory.create(name="Leeds Debt Advice")
    services_proposals.proposal_accept_as(actor=cast.alice, proposal=proposal, organisation=directory)
    leeds_q1.refresh_from_db()
    approve(cast, leeds_q1)
    q2 = PrisonReturn.objects.get(round=open_prison_round(cast, 2))
    carried = ProposedOrganisation.objects.get(line__prison_return=q2)
    assert (carried.name, carried.status, carried.organisation, carried.decided_by) == (
        "Leeds Debt Advice",
        ProposalStatus.ACCEPTED,
        directory,
        cast.alice,
    )
    assert proposals_awaiting_review(cast.alice).count == 0


def test_nobody_but_the_regional_team_has_anything_to_review(cast, clock, leeds_q1):
    propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    assert proposals_awaiting_review(cast.alice).count == 1
    assert proposals_awaiting_review(cast.root).count == 1
    for someone in (cast.frank, cast.grace, cast.bob, cast.dave):
        assert proposals_awaiting_review(someone).count == 0


def test_the_names_waiting_are_on_the_reviewers_home_page_and_nobody_elses(cast, clock, leeds_q1, client_for):
    page = home(client_for(cast.alice))
    none_waiting = section(page, "returns-proposals")
    assert none_waiting is not None
    assert "No proposed organisation is waiting for a decision." in none_waiting
    propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    propose(leeds_q1, cast.frank, "Leeds Food Bank", code="ete")
    waiting = section(home(client_for(cast.alice)), "returns-proposals")
    assert links(waiting) == {"Organisations proposed in prison returns": "/returns/proposals/"}
    assert waiting is not None
    assert ": 2 waiting for a decision" in waiting
    for someone in (cast.frank, cast.bob, cast.dave):
        assert section(home(client_for(someone)), "returns-proposals") is None


# The pages ----------------------------------------------------------------------------------------


def test_alice_reviews_a_name_on_its_page_and_frank_sees_the_decision_on_his_return(cast, clock, leeds_q1, client_for):
    proposal = propose(leeds_q1, cast.frank, "The Leeds Debt Advice Ltd")
    directory = OrganisationFactory.create(name="Leeds Debt Advice", region=cast.region)
    alice = client_for(cast.alice)
    rounds = alice.get("/returns/").content.decode()
    assert "1 name awaiting your review" in rounds
    queue = alice.get("/returns/proposals/").content.decode()
    assert "The Leeds Debt Advice Ltd" in queue and "HMP Leeds, 2006-07 Q1, Accommodation" in queue
    page = alice.get(f"/returns/proposals/{proposal.pk}/").content.decode()
    assert f'value="org-{directory.pk}"' in page and "It is Leeds Debt Advice, in the directory (the same name)" in page
    # No choice made: told to make one, nothing decided.
    refused = alice.post(f"/returns/proposals/{proposal.pk}/", {}).content.decode()
    assert "Select which organisation it is, that it is new, or that you reject it" in refused
    response = alice.post(f"/returns/proposals/{proposal.pk}/", {"decision": f"org-{directory.pk}"})
    assert response.status_code == 302 and response["Location"] == "/returns/proposals/"
    proposal.refresh_from_db()
    assert proposal.organisation == directory
    decided = alice.get(f"/returns/proposals/{proposal.pk}/").content.decode()
    assert "Accepted as" in decided and "Alice" in decided and "Save the decision" not in decided

    return_page = client_for(cast.frank).get(f"/returns/prison/{leeds_q1.pk}/").content.decode()
    assert "Organisations proposed for the directory" in return_page
    assert "Accepted into the directory" in return_page and "Leeds Debt Advice" in return_page


def test_a_reject_without_a_reason_is_refused_on_the_form(cast, clock, leeds_q1, client_for):
    proposal = propose(leeds_q1, cast.frank, "Bob's Van")
    page = client_for(cast.alice).post(f"/returns/proposals/{proposal.pk}/", {"decision": "reject"}).content.decode()
    assert "Enter why the organisation is not accepted into the directory" in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING


def test_a_new_one_whose_number_is_known_is_offered_as_that_organisation(cast, clock, leeds_q1, client_for):
    known = OrganisationFactory.create(name="Northern Lights Trust", charity_number="1012345")
    proposal = propose(leeds_q1, cast.frank, "Prison Arts North")
    page = client_for(cast.alice).post(
        f"/returns/proposals/{proposal.pk}/",
        {"decision": "new", "name": "Prison Arts North", "sector": "vcs", "charity_number": "1012345"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Northern Lights Trust in the directory has the same charity number" in text
    assert f'value="org-{known.pk}"' in text


def test_the_queue_is_the_regional_teams_only(cast, clock, leeds_q1, client_for):
    proposal = propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    for someone in (cast.frank, cast.grace, cast.bob, cast.dave):
        client = client_for(someone)
        assert client.get("/returns/proposals/").status_code == 404
        assert client.get(f"/returns/proposals/{proposal.pk}/").status_code == 404


# Figures ------------------------------------------------------------------------------------------


def test_accepting_a_proposal_moves_no_figure(cast, clock, leeds_q1):
    """No report reads the organisations named on a prison's lines (docs/figures.md), so accepting
    one into the directory changes no figure: the prison reports are the same before and after."""
    fill_prison_return(leeds_q1, cast.frank, {"accommodation": (3, 1, 0, None)})
    proposal = propose(leeds_q1, cast.frank, "Leeds Debt Advice")
    leeds_q1.refresh_from_db()
    approve(cast, leeds_q1)

    def figures():
        out = []
        for name in ("prison-provision", "prison-spend"):
            result = run_report(name, {"year": "2006-07"})
            out.append([(t.key, t.rows, t.totals if hasattr(t, "totals") else None) for t in result.tables])
        return out

    before = figures()
    services_proposals.proposal_accept_new(actor=cast.alice, proposal=proposal, name="Leeds Debt Advice", sector="vcs")
    assert figures() == before
    # Hand-worked: Leeds's accommodation line says 3 services running in Q1, proposal or no proposal.
    provision = {t.key: t for t in run_report("prison-provision", {"year": "2006-07"}).tables}
    assert any(3 in row.values() for row in next(iter(provision.values())).rows)


# No round ------------------------------------------------------------------------------------------


def test_a_coordinator_with_no_round_is_told_so_not_given_a_404(cast, client_for):
    page = client_for(cast.frank).get("/returns/")
    assert page.status_code == 200
    assert "No round of returns has been opened for HMP Leeds yet" in page.content.decode()
    assert client_for(cast.bob).get("/returns/").status_code == 200
    assert client_for(cast.dave).get("/returns/").status_code == 404  # a provider has no part in returns
