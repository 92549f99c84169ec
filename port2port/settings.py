"""Settings, read from the environment through a few helpers that fail loudly on a bad value.

A fresh clone runs with no variable set: SQLite in ./data, debug off unless asked, demo mode off.
Every variable is listed in the README under "Configuration".
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def sqlite_cache_kib() -> int:
    """P2P_SQLITE_CACHE_MB in KiB, as SQLite's `cache_size` takes it (negative there)."""
    megabytes = env_int("P2P_SQLITE_CACHE_MB", 64)
    if megabytes < 2:
        raise ImproperlyConfigured(f"P2P_SQLITE_CACHE_MB must be at least 2 (SQLite's own default), not {megabytes}")
    return megabytes * 1024


def sqlite_wal_kept_bytes(checkpoint_pages: int) -> int:
    """How large the write-ahead log file may stay after a checkpoint (SQLite's
    `journal_size_limit`): what it takes between two checkpoints, at SQLite's default 4 KB
    page, and 64 MB more for the commit that crosses the mark."""
    return max(checkpoint_pages, 0) * 4096 + 64 * 1024 * 1024


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("P2P_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DEBUG = env_bool("P2P_DEBUG", False)
# Demo mode: a laptop showcase. MFA is optional and the secret key lives in the data directory.
DEMO_MODE = env_bool("P2P_DEMO_MODE", False)
# Public pages show CLEAR reports with a public audience to anyone; off unless the operator says.
PUBLIC_PAGES = env_bool("P2P_PUBLIC_PAGES", False)
# Under pytest: fast password hashing, tasks run inline, no connection pool.
TESTING = env_bool("P2P_TESTING", "pytest" in sys.modules)


def _secret_key() -> str:
    key = env("P2P_SECRET_KEY")
    if key:
        return key
    if DEBUG or TESTING:
        return "insecure-development-key-" + "x" * 40
    if DEMO_MODE:
        # The demo keeps its own random key beside its database, so sessions survive a restart.
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "P2P_SECRET_KEY is not set. Production mode refuses to start without a secret key "
        "(set P2P_DEBUG=true only on a development machine)."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("P2P_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("P2P_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("P2P_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "port2port.core",
    "port2port.accounts",
    "port2port.organisations",
    "port2port.reports",
    "port2port.indicators",
    "port2port.sensors",
    "port2port.alerts",
    "port2port.knowledge",
    "port2port.measures",
    "port2port.training",
    "port2port.workinggroups",
    "port2port.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "port2port.core.middleware.PrivateResponsesMiddleware",
    "port2port.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "port2port.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "port2port.urls"
WSGI_APPLICATION = "port2port.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "port2port.core.context_processors.platform",
            ],
        },
    },
]

# --- Database: SQLite in the data directory unless DATABASE_URL names another. ---
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database needs its folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "port2port.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SQLITE_CHECKPOINT_PAGES = env_int("P2P_SQLITE_CHECKPOINT_PAGES", 100_000)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers run beside the writer; FULL survives a power cut; IMMEDIATE takes
            # the write lock at BEGIN so two writers queue instead of failing mid-transaction.
            # The WAL is copied back into the database file (a checkpoint, with its own fsync)
            # every SQLITE_CHECKPOINT_PAGES pages (400 MB) instead of SQLite's 1,000: a bulk
            # import or a sensor batch dirties hundreds to thousands of pages, mostly the same
            # index pages as the batch before, and a checkpoint copies each page once however
            # often it changed since the last. At a million indicators a 5,000-value import
            # dirties some 5,000 pages; copying back every 100,000 pages instead of 30,000 took
            # the import from 41,300-42,800 to 44,100-44,200 indicators/s, and its cost growth
            # from 100k to 1M from 1.50-1.56 to 1.42-1.44, in alternating runs of
            # benchmarks/correlation.py (30,000 had beaten 10,000 by 3-11%).
            # After a checkpoint the WAL file keeps that size (sqlite_wal_kept_bytes) and is
            # written over again. Cut back to 64 MB, it had to grow again before every
            # checkpoint, most likely making each commit's fsync record new blocks and a new
            # size as well: in alternating runs at 1M, 43,400-44,200 indicators/s with the cut
            # against 48,200-50,300 without, and cost growth 1.38-1.41 against 1.23-1.30.
            # Each connection may cache SQLITE_CACHE_MB of pages instead of SQLite's 2 MB: a bulk
            # import of 5,000 indicators changes pages all over the (kind, value) indexes, some
            # 25 MB of them at a million indicators, and a smaller cache evicts and re-reads them
            # within the one transaction (benchmarks/correlation.py: the insert took half as
            # long with 32 MB or more as with 2 MB or 16 MB).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; "
                f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}; "
                f"PRAGMA cache_size=-{sqlite_cache_kib()}; "
                f"PRAGMA journal_size_limit={sqlite_wal_kept_bytes(SQLITE_CHECKPOINT_PAGES)};"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Each server thread keeps its connection between requests (checked before reuse): opening
    # one, with its pragmas and a fresh read of the schema, was 3% of a sensor batch's time.
    DATABASES["default"].update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = not TESTING
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The throttles and rate limits of every worker process must see the same counters.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "p2p_cache",
    },
    # One process's own memory: for counters that may be per process (the ingestion throttle).
    "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p2p-process"},
}

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Accounts ---
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates hundreds of people.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "port2port.accounts.adapter.InvitationOnlyAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation link already proved the address
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or DEMO_MODE
MFA_TOTP_ISSUER = "Port 2 Port"
# Outside demo mode every account must have a second factor before it reaches shared data.
MFA_REQUIRED = env_bool("P2P_MFA_REQUIRED", not DEMO_MODE)

