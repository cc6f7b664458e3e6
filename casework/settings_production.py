"""Production settings: DEBUG off, secrets and host names from the environment, HTTPS only.

Use with ``DJANGO_SETTINGS_MODULE=casework.settings_production``. Required in the environment:

- ``SECRET_KEY``: at least 50 random characters, for example from
  ``python -c "import secrets; print(secrets.token_urlsafe(64))"``;
- ``ALLOWED_HOSTS``: the site's host names, comma-separated (``casework.example.org``).

Optional: ``DATABASE_URL``, ``CSRF_TRUSTED_ORIGINS`` (defaults to https:// on each allowed host),
``CASEWORK_PROXY_COUNT`` (reverse proxies in front that set X-Forwarded-For and X-Forwarded-Proto),
``SECURE_HSTS_SECONDS`` (default one year). These settings pass ``python -m django check --deploy``
with no warnings; CI checks that (`make check-deploy`).
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from casework.settings import *  # noqa: F403
from casework.settings import CASEWORK_PROXY_COUNT, CONTENT_SECURITY_POLICY, env

DEBUG = False
WHITENOISE_USE_FINDERS = False  # serve what `collectstatic` gathered into STATIC_ROOT

SECRET_KEY = env.str("SECRET_KEY")  # no default: ImproperlyConfigured when it is missing
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[f"https://*{host}" if host.startswith(".") else f"https://{host}" for host in ALLOWED_HOSTS],
)

# HTTPS only, and browsers told to remember that (ASVS 9.1.1, 3.4.1).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if CASEWORK_PROXY_COUNT > 0:
    # Only our own proxy sets this header; with no proxy it would let a client claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Cookies only over HTTPS; the __Host- prefix also pins them to this host and path (ASVS 3.4.4).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"

_directives: dict[str, Any] = {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "DIRECTIVES": _directives}
