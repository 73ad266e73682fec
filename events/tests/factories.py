from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    """An active future event without bookings or seat map."""

    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Concert {n}")
    venue = factory.Sequence(lambda n: f"Hall {n}")
    start_time = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    end_time = factory.LazyAttribute(lambda e: e.start_time + timedelta(hours=3))
    capacity = 10
    status = Event.Status.ACTIVE
