"""The oracle of contracts and their sub-contracts."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import COMMISSIONER_MANAGERS, NOT_FOUND, SIGN_IN, Case, allowed, guarded, public
from tests.access.world import EDITABLE, PERSONAS, SY, VISIBLE, WY, World


def contract_pages(world: World, holders: dict[str, set[str]], *, signed_out: str) -> list[Case]:
    cases = []
    for reference, contract in world.contracts.items():
        ok = {p for p in PERSONAS if reference in holders[p]}
        outcomes = allowed(ok, signed_out=signed_out)
        cases.append(Case(reference, {"pk": contract.pk}, get=outcomes, post=outcomes))
    return cases


def sub_contract_removals(world: World) -> list[Case]:
    """Removing a sub-contract really removes it, for those who may edit the contract: it is rolled back."""
    cases = []
    for reference in (SY, WY):
        ok = {p for p in PERSONAS if reference in EDITABLE[p]}
        kwargs = {"pk": world.contracts[reference].pk, "sub_pk": world.subs[reference].pk}
        cases.append(Case(reference, kwargs, get=allowed(ok), post=allowed(ok), data={}, rollback=True))
    # A sub-contract reached through a contract it is not on: nobody, not even Root.
    crossed = {"pk": world.contracts[SY].pk, "sub_pk": world.subs[WY].pk}
    cases.append(Case("WY's sub-contract through SY", crossed, get=allowed(set()), post=allowed(set()), data={}))
    return cases


ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # Contracts: the list and its CSV and XLSX show anyone what they may see (test_rows checks the rows).
    "contracts:list": lambda w: [public("list")],
    "contracts:list-csv": lambda w: [public("CSV")],
    "contracts:list-xlsx": lambda w: [public("XLSX")],
    "contracts:create": lambda w: [guarded("add", COMMISSIONER_MANAGERS)],
    # Not behind sign-in: a published contract is public, so someone signed out gets a 404 too.
    "contracts:detail": lambda w: contract_pages(w, VISIBLE, signed_out=NOT_FOUND),
    "contracts:edit": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-add": lambda w: contract_pages(w, EDITABLE, signed_out=SIGN_IN),
    "contracts:sub-contract-remove": sub_contract_removals,
}
