"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from stepchange.core.timeouts import mark_web_process

mark_web_process()  # the web's statement and lock timeouts (stepchange/core/timeouts.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
application = get_wsgi_application()
