from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications import metrics, receivers  # noqa: F401  (connects the receivers)

        metrics.register_collectors()
