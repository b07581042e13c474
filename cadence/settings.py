"""Cadence settings: one file, read from the environment.

Defaults run locally with SQLite; production sets at least SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL. See README.md ("Production") for the full list.
"""

from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cadence.env import envbool, envint, envlist, envstr, oidc_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
# Demo mode: the demo organisation's "sign in as" picker and its shared password are shown.
# It signs anyone in as HR or an administrator without a password, so outside DEBUG it refuses
# to start unless forced with DEMO_IN_PRODUCTION=1 (a public demo installation).
DEMO = envbool("DEMO", False)
if DEMO and not DEBUG and not envbool("DEMO_IN_PRODUCTION", False):
    raise ImproperlyConfigured(
        "DEMO=1 lets anyone sign in as HR or an administrator without a password: it is for "
        "local development (with DEBUG=1). For a public demo installation, set "
        "DEMO_IN_PRODUCTION=1 as well, with a SECRET_KEY of its own."
    )

# Without SECRET_KEY (and outside DEBUG) the key stays empty: commands that sign nothing
# (migrate, makemigrations, check) still run, Django refuses any use of the empty key, and the
# WSGI application refuses to start (cadence/wsgi.py), so nothing is ever served unsigned.
# The fixed development key is for DEBUG only: anyone can read it here and sign with it.
DEVELOPMENT_KEY = "django-insecure-local-development-only"
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = DEVELOPMENT_KEY
if SECRET_KEY == DEVELOPMENT_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is the published development key: set a long random one of your own."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Earlier keys, comma-separated: still accepted for signatures, and for opening the 360 answers
# sealed with them while reviews are open (feedback.reviewing) after SECRET_KEY is rotated.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cadence",
    "people",
    "access",
    "accounts",
    "goals",
    "conversations",
    "feedback",
    "growth",
    "plans",
    "talent",
    "succession",
    "mobility",
    "talentreview",
    "surveys",
    "insights",
    "notifications",
    "trust",
    "organisation",
    "guides",
    "firstrun",
    "webhooks",
    "scim",
]

