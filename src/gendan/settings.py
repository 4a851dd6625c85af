"""One settings module; production differs only by environment (GENDAN_* variables)."""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GENDAN_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("GENDAN_DEBUG", False)
SECRET_KEY = os.environ.get("GENDAN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Sessions, CSRF tokens and password resets are signed with it: no default in production.
        raise ImproperlyConfigured(
            "GENDAN_SECRET_KEY is not set. Set it to a long random value (50 characters or "
            "more), or set GENDAN_DEBUG=1 for development."
        )
    SECRET_KEY = "gendan-insecure-development-key-change-me"
ALLOWED_HOSTS = env_list("GENDAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# HTTPS (GENDAN_HTTPS=1 in production): redirect plain HTTP, send HSTS, secure cookies only.
# Behind a proxy that ends TLS, GENDAN_PROXY_SSL_HEADER names the header it sets
# (X-Forwarded-Proto) so that a request it forwarded over HTTPS counts as secure.
HTTPS = env_bool("GENDAN_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GENDAN_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GENDAN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GENDAN_HSTS_PRELOAD", True)
if _proxy_header := os.environ.get("GENDAN_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("GENDAN_CSRF_TRUSTED_ORIGINS", "")

# Content-Security-Policy (Django's CSP middleware), on every page: scripts only from this site
# or with the response's nonce (templates write nonce="{{ csp_nonce }}"), nothing framed,
# posted or fetched elsewhere. Styles may be inline: the charts are SVG with their own <style>,
# and a few pages set a colour or width in a style attribute.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "gendan.accounts",
    "gendan.timeline",
    "gendan.numbering",
    "gendan.parties",
    "gendan.catalog",
    "gendan.orders",
    "gendan.finance",
    "gendan.inventory",
    "gendan.production",
    "gendan.quality",
    "gendan.aftersales",
    "gendan.purchasing",
    "gendan.contracts",
    "gendan.patrol",
    "gendan.prospects",
    "gendan.logistics",
    "gendan.shipping",
    "gendan.loading",
    "gendan.attachments",
    "gendan.outbox",
    "gendan.notifications",
    "gendan.jobs",
    "gendan.exports",
    "gendan.backups",
    "gendan.reports",
    "gendan.forecast",
    "gendan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gendan.web.middleware.UserLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "gendan.urls"
# every flash message passes the price rule (gendan/prices.py)
MESSAGE_STORAGE = "gendan.web.flash.PriceBlindStorage"
WSGI_APPLICATION = "gendan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "django.template.context_processors.csp",
                "gendan.web.navigation.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("GENDAN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'gendan.sqlite3'}"),
        conn_max_age=int(os.environ.get("GENDAN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a demo server and a worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One authentication backend for every way in (pages, admin, API tokens): it applies the
# login throttle (accounts.backends).
AUTHENTICATION_BACKENDS = ["gendan.accounts.backends.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = os.environ.get("GENDAN_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("GENDAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# API tokens: lifetime of a new token. The login throttle (pages, admin, API alike): wrong
# passwords allowed per account and per client address (0 = no address limit) before a lock of
# GENDAN_LOGIN_LOCK_SECONDS, doubled with each further failure up to 15 minutes.
GENDAN_TOKEN_DAYS = int(os.environ.get("GENDAN_TOKEN_DAYS", "90"))
#: requests for tomorrow's deliveries close at this local time today (HH:MM)
GENDAN_DISPATCH_CUTOFF = os.environ.get("GENDAN_DISPATCH_CUTOFF", "17:00")
#: the company's own name, address and bank: the seller on the sales contract and the export
#: documents (packing list, commercial invoice)
GENDAN_COMPANY_NAME = os.environ.get(
    "GENDAN_COMPANY_NAME", "跟单示范贸易有限公司 Gendan Demo Trading Co., Ltd."
)
GENDAN_COMPANY_ADDRESS = os.environ.get(
    "GENDAN_COMPANY_ADDRESS", "广东省广州市天河区示范路 1 号 No. 1 Shifan Road, Guangzhou, China"
)
GENDAN_COMPANY_BANK = os.environ.get(
    "GENDAN_COMPANY_BANK", "Bank of China Guangzhou Branch · SWIFT BKCHCNBJ400 · A/C 000-000000"
)
GENDAN_LOGIN_FREE_FAILURES = int(os.environ.get("GENDAN_LOGIN_FREE_FAILURES", "5"))
GENDAN_LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("GENDAN_LOGIN_ADDRESS_FREE_FAILURES", "20"))
GENDAN_LOGIN_LOCK_SECONDS = int(os.environ.get("GENDAN_LOGIN_LOCK_SECONDS", "60"))

# Background work (django.tasks): the database backend, run by `gendan worker`; "immediate"
# runs every task inside the request that enqueues it (tests, one-process setups).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("GENDAN_TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# A worker whose heartbeat is older than this is stale (/healthz, the admin's list of workers).
GENDAN_WORKER_STALE_SECONDS = int(os.environ.get("GENDAN_WORKER_STALE_SECONDS", "60"))

# Loading (装柜): processes one loading plan searches in (the engine's search variants share
# them out; 1 = the worker's own process only).
GENDAN_PLANNING_WORKERS = int(os.environ.get("GENDAN_PLANNING_WORKERS", "1"))
# What a counting error found after loading costs the person who counted.
GENDAN_COUNTING_ERROR_PENALTY = os.environ.get("GENDAN_COUNTING_ERROR_PENALTY", "200")
GENDAN_COUNTING_ERROR_CURRENCY = os.environ.get("GENDAN_COUNTING_ERROR_CURRENCY", "CNY")

# Files (attachments): Django's storage API. A folder under var/ by default; another backend
# (django-storages' S3Storage, say) by GENDAN_STORAGE_BACKEND and GENDAN_STORAGE_OPTIONS (JSON).
MEDIA_ROOT = Path(os.environ.get("GENDAN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "GENDAN_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("GENDAN_STORAGE_OPTIONS", "{}"))
        or {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The largest request body Django reads into memory (a JSON body; a file upload does not count):
# over it the API answers 413 request_too_large. Django's default, 2.5 MB, unless set.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("GENDAN_MAX_BODY_BYTES", 2_621_440))
GENDAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("GENDAN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
GENDAN_ATTACHMENT_TYPES = env_list(
    "GENDAN_ATTACHMENT_TYPES", "pdf,jpeg,png,webp,heic,xlsx,docx,txt"
)

# Outgoing mail (Django's MAILERS): SMTP when GENDAN_EMAIL_HOST is set (production), else each
# mail is written as a file under var/mail (the demo).
_EMAIL_HOST = os.environ.get("GENDAN_EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": int(os.environ.get("GENDAN_EMAIL_PORT", "25")),
            "username": os.environ.get("GENDAN_EMAIL_USER", ""),
            "password": os.environ.get("GENDAN_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("GENDAN_EMAIL_USE_TLS", False),
            "use_ssl": env_bool("GENDAN_EMAIL_USE_SSL", False),
            "timeout": int(os.environ.get("GENDAN_EMAIL_TIMEOUT", "20")),
        },
    }
    if _EMAIL_HOST
    else {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ.get("GENDAN_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("GENDAN_EMAIL_FROM", "Gendan <gendan@localhost>")
# Links in mails and notifications point here (no request to read the host from in a worker).
GENDAN_BASE_URL = os.environ.get("GENDAN_BASE_URL", "http://127.0.0.1:8000")
# Periodic jobs (`gendan scheduler`): how long housekeeping keeps finished background tasks and
# the record of job runs.
GENDAN_TASK_RESULTS_KEEP_DAYS = int(os.environ.get("GENDAN_TASK_RESULTS_KEEP_DAYS", "14"))
GENDAN_JOB_RUNS_KEEP_DAYS = int(os.environ.get("GENDAN_JOB_RUNS_KEEP_DAYS", "365"))
# The first-article gate (首件): a work order's first step needs the salesperson's approval of a
# sample before mass production is reported beyond the sample, for a new customer, a new product,
# or a line quantity above GENDAN_FIRST_ARTICLE_QUANTITY; the merchandiser's Today lists samples
# waiting longer than GENDAN_FIRST_ARTICLE_WAIT_HOURS.
GENDAN_FIRST_ARTICLE_QUANTITY = int(os.environ.get("GENDAN_FIRST_ARTICLE_QUANTITY", "5000"))
GENDAN_FIRST_ARTICLE_SAMPLE_QTY = int(os.environ.get("GENDAN_FIRST_ARTICLE_SAMPLE_QTY", "10"))
GENDAN_FIRST_ARTICLE_WAIT_HOURS = int(os.environ.get("GENDAN_FIRST_ARTICLE_WAIT_HOURS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GENDAN_LOG_LEVEL", "WARNING")},
}
