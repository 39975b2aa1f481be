"""Open data: each published opportunity as an Open Contracting Data Standard 1.1.5 release.

The ocid of an opportunity is ``OCID_PREFIX`` + its reference, e.g. ``ocds-stepchange-twp-yh-2006``.
The prefix is this service's own (not registered with the Open Contracting Partnership, whose
prefixes look like ``ocds-a1b2c3``); a publisher that registers one changes ``OCID_PREFIX`` here,
and every ocid changes with it.

One release per opportunity, as it stands now (tag ``tender``, ``tenderUpdate``, ``award``,
``contract``, ``tenderCancellation``...); its id carries the time of the last public event, so a
release with the same id never changes. Core schema only, no extension:

- tender: items (one per pathway, naming the areas), the total estimated value (annual value ×
  months ÷ 12), status, tenderPeriod (publication to the last stage's deadline), enquiryPeriod,
  eligibilityCriteria in words, award criteria and weights, and a milestone per stage. The
  number of tenderers and a stage's counts (bids, taken forward) appear only once that stage's
  deadline has passed: before it, not even a count of zero (``selectors.stage_statistics``).
  ``documents``: the notice (the opportunity's page), then each current document of the
  opportunity (``DOCUMENT_TYPES`` gives its documentType) with the URL of its public download.
  A partnership's or a bid's documents are never open data.
- awards: the winning partnership's members at the time of the award as ``suppliers``, each a
  party with roles supplier and tenderer, its charity (GB-CHC) or company (GB-COH) number as
  identifier, and its place in the partnership (prime or sub-contractor, role, share) in
  ``details``. Losing bidders are not named. A withdrawn award stays, with status cancelled.
- contracts: the awarded contract's period, total value and status, with one ``subContract``
  document per sub-contract (partner, its numbers, annual value) and the same in ``description``.
  The award of a published tender is a public act, so its contract is published here even when
  the contract's own page is not public.

Amounts are totals over the duration in pounds (currency GBP); descriptions give the annual
figures the rest of the service uses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from stepchange.commissioning import access, selectors
from stepchange.commissioning.awards import is_current
from stepchange.commissioning.models import (
    Award,
    Opportunity,
    OpportunityDocument,
    OpportunityDocumentKind,
    OpportunityStatus,
    PartnershipMember,
)
from stepchange.commissioning.services import add_months
from stepchange.core.models import AuditEvent
from stepchange.core.money import round_half_up
from stepchange.organisations import identifiers
from stepchange.organisations.models import Organisation

OCID_PREFIX = "ocds-stepchange-"
OCDS_VERSION = "1.1"
PUBLISHER = {"name": "Step Change commissioning service"}
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CURRENCY = "GBP"
# Changes to an opportunity after publication that the public sees, recorded on the opportunity.
PUBLIC_CHANGES = (
    "opportunity_update",
    "stage_deadline_change",
    "opportunity_cancel",
    "opportunity_close",
    "opportunity_document_add",
    "opportunity_document_replace",
)


def ocid(opportunity: Opportunity) -> str:
    return f"{OCID_PREFIX}{opportunity.reference}"


def published_opportunities(*, now: datetime.datetime | None = None) -> QuerySet[Opportunity]:
    """What open data covers: the opportunities a signed-out visitor sees, drafts never."""
    now = now or timezone.now()
    return access.opportunities_visible_to(AnonymousUser(), now=now).filter(published_at__lte=now)


def _when(value: datetime.datetime | datetime.date | None) -> str | None:
    """ISO 8601 with an offset, as the schema's date-time format asks; a date is its London midnight."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = timezone.make_aware(datetime.datetime.combine(value, datetime.time()))
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _money(amount: Decimal) -> dict[str, Any]:
    return {"amount": float(round_half_up(amount, 2)), "currency": CURRENCY}


def _total(annual: Decimal, months: int) -> Decimal:
    return annual * months / 12


