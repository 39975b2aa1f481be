"""The consortia pages the service navigation offers (collected by core.navigation)."""

from stepchange.consortia.access import may_use_consortia
from stepchange.core.navigation import Entry

ENTRIES = [Entry(26, "Consortia", "consortia:index", may_use_consortia)]
