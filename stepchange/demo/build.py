"""Build the Yorkshire and Humberside region of 2006-07 from the figures the report published.

``load_demo`` is the one entry point. It is idempotent: every row is found by its natural key
(Region.code, Organisation.name, Commissioner.code, Contract.reference, User.username, ...) and
saved only when something differs, so a second run writes nothing, not even an audit event.
Demo contracts whose reference is no longer generated are removed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from base64 import b32encode
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import models, transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepchange.accounts.access import must_use_two_factor
from stepchange.accounts.models import User
from stepchange.contracts.models import Contract, MainGrant, SubContract, Target
from stepchange.core.audit import audit_record, related_names, snapshot
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.core.periods import hold_year_of, year_name_for
from stepchange.core.roles import Role
from stepchange.demo import figures
from stepchange.demo.burden import load_burden
from stepchange.demo.capacity import load_capacity
from stepchange.demo.commissioning import load_commissioning
from stepchange.demo.consortia import load_consortia
from stepchange.demo.contracts import DEMO_PRIVATE_PROVIDERS, DEMO_VCS_PROVIDERS, ContractSpec, all_contracts
from stepchange.demo.engagement import load_engagement
from stepchange.demo.funding import load_funding
from stepchange.demo.governance import load_governance
from stepchange.demo.packs import load_pack
from stepchange.demo.plans import load_plans
from stepchange.demo.returns import approved_when_recorded, load_prison_returns
from stepchange.organisations.models import (
    Commissioner,
    CommissionerKind,
    EstablishmentType,
    Operator,
    Organisation,
    ProfileChangeRequest,
    Sector,
    ServiceOffer,
    SizeBand,
)
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import ProbationReturn

M = TypeVar("M", bound=models.Model)

PASSWORD = "stepchange-demo-2006"  # noqa: S105 -- the demo sign-ins are printed on purpose
ACTION = "load_demo"

# The regions of the national table (para 5.20); Wales is only inside the national aggregate.
REGIONS = (
    ("NE", "North East"),
    ("NW", "North West"),
    ("YH", "Yorkshire and Humberside"),
    ("EM", "East Midlands"),
    ("WM", "West Midlands"),
    ("EE", "East of England"),
    ("LON", "London"),
    ("SE", "South East"),
    ("SW", "South West"),
)

PROBATION_AREAS = (
    ("SYPA", "South Yorkshire Probation Area"),
    ("HYPA", "Humberside Probation Area"),
    ("NYPA", "North Yorkshire Probation Area"),
    ("WYPA", "West Yorkshire Probation Area"),
)
REGIONAL_TEAM = ("ROM-YH", "Regional Offender Manager for Yorkshire and Humberside")
# (code, name, operator)
PRISONS = (
    ("LEEDS", "HMP Leeds", Operator.PUBLIC),
    ("DONCASTER", "HMP & YOI Doncaster", Operator.PRIVATE),
    ("HULL", "HMP Hull", Operator.PUBLIC),
    ("WAKEFIELD", "HMP Wakefield", Operator.PUBLIC),
    ("FULLSUTTON", "HMP Full Sutton", Operator.PUBLIC),
    ("EVERTHORPE", "HMP Everthorpe", Operator.PUBLIC),
    ("WOLDS", "HMP Wolds", Operator.PRIVATE),
    ("MOORLAND", "HMP Moorland", Operator.PUBLIC),
    ("LINDHOLME", "HMP Lindholme", Operator.PUBLIC),
    ("HATFIELD", "HMP Hatfield", Operator.PUBLIC),
    ("ASKHAM", "HMP Askham Grange", Operator.PUBLIC),
    ("NEWHALL", "HMP New Hall", Operator.PUBLIC),
    ("WEALSTUN", "HMP Wealstun", Operator.PUBLIC),
    ("WETHERBY", "HMYOI Wetherby", Operator.PUBLIC),
)
# Each prison's establishment type in 2006-07.
ESTABLISHMENT_TYPES = {
    "LEEDS": EstablishmentType.LOCAL,
    "DONCASTER": EstablishmentType.LOCAL,
    "HULL": EstablishmentType.LOCAL,
    "WAKEFIELD": EstablishmentType.CATEGORY_B,
    "FULLSUTTON": EstablishmentType.CATEGORY_B,
    "EVERTHORPE": EstablishmentType.CATEGORY_C,
    "WOLDS": EstablishmentType.CATEGORY_C,
    "MOORLAND": EstablishmentType.CATEGORY_C,
    "LINDHOLME": EstablishmentType.CATEGORY_C,
    "HATFIELD": EstablishmentType.OPEN,
    "ASKHAM": EstablishmentType.WOMENS,
    "NEWHALL": EstablishmentType.WOMENS,
    "WEALSTUN": EstablishmentType.CATEGORY_C,
    "WETHERBY": EstablishmentType.YOI,
}


@dataclass(frozen=True)
class OrgSpec:
    name: str
    sector: str
    size_band: str = ""
    description: str = ""
    bme_led: bool = False
    women_specific: bool = False
    user_led: bool = False
    infrastructure_body: bool = False
    # Pathways and areas beyond those of the contracts it holds or is sub-contracted on.
    pathways: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    # Services (pathway, probation area) the report places it in, beyond those of its contracts.
    services: tuple[tuple[str, str], ...] = ()


ALL_AREAS = tuple(code for code, _ in PROBATION_AREAS)

# Organisations the report names. Descriptions paraphrase the report.
NAMED_ORGANISATIONS = (
    OrgSpec(
        "Foundation Housing",
        Sector.VCS,
        SizeBand.LARGE,
        "An established supported housing provider in the region; leads the Together Women delivery partnership.",
    ),
    OrgSpec("Shelter", Sector.VCS, SizeBand.MAJOR, "A national homelessness charity."),
    OrgSpec(
        "DISC",
        Sector.VCS,
        SizeBand.LARGE,
        "A North of England information, advice and guidance service addressing barriers to employment for offenders.",
        pathways=("ete",),
        services=tuple(("ete", area) for area in ("SYPA", "HYPA", "NYPA", "WYPA")),
    ),
    OrgSpec(
        "Touchstone",
        Sector.VCS,
        SizeBand.MEDIUM,
        "A Leeds based mental health charity providing a range of mental health services in the community.",
        pathways=("health",),
        services=(("health", "WYPA"),),
    ),
    OrgSpec(
        "Doncaster Women's Centre",
        Sector.VCS,
        SizeBand.SMALL,
        "A community women's centre providing a range of gender specific services.",
        women_specific=True,
        services=(("health", "SYPA"), ("children-families", "SYPA"), ("fbd", "SYPA")),
    ),
    OrgSpec("Nacro", Sector.VCS, SizeBand.MAJOR, "A national crime reduction charity; ran the MOVE project in Leeds."),
    OrgSpec(
        "SOVA",
        Sector.VCS,
        SizeBand.LARGE,
        "Leads the South Yorkshire Offender Partnership and the Women Into Work national delivery partnership.",
    ),
    OrgSpec(
        "Clinks",
        Sector.VCS,
        SizeBand.MEDIUM,
        "A national membership body supporting voluntary and community organisations in the criminal justice system.",
        infrastructure_body=True,
        areas=ALL_AREAS,
    ),
    OrgSpec(
        "Pakistani and Kashmiri Welfare Association",
        Sector.VCS,
        SizeBand.SMALL,
        "Leads a coalition in Kirklees serving the children and families of offenders of south Asian origin.",
        bme_led=True,
        services=(("children-families", "WYPA"),),
    ),
    OrgSpec(
        "Yorkshire and Humber Regional Forum",
        Sector.VCS,
        SizeBand.MEDIUM,
        "The VCS infrastructure support body and regional voice for the sector.",
        infrastructure_body=True,
        areas=ALL_AREAS,
    ),
    OrgSpec(
        "Yorkshire and Humber Regional BME Panel",
        Sector.VCS,
        SizeBand.SMALL,
        "The forum for Black and Minority Ethnic voluntary and community sector organisations in the region.",
        bme_led=True,
        infrastructure_body=True,
        areas=ALL_AREAS,
    ),
    OrgSpec(
        "GSL UK Ltd",
        Sector.PRIVATE,
        SizeBand.MAJOR,
        "Private operator of HMP Wolds; the Step Change link with the private sector prisons.",
    ),
)

VCS_SIZES = (SizeBand.MICRO, SizeBand.SMALL, SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.SMALL, SizeBand.MEDIUM)
PRIVATE_SIZES = (SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.LARGE, SizeBand.MEDIUM, SizeBand.MAJOR)


def demo_organisations() -> list[OrgSpec]:
    """Generated providers, named plainly as demo data."""
    specs = []
    for n in range(1, DEMO_VCS_PROVIDERS + 1):
        specs.append(
            OrgSpec(
                f"Demo Community Project {n:02d}",
                Sector.VCS,
                VCS_SIZES[n % len(VCS_SIZES)],
                "Demo data: a generated voluntary and community provider.",
                bme_led=n in (3, 17),
                women_specific=n in (8, 19),
                user_led=n in (6, 14),
            )
        )
    for n in range(1, DEMO_PRIVATE_PROVIDERS + 1):
        specs.append(
            OrgSpec(
                f"Demo Services Ltd {n:02d}",
                Sector.PRIVATE,
                PRIVATE_SIZES[n % len(PRIVATE_SIZES)],
                "Demo data: a generated private provider.",
            )
        )
    for name in ("Demo Housing Advice Trust", "Demo Learning and Work Trust", "Demo Drug Services Trust"):
        specs.append(
            OrgSpec(name, Sector.VCS, SizeBand.LARGE, "Demo data: a larger VCS holder of prison area contracts.")
        )
    specs.append(
        OrgSpec("Demo Visitors' Centre Trust", Sector.VCS, SizeBand.MEDIUM, "Demo data: runs visitors' centres.")
    )
    specs.append(
        OrgSpec("Demo District Council Housing Service", Sector.PUBLIC, "", "Demo data: a public-sector provider.")
    )
    return specs


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str = ""
    superuser: bool = False
    # Each provider's one demo sign-in administers its organisation's people (invites its staff).
    organisation_admin: bool = False


USERS = (
    UserSpec("rom.commissioner", "Ruth", "Ormerod", Role.REGIONAL_COMMISSIONER, REGIONAL_TEAM[1]),
    UserSpec("sypa.manager", "Sam", "Pickering", Role.PROBATION_MANAGER, "South Yorkshire Probation Area"),
    UserSpec("hypa.manager", "Helen", "Pearson", Role.PROBATION_MANAGER, "Humberside Probation Area"),
    UserSpec("nypa.manager", "Neil", "Parkin", Role.PROBATION_MANAGER, "North Yorkshire Probation Area"),
    UserSpec("wypa.manager", "Wendy", "Pollard", Role.PROBATION_MANAGER, "West Yorkshire Probation Area"),
    UserSpec("leeds.coordinator", "Lee", "Carver", Role.PRISON_COORDINATOR, "HMP Leeds"),
    UserSpec("doncaster.coordinator", "Dana", "Cole", Role.PRISON_COORDINATOR, "HMP & YOI Doncaster"),
    UserSpec("area.analyst", "Anil", "Ahmed", Role.AREA_ANALYST),
    UserSpec("foundation.provider", "Fiona", "Hartley", Role.PROVIDER, "Foundation Housing", organisation_admin=True),
    UserSpec("private.provider", "Paul", "Denton", Role.PROVIDER, "Demo Services Ltd 01", organisation_admin=True),
    UserSpec("evaluator", "Eve", "Lister", Role.EVALUATOR),
    UserSpec(
        "forum.member",
        "Imran",
        "Baig",
        Role.INFRASTRUCTURE,
        "Yorkshire and Humber Regional Forum",
        organisation_admin=True,
    ),
    UserSpec("national.admin", "Nadia", "Noble", Role.NATIONAL_ADMIN),
    UserSpec("admin", "Ada", "Admin", Role.REGIONAL_COMMISSIONER, REGIONAL_TEAM[1], superuser=True),
)


class Loader:
    """Saves rows by natural key, only when they differ, with an audit event for each change."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.deleted = 0

    def save(
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        m2m: dict[str, list[models.Model]] | None = None,
    ) -> M:
        rows = model._default_manager.filter(**lookup)
        # A lookup that names a unique key matches one row at most: no order is needed to pick it
        # (the model's own order often joins other tables).
        obj = next(iter(rows.order_by()[:1]), None) if _names_a_unique_key(model, lookup) else rows.first()
        before = snapshot(obj) if obj is not None else None
        if obj is None:
            obj = model(**lookup)
        else:
            # The records the lookup names are the ones the row points to: keep them on it, so that
            # its name in the audit event is made from them rather than read again, one by one.
            for name, value in lookup.items():
                if isinstance(value, models.Model) and name in _foreign_keys(model):
                    setattr(obj, name, value)
        for name, value in (values or {}).items():
            setattr(obj, name, _as_stored(model, name, value))
        fields = snapshot(obj, many_to_many=False)
        if before is None or fields != {name: before[name] for name in fields}:
            obj.save()
            fields = snapshot(obj, many_to_many=False)
        for name, related in (m2m or {}).items():
            if before is None:
                getattr(obj, name).add(*related)  # a record just created is in none yet
            else:
                getattr(obj, name).set(related)
        # The many-to-many fields as they now are, known without asking: those set here hold just
        # the records given, the others are as they were (none, for a record just created).
        after = dict(fields)
        for field in model._meta.many_to_many:
            if m2m is not None and field.name in m2m:
                after[field.name] = related_names({record.pk: record for record in m2m[field.name]}.values())
            else:
                after[field.name] = before[field.name] if before is not None else []
        if after != before:
            if before is None:
                self.created += 1
            else:
                self.updated += 1
            audit_record(actor=None, action=ACTION, obj=obj, before=before, after=after)
        return obj

    def delete(self, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(actor=None, action=ACTION, obj=obj, before=snapshot(obj), after=None)
            obj.delete()
            self.deleted += 1


@functools.cache
def _unique_keys(model: type[models.Model]) -> list[frozenset[str]]:
    """The sets of fields no two rows share: unique fields, unique_together, unconditional unique
    constraints."""
    opts = model._meta
    keys = [frozenset({field.name}) for field in opts.concrete_fields if field.unique]
    keys += [frozenset(names) for names in opts.unique_together]
    keys += [frozenset(constraint.fields) for constraint in opts.total_unique_constraints if constraint.fields]
    return keys


def _names_a_unique_key(model: type[models.Model], lookup: dict[str, Any]) -> bool:
    """Whether ``lookup`` gives a value to every field of a unique key (not None: rows whose key
    holds a NULL may repeat it)."""
    named = {model._meta.pk.name if name == "pk" else name for name, value in lookup.items() if value is not None}
    return any(key <= named for key in _unique_keys(model))


@functools.cache
def _foreign_keys(model: type[models.Model]) -> set[str]:
    return {field.name for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)}


