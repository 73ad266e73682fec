"""Test settings: the real settings, with a fast hasher and rate limits off unless a test
turns them on. DATABASE_URL / REDIS_URL select the backends exactly as in production."""

import os

os.environ.setdefault("JWT_SECRET", "test-only-secret-not-for-production-0123456789")
os.environ.setdefault("RATELIMIT_ENABLE", "false")

from evently.settings import *  # noqa: E402,F401,F403
from evently.settings import CACHES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = "evently-test"
# Tests never read collected static files; keep whitenoise off the shared staticfiles/
# directory that `make run`/benchmarks rewrite.
STATIC_ROOT = BASE_DIR / ".test-staticfiles"  # noqa: F405
# Tasks run in the calling process in tests; the worker integration test turns this off.
CELERY_TASK_ALWAYS_EAGER = True
