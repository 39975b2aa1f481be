"""The organisation pages the service navigation offers (collected by core.navigation)."""

from stepchange.core.navigation import Entry
from stepchange.organisations.access import may_list_organisations

ENTRIES = [Entry(50, "Organisations", "organisations:list", may_list_organisations)]
