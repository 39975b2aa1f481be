"""The country's structure: regions, probation areas, prisons and regional teams, the directory of
providers, contracts with their pathways and sub-contracts, main grants, targets and users."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bench.generate.world import (
    COMMISSIONER,
    COMMISSIONER_WEIGHTS,
    CONTRACTS,
    FIRST_DAY,
    FUNDERS,
    FUNDING_WEIGHTS,
    KIND_WEIGHTS,
    LAST_DAY,
    ORGANISATIONS,
    PASSWORD,
    PRISONS,
    PROBATION_AREAS,
    REGIONS,
    ROUND_DAY,
    SECTOR_WEIGHTS,
    SIZE_BANDS,
    SUFFIXES,
    TARGETS,
    TITLES,
    WORDS,
    YEARS,
    Base,
    _money,
    _weighted,
    backup_codes,
    scaled,
    totp_key,
)


class Directory(Base):
    # Structure --------------------------------------------------------------------------------

    def _regions(self) -> None:
        from stepchange.core.models import Region

        self.region_ids = list(range(1, len(REGIONS) + 1))
        self.insert(
            Region,
            (
                Region(id=n, code=code, name=name, holds_contracts=True)
                for n, (code, name) in enumerate(REGIONS, start=1)
            ),
        )

    def _commissioners(self) -> None:
        """Probation areas, prisons and a regional team per region, each with its organisation."""
        from stepchange.organisations.models import Commissioner, Organisation

        rows: list[tuple[str, str, str, int, str]] = []  # code, name, kind, region id, operator
        for n in range(PROBATION_AREAS):
            region = self.region_ids[n % len(self.region_ids)]
            rows.append((f"PA{n + 1:02d}", f"Probation Area {n + 1:02d}", "probation", region, ""))
        for n in range(PRISONS):
            region = self.region_ids[n % len(self.region_ids)]
            operator = "private" if n % 9 == 4 else "public"
            rows.append((f"HMP{n + 1:03d}", f"HMP Establishment {n + 1:03d}", "prison", region, operator))
        for region, (code, name) in zip(self.region_ids, REGIONS, strict=True):
            rows.append((f"ROM-{code}", f"Regional Offender Manager for {name}", "regional", region, ""))
        organisations = []
        commissioners = []
        self.by_kind: dict[str, list[int]] = {"probation": [], "prison": [], "regional": []}
        self.region_of: dict[int, int] = {}
        self.regional_team: dict[int, int] = {}
        for n, (code, name, kind, region, operator) in enumerate(rows, start=1):
            sector = "private" if operator == "private" else "public"
            organisations.append(Organisation(id=n, name=name, sector=sector, region_id=region))
            commissioners.append(
                Commissioner(id=n, organisation_id=n, code=code, kind=kind, region_id=region, operator=operator)
            )
            self.by_kind[kind].append(n)
            self.region_of[n] = region
            if kind == "regional":
                self.regional_team[region] = n
        self.insert(Organisation, organisations, "commissioner organisations")
        self.insert(Commissioner, commissioners)
        self.next_org_id = len(rows) + 1

    def _organisations(self) -> None:
        """Providers: a mix of sectors, sizes and regions, each serving some pathways and areas."""
        from stepchange.organisations.models import Organisation

        rng = self.rng
        count = scaled(ORGANISATIONS, self.scale, minimum=30)
        first = self.next_org_id
        self.providers: dict[str, list[int]] = {"vcs": [], "private": [], "public": []}
        self.sector_of: dict[int, str] = {}
        sectors = _weighted(rng, SECTOR_WEIGHTS, count)
        # Every sector is present however small the scale.
        sectors[:3] = ["vcs", "private", "public"]
        areas = self.by_kind["probation"]
        area_links: list[tuple[int, int]] = []
        pathway_links: list[tuple[int, int]] = []

        def rows() -> Iterator[Organisation]:
            for n, sector in enumerate(sectors):
                pk = first + n
                self.providers[sector].append(pk)
                self.sector_of[pk] = sector
                name = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES[sector])} {n + 1:06d}"
                vcs = sector == "vcs"
                for pathway in rng.sample(self.pathways, rng.randint(1, 3)):
                    pathway_links.append((pk, pathway.id))
                for area in rng.sample(areas, rng.randint(1, 2)):
                    area_links.append((pk, area))
                yield Organisation(
                    id=pk,
                    name=name,
                    sector=sector,
                    charity_number=f"{1_000_000 + n}" if vcs else "",
                    company_number=f"{rng.randint(1, 9_999_999):08d}" if sector == "private" else "",
                    region_id=rng.choice(self.region_ids),
                    bme_led=vcs and rng.random() < 0.06,
                    women_specific=vcs and rng.random() < 0.05,
                    user_led=vcs and rng.random() < 0.04,
                    infrastructure_body=vcs and rng.random() < 0.01,
                    size_band=rng.choice(SIZE_BANDS[sector]),
                    description=f"A {dict(vcs='voluntary and community', private='private', public='public')[sector]} provider.",
                    contact_email=f"contact{n + 1}@example.org",
                )

        self.insert(Organisation, rows(), "providers")
        served_areas = Organisation.areas_served.through
        served_pathways = Organisation.pathways_served.through
        self.insert(
            served_areas,
            (dict(organisation_id=o, commissioner_id=c) for o, c in area_links),
            "provider areas served",
        )
        self.insert(
            served_pathways,
            (dict(organisation_id=o, pathway_id=p) for o, p in pathway_links),
            "provider pathways served",
        )

    # Contracts --------------------------------------------------------------------------------

    def _contracts(self) -> None:
        from stepchange.contracts.models import Contract, SubContract

        rng = self.rng
        count = scaled(CONTRACTS, self.scale, minimum=100)
        kinds = _weighted(rng, COMMISSIONER_WEIGHTS, count)
        all_providers = [pk for pks in self.providers.values() for pk in pks]
        window = (LAST_DAY - FIRST_DAY).days
        # Per probation area: (value, start, end) of its counted contracts, to set its grants.
        self.counted: dict[int, list[tuple[Decimal, datetime.date, datetime.date | None]]] = {
            pk: [] for pk in self.by_kind["probation"]
        }
        # Per probation area: (id, value, title) of its contracts live on ROUND_DAY, for its round return.
        self.live_at_round: dict[int, list[tuple[int, Decimal, str]]] = {pk: [] for pk in self.by_kind["probation"]}
        pathway_links: list[tuple[int, int]] = []
        subs: list[dict[str, Any]] = []

        def rows() -> Iterator[dict[str, Any]]:
            for n, kind in enumerate(kinds, start=1):
                commissioner = rng.choice(self.by_kind[kind])
                sector = _weighted(rng, SECTOR_WEIGHTS, 1)[0]
                prime = rng.choice(self.providers[sector])
                funding = (
                    "main_grant"
                    if kind == "probation" and rng.random() < 0.8
                    else _weighted(rng, FUNDING_WEIGHTS, 1)[0]
                )
                value = _money(rng, 2_000, 400_000)
                start = FIRST_DAY + datetime.timedelta(days=rng.randint(0, window - 90))
                if rng.random() < 0.1:
                    end = None
                else:
                    end = min(LAST_DAY, start + datetime.timedelta(days=rng.randint(180, 3 * 365)))
                chosen = rng.sample(self.pathways, rng.choice((1, 1, 1, 2, 2, 3)))
                for pathway in chosen:
                    pathway_links.append((n, pathway.id))
                if rng.random() < 0.3:
                    wanted = rng.randint(1, 3)
                    partners = [p for p in rng.sample(all_providers, wanted + 1) if p != prime][:wanted]
                    for partner in partners:
                        share = Decimal(rng.randint(5, 30)) / 100
                        subs.append(
                            dict(contract_id=n, partner_id=partner, value=(value * share).quantize(Decimal("0.01")))
                        )
                if kind == "probation" and funding == "main_grant" and sector in ("vcs", "private"):
                    self.counted[commissioner].append((value, start, end))
                title = f"{chosen[0].name}: {rng.choice(TITLES)} {n}"
                if kind == "probation" and start <= ROUND_DAY and (end is None or end >= ROUND_DAY):
                    self.live_at_round[commissioner].append((n, value, f"BENCH-{n:07d} {title}"))
                yield dict(
                    id=n,
                    reference=f"BENCH-{n:07d}",
                    title=title,
                    commissioner_id=commissioner,
                    prime_id=prime,
                    annual_value=value,
                    start=start,
                    end=end,
                    funding_source=funding,
                    funder=rng.choice(FUNDERS) if funding != "main_grant" else "",
                    kind=_weighted(rng, KIND_WEIGHTS, 1)[0],
                    published=rng.random() < 0.4,
                )

        self.insert(Contract, rows())
        through = Contract.pathways.through
        self.insert(through, (dict(contract_id=c, pathway_id=p) for c, p in pathway_links), "contract pathways")
        self.insert(SubContract, subs)

    def _grants_and_targets(self) -> None:
        """Each area's grant per year: its counted spend live on 1 April, as 4–12% of it.

        So shares come out near the targets, some above and some below. The last year's grant is
        still indicative; the others are final.
        """
        from stepchange.contracts.models import MainGrant, Target

        rng = self.rng
        grants = []
        for name in YEARS:
            year = self.years[name]
            for area in self.by_kind["probation"]:
                live = sum(
                    (v for v, s, e in self.counted[area] if s <= year.start and (e is None or e >= year.start)),
                    Decimal(0),
                )
                share = Decimal(rng.randint(40, 120)) / 1000
                amount = max(Decimal(1_000_000), (live / share / 1000).quantize(Decimal(1)) * 1000)
                final = None if name == YEARS[-1] else amount
                indicative = amount if final is None else None
                grants.append(MainGrant(commissioner_id=area, year_id=year.id, final=final, indicative=indicative))
        self.insert(MainGrant, grants)
        targets = []
        for name, (probation, prison) in TARGETS.items():
            year = self.years[name]
            targets.append(Target(commissioner_kind="probation", year_id=year.id, percentage=probation))
            targets.append(Target(commissioner_kind="prison", year_id=year.id, percentage=prison))
        self.insert(Target, targets)

    def _users(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from stepchange.accounts.access import ROLES_THAT_MUST_USE_TWO_FACTOR
        from stepchange.accounts.models import User
        from stepchange.core.roles import Role

        first_region = self.region_ids[0]
        in_first = [pk for pk in self.by_kind["probation"] if self.region_of[pk] == first_region]
        prison = next(pk for pk in self.by_kind["prison"] if self.region_of[pk] == first_region)
        organisation_of = {
            Role.REGIONAL_COMMISSIONER: self.regional_team[first_region],
            Role.PROBATION_MANAGER: in_first[0],
            Role.PRISON_COORDINATOR: prison,
            Role.AREA_ANALYST: None,
            Role.PROVIDER: self.providers["vcs"][0],
            Role.EVALUATOR: None,
            Role.INFRASTRUCTURE: self.providers["vcs"][1] if len(self.providers["vcs"]) > 1 else None,
            Role.NATIONAL_ADMIN: None,
        }
        password = make_password(PASSWORD)
        users = []
        for role in Role:
            username = COMMISSIONER if role == Role.REGIONAL_COMMISSIONER else f"bench-{role.value.replace('_', '-')}"
            users.append(
                User(
                    username=username,
                    password=password,
                    email=f"{username}@example.org",
                    first_name="Bench",
                    last_name=str(role.label),
                    role=role,
                    organisation_id=organisation_of[role],
                    region_id=first_region,
                    is_active=True,
                )
            )
        User.objects.bulk_create(users)
        self.counts["users"] = len(users)
        self.users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
        self.analyst = self.users["bench-area-analyst"]
        self.manager = self.users["bench-probation-manager"]
        self.coordinator = self.users["bench-prison-coordinator"]
        for user in self.users.values():
            if user.role not in ROLES_THAT_MUST_USE_TWO_FACTOR:
                continue
            TOTPDevice.objects.create(
                user=user, name="Bench authenticator", key=totp_key(user.username), confirmed=True
            )
            device = StaticDevice.objects.create(user=user, name="Bench backup codes", confirmed=True)
            StaticToken.objects.bulk_create(
                StaticToken(device=device, token=code) for code in backup_codes(user.username)
            )
        self.say(f"{len(users):>9,} users")

    # Prison returns ---------------------------------------------------------------------------
