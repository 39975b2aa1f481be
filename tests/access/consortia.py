"""The access world's consortium: a standing consortium of Yorkshire and Humberside, Acorn (Dave's
charity) its lead member and Calder Mentoring a member."""

from __future__ import annotations

from dataclasses import dataclass

from stepchange.consortia.models import Consortium, ConsortiumMember
from stepchange.organisations.models import Organisation
from tests.factories import ConsortiumFactory, ConsortiumMemberFactory
from tests.personas import Cast


@dataclass
class Consortia:
    consortium: Consortium
    member: ConsortiumMember  # Calder's membership, not a lead


def build_consortia(cast: Cast, calder: Organisation) -> Consortia:
    consortium = ConsortiumFactory.create(region=cast.region, name="Yorkshire Resettlement Consortium")
    ConsortiumMemberFactory.create(consortium=consortium, organisation=cast.charity, role="Lead, housing", is_lead=True)
    member = ConsortiumMemberFactory.create(consortium=consortium, organisation=calder, role="Mentoring")
    return Consortia(consortium=consortium, member=member)
