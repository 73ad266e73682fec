from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bookings.services import promote_on_event_change
        from events.signals import event_inventory_changed

        # News travels upward: events announces a change under its lock, bookings promotes.
        event_inventory_changed.connect(
            promote_on_event_change, dispatch_uid="bookings.promote_on_event_change"
        )
