from __future__ import annotations

from collections.abc import Iterator

import pytest

from bookings.models import Booking
from notifications.tests.factories import BookingFactory, NotificationFactory
from notifications.tests.backends import FlakyBackend, RefusingBackend


@pytest.fixture
def booking(db: None) -> Booking:
    return BookingFactory()


@pytest.fixture
def booking_factory(db: None) -> type[BookingFactory]:
    return BookingFactory


@pytest.fixture
def notification_factory(db: None) -> type[NotificationFactory]:
    return NotificationFactory


@pytest.fixture
def flaky_mail(settings) -> Iterator[type[FlakyBackend]]:  # noqa: ANN001
    """The mail server refuses the next `FlakyBackend.failures_left` messages."""
    settings.EMAIL_BACKEND = "notifications.tests.backends.FlakyBackend"
    FlakyBackend.failures_left = 0
    yield FlakyBackend
    FlakyBackend.failures_left = 0


@pytest.fixture
def refusing_mail(settings) -> Iterator[dict[str, Exception]]:  # noqa: ANN001
    """The mail server raises `refusing_mail[address]` for a message to that address and
    accepts the others (django.core.mail.outbox)."""
    settings.EMAIL_BACKEND = "notifications.tests.backends.RefusingBackend"
    RefusingBackend.errors = {}
    yield RefusingBackend.errors
    RefusingBackend.errors = {}
