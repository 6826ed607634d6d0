"""Settings shared by every environment.

Every value that differs between machines is read from the environment through one reader
(django-environ); ``sample.env`` lists them and the README documents each one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from prevent_cms.queues import TASK_QUEUES

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "prevent_cms.apps.PreventAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "django_prometheus",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "prevent_cms",
    "accounts",
    "referrals",
    "channel",
    "training",
    "reports",
    "consultations",
    "persons",
    "partnership",
]

MIDDLEWARE = [
    # First and last: requests by view and status, and latency, for /metrics (issue 20).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prevent_cms.middleware.NoStoreMiddleware",
    "prevent_cms.middleware.RequestIdMiddleware",
    "prevent_cms.middleware.DatabaseUnavailableMiddleware",
    "prevent_cms.middleware.NulQueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Someone who just wrote reads reports from the primary (prevent_cms.replica).
    "prevent_cms.replica.ReadYourWrites",
    "accounts.middleware.AccountStandingMiddleware",
    "accounts.middleware.PersonLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.MultiFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "prevent_cms.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Security headers on every response. No inline script or style anywhere: any script is a
# static file, and the API docs use drf-spectacular's split Swagger view for the same reason.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

ROOT_URLCONF = "prevent_cms.urls"
WSGI_APPLICATION = "prevent_cms.wsgi.application"

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
                "prevent_cms.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: measured at 1,000,000 referrals, compiling a force's statistics query took
    # longer (2.0-2.3 s) than running it uncompiled (1.1 s); our queries are short or
    # index-driven, the workload JIT cannot win on.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A streaming-replication hot standby of DATABASE_URL, for report reads (prevent_cms.replica):
# statistics, the compliance report and exports read it while it is within REPLICA_MAX_LAG of
# the primary; everything else, and every write, uses the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **environ.Env.db_url_config(DATABASE_REPLICA_URL),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Unreachable: give up within seconds and read the primary instead.
        "OPTIONS": {"options": "-c jit=off", "connect_timeout": 3},
    }
DATABASE_ROUTERS = ["prevent_cms.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackendWithAgency",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Self-service password reset (issue 20): the e-mailed link works once, for this many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=30 * 60)
LOGIN_REDIRECT_URL = "home"
# Single sign-on (issue 20): each organisation's OpenID Connect provider, by a short code, as
# JSON: {"code": {"name", "issuer", "client_id", "client_secret", "domains": [...],
# "mfa_required", "mfa_amr", "mfa_acr", "email_verified_claim"}} (accounts.sso, README).
# Empty: password sign-in only.
OIDC_PROVIDERS = env.json("OIDC_PROVIDERS", default={})
OIDC_TIMEOUT_SECONDS = env.int("OIDC_TIMEOUT_SECONDS", default=10)
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 15 minutes idle, 12 hours absolute (enforced by
# accounts.middleware.SessionLifetimeMiddleware). The last activity (and with it the session
# row's expiry) is written when the one recorded is older than SESSION_ACTIVITY_RECORD_SECONDS
# (policy, default 60 in accounts.middleware), not on every request: an idle session ends up
# to that much before SESSION_IDLE_TIMEOUT, never after it (docs/performance.md, 2026-12-07 (2)).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=15 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_WARNING_BEFORE = 2 * 60
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "prevent_cms.views.csrf_failure"

# Multi-factor sign-in (TOTP). Production turns it on; local demo settings leave it off.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Prevent case management"

# Lockout: 5 failures for one username within 15 minutes lock that username for 15 minutes,
# whatever the address (whole councils share one address).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "otp_token"]
# Locking by address would lock out whole councils behind one address (DESIGN.md §5), so the
# lockout is by username only, on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language toggle's choice (issue 19, Django's set_language): kept for a year, never read
# by scripts, sent only with this site's own requests.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files live outside the web root and are served only through permission-checked
# views; there is deliberately no MEDIA_URL.
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Object storage (issue 20): with a bucket named, every file (attachments, certificates, packs,
# job results, imports) goes to that S3-compatible store through django-storages, so web and
# worker hosts share them. Objects are written without a public ACL (keep the bucket's public
# access blocked), encrypted by the store (AWS_S3_SERVER_SIDE_ENCRYPTION; empty for a store
# that refuses the header) and still read only through the permission-checked views, which
# stream them. Credentials: the AWS_* pair, or the host's role when both are empty.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _encryption = env("AWS_S3_SERVER_SIDE_ENCRYPTION", default="AES256")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env("AWS_LOCATION", default=""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "object_parameters": {"ServerSideEncryption": _encryption} if _encryption else {},
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    # Token first, so an unauthenticated call answers 401 with a WWW-Authenticate header.
    # Tokens of people made inactive or locked out by axes since are refused (401).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.AccountTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only: a generated client then sends JSON, never a form encoding of nested
    # objects. The one upload (training imports) sets its own multipart parser.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # One list convention everywhere (prevent_cms.api.lists): the page envelope, page_size
    # up to API_MAX_PAGE_SIZE, strict ordering over each view's ordering_fields.
    "DEFAULT_PAGINATION_CLASS": "prevent_cms.api.lists.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "prevent_cms.api.lists.Ordering",
    ],
    # Documents every operation's error answers in the error shape (prevent_cms.openapi).
    "DEFAULT_SCHEMA_CLASS": "prevent_cms.openapi.AutoSchema",
    # The one place errors become answers (prevent_cms.errors): one shape, codes, problem+json.
    "EXCEPTION_HANDLER": "prevent_cms.api.exception_handler",
    # Who is asking is settled before which format they asked for (401 before 404/406).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "prevent_cms.api.negotiation.AuthenticateFirstNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Reads, writes and job starts, per person and per token (API_THROTTLE_RATES, README).
    "DEFAULT_THROTTLE_CLASSES": [
        "prevent_cms.api.throttles.UserRateThrottle",
        "prevent_cms.api.throttles.TokenRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Prevent case management API",
    "DESCRIPTION": (
        "Referrals, Channel panels, training and reports for the Prevent duty. The guide for "
        "integrators is docs/api.md. Send `Authorization: Token <key>`; bodies are JSON (only "
        "the training import is `multipart/form-data`). Every error is JSON with `detail` (and "
        "on a 400 `errors` per field). Besides the answers each operation lists, any path "
        "answers 405 with an `Allow` header to a method it does not take."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AgendaKindEnum": "channel.choices.AgendaKind",
        "ReviewKindEnum": "channel.choices.ReviewKind",
        "NoteKindEnum": "referrals.choices.NoteKind",
        "ReferralStateEnum": "referrals.choices.State",
        "CoarseStatusEnum": "referrals.choices.CoarseStatus",
        "JobStateEnum": "prevent_cms.models.Job.State",
        "NotificationDeliveryEnum": "prevent_cms.models.Notification.Delivery",
        "AssignmentRoleEnum": ["officer", "case_lead"],
        "RoleEnum": "training.models.StaffRole",
        "InterventionStatusEnum": "channel.choices.InterventionStatus",
        "ConcernTypeEnum": "referrals.api.serializers.CONCERN_TYPE_CODES",
        "VafRatingEnum": "channel.reference_data.VAF_RATINGS",
        "ExportFormatEnum": "reports.api.serializers.EXPORT_FORMATS",
        "ReceivedViaEnum": "referrals.choices.ReceivedVia",
        "ReferrerSectorEnum": "referrals.choices.ReferrerSector",
        "SectorEnum": "accounts.models.Sector",
        "PanelDecisionEnum": "channel.choices.PanelDecision",
        "ConsentDecisionEnum": "channel.choices.ConsentDecision",
        # Each view of a case has its own one-value enum (the detail's discriminator).
        "CoarseViewEnum": ["coarse"],
        "PanelViewEnum": ["panel"],
        "FullViewEnum": ["full"],
        # Consultations (issue 15): the asker's sector is the agencies' sector list (above).
        "ConsultationOutcomeEnum": "consultations.models.Outcome",
        # Partnership records (issue 21).
        "BoardKindEnum": "partnership.models.BoardKind",
        "AgreementKindEnum": "partnership.models.AgreementKind",
        "AgreementStatusEnum": "partnership.models.AgreementStatus",
        # Organisations, projects and outreach (issue 21).
        "DueDiligenceOutcomeEnum": "partnership.models.DueDiligenceOutcome",
        "PolicyStatusEnum": "partnership.models.PolicyStatus",
        # Complaints and the mailing list (issue 21, partner21).
        "ComplaintOutcomeEnum": "partnership.models.ComplaintOutcome",
        "ComplaintChannelEnum": "partnership.models.ComplaintChannel",
        "ContactStatusEnum": "partnership.models.ContactStatus",
        # The kinds always e-mailed straight away take this one value (issue 23, api23).
        "NotificationAlwaysEmailEnum": ["email"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "prevent_cms.openapi.overlapping_one_of_as_any_of",
        "prevent_cms.openapi.read_only_references_unwrapped",
    ],
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

REDIS_URL = env("REDIS_URL", default="")


def caches_for(redis_url: str) -> dict:
    """``default`` stays in each process's memory (reference data kept a few minutes: the
    pages must not fail when Redis does); ``throttle`` holds the API's rate-limit counts,
    shared by every web process through Redis when there is one."""
    shared = (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        if redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    )
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {**shared, "KEY_PREFIX": "prevent-cms"},
    }


CACHES = caches_for(REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Queues by kind (prevent_cms.queues): e-mail, PDF packs, exports and the rest, each consumed
# by its own workers in production, so a burst of packs cannot hold up a notification.
CELERY_TASK_QUEUES = TASK_QUEUES
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = ("prevent_cms.queues.route_task",)
# Workers log through LOGGING below (JSON lines) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker serves its task counts on this port for Prometheus (0: not served).
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic task is declared with prevent_cms.schedule.periodic in its app's ready()
# and installed in the scheduler's tables after migrate: none is listed here.
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Prevent case management <noreply@example.gov.uk>"
)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# GOV.UK Notify (issue 17), used when EMAIL_BACKEND is prevent_cms.notify.NotifyEmailBackend.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATES = env.json("NOTIFY_TEMPLATES", default={})
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=10)

SERVICE_NAME = "Prevent case management"

# One JSON object a line (LOG_FORMAT=plain for people reading a terminal), each carrying the
# request id the answer's X-Request-ID header shows (prevent_cms.logs). Messages name ids and
# codes, never a person: a test walks a referral through and looks for the subject's name.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "prevent_cms.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs and never bodies; our URLs carry only opaque ids.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Operations (issue 20): /healthz, /readyz and /metrics. The metrics are answered only to an
# address in METRICS_ALLOWED_NETWORKS or a request bearing METRICS_TOKEN; with neither set
# /metrics answers 403 to everyone.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# prometheus_client's multiprocess mode: a directory every process of a host (gunicorn's
# workers, Celery's prefork children) writes its metrics to, so one scrape sums them all. Read
# by prometheus_client itself from the environment; gunicorn's hooks
# (prevent_cms.gunicorn_conf) empty it at start and mark exited workers dead.
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", default="")
