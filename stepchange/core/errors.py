"""Error pages in the service's own style; a 503 when the database cannot be reached, and another
when a query was cancelled for waiting too long on a lock or running too long (core/timeouts.py)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from stepchange.core.timeouts import cancelled_by_timeout

logger = logging.getLogger("stepchange.errors")


def _render(template: str, status: int, request: HttpRequest | None = None) -> HttpResponse:
    # Rendered without context processors: they may need the database that has just failed.
    body = loader.get_template(template).render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _render("errors/404.html", 404, request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _render("errors/403.html", 403, request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _render("errors/400.html", 400, request)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its handler for the uncaught exception, so the exception is at hand.
    exc = sys.exc_info()[1]
    if exc is not None and cancelled_by_timeout(exc):
        return DatabaseUnavailableMiddleware.busy(request, exc)
    if isinstance(exc, (OperationalError, InterfaceError)):
        return DatabaseUnavailableMiddleware.unavailable(request, exc)
    return _render("errors/500.html", 500, request)


class DatabaseUnavailableMiddleware:
    """A page whose database is unreachable answers 503 'service unavailable', never a stack trace;
    one whose query was cancelled by the statement or lock timeout answers 503 'this is busy'.

    Either way nothing the request was saving is kept: each service is one transaction, and the
    error that reaches here has already rolled it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            if cancelled_by_timeout(exc):
                return self.busy(request, exc)
            return self.unavailable(request, exc)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if cancelled_by_timeout(exception):
            return self.busy(request, exception)
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connect" in str(exception).lower()
        ):
            return self.unavailable(request, exception)
        return None

    @staticmethod
    def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
        logger.error("database unavailable: %s", type(exc).__name__)
        response = _render("errors/503.html", 503, request)
        response["Retry-After"] = "60"
        return response

    @staticmethod
    def busy(request: HttpRequest, exc: BaseException) -> HttpResponse:
        # The log line carries the request id (observability.RequestIdFilter), as the page does.
        cause = exc.__cause__
        logger.warning(
            "database busy: %s %s",
            type(cause or exc).__name__,
            getattr(cause, "sqlstate", None) or "locked",
            extra={"request": request},
        )
        response = _render("errors/busy.html", 503, request)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response


# Seconds the busy page asks a client to wait: long enough for a lock held by a short write to go.
BUSY_RETRY_AFTER = 5
