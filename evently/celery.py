"""The Celery application: `celery -A evently worker` / `celery -A evently beat`.

Configuration is read from Django's settings (`CELERY_*`, see evently/settings.py). Without
REDIS_URL tasks run eagerly in the calling process (the embedded default).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")

app = Celery("evently")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
