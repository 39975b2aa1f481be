"""The monitoring requests in the service navigation (collected by core.navigation): for the
commissioners who ask them and the providers who answer them."""

from stepchange.burden.access import may_use_monitoring
from stepchange.core.navigation import Entry

ENTRIES = [Entry(72, "Monitoring", "burden:requests", may_use_monitoring)]
