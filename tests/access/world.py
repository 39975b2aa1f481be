"""The small world every access test runs in: the cast, and things each of them owns or does not.

Contracts (references are distinctive so that a leak is easy to find in any response body):
  SY-ACORN-7301   South Yorkshire, held by Acorn Housing Trust (Dave's charity); Calder
                  Mentoring sub-contracts on it
  WY-BEACON-7302  West Yorkshire, held by Beacon Services Ltd (Erin's company); Acorn (Dave's
                  charity) sub-contracts on it
  WY-PUBLIC-7303  West Yorkshire, held by Calder Mentoring, published
  LEEDS-CALDER-7304  HMP Leeds (a prison), held by Calder Mentoring
  NE-TYNE-7305    North East probation, another region, held by Tyne Outreach (Nora's charity)
  DURHAM-TYNE-7306  HMP Durham (a North East prison), held by Tyne Outreach

Beside them: main grants of SYPA, WYPA and the North East area for 2006-07, the 2006-07 probation
target, published figures of the North East, of SYPA and of the nation, and a probation return date
of SYPA.

The second region, the North East, has a cast of its own (see ``NorthEast``): Nick its regional
commissioner, Olga the North East probation area's contracts manager, Pat the VCS co-ordinator at
HMP Durham, Nora a provider (Tyne Outreach), Quinn an evaluator and Rita the area office analyst.
Each owns things of the North East, and none of Yorkshire and Humberside's; Alice owns none of theirs.
The North East's probation area, prison and regional team are set up through the service, as a
regional commissioner sets up a new region (``organisations.services.commissioner_create``).

Two more regions, with nobody of their own: the East Midlands, added to the service by Nadia
(``manage.region_setup.region_create``) and waiting for its first regional commissioner, and
London, known only from published figures.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

from stepchange.accounts.models import Role, User
from stepchange.burden.models import MonitoringRequest
from stepchange.contracts.models import Contract, MainGrant, SubContract, Target
from stepchange.core.models import Pathway, Region
from stepchange.manage.region_setup import region_create
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Organisation, Sector
from stepchange.organisations.services import commissioner_create
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import ProbationReturn
from tests.access.burden import build_burden
from tests.access.consortia import Consortia, build_consortia
from tests.access.documents import Documents, build_documents
from tests.access.engagement import Engagement, build_engagement
from tests.access.events import Events, build_events
from tests.access.governance import Governance, build_governance
from tests.access.packs import Packs, build_packs
from tests.access.plans import Plans, build_plans
from tests.access.rounds import Rounds, build_rounds
from tests.access.tenders import Tenders, build_tenders
from tests.conftest import signed_in
from tests.factories import (
    ContractFactory,
    InvitationFactory,
    MainGrantFactory,
    OrganisationFactory,
    ProbationReturnFactory,
    PublishedFigureFactory,
    RegionFactory,
    SubContractFactory,
    TargetFactory,
    UserFactory,
    persona,
)
from tests.personas import Cast, build_cast

# One line a persona. Yorkshire and Humberside's (tests/personas.py), then the North East's (below).
PERSONAS = (
    "signed out",
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "root",
    "nick",
    "olga",
    "pat",
    "nora",
    "quinn",
    "rita",
    "nadia",
)

SY = "SY-ACORN-7301"
WY = "WY-BEACON-7302"
PUB = "WY-PUBLIC-7303"
LEEDS = "LEEDS-CALDER-7304"
NE = "NE-TYNE-7305"
DURHAM = "DURHAM-TYNE-7306"
REFERENCES = (SY, WY, PUB, LEEDS, NE, DURHAM)

# Who sees which contract, written out from the "Who does what" rules (docs/access.md) and the
# docstring of contracts/access.py, not computed from them:
#   published contracts are everyone's; Alice sees her region's; Bob and Carol their own area's;
#   Dave what his charity holds or sub-contracts on; Erin what her company holds; Frank his
#   prison's; Grace the prisons' of her region; Heidi (an evaluator) and Nadia (the national
#   administrator) only what is published;
#   Root everything. The North East's cast likewise, in their own region: Nick sees its contracts,
#   Olga her area's, Pat his prison's, Rita the region's prisons', Nora what Tyne Outreach holds.
VISIBLE: dict[str, set[str]] = {
    "signed out": {PUB},
    "alice": {SY, WY, PUB, LEEDS},
    "bob": {SY, PUB},
    "carol": {WY, PUB},
    "dave": {SY, WY, PUB},
    "erin": {WY, PUB},
    "frank": {LEEDS, PUB},
    "grace": {LEEDS, PUB},
    "heidi": {PUB},
    "root": {SY, WY, PUB, LEEDS, NE, DURHAM},
    "nick": {NE, DURHAM, PUB},
    "olga": {NE, PUB},
    "pat": {DURHAM, PUB},
    "nora": {NE, DURHAM, PUB},
    "quinn": {PUB},
    "rita": {DURHAM, PUB},
    "nadia": {PUB},
}
# Who may change which contract: the commissioners they manage (Alice: every commissioner of
# her region, prisons included; Bob and Carol: their own probation area).
EDITABLE: dict[str, set[str]] = {
    "signed out": set(),
    "alice": {SY, WY, PUB, LEEDS},
    "bob": {SY},
    "carol": {WY, PUB},
    "dave": set(),
    "erin": set(),
    "frank": set(),
    "grace": set(),
    "heidi": set(),
    "root": {SY, WY, PUB, LEEDS, NE, DURHAM},
    "nick": {NE, DURHAM},
    "olga": {NE},
    "pat": set(),
    "nora": set(),
    "quinn": set(),
    "rita": set(),
    "nadia": set(),
}


@dataclass
class NorthEast:
    """The second region's commissioners and cast."""

    team: Commissioner  # the North East's regional offender manager
    probation: Commissioner  # NEPA
    durham: Commissioner  # HMP Durham
    nick: User
    olga: User
    pat: User
    nora: User
    quinn: User
    rita: User

    def everyone(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in ("nick", "olga", "pat", "nora", "quinn", "rita")}


