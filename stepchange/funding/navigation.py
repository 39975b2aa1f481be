"""The funding pages the service navigation offers (collected by core.navigation): to everyone."""

from stepchange.core.navigation import Entry

ENTRIES = [Entry(35, "Funding", "funding:index")]
