"""Evently settings: everything configurable comes from the environment (or `.env`).

Every variable is listed with its default in `.env.example` and in the README.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

import os

from evently.config import (
    cache_config,
    checked_rate,
    checked_secret,
    cors_origins,
    database_config,
    env_file,
    flag,
    host_list,
    network_list,
    number,
)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The environment wins over `.env`; EVENTLY_ENV_FILE names another file, or none when empty
# (the test settings: tests never read a developer's `.env`).
ENV_FILE = env_file(os.environ, base_dir=BASE_DIR)
if ENV_FILE is not None:
    environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Core ---------------------------------------------------------------------------------

DEBUG = flag(os.environ, "DEBUG", False)
JWT_SECRET = env.str("JWT_SECRET", default="")
if not JWT_SECRET:
    raise ImproperlyConfigured(
        "JWT_SECRET is not set. Put a long random value in the environment or in .env "
        "(`make run` writes one on first start, into .env or the file EVENTLY_ENV_FILE names)."
    )
checked_secret("JWT_SECRET", JWT_SECRET)
# Django's own signing (sessions of the staff console, CSRF) uses a key derived from the
# JWT secret, so one secret configures the whole service.
SECRET_KEY = (
    checked_secret("DJANGO_SECRET_KEY", env.str("DJANGO_SECRET_KEY"))
    if env.str("DJANGO_SECRET_KEY", default="")
    else "django:" + JWT_SECRET
)
ALLOWED_HOSTS = host_list(env.str("ALLOWED_HOSTS", default="*"))
# Debug pages (DEBUG=true) hide every setting whose name says it may hold a credential,
# URLs included: REDIS_URL, EMAIL_URL, the broker and the cache LOCATION carry passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "evently.reporting.SettingsHidingFilter"

INSTALLED_APPS = [
    "evently.staff.StaffAdminConfig",  # django.contrib.admin with a rate-limited login
    # Before django.contrib.auth: its `createsuperuser` and `changepassword` commands are
    # replaced by the accounts app's (an earlier app's command of the same name wins).
    "accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "corsheaders",
    "django_prometheus",
    "evently.apps.EventlyConfig",
    "events",
    "bookings",
    "analytics",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # HEAD answers carry the GET's headers and no body, whatever answered below.
    "evently.middleware.HeadBodyRemovalMiddleware",
    # A database outage anywhere below is a 503, never a 500.
    "evently.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Large JSON answers compressed when the client accepts gzip (it sees each response after
    # every view and middleware below it has finished the body).
    "evently.middleware.JsonGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /healthz and /readyz, before CommonMiddleware validates the Host: probes come by address.
    "evently.middleware.ProbeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the header-setting middleware, so its early 411/413 answers carry them too; still
    # before any view (and CSRF's process_view) reads a body.
    "evently.middleware.RequestBodyLimitMiddleware",
    "evently.middleware.BoundedPrometheusAfterMiddleware",
]

ROOT_URLCONF = "evently.urls"
WSGI_APPLICATION = "evently.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "evently" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database and cache -------------------------------------------------------------------

BOOKING_LOCK_TIMEOUT = number(os.environ, "BOOKING_LOCK_TIMEOUT", 5.0, minimum=0.01)
DATABASES = {
    "default": database_config(
        env.str("DATABASE_URL", default=""),
        base_dir=BASE_DIR,
        lock_timeout_seconds=BOOKING_LOCK_TIMEOUT,
        conn_max_age=number(os.environ, "DB_CONN_MAX_AGE", 600, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": cache_config(REDIS_URL)}
# A cache outage must degrade (analytics computed uncached, rate limits open), never 500.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Auth ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Where a staff-console login goes when its `next` is missing or off this site (Django's
# default, /accounts/profile/, is no page here).
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
# Emails are unique under full Unicode case folding through a unique `email_folded` column,
# which Django's auth check cannot see (it wants `unique=True` on USERNAME_FIELD itself).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = number(os.environ, "PASSWORD_MIN_LENGTH", 8, minimum=1)
PASSWORD_MAX_LENGTH = 1024
# Only what the contract refuses (shorter than PASSWORD_MIN_LENGTH) plus an upper bound on
# hashing work; the validators read both settings on every call (accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.SettingMinimumLengthValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator"},
]
ACCESS_TOKEN_EXPIRE_MINUTES = number(os.environ, "ACCESS_TOKEN_EXPIRE_MINUTES", 120, minimum=1)

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    # Tokens of the service Evently replaces carry only `sub` and `exp`; they stay valid.
    "TOKEN_TYPE_CLAIM": None,
    "JTI_CLAIM": None,
    "UPDATE_LAST_LOGIN": False,
    "LEEWAY": 0,
    "AUTH_TOKEN_CLASSES": ("accounts.tokens.AccessToken",),
}

# --- REST framework and OpenAPI -----------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": ["evently.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "evently.api.exceptions.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "evently.api.parsers.JSONByDefaultNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    # `?format=` is an ordinary query parameter (the attendee list's csv), not DRF's renderer
    # override, which answered 404 to `?format=csv` on every other route.
    "URL_FORMAT_OVERRIDE": None,
    # OPTIONS names the route and its media types; request bodies are described once, in
    # /openapi.json (DRF's `actions` described the view's output serializer as the POST body).
    "DEFAULT_METADATA_CLASS": "evently.api.metadata.RouteMetadata",
}

# What /docs shows people: the introduction, the resource groups (TAGS, in this order) and,
# per operation, the summary/description/examples declared beside each view (api/views.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "Evently API",
    "DESCRIPTION": (
        "Event ticketing: browse events, book seats, join waitlists, check tickets at the door, "
        "run events.\n\n"
        "**Signing in.** Create an account with `POST /auth/signup`, then `POST /auth/login` "
        "gives an `access_token`; send it as `Authorization: Bearer <access_token>` "
        "(in this page: *Authorize*). Tokens last two hours by default.\n\n"
        "**Roles.** `user` books and manages their own bookings; `admin` runs events, bookings "
        "and users; `checkin` (door staff) may only check tickets in and read attendee lists.\n\n"
        "**Errors** always come as JSON with a readable `detail`; a request that fails "
        "validation gets 422 with `errors` per field. A 429 or 503 says in `Retry-After` how "
        "many seconds to wait.\n\n"
        "**Times** are ISO 8601. Responses give them in UTC with a `Z`; requests may use `Z`, "
        "an offset, or no zone (taken as UTC). Each event names its own zone in `timezone`.\n\n"
        "**Retrying a booking is safe:** send the same `Idempotency-Key` header again and you "
        "get the original booking back, never a second one."
    ),
    "VERSION": "1.0.0",
    "TAGS": [
        {"name": "auth", "description": "Sign up, log in for an access token, see who you are, reset a forgotten password."},
        {"name": "events", "description": "The public event catalogue: search and filter events, read one, download it for a calendar."},
        {"name": "seats", "description": "An event's seat map (public): which seats exist and which are still free."},
        {"name": "bookings", "description": "Book seats or join a waitlist, list your bookings, cancel one (signed-in users)."},
        {"name": "tickets", "description": "The tickets of your bookings: one per seat, each with a QR code to show at the door."},
        {"name": "notifications", "description": "Messages about your bookings (confirmed, waitlisted, promoted, cancelled, event changed); each is also emailed."},
        {"name": "stats", "description": "Public figures for a home page."},
        {"name": "check-in", "description": "At the door (role `checkin` or `admin`): scan tickets, undo a mistaken scan, read the attendee list."},
        {"name": "admin: events", "description": "Organizers (role `admin`): create, change, deactivate and delete events, and give them seat maps."},
        {"name": "admin: bookings", "description": "Organizers (role `admin`): every booking, filtered."},
        {"name": "admin: users", "description": "Organizers (role `admin`): list users, create accounts, change roles."},
        {"name": "analytics", "description": "Organizers (role `admin`): sales figures across events."},
        {"name": "ops", "description": "For load balancers and monitoring: is the service up, can it serve."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A booking status in several bodies (Booking, admin list item, attendee) keeps one name.
    # The same for an event's status (otherwise drf-spectacular names it by a hash, with a warning).
    "ENUM_NAME_OVERRIDES": {
        "BookingOutputStatusEnum": "bookings.models.Booking.Status",
        "EventStatusEnum": "events.models.Event.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "evently.api.schema.add_body_errors",
        "evently.api.schema.add_parameter_examples",
        "evently.api.schema.drop_code_docstrings",
        "evently.api.schema.stable_component_names",
    ],
}

# --- Business rules -----------------------------------------------------------------------

IDEMPOTENCY_KEY_REQUIRED = flag(os.environ, "IDEMPOTENCY_KEY_REQUIRED", True)
BOOKING_MAX_QTY = number(os.environ, "BOOKING_MAX_QTY", 10, minimum=1)
EVENT_MAX_CAPACITY = number(os.environ, "EVENT_MAX_CAPACITY", 100_000, minimum=1)
ANALYTICS_CACHE_TTL = number(os.environ, "ANALYTICS_CACHE_TTL", 60, minimum=0)

# --- Rate limits (django-ratelimit) -------------------------------------------------------

RATELIMIT_ENABLE = flag(os.environ, "RATELIMIT_ENABLE", True)
RATELIMIT_LOGIN = checked_rate("RATELIMIT_LOGIN", env.str("RATELIMIT_LOGIN", default="5/m"))
RATELIMIT_BOOKING = checked_rate("RATELIMIT_BOOKING", env.str("RATELIMIT_BOOKING", default="10/m"))
RATELIMIT_ADMIN = checked_rate("RATELIMIT_ADMIN", env.str("RATELIMIT_ADMIN", default="30/m"))
# Door scanning: its own group, far above the admin mutation rate (docs/DECISIONS.md, tickets).
RATELIMIT_CHECKIN = checked_rate("RATELIMIT_CHECKIN", env.str("RATELIMIT_CHECKIN", default="600/m"))
# Signup per client IP. The contract lists no limit, so none by default (clients and test
# suites create many accounts from one address); production sets one (README): each signup
# costs an Argon2 hash (~100 MiB, ~0.1 s of CPU).
RATELIMIT_SIGNUP = checked_rate("RATELIMIT_SIGNUP", env.str("RATELIMIT_SIGNUP", default=""))
RATELIMIT_USE_CACHE = "default"
# Rate limits protect against abuse; inventory correctness lives in the database. When the
# cache is down, requests are let through rather than refused (docs/RELIABILITY.md).
RATELIMIT_FAIL_OPEN = True
# Client IP for the per-IP limits (django-ratelimit's "ip" key): the connection's address,
# or behind N reverse proxies the N-th entry from the right of X-Forwarded-For
# (evently/client_ip.py). RATELIMIT_IP_META_KEY is no longer read from the environment.
RATELIMIT_TRUSTED_PROXIES = number(os.environ, "RATELIMIT_TRUSTED_PROXIES", 0, minimum=0)
RATELIMIT_IP_META_KEY = "evently.client_ip.client_ip"
# Who may read /metrics: empty (the contract's default) is anyone; else only clients (the
# address the rate limits use) in these networks, e.g. the Prometheus server's.
METRICS_ALLOWED_NETWORKS = network_list("METRICS_ALLOWED_NETWORKS", env.str("METRICS_ALLOWED_NETWORKS", default=""))

# --- HTTP ---------------------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = cors_origins(env.str("CORS_ORIGINS", default="http://localhost:5173"))
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "origin",
    "user-agent",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["Idempotent-Replayed", "Retry-After", "X-Total-Count", "X-Cache"]

REQUEST_BODY_MAX_BYTES = number(os.environ, "REQUEST_BODY_MAX_BYTES", 64 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (a TLS proxy in front): the staff console's session and CSRF cookies are
# sent over HTTPS only, and browsers are told to use HTTPS for SECURE_HSTS_SECONDS. Off by
# default: `make run` and Compose serve plain HTTP, where Secure cookies would break the
# console's login.
SECURE_COOKIES = flag(os.environ, "SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = number(os.environ, "SECURE_HSTS_SECONDS", 0, minimum=0)

# --- Static files -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [("app", FRONTEND_DIST)] if FRONTEND_DIST.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "evently.storage.StaticFilesStorage"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging and metrics ------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # 4xx answers are business as usual (a sold-out rush is thousands of 409s); server
        # errors are still logged, with their traceback.
        "django.request": {"level": "ERROR"},
    },
}
PROMETHEUS_EXPORT_MIGRATIONS = False

# --- Notifications, email and the worker (stream "notify") -------------------------------
# With REDIS_URL, notifications are delivered by Celery workers (`celery -A evently worker`,
# `celery -A evently beat`); without it, in the web process right after commit.

INSTALLED_APPS += ["notifications"]

# Links in emails and .ics files. Default: this server as `make run` serves it (PORT, 8000).
WEB_APP_URL = env.str(
    "WEB_APP_URL", default=f"http://localhost:{number(os.environ, 'PORT', 8000, minimum=1)}"
).rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Evently <no-reply@evently.local>")
# Absent: the console backend. smtp://host:port, smtp+tls://user:pass@host:587, smtps://...
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    try:
        vars().update(environ.Env.email_url_config(EMAIL_URL))
    except (KeyError, ValueError, ImproperlyConfigured):
        raise ImproperlyConfigured(
            "EMAIL_URL must be smtp://host:port, smtp+tls://user:password@host:587 or "
            "smtps://user:password@host:465, or empty for the console"
        ) from None
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = number(os.environ, "EMAIL_TIMEOUT", 10, minimum=1)

PASSWORD_RESET_TIMEOUT = number(os.environ, "PASSWORD_RESET_TIMEOUT", 3600, minimum=60)
RATELIMIT_PASSWORD_RESET = checked_rate("RATELIMIT_PASSWORD_RESET", env.str("RATELIMIT_PASSWORD_RESET", default=RATELIMIT_LOGIN))

# Delivery: attempts before `failed`, backoff between them (base * 2**(n-1), capped, with
# jitter), and how long a pending row waits before the sweep re-queues it.
NOTIFICATION_MAX_ATTEMPTS = number(os.environ, "NOTIFICATION_MAX_ATTEMPTS", 8, minimum=1)
NOTIFICATION_RETRY_BASE_SECONDS = number(os.environ, "NOTIFICATION_RETRY_BASE_SECONDS", 10.0, minimum=0.1)
NOTIFICATION_RETRY_MAX_SECONDS = number(os.environ, "NOTIFICATION_RETRY_MAX_SECONDS", 3600.0, minimum=0.1)
NOTIFICATION_SWEEP_GRACE_SECONDS = number(os.environ, "NOTIFICATION_SWEEP_GRACE_SECONDS", 30.0, minimum=0.0)
# A delivery claims its row for this long; a worker that dies mid-send frees it then.
NOTIFICATION_CLAIM_SECONDS = number(os.environ, "NOTIFICATION_CLAIM_SECONDS", 300.0, minimum=1.0)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker (tasks eager), in a gunicorn worker: deliver on the process's publisher
# thread, after the request, so no answer waits for the mail server (and a password reset for
# a known address takes no longer to answer than one for an unknown address). False: in the
# request's thread right after commit (as manage.py commands and the tests always do).
NOTIFICATION_DELIVERY_IN_BACKGROUND = flag(os.environ, "NOTIFICATION_DELIVERY_IN_BACKGROUND", True)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after commit in a web request: when Redis is down, give up fast (the row
# stays pending and the sweep re-queues it) instead of holding the request.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "notifications.tasks.sweep_notifications", "schedule": 60.0},
}
CELERY_TIMEZONE = "UTC"