def build_north_east(region: Region, tyne: Organisation, *, set_up_by: User) -> NorthEast:
    def set_up(code: str, kind: str, name: str, **prison: str) -> Commissioner:
        return commissioner_create(actor=set_up_by, region=region, kind=kind, code=code, name=name, **prison)

    probation = set_up("NEPA", CommissionerKind.PROBATION, "North East Probation Area")
    durham = set_up("DURH", CommissionerKind.PRISON, "HMP Durham", operator=Operator.PUBLIC)
    team = set_up("ROM-NE", CommissionerKind.REGIONAL, "Regional Offender Manager, NE")

    return NorthEast(
        team=team,
        probation=probation,
        durham=durham,
        nick=persona("nick", Role.REGIONAL_COMMISSIONER, organisation=team.organisation, region=region),
        olga=persona("olga", Role.PROBATION_MANAGER, organisation=probation.organisation),
        pat=persona("pat", Role.PRISON_COORDINATOR, organisation=durham.organisation),
        nora=persona("nora", Role.PROVIDER, organisation=tyne, region=region),
        quinn=persona("quinn", Role.EVALUATOR, region=region),
        rita=persona("rita", Role.AREA_ANALYST, region=region),
    )


@dataclass
class World:
    cast: Cast
    contracts: dict[str, Contract]
    subs: dict[str, SubContract]  # by the reference of the contract they are on
    calder: Organisation
    tyne: Organisation
    north_east: Commissioner  # NEPA, the North East's probation area
    north: NorthEast
    grants: dict[str, MainGrant]  # by commissioner code
    target: Target
    pathway: Pathway
    figure: PublishedFigure
    probation_return: ProbationReturn
    # Invited, not yet accepted: Ivy by Dave to his charity, Pia by Alice to South Yorkshire probation.
    ivy: User
    pia: User
    sypa_figure: PublishedFigure
    national_figure: PublishedFigure
    east_midlands: Region  # on the service, no regional commissioner yet
    london: Region  # published figures only
    # Built on first use: only the commissioning and returns pages need them.
    _tenders: Tenders | None = field(default=None, repr=False)
    _rounds: Rounds | None = field(default=None, repr=False)
    _documents: Documents | None = field(default=None, repr=False)
    _events: Events | None = field(default=None, repr=False)
    _consortia: Consortia | None = field(default=None, repr=False)
    _plans: Plans | None = field(default=None, repr=False)
    _governance: Governance | None = field(default=None, repr=False)
    _engagement: Engagement | None = field(default=None, repr=False)
    _packs: Packs | None = field(default=None, repr=False)
    _monitoring: MonitoringRequest | None = field(default=None, repr=False)
    # Each persona's session key, kept by ``sign_everyone_in``.
    _sessions: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def nora(self) -> User:
        return self.north.nora

    def user(self, persona: str) -> User | None:
        return {**self.cast.everyone(), **self.north.everyone()}[persona]

    def sign_everyone_in(self) -> None:
        """Sign every persona in now and keep the sessions, for ``client``. For a world built once
        a module: its tests then share seventeen sign-ins rather than make seventeen each (a sixth
        less CPU for the access matrix, docs/testing.md). Each test runs in a savepoint, so what a
        request does to its session (signing out deletes it) is undone when the test ends."""
        for name in PERSONAS:
            user = self.user(name)
            if user is not None:
                self._sessions[name] = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, persona: str) -> Client:
        """A fresh client signed in as the persona (signed out for "signed out"): with the session
        kept by ``sign_everyone_in`` where there is one, signed in now otherwise."""
        if persona not in self._sessions:
            return signed_in(self.user(persona))
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[persona]
        return client

    @property
    def tenders(self) -> Tenders:
        if self._tenders is None:
            cast = self.cast
            self._tenders = build_tenders(
                regional=cast.regional_team,
                sypa=cast.sypa,
                wypa=cast.wypa,
                acorn=cast.charity,
                beacon=cast.company,
                calder=self.calder,
                tyne=self.tyne,
                heidi=cast.heidi,
                dave=cast.dave,
                erin=cast.erin,
                north=self.north,
            )
        return self._tenders

    @property
    def documents(self) -> Documents:
        """The documents of tests/access/documents.py (the tenders first)."""
        if self._documents is None:
            self._documents = build_documents(self.tenders, sypa=self.cast.sypa)
        return self._documents

    @property
    def events(self) -> Events:
        """The capacity-building events of tests/access/events.py."""
        if self._events is None:
            self._events = build_events(self.cast)
        return self._events

    @property
    def consortia(self) -> Consortia:
        """The standing consortium of tests/access/consortia.py."""
        if self._consortia is None:
            self._consortia = build_consortia(self.cast, self.calder)
        return self._consortia

    @property
    def plans(self) -> Plans:
        """The sub-contracting plans of tests/access/plans.py."""
        if self._plans is None:
            self._plans = build_plans(self.cast, self.north_east)
        return self._plans

    @property
    def governance(self) -> Governance:
        """The action plan and groups of tests/access/governance.py."""
        if self._governance is None:
            self._governance = build_governance(self.cast)
        return self._governance

    @property
    def engagement(self) -> Engagement:
        """The community-engagement records of tests/access/engagement.py."""
        if self._engagement is None:
            self._engagement = build_engagement(self.cast, self.north.durham)
        return self._engagement

    @property
    def packs(self) -> Packs:
        """The steering group packs of tests/access/packs.py."""
        if self._packs is None:
            self._packs = build_packs(self.cast)
        return self._packs

    @property
    def monitoring(self) -> MonitoringRequest:
        """The unanswered monitoring request of tests/access/burden.py, on Acorn's contract SY."""
        if self._monitoring is None:
            self._monitoring = build_burden(self.cast, self.contracts[SY])
        return self._monitoring

    @property
    def rounds(self) -> Rounds:
        if self._rounds is None:
            self._rounds = build_rounds(self)
        return self._rounds