def _as_stored(model: type[models.Model], name: str, value: Any) -> Any:
    """Decimals at the precision the column keeps, so "3.3" and the stored "3.3000" compare equal."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


@dataclass
class Result:
    created: int
    updated: int
    deleted: int
    sign_ins: list[tuple[str, str, str, str]]
    # username → (authenticator key in base32, backup codes), for the roles that must use two factors
    two_factor: dict[str, tuple[str, list[str]]]


class DemoRefused(Exception):
    """The demo's known passwords and invented figures must never reach a production database."""


def refuse_under_production() -> None:
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused(
            "The demo data is not loaded under production settings (DJANGO_ENV=production): it would add "
            "sign-ins with a published password and invented figures. Nothing was written."
        )


@transaction.atomic
def load_demo() -> Result:
    refuse_under_production()
    loader = Loader()
    regions = {
        code: loader.save(Region, {"code": code}, {"name": name, "holds_contracts": code == "YH"})
        for code, name in REGIONS
    }
    yh = regions["YH"]
    pathways = {p.code: p for p in Pathway.objects.all()}
    year = {name: FinancialYear.objects.get(name=name) for name in ("2006-07", "2007-08")}

    commissioners = _commissioners(loader, yh)
    specs = all_contracts()
    organisations = _organisations(loader, yh, specs, commissioners, pathways)
    organisations.update({c.organisation.name: c.organisation for c in commissioners.values()})

    for code in figures.AREAS:
        loader.save(
            MainGrant,
            {"commissioner": commissioners[code], "year": year["2006-07"]},
            {"final": figures.MAIN_GRANT_2006_07[code], "indicative": None},
        )
        loader.save(
            MainGrant,
            {"commissioner": commissioners[code], "year": year["2007-08"]},
            {"indicative": figures.INDICATIVE_2007_08[code], "final": None},
        )
    for name, pct in figures.TARGET_PCT.items():
        loader.save(Target, {"commissioner_kind": CommissionerKind.PROBATION, "year": year[name]}, {"percentage": pct})

    _contracts(loader, specs, commissioners, organisations, pathways)
    users = _users(loader, yh, organisations)
    for code in figures.AREAS:
        for day in figures.RETURN_DATES:
            loader.save(
                ProbationReturn,
                {"commissioner": commissioners[code], "as_at": day},
                {"recorded_by": users[f"{code.lower()}.manager"], "approved_at": approved_when_recorded(day)},
            )
    _published_figures(loader, regions, commissioners)
    _change_request(loader, organisations, users)
    load_prison_returns(loader, yh, commissioners, users)
    load_commissioning(loader, commissioners=commissioners, organisations=organisations, pathways=pathways, users=users)
    load_capacity(loader, region=yh, organisations=organisations, users=users)
    load_consortia(loader, region=yh, organisations=organisations, users=users)
    load_governance(loader, region=yh, users=users)
    load_funding(loader, region=yh, organisations=organisations, pathways=pathways, users=users)
    load_plans(loader, commissioners=commissioners, pathways=pathways, users=users)
    load_engagement(loader, commissioners=commissioners, organisations=organisations, users=users)
    # Last: the pack reads the figures of everything above.
    load_pack(loader, region=yh, users=users)
    load_burden(loader, region=yh, users=users)
    two_factor = _two_factor(loader, users)
    sign_ins = [
        (
            u.username,
            PASSWORD,
            users[u.username].get_role_display() + (" (superuser)" if u.superuser else ""),
            u.organisation or "—",
        )
        for u in USERS
    ]
    return Result(loader.created, loader.updated, loader.deleted, sign_ins, two_factor)


