"""Settings, read from environment variables.

Every variable is documented in the README ("Configuration"); the defaults run the demo on one
machine with SQLite and the in-process broker.
"""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BACKCHANNEL_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The SECRET_KEY variable, or a key generated once and kept in the data directory."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "backchannel.accounts",
    "backchannel.archive",
    "backchannel.blog",
    "backchannel.events",
    "backchannel.federation",
    "backchannel.feed",
    "backchannel.moderation",
    "backchannel.messaging",
    "backchannel.notifications",
    "backchannel.orgs",
    "backchannel.qa",
    "backchannel.realtime",
    "backchannel.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backchannel.web.middleware.RequestAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backchannel.web.security.SecurityHeadersMiddleware",
    "backchannel.web.middleware.PageMessagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backchannel.web.middleware.ActionErrorMiddleware",
    "backchannel.web.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "backchannel.urls"
ASGI_APPLICATION = "backchannel.asgi.application"

# Form fields in our layout (a checkbox before its label): web/forms.py.
FORM_RENDERER = "backchannel.web.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backchannel.web.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default, tuned for many concurrent readers and one writer at a time: WAL lets
# readers run beside the writer, IMMEDIATE transactions take the write lock up front (so two
# writers queue on busy_timeout instead of failing with "database is locked" mid-transaction).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'backchannel.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with the process's writers queued in turn (see its docstring).
    _db["ENGINE"] = "backchannel.db.sqlite3"
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Each request thread keeps its connection: opening one (and its PRAGMAs) per request
    # costs more than a typical read.
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 3600)
    # Tests share one file between the test process and the server threads it starts.
    _db["TEST"] = {"NAME": str(DATA_DIR / "test-backchannel.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    # psycopg's pool: connections are reused across requests and threads without keeping one
    # per thread open (Django refuses persistent connections together with the pool).
    _db["CONN_MAX_AGE"] = 0
    # The pool is larger than the request threads, so a request waits for a connection only
    # while one is being made: milliseconds when PostgreSQL is up. While it is down, every wait
    # runs to the timeout, so it is short: people get the 503 with Retry-After within seconds
    # and the request threads are free again, instead of all of them hanging for ten.
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 20),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 3),
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Requests -------------------------------------------------------------------------------
# Posts are 280 characters; nothing a user sends needs more than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 64 * 1024)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Sent on https answers only (SecurityMiddleware); CSP, Permissions-Policy, no-store on private
# answers and Secure cookies over https: backchannel.web.security.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# WhiteNoise hands Django a file iterator that Django's ASGI handler reads in a thread; that works
# and static files are small, so its warning about synchronous iterators is noise.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

# --- Backchannel ----------------------------------------------------------------------------
# Longest post, in grapheme clusters (what people count as characters).
BACKCHANNEL_POST_MAX_LENGTH = env_int("BACKCHANNEL_POST_MAX_LENGTH", 280)
# Seconds between SSE heartbeat comments on an idle stream.
BACKCHANNEL_HEARTBEAT_SECONDS = env_int("BACKCHANNEL_HEARTBEAT_SECONDS", 15)
# Who may create events from the product's pages: "anyone" signed in, or "staff".
BACKCHANNEL_EVENT_CREATION = os.environ.get("BACKCHANNEL_EVENT_CREATION", "anyone")
# The broker between server processes: inprocess, redis or postgres; empty chooses (Redis when
# REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY on PostgreSQL, else in-process).
BACKCHANNEL_BROKER = os.environ.get("BACKCHANNEL_BROKER", "").strip().lower()
# Redis for fan-out between server processes (e.g. redis://127.0.0.1:6379/0); empty: in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Threads per server process running pages and API requests (streams do not use them).
BACKCHANNEL_THREADS = env_int("BACKCHANNEL_THREADS", 8)
# Server processes started by `backchannel serve --workers N` (set by the command itself).
BACKCHANNEL_WORKERS = env_int("BACKCHANNEL_WORKERS", 1)
# How often each process reads the outbox for its active topics. It is the fan-out between
# processes sharing SQLite without a broker, and a safety net behind a broker otherwise.
# 0 turns the polling off (the relay then reads only when a broker wakes it): tests use it to
# prove a broker delivered.
BACKCHANNEL_RELAY_SECONDS = float(
    os.environ.get("BACKCHANNEL_RELAY_SECONDS")
    or (
        0.25
        if BACKCHANNEL_WORKERS > 1 and not REDIS_URL and _db["ENGINE"].endswith("sqlite3")
        else 5.0
    )
)
# The longest a process keeps a row it read for the post path (a token's person, a session's
# event: db/rowcache.py) without hearing that it changed. Every change clears it at once in
# its own process and, through the control topic, in the others; this bounds a late message.
BACKCHANNEL_ROW_CACHE_SECONDS = float(os.environ.get("BACKCHANNEL_ROW_CACHE_SECONDS") or 10.0)
# Stream events are a replay log for reconnecting clients, not the archive: kept this many hours.
BACKCHANNEL_STREAM_RETENTION_HOURS = env_int("BACKCHANNEL_STREAM_RETENTION_HOURS", 72)
# Seconds between each process's notes of how many people watch each feed (for the analytics).
BACKCHANNEL_CENSUS_SECONDS = env_int("BACKCHANNEL_CENSUS_SECONDS", 60)
# Events buffered per SSE client before it is dropped (it then resumes from its last id).
BACKCHANNEL_CLIENT_BUFFER = env_int("BACKCHANNEL_CLIENT_BUFFER", 1000)

