"""gunicorn's own settings that are not about the deployment (those come from ``manage.py serve``,
which reads them from settings): its error and access lines are logged as the service's are, one
JSON object a line on standard output (stepchange/core/observability.py)."""

# Each request's line: the JSON formatter turns these atoms into fields (method, path, status,
# duration_ms, request_id), so the line can be found by the id the response carried.
access_log_format = "%(m)s %(U)s %(s)s"
accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "stepchange.core.observability.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
