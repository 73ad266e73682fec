from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.signals import user_deactivated
        from bookings.receivers import withdraw_on_deactivation
        from bookings.services import promote_on_event_change
        from events.signals import event_inventory_changed

        # News travels upward: events announces a change under its lock, bookings promotes.
        event_inventory_changed.connect(
            promote_on_event_change, dispatch_uid="bookings.promote_on_event_change"
        )
        # accounts announces a committed deactivation; bookings withdraws its waitlist places.
        user_deactivated.connect(
            withdraw_on_deactivation, dispatch_uid="bookings.withdraw_on_deactivation"
        )