SESSION_COOKIE_AGE = env_int("P2P_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
INVITATION_DAYS = 7

# --- Internationalisation: every user-facing string is translatable. ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static and uploaded files ---
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Attachments live outside the static root and are served only through the visibility rule.
MEDIA_ROOT = DATA_DIR / "attachments"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
ATTACHMENT_MAX_BYTES = env_int("P2P_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Mail: the demo prints mail to the console; production sends through SMTP. ---
_MAIL_TO_CONSOLE = env_bool("P2P_EMAIL_CONSOLE", DEBUG or DEMO_MODE)
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if _MAIL_TO_CONSOLE
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("P2P_EMAIL_HOST", "localhost"),
                "port": env_int("P2P_EMAIL_PORT", 25),
                "username": env("P2P_EMAIL_USER"),
                "password": env("P2P_EMAIL_PASSWORD"),
                "use_tls": env_bool("P2P_EMAIL_TLS", False),
            },
        }
    )
}
DEFAULT_FROM_EMAIL = env("P2P_EMAIL_FROM", "Port 2 Port <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers. Production settings pass `check --deploy`. ---
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("P2P_HTTPS", not (DEBUG or DEMO_MODE or TESTING))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("P2P_SSL_REDIRECT", True)
# Health probes from the load balancer often speak plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env_int("P2P_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# How many reverse proxies stand in front and append to X-Forwarded-For: the audit log and the
# login rate limits then see the client's address instead of the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("P2P_TRUSTED_PROXY_COUNT", 0)
if env_bool("P2P_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Sharing and API ---
API_THROTTLE_RATE = env("P2P_API_THROTTLE", "600/m")
# Per sensor: a detector under a drone swarm may send a batch every second or faster.
INGEST_THROTTLE_RATE = env("P2P_INGEST_THROTTLE", "6000/m")
# A value found in more reports than this (of those the reader may see) is "common": left out
# of correlation unless asked for, like a value on a warning list.
CORRELATION_COMMON_THRESHOLD = env_int("P2P_CORRELATION_COMMON_THRESHOLD", 50)
# Person and phone indicators: reviewed this many months after they were recorded, then purged
# unless their owner keeps them (with a reason) within the grace period after being asked.
RETENTION_REVIEW_MONTHS = env_int("P2P_RETENTION_MONTHS", 12)
RETENTION_GRACE_DAYS = env_int("P2P_RETENTION_GRACE_DAYS", 30)
# Network figures of the common measures (coverage per theme, per quarter, weakest links) count
# the answers the reader may see, and are shown only when those come from at least this many
# organisations (see measures/network.py).
MEASURES_MIN_GROUP_SIZE = env_int("P2P_MEASURES_MIN_GROUP_SIZE", 3)
# The key of the person pseudonyms (see indicators/types/person.py). Set it in production, so
# that rotating the secret key does not change every pseudonym.
P2P_PERSON_PEPPER = env("P2P_PERSON_PEPPER")

# --- Sensors and alerts ---
# A sensor credential lives at most this many days (one year by default).
SENSOR_CREDENTIAL_MAX_DAYS = env_int("P2P_SENSOR_CREDENTIAL_MAX_DAYS", 365)
# Events older than this are refused (a sensor replaying an old buffer, or a wrong clock).
SENSOR_EVENT_MAX_AGE_DAYS = env_int("P2P_SENSOR_EVENT_MAX_AGE_DAYS", 30)
# `port2port prune_events` deletes events older than this (those of open alerts stay).
SENSOR_EVENT_RETENTION_DAYS = env_int("P2P_SENSOR_EVENT_RETENTION_DAYS", 365)
# Background tasks told of every batch of new events (apps above `sensors` consume them).
SENSOR_EVENT_CONSUMERS = ["port2port.alerts.tasks.evaluate_events"]
# Run once when `port2port worker` starts: puts the periodic checks (silent sensors, delivery
# retries) on the queue if they are not there yet.
WORKER_STARTUP = ["port2port.alerts.tasks.schedule_periodic_checks"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("P2P_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- API docs (added by the API helper): ninja ships the Swagger UI files in its own static
# folder; as an installed app they are collected and served locally, so /api/v1/docs works
# with no internet (and under the strict CSP: the page has no inline script).
INSTALLED_APPS += ["ninja"]

# --- Ops helper: the project-wide static folder (port2port/ itself is not an installed app,
# so the app-directories finder would miss it; collectstatic and the demo need it).
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Webhooks (alerts/channels/webhook.py): receivers must be public HTTPS addresses. These two
# open exceptions for the operator's own systems, an internal SIEM for example.
def env_networks(name: str) -> list[str]:
    """A comma-separated list of networks in CIDR notation, each checked now."""
    import ipaddress  # only this setting needs it

    networks = env_list(name)
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} must list networks such as 10.20.0.0/16 ({error})") from None
    return networks


WEBHOOK_ALLOW_HTTP = env_bool("P2P_WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOWED_NETWORKS = env_networks("P2P_WEBHOOK_ALLOWED_NETWORKS")