def _two_factor(loader: Loader, users: dict[str, User]) -> dict[str, tuple[str, list[str]]]:
    """Demo sign-ins that must use two factors get an app key and backup codes, both printed.

    Derived from the user name so a second run gives the same ones; a real account pairs its own app.
    """
    out = {}
    for username, user in users.items():
        if not must_use_two_factor(user):
            continue
        key = hashlib.sha256(f"stepchange demo two-factor {username}".encode()).hexdigest()[:40]
        loader.save(TOTPDevice, {"user": user, "name": "Demo authenticator app"}, {"key": key, "confirmed": True})
        backup = loader.save(StaticDevice, {"user": user, "name": "Demo backup codes"}, {"confirmed": True})
        codes = [hashlib.sha256(f"{username} backup {i}".encode()).hexdigest()[:8] for i in range(1, 6)]
        for code in codes:
            loader.save(StaticToken, {"device": backup, "token": code})
        out[username] = (b32encode(bytes.fromhex(key)).decode(), codes)
    return out


def _commissioners(loader: Loader, region: Region) -> dict[str, Commissioner]:
    rows: list[tuple[str, str, str, str]] = [
        (code, name, CommissionerKind.PROBATION, "") for code, name in PROBATION_AREAS
    ]
    rows.append((REGIONAL_TEAM[0], REGIONAL_TEAM[1], CommissionerKind.REGIONAL, ""))
    rows += [(code, name, CommissionerKind.PRISON, operator) for code, name, operator in PRISONS]
    out = {}
    for code, name, kind, operator in rows:
        sector = Sector.PRIVATE if operator == Operator.PRIVATE else Sector.PUBLIC
        org = loader.save(Organisation, {"name": name}, {"sector": sector, "region": region})
        out[code] = loader.save(
            Commissioner,
            {"code": code},
            {
                "organisation": org,
                "kind": kind,
                "region": region,
                "operator": operator,
                "establishment_type": ESTABLISHMENT_TYPES.get(code, ""),
            },
        )
    return out


