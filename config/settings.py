"""Settings, read from the environment only.

The embedded default (nothing set) runs on SQLite with a file-system Celery broker, console e-mail and a
local-memory cache, so a first run needs no server. Production sets DATABASE_URL, CELERY_BROKER_URL,
REDIS_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_DEBUG=false.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run"

env = environ.Env()

# Off unless the environment turns it on (`make run` and the Makefile's other local targets do).
DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _embedded_secret_key() -> str:
    """The embedded default's key: the one `make` keeps in .run/ (ignored by git), read only; without it, one
    for this process (sessions then end with it)."""
    path = RUN_DIR / "secret-key"
    return path.read_text().strip() if path.exists() else secrets.token_urlsafe(50)


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    SECRET_KEY = _embedded_secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Links printed by the demo and sent in e-mails (invitations, consent) follow the port the portal listens on:
# `make run PORT=8101` passes PORT to every process it starts (portal, worker, seed).
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # From the bottom layer up (DESIGN.md; `make lint` holds the order with import-linter).
    "apps.core",
    "apps.accounts",
    "apps.exports",  # reliability (issue 11): background CSV exports
    "apps.packages",
    "apps.partners",
    "apps.subpartners",
    "apps.onboarding",
    "apps.customers",
    "apps.locations",
    "apps.screening",
    "apps.restrictions",
    "apps.subscribers",
    "apps.calling",  # issue 13
    "apps.provisioning",
    "apps.directory",  # issue 13
    "apps.branding",
    "apps.billing",
    "apps.dashboards",
    "apps.support",  # issue 13
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "apps.core.middleware.ApiErrorBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.HtmxMessagesMiddleware",
    "apps.accounts.middleware.RequireMfaMiddleware",
    "apps.core.middleware.BrandedErrorPageMiddleware",  # firsthour: branded 404/403 also with DEBUG on
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "apps.accounts.context_processors.console",
                "apps.branding.context_processors.branding",  # branding (issue 13)
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL: each thread keeps its connection between requests (up to DATABASE_CONN_MAX_AGE seconds; a new
# connection per request cost more than a whole trivial request), and checks it before a request reuses it, so
# a connection PostgreSQL dropped meanwhile (a restart) is replaced instead of failing the request. SQLite
# (runserver starts a thread per request) keeps one per request.
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if _POSTGRESQL else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _POSTGRESQL:
    # psycopg prepares a statement it binds on the server once the connection ran it this many times, so that
    # PostgreSQL stops parsing and planning it: the writes of core.inserts (a subscriber's rows, ~0.1 ms of
    # PostgreSQL's CPU per add). Django's queries bind their values in the client and are never prepared.
    # Django turns preparing off for poolers that cannot keep prepared statements (PgBouncer in transaction
    # mode): behind one, set DATABASE_PREPARE_THRESHOLD=off.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if _prepare.lower() in ("", "off", "none") else int(_prepare)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "apps.core.rediscache.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            # Every page reads the cache (the brand): a Redis that hangs costs a page this long at most, once
            # (the branding cache then leaves it alone for a while), not redis-py's default of 5 s.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no public signup (the adapter closes it), login rate limits on.
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key,20/5m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Reliability (issue 11): behind the documented TLS proxy (one), rate limits count by the client's address
# from X-Forwarded-For, not the proxy's (apps.accounts.adapters.client_ip).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wholesale Hub"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(RUN_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Wholesale Hub <no-reply@wholesalehub.local>")
if EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

LANGUAGE_CODE = "en"
# The portal speaks English and French; each person reads it in their own choice, else their organisation's
# language, else their browser's (apps.accounts.language). Catalogs: apps/<app>/locale, and locale/ for the
# shared templates (`make messages`).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Reliability (issue 11): a CSV export of more rows than this is written by the worker, then downloaded.
EXPORT_INLINE_MAX = env.int("EXPORT_INLINE_MAX", default=5000)
EXPORT_ROOT = env.path("EXPORT_ROOT", default=str(RUN_DIR / "exports"))
# An export's file is deleted this long after it was finished (the row stays, shown as expired): 72 hours
# keep one asked for on a Friday afternoon until Monday morning, while a partner exporting 200,000 users
# every day keeps three files on disk, not one a day for ever.
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=72)
if EXPORT_RETENTION_HOURS < 1:
    raise environ.ImproperlyConfigured("EXPORT_RETENTION_HOURS must be at least 1")

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(RUN_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# branding (issue 13): uploads (logos) through the storage API; the embedded default keeps them in .run/.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(RUN_DIR / "media"))
MEDIA_URL = "media/"
# Domain verification (issue 13) asks this DNS server for TXT records ("host" or "host:port"); empty: the
# system's resolvers. Tests point it at a DNS server of their own.
DNS_RESOLVER = env.str("DNS_RESOLVER", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery. The embedded default uses kombu's file-system transport so `make run` needs no broker server. Its
# URL names a host (which the transport ignores): without one kombu warns "No hostname was supplied" on every
# connection, in the worker's log and the tests' output alike.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Every folder of the transport under .run/broker/ (`make` creates them); kombu's own default for the
    # control folder is "control" in the working directory.
    _broker_dir = RUN_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="wholesalehub")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Reliability (issue 11): a message taken by a worker that dies is re-delivered by Redis only after the
# visibility timeout; it must outlast the longest task (a large CSV import), or a running task is delivered
# twice. The outbox's lease (below) brings stuck work back sooner, idempotently.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
        "socket_connect_timeout": 5,
        "socket_timeout": 30,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 5
OUTBOX_RELAY_SECONDS = env.float("OUTBOX_RELAY_SECONDS", default=10.0)
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=600.0)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
CELERY_BEAT_SCHEDULE = {
    # The transactional outbox: pending work published, stuck work re-published or ended (issue 11).
    "outbox-relay": {
        "task": "apps.core.tasks.outbox_relay_task",
        "schedule": OUTBOX_RELAY_SECONDS,
    },
    # Customers held by denied-party screening: released, or escalated after 72 hours.
    "screening-recheck": {
        "task": "apps.screening.tasks.screening_recheck_task",
        "schedule": 15 * 60,
    },
    # Export files past EXPORT_RETENTION_HOURS deleted, their exports marked expired.
    "exports-expire": {
        "task": "apps.exports.tasks.exports_expire_task",
        "schedule": 60 * 60,
    },
    # The rows each write adds to the open-assignment counts the overviews read, folded into one per count.
    "subscribers-counts-fold": {
        "task": "apps.subscribers.tasks.open_assignment_counts_fold_task",
        "schedule": 10 * 60,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.accounts.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.accounts.api.permissions.HasTokenScopes"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.parsers.WebexJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.WebexOffsetPagination",
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.WebexAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.webex_exception_handler",
    # The API parses JSON only; the test client's default (multipart) would be a 415.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE_LIMIT", default="600/min")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wholesale Hub API",
    "DESCRIPTION": (
        "The Webex Wholesale API (`/v1/wholesale/...`), wire-compatible with Webex, and the Wholesale Hub "
        "partner API (`/v1/partner/...`) for everything else the portal does. Authenticate with "
        "`Authorization: Bearer <token>`; errors use the Webex error body."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # The package codes carry the official name of their enum wherever a field takes them.
    "ENUM_NAME_OVERRIDES": {
        "WholesalePackagesCustomer": "apps.packages.constants.PackageCode",
        "WholesalePackagesSubscriber": "apps.subscribers.api.serializers.SUBSCRIBER_PACKAGE_CODES",
        "WholesaleLegacyPackageSubscriber": "apps.subscribers.api.serializers.LEGACY_PACKAGES",
    },
}

# Production hardening: on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# --- billing (issue 10) ---
# Billing report CSV files: the file system under .run/ in the embedded default; an S3-compatible bucket
# (django-storages) when BILLING_REPORTS_BUCKET is set. Either way they are served through a signed,
# expiring link of our own (apps.billing.services.reports), never a public URL of the storage.
if env.str("BILLING_REPORTS_BUCKET", default=""):
    STORAGES["billing_reports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("BILLING_REPORTS_BUCKET"),
            "endpoint_url": env.str("BILLING_REPORTS_ENDPOINT_URL", default="") or None,
            "region_name": env.str("BILLING_REPORTS_REGION", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["billing_reports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("BILLING_REPORTS_DIR", default=str(RUN_DIR / "billing-reports"))},
    }
BILLING_REPORT_LINK_MAX_AGE = env.int("BILLING_REPORT_LINK_MAX_AGE", default=3600)  # seconds
CELERY_BEAT_SCHEDULE["billing-usage-days"] = {
    "task": "apps.billing.tasks.usage_days_run_task",
    "schedule": 60 * 60,  # hourly: builds yesterday once (UTC), and retries a failed day within the hour
}
CELERY_BEAT_SCHEDULE["billing-reports-requeue"] = {
    "task": "apps.billing.tasks.billing_reports_requeue_task",
    "schedule": 10 * 60,
}