def _pounds(amount: Decimal) -> str:
    return f"£{round_half_up(amount, 2):,.2f}"


def party_id(organisation: Organisation, *, charity_number: str = "", company_number: str = "") -> str:
    """org-id style: GB-CHC-<number> or GB-COH-<number>; else this service's own id."""
    found = identifiers.identifiers_of(charity_number=charity_number, company_number=company_number)
    if found:
        return f"{found[0]['scheme']}-{found[0]['id']}"
    return f"stepchange-organisation-{organisation.pk}"


def member_numbers(member: PartnershipMember) -> tuple[str, str]:
    """The charity and company numbers a member bid under, kept on its membership."""
    return member.charity_number, member.company_number


class Parties:
    """The release's parties, one per organisation, roles merged, in the order first named."""

    def __init__(self) -> None:
        self._parties: dict[str, dict[str, Any]] = {}

    def add(
        self,
        organisation: Organisation | None,
        *roles: str,
        name: str = "",
        charity_number: str = "",
        company_number: str = "",
        details: dict[str, Any] | None = None,
        numbers_from_profile: bool = True,
    ) -> dict[str, str]:
        """Add (or add roles to) a party; returns the reference to it (id and name). A partnership
        member is named by the numbers it bid under, not by its profile's."""
        if organisation is not None:
            if numbers_from_profile:
                charity_number, company_number = organisation.charity_number, organisation.company_number
            key = party_id(organisation, charity_number=charity_number, company_number=company_number)
            name = organisation.name
        else:
            key = f"stepchange-funder-{slugify(name)}"
        party = self._parties.get(key)
        if party is None:
            party = {"id": key, "name": name, "roles": []}
            found = identifiers.identifiers_of(charity_number=charity_number, company_number=company_number)
            if found:
                party["identifier"] = {**found[0], "legalName": name}
                if found[1:]:
                    party["additionalIdentifiers"] = found[1:]
            self._parties[key] = party
        party["roles"] += [role for role in roles if role not in party["roles"]]
        if details:
            party.setdefault("details", {}).update(details)
        return {"id": key, "name": name}

    def as_list(self) -> list[dict[str, Any]]:
        return list(self._parties.values())


def _tender_status(opportunity: Opportunity, now: datetime.datetime) -> str:
    return {
        OpportunityStatus.OPEN: "active",
        OpportunityStatus.EVALUATING: "active",
        OpportunityStatus.AWARDED: "complete",
        OpportunityStatus.CANCELLED: "cancelled",
        OpportunityStatus.CLOSED: "unsuccessful",
    }[OpportunityStatus(opportunity.status(now))]


def _stage_milestone(stage: Any, now: datetime.datetime) -> dict[str, Any]:
    milestone: dict[str, Any] = {
        "id": f"stage-{stage.number}",
        "title": f"Stage {stage.number} ({stage.name}) closes",
        "dueDate": _when(stage.deadline),
        "status": "scheduled",
    }
    statistics = selectors.stage_statistics(stage, now=now)
    if statistics is not None:
        milestone["status"] = "met"
        milestone["dateMet"] = _when(stage.deadline)
        told = [f"{statistics.bids} bid{'s' if statistics.bids != 1 else ''} received"]
        if not stage.is_last:
            told.append(f"{statistics.taken_forward} taken forward to stage {stage.number + 1}")
        if statistics.awarded:
            told.append(f"{statistics.awarded} awarded")
        milestone["description"] = "; ".join(told) + "."
    return milestone