def build_world() -> World:
    cast = build_cast()
    calder = OrganisationFactory.create(name="Calder Mentoring", sector=Sector.VCS, region=cast.region)
    tyne = OrganisationFactory.create(name="Tyne Outreach", sector=Sector.VCS, region=cast.other_region)
    north = build_north_east(cast.other_region, tyne, set_up_by=cast.root)
    north_east = north.probation

    def contract(reference: str, commissioner: Commissioner, prime: Organisation, **extra: object) -> Contract:
        return ContractFactory.create(
            reference=reference,
            title=f"Service under {reference}",
            commissioner=commissioner,
            prime=prime,
            annual_value=Decimal("12345.67"),
            pathways=["accommodation"],
            **extra,
        )

    contracts = {
        SY: contract(SY, cast.sypa, cast.charity),
        WY: contract(WY, cast.wypa, cast.company),
        PUB: contract(PUB, cast.wypa, calder, published=True),
        LEEDS: contract(LEEDS, cast.leeds, calder),
        NE: contract(NE, north_east, tyne),
        DURHAM: contract(DURHAM, north.durham, tyne),
    }
    subs = {
        SY: SubContractFactory.create(contract=contracts[SY], partner=calder, value=Decimal("1000.00")),
        WY: SubContractFactory.create(contract=contracts[WY], partner=cast.charity, value=Decimal("5000.00")),
    }
    grants = {
        "SYPA": MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("19300000.00")),
        "WYPA": MainGrantFactory.create(commissioner=cast.wypa, final=Decimal("30800000.00")),
        "NEPA": MainGrantFactory.create(commissioner=north_east, final=Decimal("11100000.00")),
    }
    figure = PublishedFigureFactory.create(region=cast.other_region, value=Decimal("3.4"))
    sypa_figure = PublishedFigureFactory.create(
        commissioner=cast.sypa, value=Decimal("3.3"), source="Step Change final report, para 5.17"
    )
    national_figure = PublishedFigureFactory.create(label="England and Wales", value=Decimal("3.0"))
    return World(
        cast=cast,
        contracts=contracts,
        subs=subs,
        calder=calder,
        tyne=tyne,
        north_east=north_east,
        north=north,
        grants=grants,
        target=TargetFactory.create(),
        pathway=Pathway.objects.get(code="fbd"),
        figure=figure,
        probation_return=ProbationReturnFactory.create(commissioner=cast.sypa, as_at=datetime.date(2006, 10, 1)),
        ivy=_invited("ivy", Role.PROVIDER, cast.charity, sent_by=cast.dave),
        pia=_invited("pia", Role.PROBATION_MANAGER, cast.sypa.organisation, sent_by=cast.alice),
        sypa_figure=sypa_figure,
        national_figure=national_figure,
        east_midlands=region_create(actor=cast.nadia, code="EM", name="East Midlands"),
        london=RegionFactory.create(code="LON", name="London", holds_contracts=False),
    )


