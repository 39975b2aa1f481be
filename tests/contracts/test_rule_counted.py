"""The rule "counts toward an area's target" at its edges: each commissioner kind, each funding
source, each sector of prime. Exactly one combination counts: a probation area's own main-grant
contract with a VCS or private prime."""

import itertools

import pytest

from stepchange.contracts import selectors
from stepchange.contracts.models import Contract, FundingSource
from stepchange.organisations.models import CommissionerKind, Operator, Sector
from tests.factories import CommissionerFactory, ContractFactory, OrganisationFactory


@pytest.mark.parametrize(("kind", "source", "sector"), list(itertools.product(CommissionerKind, FundingSource, Sector)))
def test_only_an_areas_own_main_grant_contract_with_a_vcs_or_private_prime_counts(cast, kind, source, sector):
    commissioner = CommissionerFactory.create(
        code=f"X-{kind}",
        kind=kind,
        region=cast.region,
        operator=Operator.PUBLIC if kind == CommissionerKind.PRISON else "",
    )
    contract = ContractFactory.create(
        commissioner=commissioner,
        prime=OrganisationFactory.create(name=f"Prime {sector}", sector=sector),
        funding_source=source,
        funder="" if source == FundingSource.MAIN_GRANT else "A funder",
    )
    expected = (
        kind == CommissionerKind.PROBATION
        and source == FundingSource.MAIN_GRANT
        and sector in (Sector.VCS, Sector.PRIVATE)
    )
    assert selectors.counted(Contract.objects.filter(pk=contract.pk)).exists() is expected
    # The same rule reached through a relation gives the same answer.
    assert Contract.objects.filter(selectors.counts_toward_target_q(), pk=contract.pk).exists() is expected