# --- People (accounts/, messaging/, notifications/) ----------------------------------------
# Sign-up asks people to confirm they are at least this old (0: no question). The product is
# for adults who work with children, not for children.
BACKCHANNEL_MINIMUM_AGE = env_int("BACKCHANNEL_MINIMUM_AGE", 16)
# Days between asking to delete an account and its erasure (`backchannel purge-accounts`);
# signing in meanwhile can cancel it.
BACKCHANNEL_DELETION_GRACE_DAYS = env_int("BACKCHANNEL_DELETION_GRACE_DAYS", 14)
# Longest direct message, in characters.
BACKCHANNEL_DM_MAX_LENGTH = env_int("BACKCHANNEL_DM_MAX_LENGTH", 2000)
# Checking profile links for rel="me" fetches the linked page. Private and loopback addresses
# are refused (the server must not be made to probe its own network) unless this is set.
BACKCHANNEL_LINK_CHECK_PRIVATE = env_bool("BACKCHANNEL_LINK_CHECK_PRIVATE", False)
# Email for notification digests (`backchannel send-digests`). The default backend prints
# messages to the console; set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# the EMAIL_HOST... settings below for real delivery.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "backchannel@localhost")
# The site's address in emails (e.g. https://backchannel.example.org); empty: relative links.
BACKCHANNEL_SITE_URL = os.environ.get("BACKCHANNEL_SITE_URL", "").rstrip("/")

# --- Federation (docs/federation.md) ---------------------------------------------------------
# The fediverse knows the site by its public https address (BACKCHANNEL_SITE_URL): without one,
# nothing federates. `false` turns federation off for the whole site. A plain-http address is
# refused unless BACKCHANNEL_FEDERATION_ALLOW_HTTP is set (the demo and tests, on loopback).
BACKCHANNEL_FEDERATION = env_bool("BACKCHANNEL_FEDERATION", True)
BACKCHANNEL_FEDERATION_ALLOW_HTTP = env_bool("BACKCHANNEL_FEDERATION_ALLOW_HTTP", False)
# Remote fetches and deliveries never reach private, loopback or link-local addresses (a
# remote server must not make us probe our own network), unless this is set: tests and the
# demo's peers on one machine only.
BACKCHANNEL_FEDERATION_ALLOW_PRIVATE = env_bool("BACKCHANNEL_FEDERATION_ALLOW_PRIVATE", False)
# Federate only with the servers staff allowed (Federation → Servers), refusing the rest: the
# allow-list mode an organisation running its own site may want.
BACKCHANNEL_FEDERATION_ALLOWLIST = env_bool("BACKCHANNEL_FEDERATION_ALLOWLIST", False)
# How long a worker holds the deliveries it is sending: one killed mid-send leaves them to be
# taken again after this many seconds.
BACKCHANNEL_FEDERATION_LEASE_SECONDS = int(
    os.environ.get("BACKCHANNEL_FEDERATION_LEASE_SECONDS", "120")
)
# Deliveries in flight to one server at once (Mastodon's default Sidekiq pool is similar).
BACKCHANNEL_FEDERATION_PER_INSTANCE = int(
    os.environ.get("BACKCHANNEL_FEDERATION_PER_INSTANCE", "4")
)

