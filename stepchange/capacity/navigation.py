"""The capacity-building pages the service navigation offers (collected by core.navigation)."""

from stepchange.capacity.access import may_use_capacity_building
from stepchange.core.navigation import Entry

ENTRIES = [Entry(25, "Capacity building", "capacity:index", may_use_capacity_building)]
