"""The service's own settings, for the server the HTTP benchmark starts, with two changes: the
URLconf ``bench.urls``, which adds the floor view beside every page of the service, and database
connections kept from one request to the next.

Only the benchmark selects this module (DJANGO_SETTINGS_MODULE=bench.settings, in the environment
of the gunicorn it starts); the service itself always runs with ``stepchange.settings``, whose
URLconf has no floor view. Everything else (DJANGO_ENV=production, DEBUG, HTTPS redirects, secure
cookies, whitenoise) is read from the environment exactly as the service reads it.

The connections: on PostgreSQL a pool per worker process (psycopg's, through Django's ``pool``
option), as many connections as the worker has threads, opened once and handed to each request in
turn; on SQLite, where there is no pool, each thread's connection kept open (``CONN_MAX_AGE``
None). So neither the floor nor a page pays for opening a connection, and the ratio is what the
page's own work costs. (How the service itself pools in production is set in its own settings.)
"""

import os

from stepchange.settings import *  # noqa: F403
from stepchange.settings import DATABASES

ROOT_URLCONF = "bench.urls"

# The threads of one gunicorn worker (bench/http.py passes its --threads here).
_THREADS = int(os.environ.get("BENCH_THREADS", "4"))

_default = dict(DATABASES["default"])
if _default["ENGINE"] == "django.db.backends.postgresql":
    _default["CONN_MAX_AGE"] = 0  # Django's pool hands connections back itself; the two do not mix
    _default["OPTIONS"] = {**_default.get("OPTIONS", {}), "pool": {"min_size": _THREADS, "max_size": _THREADS}}
else:
    _default["CONN_MAX_AGE"] = None
    _default["CONN_HEALTH_CHECKS"] = True
DATABASES = {**DATABASES, "default": _default}
