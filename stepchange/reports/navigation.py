"""The report pages the service navigation offers (collected by core.navigation)."""

from stepchange.core.navigation import Entry

ENTRIES = [Entry(30, "Reports", "reports:index")]
