"""Request ids and structured (JSON) logs.

Every request gets an id (the caller's X-Request-ID when it is a plain token, else a new one),
returned in the response header and carried by every log line written while it is handled.
Log lines never carry request bodies, so passwords, tokens and uploaded files stay out of them.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Keys of a log record's extra data that may hold secrets: dropped, never printed.
_SECRET_WORDS = ("password", "token", "secret", "otp", "authorization", "cookie", "csrf", "file")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SAFE_ID.match(offered) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and safe extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_") or key == "request":
                continue
            if any(word in key.lower() for word in _SECRET_WORDS):
                continue
            entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        request = getattr(record, "request", None)
        if request is not None:
            entry["method"] = getattr(request, "method", None)
            entry["path"] = getattr(request, "path", None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """gunicorn's access-log atoms as fields: one line per request, with the id its response carried."""
    fields: dict[str, Any] = {
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": atoms.get("s"),
        "duration_ms": round(int(atoms.get("D") or 0) / 1000, 1),
        "bytes": atoms.get("B"),
    }
    request_id = atoms.get("{x-request-id}o")
    if request_id and request_id != "-":
        fields["request_id"] = request_id
    return fields
