# The `real_redis` fixture lives in the project's conftest.py (every app's tests can use it);
# re-exported here for modules that still import it from this path.
from conftest import real_redis  # noqa: F401
