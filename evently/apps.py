from django.apps import AppConfig


class EventlyConfig(AppConfig):
    """The project package as an app: shared cache helpers and templates."""

    name = "evently"

    def ready(self) -> None:
        from django.core.signals import request_started

        from evently.cache import retry_undelivered_invalidations

        request_started.connect(retry_undelivered_invalidations, dispatch_uid="evently-cache-retry")
