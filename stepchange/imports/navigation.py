"""The imports page the service navigation offers (collected by core.navigation), after Manage."""

from stepchange.core.navigation import Entry
from stepchange.imports.access import may_use_imports

ENTRIES = [Entry(95, "Imports", "imports:index", may_use_imports)]
