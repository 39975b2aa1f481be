"""Open data: every published contract as an Open Contracting Data Standard 1.1.5 release, streamed.

What is public is what a signed-out visitor may see on the contract pages
(``contracts_visible_to(AnonymousUser())``: the published contracts), whatever their origin. A
contract awarded through a published opportunity whose own page is not public stays out of this
package: the opportunity's release (``ocds.py``) already publishes it, under the tender's ocid.

One release per contract, ocid ``OCID_PREFIX`` + ``contract-`` + its reference, id carrying the time
of its last change (so a release with the same id never changes), tags award and contract:

- parties: the commissioner as buyer, the prime and each sub-contractor as supplier, each with its
  charity (GB-CHC) or company (GB-COH) number from its profile where one is recorded;
- awards: one, to the prime, with the contract's value and period;
- contracts: the period, the value, the status on the day of the export, the pathways as items,
  and one ``subContract`` document per sub-contract (partner, its numbers, annual value), the same
  in ``description``.

Amounts are totals over the period in pounds (GBP), as in ``ocds.py``: the annual value × months
÷ 12 when the period is whole months, else × days ÷ 365. An open-ended contract has no total; its
value is one year's, and its description says so.

A national package runs to hundreds of thousands of releases, so it is written a piece at a time:
contracts are read ``CHUNK`` at a time as plain values, their pathways and sub-contracts beside
them in the same order (``contracts.exports.InStep``), and each chunk's organisations not yet
met in one query. The package's ``publishedDate`` (the last change to any
release in it) comes after the releases, since it is known only once they are written.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from stepchange.commissioning.ocds import (
    LICENSE,
    OCDS_VERSION,
    OCID_PREFIX,
    PUBLISHER,
    _money,
    _pounds,
    _when,
    party_id,
)
from stepchange.commissioning.services import add_months
from stepchange.contracts.access import contracts_visible_to
from stepchange.contracts.exports import PIECE, InStep, contract_chunks
from stepchange.contracts.models import Contract, SubContract
from stepchange.organisations import identifiers
from stepchange.organisations.models import Organisation

CHUNK = 2000
_FIELDS = (
    "pk",
    "reference",
    "title",
    "commissioner__organisation_id",
    "prime_id",
    "annual_value",
    "start",
    "end",
    "updated_at",
)


def published_contracts() -> QuerySet[Contract]:
    """What this open data covers: the contracts someone signed out may see, in the list's order."""
    return contracts_visible_to(AnonymousUser()).order_by("commissioner__code", "reference", "pk")


def contract_ocid(reference: str) -> str:
    return f"{OCID_PREFIX}contract-{reference}"


def total_value(annual: Decimal, start: datetime.date, end: datetime.date | None) -> Decimal:
    """The value over the period: annual × months ÷ 12 for whole months (1 April to 31 March is
    12), else annual × days ÷ 365; one year's when there is no end."""
    if end is None:
        return annual
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if add_months(start, months) - datetime.timedelta(days=1) == end:
        return annual * months / 12
    return annual * ((end - start).days + 1) / 365


def _status(start: datetime.date, end: datetime.date | None, today: datetime.date) -> str:
    if today < start:
        return "pending"
    return "active" if end is None or today <= end else "terminated"


class _Chunk:
    """What a chunk of contracts needs besides their own values: their pathways and sub-contracts
    (read in step with the contracts) and the organisations they name not already known."""

    def __init__(
        self, rows: list[tuple[Any, ...]], pathways: InStep, subs: InStep, organisations: dict[int, _Party]
    ) -> None:
        self.pathways = {row[0]: pathways.take(row[0]) for row in rows}
        self.subs = {row[0]: subs.take(row[0]) for row in rows}
        wanted = {row[3] for row in rows} | {row[4] for row in rows}
        wanted |= {partner for found in self.subs.values() for partner, _ in found}
        missing = wanted - organisations.keys()
        if missing:
            for organisation in Organisation.objects.filter(pk__in=missing).only(
                "pk", "name", "charity_number", "company_number"
            ):
                organisations[organisation.pk] = _Party.of(organisation)


@dataclass(frozen=True)
class _Party:
    """An organisation as every release names it, worked out once per export."""

    key: str
    name: str
    numbers: str  # "charity 1099999, company 04567890", or ""
    identifiers: dict[str, Any]

    @classmethod
    def of(cls, organisation: Organisation) -> _Party:
        charity, company = organisation.charity_number, organisation.company_number
        found = identifiers.identifiers_of(charity_number=charity, company_number=company)
        named: dict[str, Any] = {}
        if found:
            named["identifier"] = {**found[0], "legalName": organisation.name}
            if found[1:]:
                named["additionalIdentifiers"] = found[1:]
        return cls(
            key=party_id(organisation, charity_number=charity, company_number=company),
            name=organisation.name,
            numbers=identifiers.describe(charity_number=charity, company_number=company),
            identifiers=named,
        )

    def named(self) -> str:
        return f"{self.name} ({self.numbers})" if self.numbers else self.name


