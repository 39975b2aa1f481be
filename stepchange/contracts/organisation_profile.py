"""The contracts and sub-contracts an organisation holds, on its profile: those the viewer may see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stepchange.contracts.access import contracts_visible_to
from stepchange.core.money import pounds
from stepchange.organisations.profile_sections import Row, Section


def _held(user: Any, organisation: Any) -> list[Row]:
    contracts = contracts_visible_to(user).filter(prime=organisation).select_related("commissioner__organisation")
    return [
        Row(f"{c.reference}: {c.title}", reverse("contracts:detail", args=[c.pk]), c.commissioner.name)
        for c in contracts.order_by("reference")
    ]


def _sub_contracted(user: Any, organisation: Any) -> list[Row]:
    visible = contracts_visible_to(user)
    rows = []
    for sub in organisation.sub_contracts.filter(contract__in=visible).select_related("contract__prime"):
        contract = sub.contract
        rows.append(
            Row(
                f"{contract.reference}: {contract.title}",
                reverse("contracts:detail", args=[contract.pk]),
                f"{pounds(sub.value, 2)} from {contract.prime.name}",
            )
        )
    return rows


SECTIONS = [
    Section(10, "Contracts held", "No contract held that you may see.", _held),
    Section(20, "Sub-contracts", "No sub-contract that you may see.", _sub_contracted),
]