# The durable queue (django-tasks with its database backend: SQLite or PostgreSQL, nothing
# else to run). Federation's deliveries and the handling of what arrives in our inboxes go
# through it; `backchannel serve` starts a worker as a child process unless
# BACKCHANNEL_WORKER=false, and `backchannel worker` runs one on its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BACKCHANNEL_WORKER = env_bool("BACKCHANNEL_WORKER", True)
# How often an idle worker looks for work, in seconds.
BACKCHANNEL_WORKER_INTERVAL = float(os.environ.get("BACKCHANNEL_WORKER_INTERVAL", "1"))
# Run when a worker starts: take up what a killed worker left (backchannel/worker.py).
BACKCHANNEL_WORKER_STARTUP = ["backchannel.federation.tasks.recover"]

# --- Rate limits (ratelimits.py) -------------------------------------------------
# "N/period" items separated by ";" (e.g. "30/minute;600/hour"). Counted in Redis when REDIS_URL
# is set (shared by every process), else in each process's memory. Conference wifi puts many
# people behind one address, so the per-address limits are generous.
BACKCHANNEL_RATE_LIMITS = env_bool("BACKCHANNEL_RATE_LIMITS", True)
BACKCHANNEL_RATE_POST = os.environ.get("BACKCHANNEL_RATE_POST", "20/minute;400/hour")
BACKCHANNEL_RATE_POST_IP = os.environ.get("BACKCHANNEL_RATE_POST_IP", "300/minute")
BACKCHANNEL_RATE_REPORT = os.environ.get("BACKCHANNEL_RATE_REPORT", "10/minute;60/hour")
BACKCHANNEL_RATE_REPORT_IP = os.environ.get("BACKCHANNEL_RATE_REPORT_IP", "100/minute")
BACKCHANNEL_RATE_SIGNUP_IP = os.environ.get("BACKCHANNEL_RATE_SIGNUP_IP", "60/hour")
BACKCHANNEL_RATE_DM = os.environ.get("BACKCHANNEL_RATE_DM", "30/minute;300/hour")
BACKCHANNEL_RATE_FOLLOW = os.environ.get("BACKCHANNEL_RATE_FOLLOW", "60/minute;400/day")
# Failed sign-ins before an account (or an address) is locked for the rest of the window.
BACKCHANNEL_RATE_LOGIN_FAILURES = os.environ.get("BACKCHANNEL_RATE_LOGIN_FAILURES", "10/15minutes")
BACKCHANNEL_RATE_JOIN_CODE_FAILURES = os.environ.get(
    "BACKCHANNEL_RATE_JOIN_CODE_FAILURES", "10/15minutes"
)
BACKCHANNEL_RATE_JOIN_CODE_FAILURES_IP = os.environ.get(
    "BACKCHANNEL_RATE_JOIN_CODE_FAILURES_IP", "50/15minutes"
)
BACKCHANNEL_RATE_PASSWORD_FAILURES = os.environ.get(
    "BACKCHANNEL_RATE_PASSWORD_FAILURES", "5/15minutes"
)
# Password-reset links: per e-mail address (a mailbox must not be flooded) and per address.
BACKCHANNEL_RATE_RESET = os.environ.get("BACKCHANNEL_RATE_RESET", "3/hour;10/day")
BACKCHANNEL_RATE_RESET_IP = os.environ.get("BACKCHANNEL_RATE_RESET_IP", "20/hour")
BACKCHANNEL_RATE_TOKEN = os.environ.get("BACKCHANNEL_RATE_TOKEN", "10/hour;30/day")
BACKCHANNEL_RATE_SEARCH = os.environ.get("BACKCHANNEL_RATE_SEARCH", "60/minute;1000/hour")
BACKCHANNEL_RATE_SEARCH_IP = os.environ.get("BACKCHANNEL_RATE_SEARCH_IP", "300/minute")
# The composer checks a draft as its author types (0.6 s after they stop).
BACKCHANNEL_RATE_CAUTION = os.environ.get("BACKCHANNEL_RATE_CAUTION", "120/minute;3000/hour")
BACKCHANNEL_RATE_CAUTION_IP = os.environ.get("BACKCHANNEL_RATE_CAUTION_IP", "600/minute")
BACKCHANNEL_RATE_LOGIN_FAILURES_IP = os.environ.get(
    "BACKCHANNEL_RATE_LOGIN_FAILURES_IP", "100/15minutes"
)
# Behind a reverse proxy: the header holding the client's address (e.g. X-Real-IP, or
# X-Forwarded-For, of which the last entry is used: the one your proxy added). Empty: the
# connection's address. Set it only when a proxy you run always sets the header.
BACKCHANNEL_CLIENT_IP_HEADER = os.environ.get("BACKCHANNEL_CLIENT_IP_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per request or task at INFO: deliveries would flood the log.
        "httpx": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
