"""The account pages the service navigation offers (collected by core.navigation)."""

from stepchange.accounts.access import may_administer_people
from stepchange.core.navigation import Entry

ENTRIES = [Entry(80, "People", "accounts:people", may_administer_people)]
