"""The returns pages the service navigation offers (collected by core.navigation)."""

from stepchange.core.navigation import Entry
from stepchange.returns.access import may_see_returns

ENTRIES = [Entry(70, "Returns", "returns:rounds", may_see_returns)]
