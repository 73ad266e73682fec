"""Settings of the Celery worker that test_worker_integration.py starts: production's, with
every broker key under this test run's own prefix (EVENTLY_TEST_BROKER_PREFIX), as the cache's
keys are (settings_test.TEST_CACHE_KEY_PREFIX). The Redis db named by REDIS_URL may be shared
with another test run or a developer's worker: neither takes this run's tasks, nor this run
theirs, and the tests delete only their own keys."""

import os

from evently.settings import *  # noqa: F403
from evently.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": os.environ["EVENTLY_TEST_BROKER_PREFIX"],
}
