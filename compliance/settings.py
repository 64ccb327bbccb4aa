"""Subwatch settings: one module, every value read from the environment.

See .env.example for the variables. With none set, Subwatch runs on the
embedded default: SQLite under var/ and a broker in files under var/broker/.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from compliance.env import envbool, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("SUBWATCH_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless a view opts out (login itself).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "compliance.urls"
WSGI_APPLICATION = "compliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
_database_url = envstr("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "subwatch.sqlite3",
            "OPTIONS": {
                # The web app, worker and scheduler share one file: wait for locks
                # instead of failing, and take the write lock up front.
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Keep the connection between tasks: opening one costs ~0.6 ms per check.
            "CONN_MAX_AGE": 600,
            # A file, not :memory:, so a worker thread in the tests sees the same data.
            "TEST": {"NAME": str(VAR_DIR / "test-subwatch.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "change_list"
LOGOUT_REDIRECT_URL = "login"

# --- Languages: English and Arabic from the start -------------------------
LANGUAGE_CODE = envstr("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- Email (Django's own names) -------------------------------------------
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Subwatch <subwatch@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No server configured: write each message under var/mail/ so a new user can read it.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Celery ---------------------------------------------------------------
_broker_dir = VAR_DIR / "broker"
# localfs:// is kombu's filesystem transport with atomic writes and claims (compliance/broker.py).
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "localfs://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # kombu sleeps this long whenever a poll finds nothing to take; its 1 s
        # default caps a worker at about one check a second.
        "polling_interval": envfloat("CELERY_BROKER_POLLING_INTERVAL", 0.1),
    }
    if CELERY_BROKER_URL.startswith(("localfs", "filesystem"))
    else {}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = envint("CELERY_WORKER_PREFETCH_MULTIPLIER", 4, minimum=1)
CELERY_TASK_SERIALIZER = "json"
# Above the fetcher's overall deadline (connect + 2 x read, 70 s by default) plus DNS.
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=1)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-sources": {"task": "compliance.tasks.sources_dispatch_due", "schedule": 60.0},
    "deliver-due-notifications": {
        "task": "compliance.tasks.notifications_deliver_due",
        "schedule": 60.0,
    },
}

# --- Subwatch -------------------------------------------------------------
SUBWATCH_ALLOW_PRIVATE_ADDRESSES = envbool("SUBWATCH_ALLOW_PRIVATE_ADDRESSES", False)
SUBWATCH_FETCH_CONNECT_TIMEOUT = envfloat("SUBWATCH_FETCH_CONNECT_TIMEOUT", 10.0)
SUBWATCH_FETCH_READ_TIMEOUT = envfloat("SUBWATCH_FETCH_READ_TIMEOUT", 30.0)
SUBWATCH_FETCH_MAX_BYTES = envint("SUBWATCH_FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
SUBWATCH_USER_AGENT = envstr(
    "SUBWATCH_USER_AGENT", "Subwatch/0.1 (+https://github.com/subwatch; subprocessor monitor)"
)
SUBWATCH_DEFAULT_INTERVAL_HOURS = envint("SUBWATCH_DEFAULT_INTERVAL_HOURS", 24, minimum=1)
SUBWATCH_DISPATCH_BATCH = envint("SUBWATCH_DISPATCH_BATCH", 500, minimum=1)
# A check that loses more than this share of rows at once is held as suspicious.
SUBWATCH_MAX_REMOVED_SHARE = envfloat("SUBWATCH_MAX_REMOVED_SHARE", 0.5)
SUBWATCH_EMAIL_MAX_ATTEMPTS = envint("SUBWATCH_EMAIL_MAX_ATTEMPTS", 8, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
