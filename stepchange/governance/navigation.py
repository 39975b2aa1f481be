"""The governance pages the service navigation offers (collected by core.navigation): to the
regional team, who own the region's action plan and run its groups."""

from stepchange.core.navigation import Entry
from stepchange.governance.access import may_use_governance

ENTRIES = [Entry(27, "Governance", "governance:index", may_use_governance)]
