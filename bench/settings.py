"""The service's own settings, for the server the HTTP benchmark starts, with one change: the
URLconf ``bench.urls``, which adds the floor view beside every page of the service.

Only the benchmark selects this module (DJANGO_SETTINGS_MODULE=bench.settings, in the environment
of the gunicorn it starts); the service itself always runs with ``stepchange.settings``, whose
URLconf has no floor view. Everything else (DJANGO_ENV=production, DEBUG, HTTPS redirects, secure
cookies, whitenoise) is read from the environment exactly as the service reads it.
"""

from stepchange.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
