"""The commissioning pages the service navigation offers (collected by core.navigation)."""

from stepchange.commissioning.access import has_evaluations
from stepchange.core.navigation import Entry

ENTRIES = [
    Entry(20, "Opportunities", "commissioning:list"),
    # The bids to declare on and score, once each stage's deadline has passed, of whoever is named
    # as an evaluator on a stage.
    Entry(60, "Evaluations", "commissioning:evaluations", has_evaluations),
]
