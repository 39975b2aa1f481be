"""Every builder of test data, in one place: a factory for each model the tests build (a test names
only what matters to it), the people of the cast, and the rows the stories build through the
service's own functions (returns rounds opened, returns filled and approved, the hand-worked region
of the reports). tests/personas.py and tests/access/world.py compose these into the cast and the
access tests' world; fixtures that hand them to tests live in the conftest.py files."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import factory
from django.utils import timezone

from stepchange.accounts.models import Invitation, Role, User
from stepchange.accounts.tokens import token_hash
from stepchange.bulletins.models import Subscriber
from stepchange.capacity.models import Attendance, Event, EventKind, Session
from stepchange.commissioning.models import Bid, BiddingPartnership, Opportunity, PartnershipMember, Stage
from stepchange.consortia.models import Consortium, ConsortiumMember
from stepchange.contracts.models import Contract, FundingSource, MainGrant, SubContract, Target
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.funding.models import FundingStream, GrantApplication, GrantsRound, HelpedBid
from stepchange.organisations.models import (
    Commissioner,
    CommissionerKind,
    Operator,
    Organisation,
    ProfileChangeRequest,
    Sector,
)
from stepchange.reports.models import Measure, PublishedFigure
from stepchange.returns import services as returns_services
from stepchange.returns.models import CoordinatorPost, PrisonReturn, ProbationReturn, ReturnKind, ReturnRound
from stepchange.returns.selectors import prison_pathways

if TYPE_CHECKING:
    from tests.personas import Cast

# Every person of the cast signs in with this password.
PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    holds_contracts = True


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.VCS


class CommissionerFactory(factory.django.DjangoModelFactory[Commissioner]):
    class Meta:
        model = Commissioner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PA{n}")
    organisation = factory.SubFactory(
        OrganisationFactory,
        name=factory.LazyAttribute(lambda o: f"{o.factory_parent.code} Probation Area"),
        sector=Sector.PUBLIC,
    )
    kind = CommissionerKind.PROBATION
    region = factory.SubFactory(RegionFactory)
    operator = ""


def year(name: str = "2006-07") -> FinancialYear:
    return FinancialYear.objects.get(name=name)


class MainGrantFactory(factory.django.DjangoModelFactory[MainGrant]):
    class Meta:
        model = MainGrant

    commissioner = factory.SubFactory(CommissionerFactory)
    year = factory.LazyFunction(year)
    final = Decimal("1000000.00")


class TargetFactory(factory.django.DjangoModelFactory[Target]):
    class Meta:
        model = Target
        django_get_or_create = ("commissioner_kind", "year")

    commissioner_kind = CommissionerKind.PROBATION
    year = factory.LazyFunction(year)
    percentage = Decimal("5.00")


class ContractFactory(factory.django.DjangoModelFactory[Contract]):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"C-{n:05d}")
    title = factory.Sequence(lambda n: f"Service {n}")
    commissioner = factory.SubFactory(CommissionerFactory)
    prime = factory.SubFactory(OrganisationFactory)
    annual_value = Decimal("10000.00")
    start = datetime.date(2006, 4, 1)
    end = None
    funding_source = FundingSource.MAIN_GRANT

    @factory.post_generation
    def pathways(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.pathways.set(Pathway.objects.filter(code__in=extracted))


class OpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    """An opportunity as the bulletins see it: published a day ago unless told (no stages: the
    commissioning stories build theirs through the services)."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"opp-{n}")
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "A service for people on probation."
    commissioner = factory.SubFactory(CommissionerFactory)
    estimated_value = Decimal("50000.00")
    duration_months = 12
    contract_start = datetime.date(2007, 4, 1)
    funding_source = FundingSource.MAIN_GRANT
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def pathways(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.pathways.set(Pathway.objects.filter(code__in=extracted))

    @factory.post_generation
    def areas(self, create: bool, extracted: list[Commissioner] | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)


class SubscriberFactory(factory.django.DjangoModelFactory[Subscriber]):
    """A confirmed subscriber to every kind of item, every pathway and area, alerts included,
    unless told."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    kinds = factory.LazyFunction(lambda: ["opportunities"])
    token = factory.Sequence(lambda n: f"token-{n:04d}-" + "x" * 30)
    confirm_nonce = factory.Sequence(lambda n: f"nonce{n}")
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def pathways(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.pathways.set(Pathway.objects.filter(code__in=extracted))

    @factory.post_generation
    def areas(self, create: bool, extracted: list[Commissioner] | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)


class SubContractFactory(factory.django.DjangoModelFactory[SubContract]):
    class Meta:
        model = SubContract

    contract = factory.SubFactory(ContractFactory)
    partner = factory.SubFactory(OrganisationFactory)
    value = Decimal("1000.00")


class ProbationReturnFactory(factory.django.DjangoModelFactory[ProbationReturn]):
    class Meta:
        model = ProbationReturn

    commissioner = factory.SubFactory(CommissionerFactory)
    as_at = datetime.date(2006, 4, 1)
    # A return date as the reports read it: approved (a round's return starts as a draft).
    approved_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.PROVIDER
    password = factory.django.Password(PASSWORD)


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    region = factory.SubFactory(RegionFactory)
    kind = EventKind.TRAINING
    title = factory.Sequence(lambda n: f"Event {n}")
    organiser = factory.SubFactory(UserFactory, role=Role.REGIONAL_COMMISSIONER)
    capacity = 20
    created_at = factory.LazyFunction(timezone.now)


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    date = datetime.date(2006, 6, 15)
    place = "Leeds"


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    """Someone from ``organisation`` who came to ``session``, recorded by name."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Delegate {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    organisation_name = factory.LazyAttribute(lambda a: a.organisation.name if a.organisation else "")
    sector = factory.LazyAttribute(lambda a: a.organisation.sector if a.organisation else Sector.VCS)
    recorded_by = factory.LazyAttribute(lambda a: a.session.event.organiser)
    recorded_at = factory.LazyFunction(timezone.now)


class StageFactory(factory.django.DjangoModelFactory[Stage]):
    class Meta:
        model = Stage

    opportunity = factory.SubFactory(OpportunityFactory)
    number = 1
    name = "Full bid"
    deadline = factory.LazyFunction(timezone.now)


class BiddingPartnershipFactory(factory.django.DjangoModelFactory[BiddingPartnership]):
    class Meta:
        model = BiddingPartnership

    opportunity = factory.SubFactory(OpportunityFactory)
    name = factory.Sequence(lambda n: f"Partnership {n}")
    lead = factory.SubFactory(OrganisationFactory)
    created_at = factory.LazyFunction(timezone.now)


class PartnershipMemberFactory(factory.django.DjangoModelFactory[PartnershipMember]):
    """A confirmed member (the lead's own membership too is a member row)."""

    class Meta:
        model = PartnershipMember
        skip_postgeneration_save = True

    partnership = factory.SubFactory(BiddingPartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Delivery partner"
    share = Decimal("50.00")
    invited_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class BidFactory(factory.django.DjangoModelFactory[Bid]):
    """A submitted bid (its sealed content is not built: these tests count bids, never open them)."""

    class Meta:
        model = Bid

    partnership = factory.SubFactory(BiddingPartnershipFactory)
    stage = factory.SubFactory(StageFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)


class PublishedFigureFactory(factory.django.DjangoModelFactory[PublishedFigure]):
    """A share of main grant as printed in the Step Change report at 1 October 2006; a test names
    where it is of (a region, a commissioner or a label) and its value."""

    class Meta:
        model = PublishedFigure

    measure = Measure.SHARE_PCT
    as_at = datetime.date(2006, 10, 1)
    value = Decimal("3.4")
    printed = factory.LazyAttribute(lambda f: str(f.value))
    source = "Step Change final report, table 5"


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    """An invitation sent now, open for seven days, whose link's token is ``token``."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    token = factory.Sequence(lambda n: f"invitation-{n}")
    user = factory.SubFactory("tests.factories.UserFactory")
    email = factory.LazyAttribute(lambda i: i.user.email)
    token_hash = factory.LazyAttribute(lambda i: token_hash(i.token))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda i: i.sent_at + datetime.timedelta(days=7))


class ProfileChangeRequestFactory(factory.django.DjangoModelFactory[ProfileChangeRequest]):
    """A pending request to make an organisation BME-led, with a line of plain-text evidence."""

    class Meta:
        model = ProfileChangeRequest

    organisation = factory.SubFactory(OrganisationFactory)
    changes = factory.LazyFunction(lambda: {"bme_led": True})
    reason = "Our board changed."
    evidence_name = "minutes.txt"
    evidence_format = "text"
    evidence_content_type = "text/plain; charset=utf-8"
    evidence = b"The board elected ...\n"
    evidence_size = 22
    requested_by = factory.SubFactory("tests.factories.UserFactory")
    requested_at = factory.LazyFunction(timezone.now)


class FundingStreamFactory(factory.django.DjangoModelFactory[FundingStream]):
    class Meta:
        model = FundingStream

    region = factory.SubFactory(RegionFactory)
    funder = "The Tudor Trust"
    programme = factory.Sequence(lambda n: f"Grants programme {n}")
    deadline = datetime.date(2006, 11, 30)
    amount_min = Decimal("5000.00")
    amount_max = Decimal("40000.00")
    eligibility = "Registered charities working with offenders and their families."


class HelpedBidFactory(factory.django.DjangoModelFactory[HelpedBid]):
    class Meta:
        model = HelpedBid

    organisation = factory.SubFactory(OrganisationFactory)
    stream = factory.SubFactory(FundingStreamFactory)
    submitted_on = datetime.date(2006, 10, 2)
    amount_asked = Decimal("10000.00")
    helped_by = "Step Change development manager"
    recorded_by = factory.SubFactory(UserFactory)


class GrantsRoundFactory(factory.django.DjangoModelFactory[GrantsRound]):
    class Meta:
        model = GrantsRound

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Small grants round {n}")
    budget = Decimal("20000.00")
    max_award = Decimal("5000.00")
    opens_on = datetime.date(2006, 7, 1)
    closes_on = datetime.date(2006, 7, 31)
    decisions_by = datetime.date(2006, 8, 31)
    criteria = "Work with offenders in the region; a clear plan; value for money."


class GrantApplicationFactory(factory.django.DjangoModelFactory[GrantApplication]):
    """An application as its organisation's people leave it: a draft unless ``status`` says otherwise."""

    class Meta:
        model = GrantApplication

    round = factory.SubFactory(GrantsRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    project_title = factory.Sequence(lambda n: f"Project {n}")
    summary = "Mentoring for people leaving prison."
    amount_requested = Decimal("4000.00")
    start_on = datetime.date(2006, 9, 1)
    end_on = datetime.date(2007, 3, 31)
    created_by = factory.SubFactory(UserFactory)


def made_together(*objects: Any) -> None:
    """Save built objects of one model (``XFactory.build(...)``) in one statement: rows that are
    not there yet (the cast's), each given its primary key."""
    if objects:
        type(objects[0]).objects.bulk_create(objects)


def persona(username: str, role: str, **extra: object) -> User:
    """A person of the cast (tests/personas.py, the North East's in tests/access/world.py)."""
    return UserFactory.create(username=username, role=role, password=PASSWORD, **extra)


def year_0607() -> FinancialYear:
    return year("2006-07")


def open_prison_round(cast: Cast, quarter: int = 1, **extra: Any) -> ReturnRound:
    starts = {1: (7, 1), 2: (10, 1), 3: (1, 1), 4: (4, 1)}
    month, day = starts[quarter]
    first = datetime.date(2006 if quarter < 3 else 2007, month, day)
    values: dict[str, Any] = {
        "opens_on": first,
        "deadline": first + datetime.timedelta(days=30),
        "commissioners": [cast.leeds],
    }
    values.update(extra)
    return returns_services.round_open(
        actor=cast.grace, region=cast.region, kind=ReturnKind.PRISON, year=year_0607(), quarter=quarter, **values
    )


def fill_prison_return(
    prison_return: PrisonReturn,
    actor: Any,
    figures: dict[str, tuple[int, int, int, Decimal | None]] | None = None,
    post: str = CoordinatorPost.FULL_TIME,
) -> PrisonReturn:
    """Every pathway asked of prisons saved (zeros unless ``figures`` says otherwise) and the co-ordinator post answered."""
    figures = figures or {}
    for pathway in prison_pathways(prison_return):
        running, started, ended, spend = figures.get(pathway.code, (0, 0, 0, None))
        prison_return.refresh_from_db()
        returns_services.prison_line_save(
            actor=actor,
            prison_return=prison_return,
            expected_version=prison_return.version,
            pathway=pathway,
            organisations=[],
            proposed=[],
            services_running=running,
            services_started=started,
            services_ended=ended,
            spend=spend,
        )
    prison_return.refresh_from_db()
    returns_services.coordinator_post_save(
        actor=actor,
        prison_return=prison_return,
        expected_version=prison_return.version,
        post=post,
        fte=Decimal("0.5") if post == CoordinatorPost.PART_TIME else None,
    )
    prison_return.refresh_from_db()
    return prison_return


def approve(cast: Cast, prison_return: PrisonReturn) -> None:
    """Frank submits a prison return and Grace approves it."""
    returns_services.return_submit(actor=cast.frank, the_return=prison_return, expected_version=prison_return.version)
    returns_services.return_approve(actor=cast.grace, the_return=prison_return, expected_version=prison_return.version)


def open_q1(cast: Cast) -> ReturnRound:
    """South Yorkshire's probation return round for the first quarter of 2006-07, opened by Alice."""
    return returns_services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa],
        opens_on=datetime.date(2006, 7, 1),
        deadline=datetime.date(2006, 7, 31),
    )


def hand_worked_region(cast: Cast) -> Region:
    """South Yorkshire's share of main grant, worked by hand in tests/reports/test_probation_share.py:
    grants, the target, and the contracts counted and not counted on 1 October 2006."""
    sy = cast.sypa
    MainGrantFactory.create(commissioner=sy, indicative=Decimal("1900000"), final=Decimal("2000000"))
    MainGrantFactory.create(commissioner=cast.wypa, indicative=Decimal("4000000"), final=None)
    TargetFactory.create(percentage=Decimal("5"))
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    private = OrganisationFactory.create(name="Beacon", sector=Sector.PRIVATE)
    public = OrganisationFactory.create(name="Council", sector=Sector.PUBLIC)
    ContractFactory.create(commissioner=sy, prime=vcs, annual_value=Decimal("30000"), start=datetime.date(2006, 1, 1))
    later = ContractFactory.create(
        commissioner=sy, prime=private, annual_value=Decimal("20000"), start=datetime.date(2006, 6, 1)
    )
    SubContractFactory.create(contract=later, partner=vcs, value=Decimal("5000"))
    ContractFactory.create(commissioner=sy, prime=public, annual_value=Decimal("40000"))
    ContractFactory.create(
        commissioner=sy,
        prime=vcs,
        annual_value=Decimal("50000"),
        funding_source=FundingSource.NEW_INVESTMENT,
        funder="TWP",
    )
    ContractFactory.create(commissioner=sy, prime=vcs, annual_value=Decimal("7000"), end=datetime.date(2006, 9, 30))
    prison = CommissionerFactory.create(
        code="HMPX", region=cast.region, kind=CommissionerKind.PRISON, operator=Operator.PUBLIC
    )
    ContractFactory.create(commissioner=prison, prime=vcs, annual_value=Decimal("9000"))
    # West Yorkshire: £60,000 on an indicative grant of £4,000,000 = 1.5%
    ContractFactory.create(
        commissioner=cast.wypa, prime=vcs, annual_value=Decimal("60000"), start=datetime.date(2006, 1, 1)
    )
    return cast.region


# When the returns stories start: the fixed clock (the ``clock`` fixture) reads this until a story moves it.
STORY_STARTS = datetime.datetime(2006, 7, 3, 10, tzinfo=datetime.UTC)


class Clock:
    """timezone.now() for the services, moved by the story."""

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def set(self, day: datetime.date, hour: int = 10) -> None:
        self.now = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)

    def today(self) -> datetime.date:
        return self.now.date()


