"""The people every access test signs in as, each owning some things and not others.

Alice is the regional commissioner of Yorkshire and Humberside. Bob manages South Yorkshire
probation's contracts, Carol West Yorkshire's. Dave works for a charity (and administers its
people), Erin for a private provider. Frank is the VCS co-ordinator at HMP Leeds, Grace the area
office analyst, Heidi an evaluator, Nadia the national administrator (targets and pathways, no
region), Root a Django superuser.
"""

from __future__ import annotations

from dataclasses import dataclass

from stepchange.accounts.models import Role, User
from stepchange.core.models import Region
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Organisation, Sector
from tests.factories import PASSWORD, NewCommissionerFactory, NewOrganisationFactory, RegionFactory, persona

__all__ = ["PASSWORD", "Cast", "build_cast"]  # PASSWORD: every test that signs in types it


@dataclass
class Cast:
    region: Region
    other_region: Region
    sypa: Commissioner
    wypa: Commissioner
    leeds: Commissioner
    regional_team: Commissioner
    charity: Organisation
    company: Organisation
    alice: User
    bob: User
    carol: User
    dave: User
    erin: User
    frank: User
    grace: User
    heidi: User
    root: User
    nadia: User

    def everyone(self) -> dict[str, User | None]:
        return {
            "signed out": None,
            "alice": self.alice,
            "bob": self.bob,
            "carol": self.carol,
            "dave": self.dave,
            "erin": self.erin,
            "frank": self.frank,
            "grace": self.grace,
            "heidi": self.heidi,
            "root": self.root,
            "nadia": self.nadia,
        }


def build_cast() -> Cast:
    """Into a database without them: each row is made at once, not looked up first."""
    region = RegionFactory.create(code="YH", name="Yorkshire and Humberside")
    other = RegionFactory.create(code="NE", name="North East")
    sypa = NewCommissionerFactory.create(
        code="SYPA", region=region, organisation__name="South Yorkshire Probation Area"
    )
    wypa = NewCommissionerFactory.create(code="WYPA", region=region, organisation__name="West Yorkshire Probation Area")
    leeds = NewCommissionerFactory.create(
        code="LEEDS",
        region=region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation__name="HMP Leeds",
    )
    team = NewCommissionerFactory.create(
        code="ROM-YH",
        region=region,
        kind=CommissionerKind.REGIONAL,
        organisation__name="Regional Offender Manager, Y&H",
    )
    charity = NewOrganisationFactory.create(name="Acorn Housing Trust", sector=Sector.VCS, region=region)
    company = NewOrganisationFactory.create(name="Beacon Services Ltd", sector=Sector.PRIVATE, region=region)

    return Cast(
        region=region,
        other_region=other,
        sypa=sypa,
        wypa=wypa,
        leeds=leeds,
        regional_team=team,
        charity=charity,
        company=company,
        alice=persona("alice", Role.REGIONAL_COMMISSIONER, new=True, organisation=team.organisation, region=region),
        bob=persona("bob", Role.PROBATION_MANAGER, new=True, organisation=sypa.organisation),
        carol=persona("carol", Role.PROBATION_MANAGER, new=True, organisation=wypa.organisation),
        dave=persona("dave", Role.PROVIDER, new=True, organisation=charity, is_organisation_admin=True),
        erin=persona("erin", Role.PROVIDER, new=True, organisation=company),
        frank=persona("frank", Role.PRISON_COORDINATOR, new=True, organisation=leeds.organisation),
        grace=persona("grace", Role.AREA_ANALYST, new=True, region=region),
        heidi=persona("heidi", Role.EVALUATOR, new=True, region=region),
        root=persona("root", Role.REGIONAL_COMMISSIONER, new=True, is_superuser=True, is_staff=True),
        nadia=persona("nadia", Role.NATIONAL_ADMIN, new=True),
    )
