"""The oracle of the reports: aggregate figures, public to everyone; the returns' status, to people signed in."""

from __future__ import annotations

from collections.abc import Callable

from tests.access.oracle.base import NOT_FOUND, SIGNED_IN, Case, allowed, everyone, read_only
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
    # Reports are aggregate figures, public to everyone. Their pages only read: a POST is refused
    # (405) for everyone, before anything is looked up.
    "reports:index": lambda w: [read_only("index")],
    "reports:report": lambda w: [
        *(read_only(name, name=name) for name in REPORT_NAMES),
        *(read_only(name, allowed(SIGNED_IN), name=name) for name in SIGNED_IN_REPORT_NAMES),
        read_only("no such report", everyone(NOT_FOUND), name="no-such-report"),
    ],
    # A report's definition is read by whoever may read the report.
    "reports:definition": lambda w: [
        *(read_only(f"{name} definition", name=name) for name in REPORT_NAMES),
        *(read_only(f"{name} definition", allowed(SIGNED_IN), name=name) for name in SIGNED_IN_REPORT_NAMES),
        read_only("no such report", everyone(NOT_FOUND), name="no-such-report"),
    ],
    "reports:download": lambda w: [
        *(read_only(f"{name}.{ext}", name=name, extension=ext) for name in REPORT_NAMES for ext in DOWNLOAD_FORMATS),
        *(
            read_only(f"{name}.{ext}", allowed(SIGNED_IN), name=name, extension=ext)
            for name in SIGNED_IN_REPORT_NAMES
            for ext in DOWNLOAD_FORMATS
        ),
        read_only("a format reports do not come in", everyone(NOT_FOUND), name="probation-share", extension="pdf"),
        read_only("no such report", everyone(NOT_FOUND), name="no-such-report", extension="csv"),
    ],
}
