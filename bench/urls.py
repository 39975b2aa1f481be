"""Every URL of the service, plus the floor of the HTTP benchmark at /bench/floor/.

Served only by the benchmark's own server (``bench.settings``); the service's URLconf,
``stepchange.urls``, which the access matrix reads, never includes it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from stepchange.urls import handler400, handler403, handler404, handler500
from stepchange.urls import urlpatterns as service_urlpatterns

FLOOR_TEXT = "floor"


def floor(request: HttpRequest) -> HttpResponse:
    """A bare Django view: a fixed string, through the same middleware as every page."""
    return HttpResponse(FLOOR_TEXT, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *service_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
