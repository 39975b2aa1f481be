"""The people every access test signs in as, each owning some things and not others.

Alice is the regional commissioner of Yorkshire and Humberside. Bob manages South Yorkshire
probation's contracts, Carol West Yorkshire's. Dave works for a charity (and administers its
people), Erin for a private provider. Frank is the VCS co-ordinator at HMP Leeds, Grace the area
office analyst, Heidi an evaluator, Nadia the national administrator (targets and pathways, no
region), Root a Django superuser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stepchange.accounts.models import Role, User
from stepchange.core.models import Region
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Organisation, Sector
from tests.factories import (
    PASSWORD,
    CommissionerFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    made_together,
)

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
    """Into a database without them, so each model's rows are made in one statement (every test
    that takes the cast pays for it: 31 statements one row at a time, 91 with a look-up first)."""
    region = RegionFactory.create(code="YH", name="Yorkshire and Humberside")
    other = RegionFactory.create(code="NE", name="North East")
    charity = OrganisationFactory.build(name="Acorn Housing Trust", sector=Sector.VCS, region=region)
    company = OrganisationFactory.build(name="Beacon Services Ltd", sector=Sector.PRIVATE, region=region)
    bodies = {
        code: OrganisationFactory.build(name=name, sector=Sector.PUBLIC)
        for code, name in (
            ("SYPA", "South Yorkshire Probation Area"),
            ("WYPA", "West Yorkshire Probation Area"),
            ("LEEDS", "HMP Leeds"),
            ("ROM-YH", "Regional Offender Manager, Y&H"),
        )
    }
    made_together(charity, company, *bodies.values())
    sypa = CommissionerFactory.build(code="SYPA", region=region, organisation=bodies["SYPA"])
    wypa = CommissionerFactory.build(code="WYPA", region=region, organisation=bodies["WYPA"])
    leeds = CommissionerFactory.build(
        code="LEEDS",
        region=region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation=bodies["LEEDS"],
    )
    team = CommissionerFactory.build(
        code="ROM-YH", region=region, kind=CommissionerKind.REGIONAL, organisation=bodies["ROM-YH"]
    )
    made_together(sypa, wypa, leeds, team)
    people: dict[str, tuple[str, dict[str, Any]]] = {
        "alice": (Role.REGIONAL_COMMISSIONER, {"organisation": team.organisation, "region": region}),
        "bob": (Role.PROBATION_MANAGER, {"organisation": sypa.organisation}),
        "carol": (Role.PROBATION_MANAGER, {"organisation": wypa.organisation}),
        "dave": (Role.PROVIDER, {"organisation": charity, "is_organisation_admin": True}),
        "erin": (Role.PROVIDER, {"organisation": company}),
        "frank": (Role.PRISON_COORDINATOR, {"organisation": leeds.organisation}),
        "grace": (Role.AREA_ANALYST, {"region": region}),
        "heidi": (Role.EVALUATOR, {"region": region}),
        "root": (Role.REGIONAL_COMMISSIONER, {"is_superuser": True, "is_staff": True}),
        "nadia": (Role.NATIONAL_ADMIN, {}),
    }
    users = {
        name: UserFactory.build(username=name, role=role, password=PASSWORD, **extra)
        for name, (role, extra) in people.items()
    }
    made_together(*users.values())
    return Cast(
        region=region,
        other_region=other,
        sypa=sypa,
        wypa=wypa,
        leeds=leeds,
        regional_team=team,
        charity=charity,
        company=company,
        **users,
    )