def _tender(
    opportunity: Opportunity, buyer: dict[str, str], *, base_url: str, now: datetime.datetime
) -> dict[str, Any]:
    stages = list(opportunity.stages.prefetch_related("criteria").order_by("number"))
    areas = [a.name for a in opportunity.areas.all()]
    where = f" in {', '.join(areas)}" if areas else ""
    rules = [rule.describe() for rule in opportunity.rules.order_by("id")]
    contract_end = add_months(opportunity.contract_start, opportunity.duration_months) - datetime.timedelta(days=1)
    tender: dict[str, Any] = {
        "id": opportunity.reference,
        "title": opportunity.title,
        "description": opportunity.description,
        "status": _tender_status(opportunity, now),
        "procuringEntity": buyer,
        "items": [
            {"id": pathway.code, "description": f"{pathway.name} services{where}", "quantity": 1}
            for pathway in opportunity.pathways.all()
        ],
        "value": _money(_total(opportunity.estimated_value, opportunity.duration_months)),
        "procurementMethod": "open" if len(stages) <= 1 else "selective",
        "procurementMethodDetails": (
            f"{opportunity.get_kind_display()} in {len(stages)} stage{'s' if len(stages) != 1 else ''}"
            + (": " + ", then ".join(f"{s.name.lower()} (stage {s.number})" for s in stages) if stages else "")
            + (", later stages from the bids taken forward." if len(stages) > 1 else ".")
            + f" Estimated annual value {_pounds(opportunity.estimated_value)} for {opportunity.duration_months} months."
        ),
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": " ".join(
            f"Stage {s.number}: " + ", ".join(f"{c.name} {c.weight}%" for c in s.criteria.all()) + "." for s in stages
        ),
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": _when(opportunity.published_at),
            "endDate": _when(stages[-1].deadline) if stages else None,
        },
        "hasEnquiries": opportunity.clarifications.exists(),
        "eligibilityCriteria": " ".join(f"{rule}." for rule in rules) if rules else "Any provider may bid.",
        "contractPeriod": {"startDate": _when(opportunity.contract_start), "endDate": _when(contract_end)},
        "documents": [
            {
                "id": "tender-notice",
                "documentType": "tenderNotice",
                "title": opportunity.title,
                "url": base_url + reverse("commissioning:detail", args=[opportunity.reference]),
                "format": "text/html",
                "language": "en",
                "datePublished": _when(opportunity.published_at),
            }
        ],
        "milestones": [_stage_milestone(stage, now) for stage in stages],
    }
    tender["documents"] += [_document(document, opportunity, base_url=base_url) for document in _documents(opportunity)]
    if opportunity.clarification_deadline:
        tender["enquiryPeriod"] = {
            "startDate": _when(opportunity.published_at),
            "endDate": _when(opportunity.clarification_deadline),
        }
    first = selectors.stage_statistics(stages[0], now=now) if stages else None
    if first is not None:
        tender["numberOfTenderers"] = first.bids
    return tender


# The documentType codelist's code for each kind of opportunity document.
DOCUMENT_TYPES = {
    OpportunityDocumentKind.SPECIFICATION: "technicalSpecifications",
    OpportunityDocumentKind.TERMS: "biddingDocuments",
    OpportunityDocumentKind.PRICING_SCHEDULE: "billOfQuantity",
    OpportunityDocumentKind.EVALUATION: "evaluationCriteria",
    OpportunityDocumentKind.ELIGIBILITY: "eligibilityCriteria",
    OpportunityDocumentKind.CONTRACT_DRAFT: "contractDraft",
    OpportunityDocumentKind.OTHER: "biddingDocuments",
}


def _documents(opportunity: Opportunity) -> QuerySet[OpportunityDocument]:
    """The opportunity's current documents (a replaced one gives way to its replacement); never a
    partnership's or a bid's, which are not open data."""
    return opportunity.documents.filter(replaced_at__isnull=True).defer("content").order_by("uploaded_at", "id")


