"""Every change to a contract and its sub-contracts: one transaction and one audit event each.

The rules a contract keeps are checked here as well as in the forms, so that the CLI, the demo
loader and any later importer refuse the same bad input with the same words. A broken rule raises
``ValidationError`` keyed by the form field it belongs to; nothing is saved.

Sub-contract changes are recorded against their contract (its ``sub_contracts`` entry before and
after) and bump the contract's version, so the contract's history tells the whole story and an edit
form opened before the change is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from stepchange.contracts.access import commissioners_managed_by, contracts_editable_by
from stepchange.contracts.models import Contract, ContractKind, FundingSource, SubContract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, first_wins, save_if_unchanged, taken
from stepchange.core.models import Pathway
from stepchange.core.money import pounds
from stepchange.core.periods import DateOutsideAnyYear, check_holdable, hold_year_of
from stepchange.organisations.models import Commissioner, Organisation


def contract_snapshot(contract: Contract) -> dict[str, Any]:
    """The contract as its history shows it: names rather than ids, and its sub-contracts."""
    data = snapshot(contract)
    data["commissioner"] = contract.commissioner.code
    data["prime"] = contract.prime.name
    data["sub_contracts"] = [
        f"{sub.partner.name}: {pounds(sub.value, 2)}"
        for sub in contract.sub_contracts.select_related("partner").order_by("partner__name")
    ]
    return data


def _resolve_pathways(pathways: Iterable[Pathway | str]) -> list[Pathway]:
    """Pathways as objects; codes (from the CLI or an import) are looked up and must all exist."""
    resolved: list[Pathway] = []
    for item in pathways:
        if isinstance(item, Pathway):
            resolved.append(item)
            continue
        found = Pathway.objects.filter(code=item).first()
        if found is None:
            names = ", ".join(Pathway.objects.values_list("code", flat=True))
            raise ValidationError({"pathways": f"“{item}” is not a pathway. Choose from: {names}."})
        resolved.append(found)
    return resolved


def _check_contract_rules(
    *,
    actor: Any,
    commissioner: Commissioner,
    annual_value: Decimal,
    start: datetime.date,
    end: datetime.date | None,
    funding_source: str,
    funder: str,
    kind: str,
) -> None:
    errors: dict[str, str] = {}
    if not commissioners_managed_by(actor).filter(pk=commissioner.pk).exists():
        errors["commissioner"] = (
            f"You cannot record contracts for {commissioner.name}: choose a commissioner you manage."
        )
    if annual_value is None or annual_value < 0:
        errors["annual_value"] = "The annual value cannot be negative."
    if end is not None and end < start:
        errors["end"] = "The end date must be the same as or after the start date."
    try:
        check_holdable(start)
    except DateOutsideAnyYear as outside:
        errors["start"] = str(outside)
    if funding_source not in FundingSource.values:
        errors["funding_source"] = "Choose where the money comes from."
    elif funding_source == FundingSource.CO_COMMISSIONED and not funder.strip():
        errors["funder"] = "Enter the funder of co-commissioned money, for example the drug action team."
    if kind not in ContractKind.values:
        errors["kind"] = "Choose the kind of agreement."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    reference: str,
    title: str,
    commissioner: Commissioner,
    prime: Organisation,
    annual_value: Decimal,
    start: datetime.date,
    end: datetime.date | None = None,
    funding_source: str = FundingSource.MAIN_GRANT,
    funder: str = "",
    kind: str = ContractKind.CONTRACT,
    published: bool = False,
    notes: str = "",
    pathways: Iterable[Pathway | str] = (),
) -> Contract:
    resolved = _resolve_pathways(pathways)
    _check_contract_rules(
        actor=actor,
        commissioner=commissioner,
        annual_value=annual_value,
        start=start,
        end=end,
        funding_source=funding_source,
        funder=funder,
        kind=kind,
    )
    reference = reference.strip()
    if Contract.objects.filter(reference__iexact=reference).exists():
        raise ValidationError({"reference": f"The reference {reference} is already in use. Enter another."})
    hold_year_of(start)  # a contract started in a year not yet held makes it held (core/periods.py)
    with first_wins(
        taken(
            Contract,
            lookup={"reference__iexact": reference},
            refusal=ValidationError({"reference": f"The reference {reference} is already in use. Enter another."}),
        )
    ):
        contract = Contract.objects.create(
            reference=reference,
            title=title.strip(),
            commissioner=commissioner,
            prime=prime,
            annual_value=annual_value,
            start=start,
            end=end,
            funding_source=funding_source,
            funder=funder.strip(),
            kind=kind,
            published=published,
            notes=notes,
        )
    contract.pathways.set(resolved)
    audit_record(actor=actor, action="contract_create", obj=contract, after=contract_snapshot(contract))
    return contract


def _editable(actor: Any, contract: Contract) -> None:
    if not contracts_editable_by(actor).filter(pk=contract.pk).exists():
        raise PermissionDenied("You cannot change this contract.")


@transaction.atomic
def contract_update(
    *,
    actor: Any,
    contract: Contract,
    expected_version: int,
    reference: str,
    title: str,
    commissioner: Commissioner,
    prime: Organisation,
    annual_value: Decimal,
    start: datetime.date,
    end: datetime.date | None = None,
    funding_source: str = FundingSource.MAIN_GRANT,
    funder: str = "",
    kind: str = ContractKind.CONTRACT,
    published: bool = False,
    notes: str = "",
    pathways: Iterable[Pathway | str] = (),
) -> Contract:
    """Change a contract, provided nobody has saved it since ``expected_version`` was read."""
    _editable(actor, contract)
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    if current.version != expected_version:
        raise StaleEdit()
    resolved = _resolve_pathways(pathways)
    _check_contract_rules(
        actor=actor,
        commissioner=commissioner,
        annual_value=annual_value,
        start=start,
        end=end,
        funding_source=funding_source,
        funder=funder,
        kind=kind,
    )
    reference = reference.strip()
    if Contract.objects.filter(reference__iexact=reference).exclude(pk=contract.pk).exists():
        raise ValidationError({"reference": f"The reference {reference} is already in use. Enter another."})
    allocated = current.sub_contracts.aggregate(total=Sum("value"))["total"] or Decimal(0)
    if annual_value is not None and allocated > annual_value:
        raise ValidationError(
            {
                "annual_value": f"The sub-contracts of this contract add up to {pounds(allocated, 2)}; "
                "the annual value cannot be less than that."
            }
        )
    if current.sub_contracts.filter(partner=prime).exists():
        raise ValidationError({"prime": f"{prime.name} is a sub-contractor on this contract, so cannot be its prime."})
    before = contract_snapshot(current)
    hold_year_of(start)
    save_if_unchanged(
        current,
        expected_version=expected_version,
        fields={
            "reference": reference,
            "title": title.strip(),
            "commissioner": commissioner,
            "prime": prime,
            "annual_value": annual_value,
            "start": start,
            "end": end,
            "funding_source": funding_source,
            "funder": funder.strip(),
            "kind": kind,
            "published": published,
            "notes": notes,
            "updated_at": timezone.now(),
        },
    )
    current.pathways.set(resolved)
    audit_record(actor=actor, action="contract_update", obj=current, before=before, after=contract_snapshot(current))
    return current


def _bump(contract: Contract, expected_version: int | None) -> None:
    """A sub-contract change is a change to its contract: a form opened before it is now stale."""
    if expected_version is not None:
        save_if_unchanged(contract, expected_version=expected_version, fields={"updated_at": timezone.now()})
    else:
        Contract.objects.filter(pk=contract.pk).update(version=F("version") + 1, updated_at=timezone.now())
        contract.refresh_from_db()


@transaction.atomic
def sub_contract_add(
    *,
    actor: Any,
    contract: Contract,
    partner: Organisation,
    value: Decimal,
    expected_version: int | None = None,
) -> SubContract:
    _editable(actor, contract)
    # Lock the contract so two partners added at once cannot together pass the total.
    current = Contract.objects.select_for_update().select_related("prime").get(pk=contract.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit()
    errors: dict[str, str] = {}
    if partner.pk == current.prime_id:
        errors["partner"] = f"{partner.name} is the prime provider of this contract; choose a different partner."
    elif current.sub_contracts.filter(partner=partner).exists():
        errors["partner"] = f"{partner.name} already has a sub-contract on this contract."
    if value is None or value < 0:
        errors["value"] = "The sub-contract value cannot be negative."
    else:
        allocated = current.sub_contracts.aggregate(total=Sum("value"))["total"] or Decimal(0)
        if allocated + value > current.annual_value:
            room = current.annual_value - allocated
            errors["value"] = (
                f"The sub-contracts would add up to {pounds(allocated + value, 2)}, more than the contract's annual "
                f"value of {pounds(current.annual_value, 2)}. At most {pounds(room, 2)} is left to sub-contract."
            )
    if errors:
        raise ValidationError(errors)
    before = contract_snapshot(current)
    sub_contract = SubContract.objects.create(contract=current, partner=partner, value=value)
    _bump(current, expected_version)
    audit_record(actor=actor, action="sub_contract_add", obj=current, before=before, after=contract_snapshot(current))
    return sub_contract


@transaction.atomic
def sub_contract_remove(*, actor: Any, sub_contract: SubContract, expected_version: int | None = None) -> None:
    contract = sub_contract.contract
    _editable(actor, contract)
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit()
    before = contract_snapshot(current)
    SubContract.objects.filter(pk=sub_contract.pk).delete()
    _bump(current, expected_version)
    audit_record(
        actor=actor, action="sub_contract_remove", obj=current, before=before, after=contract_snapshot(current)
    )