MIDDLEWARE = [
    # First, so that it also marks the answers that the middleware below gives (errors too).
    "cadence.middleware.ApiNoStoreMiddleware",
    # Writes what each request showed of other people's data, once, after the response.
    "trust.access_log.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PersonPreferencesMiddleware",
    # Switched-off modules answer 404 (in the person's language, hence after the above).
    "organisation.middleware.ModuleSwitchMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]
if envbool("QUERY_COUNT_HEADER", False):
    # Benchmark only: report the number of SQL queries of each response in a header.
    MIDDLEWARE.insert(0, "cadence.middleware.QueryCountMiddleware")

ROOT_URLCONF = "cadence.urls"
WSGI_APPLICATION = "cadence.wsgi.application"

# Django's form renderer, its widget templates' includes inlined (cadence/form_renderer.py).
FORM_RENDERER = "cadence.form_renderer.FormRenderer"

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
                "cadence.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cadence.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept between requests as on PostgreSQL (CONN_MAX_AGE): opening one costs
    # about a millisecond, and a new one starts with an empty page cache. Each worker process
    # (one thread) keeps one; the development server closes its threads' own after each request.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock up
        # front so that concurrent writers wait (busy timeout) instead of failing mid-way. A
        # page cache of 16 MB per connection (the default is 2 MB) keeps a page's indexes warm.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-16000;"
            # Memory-mapped reads (SQLITE_MMAP_MB, 0: off): a page read again after another
            # process wrote (SQLite then empties its page cache) is a memory access, not a
            # system call. The mapped pages count in each worker's RSS, shared between them.
            f"PRAGMA mmap_size={envint('SQLITE_MMAP_MB', 0) * 1024 * 1024};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compiling: it pays off for long analytical queries, never for a page's. At
    # 100,000 people PostgreSQL compiled the team tree's query (its cost estimate above
    # jit_above_cost) for 22 ms, to run it in 3 ms.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ---------------------------------------------------------------------
AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Sign-in throttling (accounts/throttle.py): failures allowed before waiting, per address from
# one client and per trusted browser; per address from all untrusted clients; per client
# across addresses. Then the wait starts at LOGIN_BACKOFF_SECONDS and doubles with each further
# failure, up to LOGIN_BACKOFF_MAX_MINUTES. Failures count (and are kept) for the window.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_CLIENT_FAILURE_LIMIT = envint("LOGIN_CLIENT_FAILURE_LIMIT", 30)
LOGIN_BACKOFF_SECONDS = envint("LOGIN_BACKOFF_SECONDS", 60)
LOGIN_BACKOFF_MAX_MINUTES = envint("LOGIN_BACKOFF_MAX_MINUTES", 15)
LOGIN_FAILURE_WINDOW_MINUTES = envint("LOGIN_FAILURE_WINDOW_MINUTES", 24 * 60)
# How long a browser stays trusted for a person after they signed in with it.
LOGIN_DEVICE_COOKIE_DAYS = envint("LOGIN_DEVICE_COOKIE_DAYS", 365)
# Behind proxies: how many of them append the client's address to X-Forwarded-For (0: none,
# the client is REMOTE_ADDR). The client is that many entries from the header's end.
TRUST_X_FORWARDED_FOR = envint("TRUST_X_FORWARDED_FOR", 0)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# A new e-mail address takes effect once confirmed from it (the link works this many days) and,
# when someone else changed it, not before the old address had this many hours to object.
EMAIL_CHANGE_CONFIRM_DAYS = 7
EMAIL_CHANGE_NOTICE_HOURS = 72
# An invitation's link to choose a password (accounts.invitations) works once, this many days.
INVITATION_DAYS = 14
# Single sign-on with the organisation's identity provider (OpenID Connect, `accounts.sso`):
# from the OIDC_* variables when OIDC_ISSUER is set (then the settings page only shows it),
# else as administered in the app (Administration → Single sign-on).
OIDC = oidc_settings(
    issuer=envstr("OIDC_ISSUER"),
    client_id=envstr("OIDC_CLIENT_ID"),
    client_secret=envstr("OIDC_CLIENT_SECRET"),
    scopes=envstr("OIDC_SCOPES"),
    provider_name=envstr("OIDC_PROVIDER_NAME"),
    sso_only=envbool("OIDC_SSO_ONLY", False),
    break_glass_email=envstr("OIDC_BREAK_GLASS_EMAIL"),
)
AUTHENTICATION_BACKENDS += ["accounts.backends.SsoBackend"]

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    _email = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Cadence <cadence@localhost>")
# Rhythm health of a whole organisation is counted at most this often per viewer (seconds):
# older figures are still shown while the background worker counts again, up to
# ADHERENCE_STALE_SECONDS old (then the page counts itself). 0: counted on every request.
ADHERENCE_CACHE_SECONDS = envint("ADHERENCE_CACHE_SECONDS", 300)
ADHERENCE_STALE_SECONDS = envint("ADHERENCE_STALE_SECONDS", 3600)
# Where people open Cadence: the links in e-mail sent by background work, outside a request.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The weekly digest (notifications.digest): sent from this hour (0-23, the person's own time)
# on the first day of the organisation's week; WEEKLY_DIGEST=0 sends none.
WEEKLY_DIGEST = envbool("WEEKLY_DIGEST", True)
WEEKLY_DIGEST_HOUR = envint("WEEKLY_DIGEST_HOUR", 7)

# --- Background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A person's export of their data (trust.exporting) can be downloaded this many days; a person
# may ask for a new one at most once every EXPORT_EVERY_MINUTES.
EXPORT_DAYS = envint("EXPORT_DAYS", 7)
EXPORT_EVERY_MINUTES = envint("EXPORT_EVERY_MINUTES", 60)
# Webhooks and chat channels (webhooks/) go to public HTTPS addresses only; plain HTTP to this
# machine (127.0.0.1) only while developing (DEBUG) and in the tests, never in production.
WEBHOOKS_ALLOW_LOOPBACK = DEBUG

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times in one style per language: cadence/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["cadence.formats"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
# How long each process keeps the organisation's settings (`organisation.current`) before it
# reads them again: a change made in another process is seen within this many seconds.
ORGANISATION_SETTINGS_SECONDS = 10
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm; `make install` copies them here (never committed).
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------------------------
HTTPS = envbool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is asked for by the installation, never by default: once browsers ship the
# domain in their preload list, every subdomain must serve HTTPS for months, even after it is
# turned off here. Without it, Django's deployment check would warn (W021): that is the choice.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The health check answers plain HTTP for load balancers that talk to the app directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
