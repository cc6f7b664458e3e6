"""Settings for Casework, read from the environment with safe development defaults.

DATABASE_URL selects the database (SQLite in the project folder by default;
``postgres://user@host:5432/name`` for PostgreSQL). SECRET_KEY, ALLOWED_HOSTS and
DEBUG must be set in production.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Off unless asked for: a wrong address shows the normal 404 page, not every URL pattern
# (issue 9, D13). `DEBUG=true` turns Django's debugging pages on for development.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-development-key-change-me-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "casework.accounts",
    "casework.audit",
    "casework.cases",
    "casework.priorities",
    "casework.governance",
    "casework.administration",
    "casework.web",
    "casework.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their cache lifetimes; everything else is no-store.
    "casework.accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casework.accounts.middleware.SessionExpiryMiddleware",
    "casework.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"

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
                "casework.priorities.context_processors.inbox",
                "casework.cases.context_processors.my_actions",
                "casework.web.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "casework.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'casework.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the development server read while a write is under way.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Writers take the lock when the transaction starts, so audit chain appends queue up
    # instead of failing half-way.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # A writer waits up to this many seconds for the lock rather than being told "database is
    # locked": twenty people saving at once queue (issue 8). SQLite's own default is 5.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", env.int("CASEWORK_SQLITE_BUSY_SECONDS", default=30))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn, offline: refuses sequences, repeats, keyboard runs, common words and names with
    # digits stuck on, and the user's own names. It stands in for a breached-password look-up
    # (ASVS 2.1.7), which would send hash prefixes to a third party.
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3  # of zxcvbn's 0-4: "safely unguessable"
PASSWORD_EXTRA_DICTIONARY = ["casework", "password", "advice", "guidance", "caseload"]

# --- Sign-in and sessions (OWASP ASVS V2, V3) -------------------------------------------
# django-axes checks every sign-in first and refuses one that is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 30 minutes;
# locking by username alone would let anyone lock a colleague out. An administrator lifts a
# lockout early with `casework axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = env.int("CASEWORK_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CASEWORK_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.accounts.views.locked_out"
# How many reverse proxies of ours stand in front of Casework; 0 trusts no X-Forwarded-For.
CASEWORK_PROXY_COUNT = env.int("CASEWORK_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "casework.accounts.middleware.client_ip"

# Two-step verification (TOTP). Users in these roles must set it up before they can use
# Casework; anyone else may choose to.
CASEWORK_2FA_REQUIRED_ROLES = env.list("CASEWORK_2FA_REQUIRED_ROLES", default=["dpo", "admin"])
OTP_TOTP_ISSUER = env.str("CASEWORK_OTP_ISSUER", default="Casework")

# A session ends after this long without a request, and in any case this long after sign-in.
CASEWORK_SESSION_IDLE_MINUTES = env.int("CASEWORK_SESSION_IDLE_MINUTES", default=30)
CASEWORK_SESSION_MAX_HOURS = env.int("CASEWORK_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = CASEWORK_SESSION_MAX_HOURS * 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:start"  # each role lands on the page it works from
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("CASEWORK_TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise finds the static files where they are, so `make run` serves them with DEBUG off and
# without `collectstatic`; production collects them once (settings_production).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content security policy: scripts and styles only from our own files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# A 1 MB note is refused by field limits; a body far beyond any note is refused outright.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
# An invitation's link to set a password works once, for this long (issue 9).
PASSWORD_RESET_TIMEOUT = env.int("CASEWORK_INVITATION_DAYS", default=3) * 86400

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# The access log is personal data too: `casework prune_access_log` deletes events older than this.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)

# The audit chain's head is appended here daily by the sweep (`casework audit anchor` too):
# keep it off the database's disk, on append-only storage if you can (docs: README, "Audit").
AUDIT_ANCHOR_FILE = env.str("CASEWORK_AUDIT_ANCHOR_FILE", default=str(BASE_DIR / "audit-anchors.jsonl"))
# Also e-mail each anchor to the organisation's data-protection officers.
AUDIT_ANCHOR_EMAIL = env.bool("CASEWORK_AUDIT_ANCHOR_EMAIL", default=False)
