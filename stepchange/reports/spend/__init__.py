"""Spend figures of probation areas, by theme: the share of main grant and its rule
(``shares``), the probation-share report, the sector split, contract values, spend that does not
count, and the share's trend over the year.

Registering a report is importing its module; importing this package registers them all.
"""

from stepchange.reports.spend import not_counted, probation_share, reach, sectors, trend, values

__all__ = ["not_counted", "probation_share", "reach", "sectors", "trend", "values"]