def _organisations(
    loader: Loader,
    region: Region,
    specs: list[ContractSpec],
    commissioners: dict[str, Commissioner],
    pathways: dict[str, Pathway],
) -> dict[str, Organisation]:
    """Providers, with the pathways and probation areas of the contracts they hold or share in."""
    served_pathways: dict[str, set[str]] = {}
    served_areas: dict[str, set[str]] = {}
    # Each pathway of a probation contract it holds or shares in is a service in that area.
    services: dict[str, set[tuple[str, str]]] = {}
    for spec in specs:
        for name in [spec.prime, *(partner for partner, _ in spec.sub_contracts)]:
            served_pathways.setdefault(name, set()).update(spec.pathways)
            if commissioners[spec.commissioner].kind == CommissionerKind.PROBATION:
                served_areas.setdefault(name, set()).add(spec.commissioner)
                services.setdefault(name, set()).update((code, spec.commissioner) for code in spec.pathways)
    out = {}
    for org in (*NAMED_ORGANISATIONS, *demo_organisations()):
        path_codes = served_pathways.get(org.name, set()) | set(org.pathways) | {p for p, _ in org.services}
        area_codes = served_areas.get(org.name, set()) | set(org.areas) | {a for _, a in org.services}
        out[org.name] = loader.save(
            Organisation,
            {"name": org.name},
            {
                "sector": org.sector,
                "size_band": org.size_band,
                "description": org.description,
                "region": region,
                "bme_led": org.bme_led,
                "women_specific": org.women_specific,
                "user_led": org.user_led,
                "infrastructure_body": org.infrastructure_body,
            },
            m2m={
                "pathways_served": [pathways[c] for c in sorted(path_codes)],
                "areas_served": [commissioners[c] for c in sorted(area_codes)],
            },
        )
        for pathway_code, area_code in sorted(services.get(org.name, set()) | set(org.services)):
            loader.save(
                ServiceOffer,
                {
                    "organisation": out[org.name],
                    "pathway": pathways[pathway_code],
                    "area": commissioners[area_code],
                },
            )
    return out


