"""The commissioning pages the service navigation offers (collected by core.navigation)."""

from stepchange.commissioning.access import may_evaluate
from stepchange.core.navigation import Entry

ENTRIES = [
    Entry(20, "Opportunities", "commissioning:list"),
    # An evaluator's bids to declare on and score, once each stage's deadline has passed.
    Entry(60, "Evaluations", "commissioning:evaluations", may_evaluate),
]
