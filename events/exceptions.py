from evently.errors import DomainError, ServiceBusy


class EventNotFound(DomainError):
    status_code = 404
    default_detail = "Event not found"


class EventNotActive(DomainError):
    status_code = 409
    default_detail = "Event not active"


class EventEnded(DomainError):
    status_code = 409
    default_detail = "Event has already ended"


class EventBusy(ServiceBusy):
    default_detail = "Event is busy, retry"


class CapacityBelowBooked(DomainError):
    status_code = 409

    def __init__(self, capacity: int, booked: int) -> None:
        super().__init__(f"capacity {capacity} < booked_count {booked}")


class EventChangedMeanwhile(DomainError):
    """An edit made on a view of the event (the staff console's page) that no longer shows it:
    the event was changed since (its `updated_at` moved)."""

    status_code = 409
    default_detail = (
        "This event was changed since this page was shown (by someone else, or in another tab). "
        "Nothing was saved: reload the page to see the event as it is now, then make your "
        "change again."
    )


class InvalidEventField(DomainError):
    """A value an event can't have (422 with `errors` per field, like a serializer's 422)."""

    status_code = 422
    field = "non_field_errors"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field = field or self.field
        super().__init__(f"{field}: {message}", errors={field: [message]})


class CapacityTooLarge(InvalidEventField):
    field = "capacity"


class CapacityTooSmall(InvalidEventField):
    field = "capacity"


class EventHasBookings(DomainError):
    status_code = 409
    default_detail = "Event has bookings; deactivate it instead"


class SeatsAlreadyExist(DomainError):
    status_code = 409
    default_detail = "Seats already exist for this event"


class SeatMapTooSmall(DomainError):
    status_code = 409


class InvalidEventTimes(DomainError):
    status_code = 422
    default_detail = "end_time: end_time must be after start_time."

    def __init__(self) -> None:
        super().__init__(errors={"end_time": ["end_time must be after start_time."]})


class InvalidSeatGrid(InvalidEventField):
    field = "rows"


class UnknownTimezone(InvalidEventField):
    field = "timezone"