def _contracts(
    loader: Loader,
    specs: list[ContractSpec],
    commissioners: dict[str, Commissioner],
    organisations: dict[str, Organisation],
    pathways: dict[str, Pathway],
) -> None:
    references = [spec.reference for spec in specs]
    assert len(set(references)) == len(references), "contract references must be unique"
    loader.delete(Contract.objects.filter(reference__startswith="DEMO-").exclude(reference__in=references))
    held: set[str] = set()
    for spec in specs:
        if year_name_for(spec.start) not in held:
            hold_year_of(spec.start)  # as the contract pages do: some demo contracts started in 2003-04
            held.add(year_name_for(spec.start))
        contract = loader.save(
            Contract,
            {"reference": spec.reference},
            {
                "title": spec.title,
                "commissioner": commissioners[spec.commissioner],
                "prime": organisations[spec.prime],
                "annual_value": spec.annual_value,
                "start": spec.start,
                "end": spec.end,
                "funding_source": spec.funding_source,
                "funder": spec.funder,
                "kind": spec.kind,
                # Published: anyone, signed out included, sees the region's contracts (not their
                # notes), and the open-data package of contracts (export_ocds --contracts) holds them.
                "published": True,
                "notes": spec.notes,
            },
            m2m={"pathways": [pathways[code] for code in spec.pathways]},
        )
        partners = [organisations[name] for name, _ in spec.sub_contracts]
        loader.delete(contract.sub_contracts.exclude(partner__in=partners))
        for partner, (_, value) in zip(partners, spec.sub_contracts, strict=True):
            assert value < spec.annual_value, f"{spec.reference}: a sub-contract is part of its contract"
            loader.save(SubContract, {"contract": contract, "partner": partner}, {"value": value})


