import factory

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from events.tests.factories import EventFactory
from notifications.models import Notification


class BookingFactory(factory.django.DjangoModelFactory):
    """A CONFIRMED booking row (no seats, no counters: for notification tests only)."""

    class Meta:
        model = Booking

    user = factory.SubFactory(UserFactory)
    event = factory.SubFactory(EventFactory)
    qty = 2
    status = Booking.Status.CONFIRMED


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Notification.Kind.BOOKING_CONFIRMED
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."
