"""Every error of the API in one shape::

    {"status": 400, "title": "The data sent has problems",
     "errors": [{"field": "annual_value", "message": "Enter the annual value"}]}

``field`` names what was wrong (a nested one with dots and indexes: ``lines.2.spend``), or is
null when the problem is the request's as a whole. The messages are the forms' own words.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from stepchange.core.concurrency import AlreadyDone, StaleEdit

TITLES = {
    400: "The data sent has problems",
    401: "A valid token is needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Someone else changed this first",
    412: "Someone else changed this first",
    415: "Send JSON",
    429: "Too many requests",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = StaleEdit.message


def problem(status_code: int, errors: list[dict[str, Any]]) -> Response:
    return Response(
        {"status": status_code, "title": TITLES.get(status_code, "Error"), "errors": errors}, status=status_code
    )


def _flatten(detail: Any, field: str | None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        found: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else str(key)
            found += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return found
    if isinstance(detail, list):
        if all(isinstance(item, (dict, list)) for item in detail) and detail:
            found = []
            for index, item in enumerate(detail):
                found += _flatten(item, f"{field}.{index}" if field else str(index))
            return found
        return [{"field": field, "message": str(item)} for item in detail]
    return [{"field": field, "message": str(detail)}]


def validation_errors(error: ValidationError, *, under: str | None = None) -> list[dict[str, Any]]:
    """A Django ValidationError (a form's or a service's) as the API's list of field and message."""
    if hasattr(error, "error_dict"):
        return _flatten({k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}, under)
    return [{"field": under, "message": message} for message in error.messages]


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StaleEdit):
        exc = Conflict()
    elif isinstance(exc, AlreadyDone):
        exc = Conflict(exc.message)
    elif isinstance(exc, ValidationError):
        return problem(400, validation_errors(exc))
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    errors = (
        _flatten(exc.detail, None)
        if isinstance(exc, exceptions.ValidationError)
        else [{"field": None, "message": str(exc.detail)}]
    )
    shaped = problem(response.status_code, errors)
    for header, value in response.items():
        if header.lower() in ("www-authenticate", "retry-after", "allow"):
            shaped[header] = value
    return shaped
