"""The community-engagement pages the service navigation offers (collected by core.navigation)."""

from stepchange.core.navigation import Entry
from stepchange.engagement.access import may_use_engagement

ENTRIES = [Entry(75, "Community engagement", "engagement:index", may_use_engagement)]
