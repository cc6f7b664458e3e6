"""One settings module for tests: fast hashing, in-memory e-mail, no WhiteNoise manifest."""

import os
import tempfile
from pathlib import Path

from casework.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEBUG = False

# Tests of other features sign people in with force_login and expect to reach their pages, so
# no role is made to set up two-step verification here; tests/accounts turn it on for their cases.
CASEWORK_2FA_REQUIRED_ROLES = []

# On SQLite the test database is a file, not memory: threads in the concurrency tests then
# share it as real writers do (WAL, the busy timeout and IMMEDIATE transactions all apply).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test run, so two runs at once never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-casework-{os.getpid()}.sqlite3")}  # noqa: F405

# Anchors go to a per-run file outside the project; tests that read them point it elsewhere.
AUDIT_ANCHOR_FILE = str(Path(tempfile.gettempdir()) / f"casework-test-anchors-{os.getpid()}.jsonl")
