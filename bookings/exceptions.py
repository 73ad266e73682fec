from __future__ import annotations

from django.db import models

from evently.errors import DomainError


class RefusalReason(models.TextChoices):
    """Why a booking request was refused: the `reason` label of evently_bookings_total."""

    NOT_FOUND = "not_found"
    NOT_ACTIVE = "not_active"
    ENDED = "ended"
    NOT_ENOUGH_SEATS = "not_enough_seats"
    SEATS_TAKEN = "seats_taken"
    SEAT_NOT_FOUND = "seat_not_found"
    INVALID_REQUEST = "invalid_request"
    KEY_REUSED = "key_reused"
    BUSY = "busy"
    OTHER = "other"


class BookingNotFound(DomainError):
    status_code = 404
    default_detail = "Booking not found"


class NotEnoughSeats(DomainError):
    status_code = 409

    def __init__(self, *, available: int, waiting: int = 0) -> None:
        if waiting:
            detail = (
                f"Not enough seats available: {waiting} booking(s) are waiting ahead of you; "
                "join the waitlist (waitlist: true)"
            )
        else:
            detail = f"Not enough seats available: {available} left"
        super().__init__(detail, available=available, waiting=waiting)


class SeatsTaken(DomainError):
    status_code = 409

    def __init__(self, labels: list[str]) -> None:
        super().__init__(f"Seats already taken: {', '.join(labels)}", seats=labels)


class SeatNotFound(DomainError):
    status_code = 404

    def __init__(self, refs: list[str]) -> None:
        super().__init__(f"Seat not found: {', '.join(refs)}", seats=refs)


class InvalidBookingRequest(DomainError):
    """The request breaks a rule of its own shape (quantity bounds, quantity vs seats,
    duplicate seats): 422 with `errors` per field, like a serializer's 422."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors={field: [message]})


class DuplicateSeats(DomainError):
    status_code = 422

    def __init__(self, labels: list[str]) -> None:
        message = f"duplicate seats: {', '.join(labels)}"
        super().__init__(f"seat_ids: {message}", errors={"seat_ids": [message]})


class IdempotencyKeyReused(DomainError):
    status_code = 422
    default_detail = "Idempotency-Key reused with a different request"


# Tickets and check-in (bookings/tickets.py).


class TicketNotFound(DomainError):
    status_code = 404
    default_detail = "Ticket not found"


class AlreadyCheckedIn(DomainError):
    status_code = 409

    def __init__(self, *, checked_in_at: str) -> None:
        super().__init__("Already checked in", checked_in_at=checked_in_at)


class TicketVoid(DomainError):
    status_code = 409
    default_detail = "Ticket void (booking cancelled)"


class TicketForAnotherEvent(DomainError):
    status_code = 409
    default_detail = "Ticket is for another event"
