"""The plans pages the service navigation offers (collected by core.navigation)."""

from stepchange.core.navigation import Entry
from stepchange.plans.access import may_use_plans

ENTRIES = [Entry(45, "Plans", "plans:index", may_use_plans)]
