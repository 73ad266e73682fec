"""What a debug error page (DEBUG=true) may show of the settings."""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter


class SettingsHidingFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding settings whose names say they are URLs or locations:
    `REDIS_URL`, `EMAIL_URL`, `CELERY_BROKER_URL` and a cache's `LOCATION` carry the
    passwords of the services they name, and Django's own list (API, TOKEN, KEY, SECRET,
    PASS, SIGNATURE) misses them."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|LOCATION|BROKER", flags=re.IGNORECASE
    )
