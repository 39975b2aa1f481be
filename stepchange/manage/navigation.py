"""The management pages the service navigation offers (collected by core.navigation).

Manage and Grants share a position: a person is offered one of them at most.
"""

from stepchange.core.navigation import Entry
from stepchange.manage.access import may_use_grants_only, may_use_manage

ENTRIES = [
    Entry(90, "Manage", "manage:index", may_use_manage),
    # A probation contracts manager keeps their own area's main grants.
    Entry(90, "Grants", "manage:grants", may_use_grants_only),
]