def _add(parties: dict[str, dict[str, Any]], party: _Party, role: str) -> dict[str, str]:
    """As ``ocds.Parties.add``: one party per organisation, roles merged."""
    found = parties.get(party.key)
    if found is None:
        parties[party.key] = {"id": party.key, "name": party.name, "roles": [role], **party.identifiers}
    elif role not in found["roles"]:
        found["roles"].append(role)
    return {"id": party.key, "name": party.name}


@functools.lru_cache(maxsize=4096)
def _day(value: datetime.date) -> str | None:
    """A day's London midnight as _when writes it; the same few thousand days recur."""
    return _when(value)


def _release(
    row: tuple[Any, ...], chunk: _Chunk, organisations: dict[int, _Party], today: datetime.date
) -> dict[str, Any]:
    pk, reference, title, buyer_id, prime_id, annual_value, start, end, updated_at = row
    ocid = contract_ocid(reference)
    parties: dict[str, dict[str, Any]] = {}
    buyer = _add(parties, organisations[buyer_id], "buyer")
    prime = organisations[prime_id]
    supplier = _add(parties, prime, "supplier")
    award_id = f"{reference}-award"
    period = {"startDate": _day(start)}
    if end is not None:
        period["endDate"] = _day(end)
    value = _money(total_value(annual_value, start, end))
    lines = [f"Prime: {prime.named()}, {_pounds(annual_value)} a year."]
    documents = []
    for partner_id, sub_value in chunk.subs.get(pk, ()):
        partner = organisations[partner_id]
        _add(parties, partner, "supplier")
        line = f"Sub-contract from {prime.name} to {partner.named()}: {_pounds(sub_value)} a year."
        lines.append(line)
        documents.append(
            {
                "id": f"sub-contract-{partner.key}",
                "documentType": "subContract",
                "title": f"Sub-contract to {partner.name}",
                "description": line,
                "language": "en",
            }
        )
    if end is None:
        lines.append("Open-ended: the value given is one year's.")
    contract: dict[str, Any] = {
        "id": reference,
        "awardID": award_id,
        "title": title,
        "description": " ".join(lines),
        "status": _status(start, end, today),
        "period": period,
        "value": value,
    }
    pathways = chunk.pathways.get(pk)
    if pathways:
        contract["items"] = [{"id": code, "description": name, "quantity": 1} for code, name in pathways]
    if documents:
        contract["documents"] = documents
    return {
        "ocid": ocid,
        "id": f"{ocid}-{updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        "date": _when(updated_at),
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "parties": list(parties.values()),
        "awards": [
            {
                "id": award_id,
                "title": title,
                "status": "active",
                "suppliers": [supplier],
                "value": value,
                "contractPeriod": period,
            }
        ],
        "contracts": [contract],
    }


def releases(contracts: QuerySet[Contract], *, now: datetime.datetime | None = None) -> Iterator[dict[str, Any]]:
    """One release per contract, in the queryset's order."""
    today = timezone.localdate(now or timezone.now())
    organisations: dict[int, _Party] = {}
    pathways = InStep(
        contracts,
        Contract.pathways.through.objects.all(),
        ("pathway__code", "pathway__name"),
        ("pathway__order", "pathway_id"),
    )
    subs = InStep(contracts, SubContract.objects.all(), ("partner_id", "value"), ("partner__name", "pk"))
    chunks = contract_chunks(contracts, _FIELDS)
    while (rows := next(chunks, None)) is not None:
        chunk = _Chunk(rows, pathways, subs, organisations)
        for row in rows:
            yield _release(row, chunk, organisations, today)
        # Organisations met again in later chunks are kept; the rest need not be.
        if len(organisations) > 4 * CHUNK:
            organisations.clear()
        # Let this chunk go before the next is read, so that only one is ever held.
        del rows, chunk
    pathways.finish()
    subs.finish()


def package_chunks(contracts: QuerySet[Contract], *, uri: str, now: datetime.datetime | None = None) -> Iterator[str]:
    """The release package as JSON text, a piece each time about ``PIECE`` characters of releases
    are ready: one release to a line."""
    yield (
        json.dumps(
            {"uri": uri, "version": OCDS_VERSION, "publisher": PUBLISHER, "license": LICENSE}, ensure_ascii=False
        )[:-1]
        + ', "releases": [\n'
    )
    last_change: str | None = None
    pieces: list[str] = []
    separator = ""
    written = 0
    for release in releases(contracts, now=now):
        pieces.append(json.dumps(release, ensure_ascii=False))
        written += len(pieces[-1])
        if last_change is None or release["date"] > last_change:
            last_change = release["date"]
        if written >= PIECE:
            yield separator + ",\n".join(pieces)
            pieces, separator, written = [], ",\n", 0
    if last_change is None:
        raise ValueError("A release package holds at least one release: no contract is published.")
    yield (separator if pieces else "") + ",\n".join(pieces) + f'\n], "publishedDate": {json.dumps(last_change)}}}\n'
