"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from stepchange.core.timeouts import mark_web_process

mark_web_process()  # the web's statement and lock timeouts (stepchange/core/timeouts.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
application = get_asgi_application()
