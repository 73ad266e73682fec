from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started

        from analytics.cache import retry_undelivered_invalidation

        request_started.connect(retry_undelivered_invalidation, dispatch_uid="analytics-retry")
