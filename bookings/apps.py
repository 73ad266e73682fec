from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bookings.services import waitlist_promote
        from events.hooks import register_capacity_hook

        register_capacity_hook(waitlist_promote)