def _users(loader: Loader, region: Region, organisations: dict[str, Organisation]) -> dict[str, User]:
    out = {}
    # Hashing is slow on purpose (about half a second each), so the password is hashed once and
    # each stored hash checked once: a fresh hash would also differ on every run (its salt).
    verdicts: dict[str, bool] = {}
    shared_hash = ""

    def is_right(encoded: str) -> bool:
        if encoded not in verdicts:
            # No hash (a user just created) or an unusable one is never right; check_password would
            # say so only after hashing a password anyway (to take as long as a real check).
            verdicts[encoded] = bool(encoded) and is_password_usable(encoded) and check_password(PASSWORD, encoded)
        return verdicts[encoded]

    for spec in USERS:
        user = loader.save(
            User,
            {"username": spec.username},
            {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "role": spec.role,
                "organisation": organisations[spec.organisation] if spec.organisation else None,
                # A national administrator works for every region, so belongs to none.
                "region": None if spec.role == Role.NATIONAL_ADMIN else region,
                "is_active": True,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
                "is_organisation_admin": spec.organisation_admin,
            },
        )
        if not is_right(user.password):
            if not shared_hash:
                shared_hash = next((h for h in verdicts if verdicts[h]), "") or make_password(PASSWORD)
            user.password = shared_hash
            user.save(update_fields=["password"])
        out[spec.username] = user
    return out


def _change_request(loader: Loader, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """Foundation Housing asks the regional team to record it as user-led: a request waiting for them."""
    loader.save(
        ProfileChangeRequest,
        {"organisation": organisations["Foundation Housing"], "requested_by": users["foundation.provider"]},
        {
            "changes": {"user_led": True},
            "reason": "Demo data: since the spring, most of our trustees have lived experience of the justice system.",
            "requested_at": datetime.datetime(2006, 10, 2, 10, 0, tzinfo=datetime.UTC),
        },
    )


def _published_figures(loader: Loader, regions: dict[str, Region], commissioners: dict[str, Commissioner]) -> None:
    keep = []
    for fig in figures.published_figures():
        obj = loader.save(
            PublishedFigure,
            {
                "measure": fig.measure,
                "as_at": fig.as_at,
                "region": regions[fig.region] if fig.region else None,
                "commissioner": commissioners[fig.commissioner] if fig.commissioner else None,
                "label": fig.label,
            },
            {"value": fig.value, "printed": fig.printed, "source": fig.source},
        )
        keep.append(obj.pk)
    loader.delete(PublishedFigure.objects.filter(source__startswith=figures.REPORT).exclude(pk__in=keep))
