"""Every setting of stepchange, read from the environment here and nowhere else.

Local use needs no environment at all: SQLite in the project folder, DEBUG on, a throw-away key.
Production (DJANGO_ENV=production) must name its SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and
EMAIL_URL (an SMTP server) and BID_SEALING_KEYS, and refuses to start without them.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

PRODUCTION = env.str("DJANGO_ENV", default="local") == "production"


class MissingSetting(RuntimeError):
    """A production deployment started without a setting it cannot do without."""


def _required_in_production(name: str, local_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise MissingSetting(f"{name} must be set in the environment when DJANGO_ENV=production")
    return local_default


SECRET_KEY = _required_in_production("SECRET_KEY", "local-only-insecure-key-not-for-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = _required_in_production("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Pooled PostgreSQL connections (Django's psycopg pool): each process keeps up to DB_POOL_MAX_SIZE
# connections open and lends one to each request, instead of opening one per request. On by
# default in production; never on SQLite (which has no server to connect to).
DATABASE_POOL = env.bool("DB_POOL", default=PRODUCTION)
DATABASE_POOL_OPTIONS = {
    "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
    "max_size": env.int("DB_POOL_MAX_SIZE", default=8),
    # Seconds a request waits for a free connection before it fails (a 503 "service unavailable").
    "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
}


def _database(url: str, *, pool: bool = True) -> dict:
    config = environ.Env.db_url_config(url)
    config["ATOMIC_REQUESTS"] = False
    if pool and DATABASE_POOL and config["ENGINE"] == "django.db.backends.postgresql":
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "pool": dict(DATABASE_POOL_OPTIONS)}
        config["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not as well
    return config


_DATABASE_URL = _required_in_production("DATABASE_URL", f"sqlite:///{BASE_DIR / 'stepchange.sqlite3'}")
# A read replica (a PostgreSQL streaming replica of DATABASE_URL) the reports read from; without
# one, the "replica" alias is a second connection to the same database and reports read from the
# primary. Writes never go to it (stepchange/core/replica.py). In tests it mirrors the default.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPORTS_READ_FROM_REPLICA = env.bool("REPORTS_READ_FROM_REPLICA", default=bool(DATABASE_REPLICA_URL))
DATABASES = {
    "default": _database(_DATABASE_URL),
    # Pooled only when it is a replica of its own: a second pool on the primary would hold idle
    # connections to it for nothing (and keep a test database from being dropped).
    "replica": _database(DATABASE_REPLICA_URL or _DATABASE_URL, pool=bool(DATABASE_REPLICA_URL)),
}
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["stepchange.core.replica.ReplicaRouter"]

# Seconds a query may run, and wait for a lock, before the database cancels it (0: no limit), for
# the web service and for everything else (commands, migrations, imports, load_demo, benchmarks).
# Set on every new connection by stepchange/core/timeouts.py; SQLite only waits for locks.
DATABASE_TIMEOUTS = {
    "web": {
        "statement": env.float("DB_STATEMENT_TIMEOUT_WEB", default=20.0),
        "lock": env.float("DB_LOCK_TIMEOUT_WEB", default=5.0),
    },
    "commands": {
        "statement": env.float("DB_STATEMENT_TIMEOUT_COMMANDS", default=0.0),
        "lock": env.float("DB_LOCK_TIMEOUT_COMMANDS", default=0.0),
    },
}

# The master keys that wrap each opportunity's bid key (commissioning/sealing.py): "id:base64key"
# (32-byte keys), comma-separated, the first being the one new keys are wrapped with. The database
# never holds them. Locally a fixed development key; in production the variable is required.
LOCAL_BID_SEALING_KEY = "local-1:c3RlcGNoYW5nZS1sb2NhbC1iaWQtc2VhbGluZy1rZXk="


def _bid_sealing_keys(value: str) -> list[tuple[str, bytes]]:
    import base64
    import binascii

    from django.core.exceptions import ImproperlyConfigured

    keys: list[tuple[str, bytes]] = []
    for item in value.split(","):
        key_id, _, encoded = item.strip().partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            key = b""
        if not key_id or len(key) != 32 or key_id in {k for k, _ in keys}:
            raise ImproperlyConfigured(
                "BID_SEALING_KEYS must be comma-separated id:base64key pairs, each key 32 bytes, each id once"
            )
        keys.append((key_id, key))
    return keys


BID_SEALING_KEYS = _bid_sealing_keys(_required_in_production("BID_SEALING_KEYS", LOCAL_BID_SEALING_KEY))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "stepchange.core",
    "stepchange.accounts",
    "stepchange.notifications",
    "stepchange.organisations",
    "stepchange.bulletins",
    "stepchange.contracts",
    "stepchange.returns",
    "stepchange.reports",
    "stepchange.commissioning",
    "stepchange.capacity",
    "stepchange.consortia",
    "stepchange.plans",
    "stepchange.governance",
    "stepchange.engagement",
    "stepchange.manage",
    "stepchange.imports",
    "stepchange.funding",
    "stepchange.burden",
    "stepchange.pack",
    "stepchange.api",
    "stepchange.demo",
]

MIDDLEWARE = [
    "stepchange.core.observability.RequestIdMiddleware",
    # Outside the rest, so that every response carries its headers (stepchange/core/headers.py).
    "stepchange.core.headers.PrivacyHeadersMiddleware",
    "stepchange.core.errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the header middleware, so that a refused PUT, PATCH or DELETE carries the headers too,
    # and before the session and the user: refusing one reads nothing from the database.
    "stepchange.core.methods.RefuseUntakenMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stepchange.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages middleware: it answers a request someone else just did with a message.
    "stepchange.core.concurrency.AlreadyDoneMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stepchange.urls"
WSGI_APPLICATION = "stepchange.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "stepchange" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stepchange.core.context_processors.service",
            ],
        },
    },
]
# Form widgets render through the service's own template engine, so its copies of Django's widget
# templates (templates/django/forms/widgets/, fewer templates rendered a field) come first; the GOV.UK
# markup around each field is core/_field.html's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "stepchange"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Mail: one EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587. Production must send
# real mail (invitations and password resets depend on it), so there it is required and only an
# SMTP URL is accepted; locally mail is printed to the console.
_EMAIL = env.email_url_config(_required_in_production("EMAIL_URL", "consolemail://"))
if PRODUCTION and _EMAIL["EMAIL_BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    raise ImproperlyConfigured(
        "EMAIL_URL must be an smtp://, smtp+tls:// or smtps:// URL when DJANGO_ENV=production, "
        "not a console, memory, dummy or file backend"
    )
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _EMAIL["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = bool(_EMAIL.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_EMAIL.get("EMAIL_USE_SSL", False))
# A mail server that does not answer fails the request after this long rather than hanging it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stepchange <no-reply@stepchange.invalid>")
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "collected"
STATICFILES_DIRS = [
    BASE_DIR / "build" / "static",
    BASE_DIR / "stepchange" / "static",
    # Only what pages load from GOV.UK Frontend: its fonts and images (its script is copied into
    # build/static/govuk/ by the set-up), not the thousand source files beside them.
    ("govuk/assets", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# No inline script or style anywhere: GOV.UK Frontend's start-up lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, denied to every origin (an empty list): sent as Permissions-Policy.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The load balancer's probes speak plain HTTP to the process (stepchange/core/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# A request is taken to have come over HTTPS because a header says so only when the deployment
# names that header (e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO): only a proxy in front of
# the service that sets it, and removes a client's own, makes it true. Unset, nobody's header is
# believed, so behind a proxy that ends TLS without naming it HTTPS redirects would never stop.
_PROXY_SSL_HEADER = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _PROXY_SSL_HEADER:
    if not _PROXY_SSL_HEADER.startswith("HTTP_"):
        raise MissingSetting(
            f"SECURE_PROXY_SSL_HEADER names a request header as Django sees it, like HTTP_X_FORWARDED_PROTO, "
            f"not {_PROXY_SSL_HEADER!r}"
        )
    SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https")

# How `manage.py serve` (make serve) runs gunicorn: the address it listens on, its worker processes
# and each one's threads. Each thread holds at most one pooled connection, so DB_POOL_MAX_SIZE should
# be at least WEB_THREADS.
SERVE = {
    "bind": env.str("SERVE_BIND", default="127.0.0.1:8000"),
    "workers": env.int("WEB_CONCURRENCY", default=2),
    "threads": env.int("WEB_THREADS", default=4),
    "timeout": env.int("WEB_TIMEOUT", default=30),
}

# The region a signed-out visitor sees when they name none.
DEFAULT_REGION = env.str("DEFAULT_REGION", default="YH")

# The figures of the home page: the reports app's dashboard (core, which serves the page, imports
# no app).
HOME_DASHBOARD = "stepchange.reports.dashboard.dashboard_for"
# A person's latest notifications for the home page (templates/notifications/_recent.html takes
# what it returns as ``notifications``); named here for the same reason.
HOME_NOTIFICATIONS = "stepchange.notifications.selectors.recent_for"

# Where the public site lives, for the absolute links that open data written by a command (no
# request to read the host from) must carry, e.g. https://stepchange.example.org.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://localhost:8000").rstrip("/")

# Background work (an import's checking, saving and undoing; sending bulletins): django-tasks with
# its database backend; the worker is `manage.py db_worker` (docs/imports.md, docs/bulletins.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The API, /api/v1/ (docs/api.md): tokens only (a browser's session is not taken), one error shape,
# pages of 50 (at most 200), and these rate limits: per token, and per address without one.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["stepchange.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "stepchange.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "stepchange.api.throttles.TokenRateThrottle",
        "stepchange.api.throttles.AnonymousRateThrottle",
    ],
    "EXCEPTION_HANDLER": "stepchange.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
API_RATE_LIMITS = {
    "token": env.str("API_RATE_TOKEN", default="600/minute"),
    "anon": env.str("API_RATE_ANONYMOUS", default="120/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "stepchange API",
    "DESCRIPTION": "Read what you may see of the region's contracts, returns, opportunities, bids and reports; "
    "record contracts and prison returns. Authenticate with a token from Your account, API tokens.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# Structured logs: one JSON object a line, each with the request id (stepchange/core/observability.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "stepchange.core.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "stepchange.core.observability.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The PDF of the steering group's pack: a line per page laid out otherwise.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