def _document(document: OpportunityDocument, opportunity: Opportunity, *, base_url: str) -> dict[str, Any]:
    published = opportunity.published_at
    # One uploaded to the draft was published with the opportunity; one added later, when added.
    when = max(document.uploaded_at, published) if published else document.uploaded_at
    return {
        "id": f"document-{document.pk}",
        "documentType": DOCUMENT_TYPES[OpportunityDocumentKind(document.kind)],
        "title": document.title,
        "description": f"{document.get_kind_display()}: {document.format_label}, {document.size:,} bytes.",
        "url": base_url + reverse("commissioning:document", args=[opportunity.reference, document.pk]),
        "datePublished": _when(when),
        "format": document.content_type.split(";")[0].strip(),
        "language": "en",
    }


def _award_status(award: Award, now: datetime.datetime) -> str:
    if not is_current(award):
        return "cancelled"
    # A standstill or an open challenge: proposed, not yet in force.
    return "active" if award.may_start(timezone.localdate(now)) else "pending"


def _contract_status(contract: Any, now: datetime.datetime) -> str:
    today = timezone.localdate(now)
    if today < contract.start:
        return "pending"
    return "active" if contract.is_live(today) else "terminated"


def _award_and_contract(
    award: Award, opportunity: Opportunity, parties: Parties, *, now: datetime.datetime
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    partnership = award.bid.partnership
    members = selectors.members_at_award(award)
    suppliers = []
    numbers_of: dict[int, tuple[str, str]] = {}
    for member in members:
        charity, company = member_numbers(member)
        numbers_of[member.organisation_id] = (charity, company)
        suppliers.append(
            parties.add(
                member.organisation,
                "supplier",
                "tenderer",
                charity_number=charity,
                company_number=company,
                numbers_from_profile=False,
                details={
                    "partnership": partnership.name,
                    "partnershipRole": member.role,
                    "indicativeSharePercent": float(member.share),
                    "prime": member.is_lead,
                },
            )
        )
    months = opportunity.duration_months
    award_data: dict[str, Any] = {
        "id": f"{opportunity.reference}-award-{award.pk}",
        "title": f"Award to {partnership.name}",
        "description": f"{partnership.name}, led by {partnership.lead.name} as prime: "
        f"{_pounds(award.value)} a year for {months} months. Standstill until {award.standstill_ends:%-d %B %Y}.",
        "status": _award_status(award, now),
        "date": _when(award.awarded_at),
        "value": _money(_total(award.value, months)),
        "suppliers": suppliers,
    }
    if not is_current(award):
        award_data["description"] += (
            f" Withdrawn on {timezone.localdate(award.withdrawn_at):%-d %B %Y}: {award.withdrawn_reason}"
        )
    contract = award.contract if is_current(award) else None
    if contract is None:
        return award_data, None
    award_data["contractPeriod"] = {"startDate": _when(contract.start), "endDate": _when(contract.end)}
    sub_contracts = list(contract.sub_contracts.select_related("partner").order_by("partner__name"))
    documents = []
    lines = []
    for sub in sub_contracts:
        charity, company = numbers_of.get(sub.partner_id, (sub.partner.charity_number, sub.partner.company_number))
        parties.add(sub.partner, "supplier", charity_number=charity, company_number=company, numbers_from_profile=False)
        named = identifiers.describe(charity_number=charity, company_number=company)
        who = f"{sub.partner.name} ({named})" if named else sub.partner.name
        line = f"Sub-contract from {contract.prime.name} to {who}: {_pounds(sub.value)} a year"
        lines.append(line)
        documents.append(
            {
                "id": f"sub-contract-{party_id(sub.partner, charity_number=charity, company_number=company)}",
                "documentType": "subContract",
                "title": f"Sub-contract to {sub.partner.name}",
                "description": line + ".",
                "language": "en",
            }
        )
    prime_charity, prime_company = numbers_of.get(
        contract.prime_id, (contract.prime.charity_number, contract.prime.company_number)
    )
    prime_numbers = identifiers.describe(charity_number=prime_charity, company_number=prime_company)
    summary = f"Prime: {contract.prime.name}{f' ({prime_numbers})' if prime_numbers else ''}, {_pounds(contract.annual_value)} a year."
    contract_data: dict[str, Any] = {
        "id": contract.reference,
        "awardID": award_data["id"],
        "title": contract.title,
        "description": " ".join([summary, *(f"{line}." for line in lines)]),
        "status": _contract_status(contract, now),
        "period": {"startDate": _when(contract.start), "endDate": _when(contract.end)},
        "value": _money(_total(contract.annual_value, months)),
    }
    if documents:
        contract_data["documents"] = documents
    return award_data, contract_data


def _release_date(opportunity: Opportunity, awards: list[Award], now: datetime.datetime) -> datetime.datetime:
    """The last public event: publication, a deadline passed, a decision, an award, a change, an end."""
    events: list[datetime.datetime] = [opportunity.published_at or now]
    events += [s.deadline for s in opportunity.stages.all() if not s.is_sealed(now)]
    for award in awards:
        events += [award.awarded_at] + ([award.withdrawn_at] if award.withdrawn_at else [])
    events += [t for t in (opportunity.cancelled_at, opportunity.closed_without_award_at) if t]
    changed = (
        AuditEvent.objects.filter(
            object_type=opportunity._meta.label_lower,
            object_id=str(opportunity.pk),
            action__in=PUBLIC_CHANGES,
            at__lte=now,
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if changed is not None and opportunity.published_at and changed > opportunity.published_at:
        events.append(changed)
    return max(events)


def opportunity_release(
    opportunity: Opportunity, *, base_url: str, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The release of one published opportunity as it stands at ``now``."""
    now = now or timezone.now()
    parties = Parties()
    buyer = parties.add(opportunity.commissioner.organisation, "buyer", "procuringEntity")
    release: dict[str, Any] = {"ocid": ocid(opportunity)}
    if opportunity.funder:
        parties.add(None, "funder", name=opportunity.funder)
    tender = _tender(opportunity, buyer, base_url=base_url, now=now)
    awards = list(
        access.awards_visible_to(AnonymousUser())
        .filter(opportunity=opportunity, awarded_at__lte=now)
        .order_by("awarded_at", "pk")
    )
    award_list, contract_list = [], []
    for award in awards:
        award_data, contract_data = _award_and_contract(award, opportunity, parties, now=now)
        award_list.append(award_data)
        if contract_data:
            contract_list.append(contract_data)
    date = _release_date(opportunity, awards, now)
    if opportunity.cancelled_at:
        tags = ["tenderCancellation"]
    else:
        tags = ["tender" if date == opportunity.published_at else "tenderUpdate"]
        if award_list:
            tags.append("award")
        if not all(is_current(a) for a in awards):
            tags.append("awardCancellation")
        if contract_list:
            tags.append("contract")
    release |= {
        "id": f"{ocid(opportunity)}-{date.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        "date": _when(date),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "parties": parties.as_list(),
        "planning": {
            "budget": {
                "description": f"{opportunity.get_funding_source_display()}"
                + (f": {opportunity.funder}" if opportunity.funder else "")
                + (
                    ". It counts toward the commissioner's target share of main grant."
                    if opportunity.funding_source == "main_grant"
                    else ". It is not main grant, so it does not count toward the target share of main grant."
                )
            }
        },
        "tender": tender,
    }
    if award_list:
        release["awards"] = award_list
    if contract_list:
        release["contracts"] = contract_list
    return release


def release_package(
    opportunities: Iterable[Opportunity], *, uri: str, base_url: str, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """A release package of the given published opportunities; at least one is needed."""
    now = now or timezone.now()
    releases = [opportunity_release(o, base_url=base_url, now=now) for o in opportunities]
    if not releases:
        raise ValueError("A release package holds at least one release: no opportunity is published.")
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": max(r["date"] for r in releases),
        "publisher": PUBLISHER,
        "license": LICENSE,
        "releases": releases,
    }
