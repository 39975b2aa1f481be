"""The oracle of the reports: aggregate figures, public to everyone; the returns' status, to people signed in."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import NOT_FOUND, SIGNED_IN, Case, allowed, everyone, public
from tests.access.world import World

# Written out, not read from the registry, so that a new report must be entered here too.
REPORT_NAMES = (
    "commissioning-feedback",
    "commissioning-funnel",
    "contract-profile",
    "contract-values",
    "national-comparison",
    "not-counted",
    "prison-provision",
    "prison-spend",
    "probation-share",
    "sector-split",
    "share-trend",
)
# Not published figures: for people signed in; someone signed out is sent to sign in.
SIGNED_IN_REPORT_NAMES = ("capacity-outcomes", "money-reach", "provider-burden", "returns-status")
DOWNLOAD_FORMATS = ("csv", "json", "xlsx")

ORACLE: dict[str, Callable[[World], list[Case]]] = {
    # Reports are aggregate figures, public to everyone.
    "reports:index": lambda w: [public("index")],
    "reports:report": lambda w: [
        *(public(name, name=name) for name in REPORT_NAMES),
        *(
            Case(name, {"name": name}, get=allowed(SIGNED_IN), post=allowed(SIGNED_IN))
            for name in SIGNED_IN_REPORT_NAMES
        ),
        Case("no such report", {"name": "no-such-report"}, get=everyone(NOT_FOUND), post=everyone(NOT_FOUND)),
    ],
    # A report's definition is read by whoever may read the report.
    "reports:definition": lambda w: [
        *(public(f"{name} definition", name=name) for name in REPORT_NAMES),
        *(
            Case(f"{name} definition", {"name": name}, get=allowed(SIGNED_IN), post=allowed(SIGNED_IN))
            for name in SIGNED_IN_REPORT_NAMES
        ),
        Case("no such report", {"name": "no-such-report"}, get=everyone(NOT_FOUND), post=everyone(NOT_FOUND)),
    ],
    "reports:download": lambda w: [
        *(public(f"{name}.{ext}", name=name, extension=ext) for name in REPORT_NAMES for ext in DOWNLOAD_FORMATS),
        *(
            Case(f"{name}.{ext}", {"name": name, "extension": ext}, get=allowed(SIGNED_IN), post=allowed(SIGNED_IN))
            for name in SIGNED_IN_REPORT_NAMES
            for ext in DOWNLOAD_FORMATS
        ),
        Case(
            "a format reports do not come in",
            {"name": "probation-share", "extension": "pdf"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
        Case(
            "no such report",
            {"name": "no-such-report", "extension": "csv"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
        ),
    ],
}
