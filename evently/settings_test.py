"""Test settings: the real settings, with a fast hasher and rate limits off unless a test
turns them on. DATABASE_URL / REDIS_URL select the backends exactly as in production."""

import os
import uuid

# Never the developer's `.env` (`make run` writes one): only the environment the tests run in.
# Set in os.environ, so subprocesses the tests start (live servers, commands) skip it too.
os.environ["EVENTLY_ENV_FILE"] = ""
os.environ.setdefault("JWT_SECRET", "test-only-secret-not-for-production-0123456789")
os.environ.setdefault("RATELIMIT_ENABLE", "false")

from evently.settings import *  # noqa: E402,F401,F403
from evently.settings import CACHES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# On a real Redis, every key of this test run carries a prefix of its own, and the suite
# deletes only keys with that prefix (conftest.py), never FLUSHDB: the Redis db named by
# REDIS_URL may be shared with anything else.
TEST_CACHE_KEY_PREFIX = f"evently-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = TEST_CACHE_KEY_PREFIX
# Tests never read collected static files; keep whitenoise off the shared staticfiles/
# directory that `make run`/benchmarks rewrite.
STATIC_ROOT = BASE_DIR / ".test-staticfiles"  # noqa: F405
# Tasks run in the calling process in tests; the worker integration test turns this off.
CELERY_TASK_ALWAYS_EAGER = True
