"""Reports read from returns: prison provision by pathway and quarter (``provision``), prison spend
by pathway (``prison_spend``), and how complete each round is (``status``). Registered once; every
format and the command line come from the registry.

Only approved returns reach these figures (an approved return counts until a correction of it is
approved). Each report says how many of the returns it asked for it is still missing.

Registering a report is importing its module; importing this package registers them all.
"""

from stepchange.reports.returns import prison_spend, provision, status

__all__ = ["prison_spend", "provision", "status"]
