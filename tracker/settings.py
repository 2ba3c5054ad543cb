"""Settings for the tracker, driven by environment variables.

Every variable read here is listed in `.env.example`. `TRACKER_ENV` selects the
profile: `development` (the default: SQLite, a filesystem Celery broker, DEBUG on)
or `production` (refuses to start without a real secret key and allowed hosts).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tracker.cache import cache_settings
from tracker.database import database_settings
from tracker.env import env_bool, env_int, env_list, env_str
from tracker.logconfig import logging_config
from tracker.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent


TRACKER_ENV = env_str("TRACKER_ENV", "development")
if TRACKER_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("TRACKER_ENV must be 'development' or 'production'")
PRODUCTION = TRACKER_ENV == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
    if len(SECRET_KEY) < 50 or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set to 50+ random characters")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts")

# Local state of the embedded default (SQLite file, broker folders).
VAR_DIR = Path(env_str("TRACKER_VAR_DIR", str(BASE_DIR / "var")))
# Dataset releases: frozen files kept for good and served by the app itself.
RELEASES_ROOT = Path(env_str("RELEASES_ROOT", str(VAR_DIR / "releases")))
# The site's public address: release files and citations are written by a worker,
# where no request names the host.
SITE_URL = env_str(
    "SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://localhost:8000",
).rstrip("/")

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_celery_beat",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "events",
]

MIDDLEWARE = [
    "events.ops.logging.RequestIdMiddleware",
    "events.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Outside CommonMiddleware, to see 404s after its slash redirects.
    "events.api.errors.ApiNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from an address out after repeated failed logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if PRODUCTION else 0)
# Editors (who can publish) must use a TOTP authenticator where this is on; a
# first authenticator is enrolled only through a superuser's enrolment link.
OTP_REQUIRED_FOR_EDITORS = env_bool("OTP_REQUIRED_FOR_EDITORS", PRODUCTION)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Censorship tracker")

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# PostgreSQL when DATABASE_URL is set; otherwise an SQLite file in WAL mode
# (tracker/database.py).
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = database_settings(DATABASE_URL, VAR_DIR)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages the interface is translated into (add one with its locale/ files);
# notice texts keep their own language whatever the interface's.
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise warns about (and pytest fails on) a missing STATIC_ROOT before the
# first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ----------------------------------------------------------------
# No request leaves the site: everything is self-hosted, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Celery ----------------------------------------------------------------
# Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which
# needs no server (fine for one machine, not for scaling out).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": 3600,
        # A Redis that is down or hung fails a publish within seconds instead
        # of hanging the request that sends it (events/services/queue.py).
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # Workers drop and reopen a dead consuming connection within ~20 s.
        "health_check_interval": 10,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Queue of tasks sent without one (tests give each worker a queue of its own).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# At scale, fetching (network-bound) and extraction (CPU-bound) can get queues
# and workers of their own; by default both use the default queue.
CELERY_TASK_ROUTES = {
    "events.fetch_feed": {
        "queue": env_str("CELERY_FETCH_QUEUE", CELERY_TASK_DEFAULT_QUEUE)
    },
    "events.process_feed_items": {
        "queue": env_str("CELERY_EXTRACT_QUEUE", CELERY_TASK_DEFAULT_QUEUE)
    },
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers reconnect to a lost broker for as long as it takes; acks_late tasks
# running when the connection dropped are cancelled (their ack cannot reach
# the broker) and redelivered, which their idempotence makes safe.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Senders give up after two quick retries: a request never waits long for the
# broker, and work that could not be sent is picked up later from the database.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# The filesystem transport has no broadcast exchange for remote control.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = bool(REDIS_URL)
# Each worker also consumes a queue of its own, so `manage.py ping_worker` can
# prove that this very worker still takes tasks (the liveness check of a
# worker that reconnected to the broker but silently stopped consuming).
CELERY_WORKER_DIRECT = bool(REDIS_URL)

# JSON lines with request ids in production (LOG_FORMAT=plain for humans).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
# Celery logs through the same handlers (JSON, request/task ids).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /metrics shows everything to "Authorization: Bearer <METRICS_TOKEN>"; without
# the token only its public part (published events, request rates), and only
# where METRICS_PUBLIC is on or no token is set. Production needs a token,
# unless METRICS_PUBLIC says that the public part alone is wanted.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_PUBLIC = env_bool("METRICS_PUBLIC", False)
if PRODUCTION and not (METRICS_TOKEN or METRICS_PUBLIC):
    raise ImproperlyConfigured(
        "METRICS_TOKEN must be set in production (or METRICS_PUBLIC=1 to serve "
        "only the public metrics, without a token)"
    )
if PRODUCTION and METRICS_TOKEN and len(METRICS_TOKEN) < 20:
    raise ImproperlyConfigured("METRICS_TOKEN must be 20+ random characters")

# Schedules live in code (tracker/schedule.py).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# --- Feed ingestion ----------------------------------------------------------
# Hosts fetched without the private-address guard (local development, tests).
FEED_FETCH_ALLOWED_HOSTS = env_list("FEED_FETCH_ALLOWED_HOSTS")
FEED_CONNECT_TIMEOUT = float(env_int("FEED_CONNECT_TIMEOUT", 5))
FEED_READ_TIMEOUT = float(env_int("FEED_READ_TIMEOUT", 20))
FEED_DEADLINE = float(env_int("FEED_DEADLINE", 60))
FEED_MAX_BYTES = env_int("FEED_MAX_BYTES", 10 * 1024 * 1024)
FEED_USER_AGENT = env_str(
    "FEED_USER_AGENT", "censorship-tracker/0.1 (+https://github.com/; feed fetcher)"
)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json, application/xml;q=0.9, text/xml;q=0.9, text/csv;q=0.8, "
    "*/*;q=0.5"
)
# Reports of the same platform, target and action within this many days are
# taken as one event: later ones become its sources.
FEED_DEDUP_WINDOW_DAYS = env_int("FEED_DEDUP_WINDOW_DAYS", 14)
# A feed failing repeatedly waits fetch_interval * 2**failures, capped here.
FEED_MAX_BACKOFF_MINUTES = env_int("FEED_MAX_BACKOFF_MINUTES", 24 * 60)
# The fetch log keeps this many days (pruned daily), and whatever their age
# each feed's newest rows, which its admin page lists.
FETCH_LOG_KEEP_DAYS = env_int("FETCH_LOG_KEEP_DAYS", 90)
FETCH_LOG_KEEP_PER_FEED = env_int("FETCH_LOG_KEEP_PER_FEED", 20)
if FETCH_LOG_KEEP_DAYS < 1 or FETCH_LOG_KEEP_PER_FEED < 1:
    raise ImproperlyConfigured(
        "FETCH_LOG_KEEP_DAYS and FETCH_LOG_KEEP_PER_FEED must be at least 1"
    )

# --- Notice registry ---------------------------------------------------------
# Similarity (0-100) from which an event's notice text is matched automatically
# to a registry notice; curators confirm or correct the match.
NOTICE_MATCH_THRESHOLD = env_int("NOTICE_MATCH_THRESHOLD", 85)

# --- Review desk -------------------------------------------------------------
# Publishing an event asks for an explicit confirmation when a published or
# in-review event scores more than this as its duplicate (the 0-100 score of
# events.selectors.duplicates: 65 is about the same target, country and action
# in the same period). 100 turns the question off.
DUPLICATE_CONFIRM_SCORE = env_int("DUPLICATE_CONFIRM_SCORE", 65)
if not 0 <= DUPLICATE_CONFIRM_SCORE <= 100:
    raise ImproperlyConfigured("DUPLICATE_CONFIRM_SCORE must be between 0 and 100")

# --- Researchers' API (/api/v1/) ---------------------------------------------
# Requests per client: by IP address without a token, by user with one
# ("<number>/<second|minute|hour|day>").
API_ANON_RATE = env_str("API_ANON_RATE", "120/min")
API_USER_RATE = env_str("API_USER_RATE", "1200/min")
# Proxies in front of the site that append to X-Forwarded-For (0: use the
# connecting address; a client could otherwise pick its own rate-limit key).
API_NUM_PROXIES = env_int("API_NUM_PROXIES", 0)
# Seconds shared caches may keep an anonymous response without revalidating it
# (ETags make revalidation cheap; 0 means every read asks).
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 0)

# Rate-limit counters and caches: Redis when REDIS_URL is set (see
# tracker/cache.py), else memory local to each process.
CACHES = {"default": cache_settings(REDIS_URL)}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "events.api.authentication.ApiTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "events.api.negotiation.FormatNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "events.api.throttling.AnonymousThrottle",
        "events.api.throttling.TokenThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "events.api.errors.api_exception_handler",
    "NUM_PROXIES": API_NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Blocking events tracker API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Published blocking and censorship events: who blocked what, where, "
        "when and on whose order, with the notice users saw and the sources. "
        "Reads are open (no token); curators' tokens also write drafts. "
        "Guide: docs/api.md."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "events.choices.DatePrecision"},
}
