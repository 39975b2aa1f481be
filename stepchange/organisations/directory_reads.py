"""Reads of the directory beyond the list: the gap view, likely duplicates and the downloads
(CSV, JSON and Open Referral UK), always of the organisations the viewer may see."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from rapidfuzz import fuzz

from stepchange.core.exports import SafeCsvWriter
from stepchange.core.models import Pathway, Region
from stepchange.organisations import identifiers
from stepchange.organisations.access import organisations_of_regional_team, organisations_visible_to
from stepchange.organisations.matching import SUGGEST_FROM, normalised_name
from stepchange.organisations.models import (
    Commissioner,
    CommissionerKind,
    Listing,
    Organisation,
    Sector,
    ServiceOffer,
)

# A cell of the gap view with fewer VCS providers than this (one or none) is a gap.
FEW = 2
SPECIALISMS = (("bme_led", "BME-led"), ("women_specific", "Women-specific"))


# --- The gap view --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapCell:
    count: int

    @property
    def gap(self) -> str:
        """'none', 'few' or '' (enough)."""
        if self.count == 0:
            return "none"
        return "few" if self.count < FEW else ""


@dataclass(frozen=True)
class Gaps:
    region: Region
    areas: list[Commissioner]
    # (pathway, one cell per area, in the order of ``areas``)
    rows: list[tuple[Pathway, list[GapCell]]]
    # (specialism label, one cell per area): VCS providers of that kind offering any service there.
    specialist_rows: list[tuple[str, list[GapCell]]]


def gaps(user: Any, region: Region) -> Gaps:
    """For each pathway and probation area of ``region``, how many listed VCS providers the viewer
    may see offer a service of that pathway there; and for each specialist group, how many offer
    any service in each area."""
    areas = list(
        Commissioner.objects.filter(region=region, kind=CommissionerKind.PROBATION)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    offers = ServiceOffer.objects.filter(
        area__in=areas,
        organisation__in=organisations_visible_to(user).filter(listing=Listing.LISTED, sector=Sector.VCS),
    ).values_list("pathway_id", "area_id", "organisation_id", "organisation__bme_led", "organisation__women_specific")
    by_cell: dict[tuple[int, int], set[int]] = defaultdict(set)
    by_specialism: dict[tuple[str, int], set[int]] = defaultdict(set)
    for pathway_id, area_id, org_id, bme_led, women_specific in offers:
        by_cell[(pathway_id, area_id)].add(org_id)
        if bme_led:
            by_specialism[("bme_led", area_id)].add(org_id)
        if women_specific:
            by_specialism[("women_specific", area_id)].add(org_id)
    rows = [
        (pathway, [GapCell(len(by_cell[(pathway.pk, area.pk)])) for area in areas]) for pathway in Pathway.objects.all()
    ]
    specialist_rows = [
        (label, [GapCell(len(by_specialism[(field, area.pk)])) for area in areas]) for field, label in SPECIALISMS
    ]
    return Gaps(region=region, areas=areas, rows=rows, specialist_rows=specialist_rows)


def gaps_csv(found: Gaps) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(["Pathway or group", *(area.name for area in found.areas)])
    for pathway, cells in found.rows:
        writer.writerow([pathway.name, *(cell.count for cell in cells)])
    for label, cells in found.specialist_rows:
        writer.writerow([f"{label} (any pathway)", *(cell.count for cell in cells)])
    return out.getvalue()


# --- Likely duplicates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    first: Organisation
    second: Organisation
    why: str
    score: int


def likely_duplicates(user: Any) -> list[Duplicate]:
    """Pairs among the organisations whose every field this regional team changes that share a
    charity or company number, or whose normalised names score ``SUGGEST_FROM`` or more; the same
    number first, then by score and name."""
    # Two commissioners are never merged, so never offered: their names are alike by design.
    organisations = list(
        organisations_of_regional_team(user)
        .exclude(listing=Listing.REFUSED)
        .annotate(is_commissioner=Exists(Commissioner.objects.filter(organisation=OuterRef("pk"))))
        .order_by("name")
    )
    found: dict[tuple[int, int], Duplicate] = {}
    names = [(org, normalised_name(org.name)) for org in organisations]
    for i, (first, first_name) in enumerate(names):
        for second, second_name in names[i + 1 :]:
            if first.is_commissioner and second.is_commissioner:  # type: ignore[attr-defined]
                continue
            reasons = []
            if first.charity_number and first.charity_number == second.charity_number:
                reasons.append("the same charity number")
            if first.company_number and first.company_number == second.company_number:
                reasons.append("the same company number")
            score = int(fuzz.token_sort_ratio(first_name, second_name)) if first_name and second_name else 0
            if score >= SUGGEST_FROM:
                reasons.append("the same name" if first_name == second_name else f"a similar name ({score}% alike)")
            if reasons:
                numbers = reasons[0].startswith("the same c")
                found[(first.pk, second.pk)] = Duplicate(
                    first, second, " and ".join(reasons), 101 if numbers else score
                )
    return sorted(found.values(), key=lambda d: (-d.score, d.first.name.casefold(), d.second.name.casefold()))


# --- Downloads -----------------------------------------------------------------------------------

CSV_HEADER = [
    "id",
    "name",
    "other names",
    "sector",
    "region",
    "charity number",
    "company number",
    "size",
    "BME-led",
    "women-specific",
    "user-led",
    "infrastructure body",
    "services (pathway in probation area)",
    "contact name",
    "contact email",
    "website",
    "description",
]


def directory_for_download(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.select_related("region").prefetch_related(
        "aliases", "services__pathway", "services__area__organisation"
    )


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def directory_csv(organisations: QuerySet[Organisation]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for org in directory_for_download(organisations):
        writer.writerow(
            [
                org.pk,
                org.name,
                "; ".join(alias.name for alias in org.aliases.all()),
                org.get_sector_display(),
                org.region.name if org.region else "",
                org.charity_number,
                org.company_number,
                org.get_size_band_display(),
                _yes(org.bme_led),
                _yes(org.women_specific),
                _yes(org.user_led),
                _yes(org.infrastructure_body),
                "; ".join(f"{s.pathway.name} in {s.area.name}" for s in org.services.all()),
                org.contact_name,
                org.contact_email,
                org.website,
                org.description,
            ]
        )
    return out.getvalue()


def directory_json(organisations: QuerySet[Organisation]) -> list[dict[str, Any]]:
    return [
        {
            "id": org.pk,
            "name": org.name,
            "other_names": [alias.name for alias in org.aliases.all()],
            "sector": org.sector,
            "region": org.region.code if org.region else None,
            "identifiers": identifiers.identifiers_of(
                charity_number=org.charity_number, company_number=org.company_number
            ),
            "size_band": org.size_band or None,
            "bme_led": org.bme_led,
            "women_specific": org.women_specific,
            "user_led": org.user_led,
            "infrastructure_body": org.infrastructure_body,
            "services": [{"pathway": s.pathway.code, "probation_area": s.area.code} for s in org.services.all()],
            "contact_name": org.contact_name,
            "contact_email": org.contact_email,
            "website": org.website,
            "description": org.description,
        }
        for org in directory_for_download(organisations)
    ]


PATHWAY_VOCABULARY = "stepchange-pathway"


def open_referral(organisations: QuerySet[Organisation], *, base_url: str) -> dict[str, Any]:
    """The organisations and their services in the Open Referral UK shape: an ``organization``
    for each; a ``service`` for each pathway it offers, with a ``service_area`` for each probation
    area and a ``service_taxonomy`` naming the pathway; ``service_at_location`` is empty (the
    directory records areas, not premises). Identifiers are stable: ``org-<id>``,
    ``service-<org id>-<pathway code>``."""
    result_orgs: list[dict[str, Any]] = []
    result_services: list[dict[str, Any]] = []
    for org in directory_for_download(organisations):
        org_id = f"org-{org.pk}"
        ids = identifiers.identifiers_of(charity_number=org.charity_number, company_number=org.company_number)
        result_orgs.append(
            {
                "id": org_id,
                "name": org.name,
                "alternate_name": "; ".join(alias.name for alias in org.aliases.all()) or None,
                "description": org.description,
                "email": org.contact_email or None,
                "url": org.website or None,
                "uri": f"{base_url}/organisations/{org.pk}/",
                "organization_identifiers": [
                    {"id": f"{org_id}-{i['scheme']}", "identifier_scheme": i["scheme"], "identifier": i["id"]}
                    for i in ids
                ],
            }
        )
        by_pathway: dict[Pathway, list[Commissioner]] = {}
        for offer in org.services.all():
            by_pathway.setdefault(offer.pathway, []).append(offer.area)
        for pathway, areas in by_pathway.items():
            service_id = f"service-{org.pk}-{pathway.code}"
            result_services.append(
                {
                    "id": service_id,
                    "organization": {"id": org_id, "name": org.name},
                    "name": f"{org.name}: {pathway.name}",
                    "description": f"{pathway.name} for offenders, by {org.name}.",
                    "status": "active",
                    "email": org.contact_email or None,
                    "url": org.website or None,
                    "service_areas": [
                        {"id": f"{service_id}-{area.code}", "service_area": area.name, "uri": None} for area in areas
                    ],
                    "service_taxonomys": [
                        {
                            "id": f"{service_id}-taxonomy",
                            "taxonomy": {
                                "id": f"pathway-{pathway.code}",
                                "name": pathway.name,
                                "vocabulary": PATHWAY_VOCABULARY,
                            },
                        }
                    ],
                    "service_at_locations": [],
                }
            )
    return {"organizations": result_orgs, "services": result_services}