def _invited(username: str, role: str, organisation: Organisation, *, sent_by: User) -> User:
    account = UserFactory.create(username=username, role=role, organisation=organisation)
    account.set_unusable_password()
    account.save()
    InvitationFactory.create(user=account, token=f"world-{username}", sent_by=sent_by)
    return account


# Tables a refused request may legitimately write: the session (the time of the last request).
NOT_HASHED = frozenset({"django_session"})


def rows_written() -> int:
    """How many rows this connection has inserted, updated or deleted so far, those of rolled-back
    savepoints included, the sessions' aside where the database counts by table: SQLite's count of
    changes since the connection opened (triggers' too), PostgreSQL's counts of this transaction.
    The same number before and after a request means it wrote no row."""
    if connection.vendor == "sqlite":
        return int(connection.connection.total_changes)
    with connection.cursor() as cursor:
        # The counters pg_stat_xact_user_tables shows, read for the counted tables alone: the view
        # works out a score of other figures for every table, which took twice as long.
        cursor.execute(
            "SELECT coalesce(sum(pg_stat_get_xact_tuples_inserted(t) + pg_stat_get_xact_tuples_updated(t)"
            " + pg_stat_get_xact_tuples_deleted(t)), 0) FROM unnest(%s::oid[]) AS t",
            [_counted_tables(connection.settings_dict["NAME"])],
        )
        return int(cursor.fetchone()[0])


@functools.cache
def _counted_tables(database: str) -> list[int]:
    """The tables of the PostgreSQL database ``rows_written`` adds up, by oid: all but the sessions'."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(array_agg(c.oid), '{}') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname <> ALL(%s)",
            [sorted(NOT_HASHED)],
        )
        return [int(oid) for oid in cursor.fetchone()[0]]


def database_hash() -> dict[str, str]:
    """A digest of each table's rows (every column, rows sorted), the sessions' table aside."""
    digests = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in NOT_HASHED:
                continue
            # Table names come from the database's own catalogue, quoted by its rules.
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def fingerprint() -> tuple[object, ...]:
    """How many rows each of the service's tables holds, and the sum of their edit versions.

    A refused request must leave this exactly as it was: no row added or removed, nothing edited
    (every editable model carries a ``version`` that each service bumps), no audit event written.
    One query, since the matrix takes it around every write it sends.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(cursor.fetchone())


@functools.cache
def _fingerprint_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.app_config.name.startswith("stepchange."):
            continue
        # Table names come from the models, quoted by the database's own rules; nothing from a request.
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
        if any(f.name == "version" for f in model._meta.concrete_fields):
            parts.append(f"(SELECT COALESCE(SUM({quote('version')}), 0) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)