def two_quarters_of_returns(cast: Cast) -> Commissioner:
    """Leeds approved in Q1 and Q2; Hull submitted but not approved in Q1, approved in Q2. Returns HMP Hull."""
    hull = CommissionerFactory.create(
        code="HULL",
        region=cast.region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation__name="HMP Hull",
    )
    q1 = open_prison_round(cast, quarter=1, commissioners=[cast.leeds, hull])
    leeds_q1 = fill_prison_return(
        PrisonReturn.objects.get(round=q1, commissioner=cast.leeds),
        cast.frank,
        {"ete": (3, 1, 0, Decimal("200.00")), "health": (2, 2, 0, None)},
    )
    approve(cast, leeds_q1)
    hull_q1 = fill_prison_return(
        PrisonReturn.objects.get(round=q1, commissioner=hull), cast.frank, {"ete": (5, 0, 0, Decimal("999.00"))}
    )
    returns_services.return_submit(actor=cast.frank, the_return=hull_q1, expected_version=hull_q1.version)

    q2 = open_prison_round(cast, quarter=2, commissioners=[cast.leeds, hull])
    approve(
        cast,
        fill_prison_return(
            PrisonReturn.objects.get(round=q2, commissioner=cast.leeds),
            cast.frank,
            {"ete": (4, 1, 0, None), "health": (2, 0, 0, None)},
        ),
    )
    approve(
        cast,
        fill_prison_return(
            PrisonReturn.objects.get(round=q2, commissioner=hull),
            cast.frank,
            {"ete": (6, 2, 0, None), "accommodation": (1, 1, 0, None)},
            post=CoordinatorPost.PART_TIME,
        ),
    )
    return hull


class ConsortiumFactory(factory.django.DjangoModelFactory[Consortium]):
    class Meta:
        model = Consortium

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Consortium {n}")
    created_at = factory.LazyFunction(timezone.now)


class ConsortiumMemberFactory(factory.django.DjangoModelFactory[ConsortiumMember]):
    """A current member, joined on 1 April 2006."""

    class Meta:
        model = ConsortiumMember

    consortium = factory.SubFactory(ConsortiumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Member"
    joined_on = datetime.date(2006, 4, 1)
