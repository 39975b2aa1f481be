"""The contract pages the service navigation offers (collected by core.navigation)."""

from stepchange.contracts.access import may_list_contracts
from stepchange.core.navigation import Entry

ENTRIES = [Entry(40, "Contracts", "contracts:list", may_list_contracts)]
