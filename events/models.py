from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import Lead
from django.utils import timezone

DEFAULT_TIMEZONE = "UTC"
# The times an event may have: a day inside Python's datetime range, so the time is
# representable in every zone (offsets are under a day) and in every file and email that
# shows it there.
EVENT_TIME_MIN = datetime(1, 1, 2, tzinfo=dt_timezone.utc)
EVENT_TIME_MAX = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=dt_timezone.utc)


# A file in the zone directory that `available_timezones()` lists but is not an IANA zone
# name: the host's own zone, a link that differs from machine to machine.
NOT_ZONE_NAMES = frozenset({"localtime"})


@functools.cache
def known_zone_names() -> frozenset[str]:
    """Every IANA zone name this system knows (`zoneinfo.available_timezones()`, the
    system's zone files or the `tzdata` package), without NOT_ZONE_NAMES. Read once."""
    return frozenset(available_timezones()) - NOT_ZONE_NAMES


def zone_or_none(name: object) -> ZoneInfo | None:
    """The IANA zone called `name` ("Europe/Berlin"), or None when `name` is not a string
    naming one. Only names in `known_zone_names()` are looked up: paths, `posix/…`, `right/…`
    and the host's `localtime` are refused, never read from disk."""
    if not isinstance(name, str) or name not in known_zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA zone name this system knows, sorted (the staff console's select)."""
    return [(name, name) for name in sorted(known_zone_names())]


class SaleState(models.TextChoices):
    """What a buyer can do with an event now. When several hold, the first listed wins:
    inactive > ended > sold_out > on_sale (docs/DECISIONS.md)."""

    INACTIVE = "inactive", "Inactive"
    ENDED = "ended", "Ended"
    SOLD_OUT = "sold_out", "Sold out"
    ON_SALE = "on_sale", "On sale"


def sale_state_of(*, status: str, end_time: datetime, capacity: int, booked_count: int,
                  now: datetime | None = None) -> str:
    """The one definition of `sale_state` (precedence in SaleState's docstring)."""
    if status != Event.Status.ACTIVE:
        return SaleState.INACTIVE
    if end_time <= (now or timezone.now()):
        return SaleState.ENDED
    if capacity - booked_count <= 0:
        return SaleState.SOLD_OUT
    return SaleState.ON_SALE


def utilization_pct(booked: int, capacity: int) -> float:
    """Booked share of capacity in percent, 2 decimals; 0 when there is no capacity (one
    event, or a sum of events in analytics)."""
    return round(100 * booked / capacity, 2) if capacity else 0.0


class Event(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    # Inventory counters: written only under the event row lock (events/bookings services).
    booked_count = models.PositiveIntegerField(default=0)
    waitlisted_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Seats per row of the event's seat grid; null until the event has a seat map.
    seat_cols = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # IANA zone the event happens in: how clients and the console show its times. Times are
    # stored and sent in UTC whatever the zone. Declared last: the name shadows django.utils.timezone in the
    # class body. Validated by events.services.event_check.
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)

    class Meta:
        ordering = ["start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(booked_count__gte=0) & Q(booked_count__lte=F("capacity")),
                name="event_booked_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(waitlisted_count__gte=0), name="event_waitlisted_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive"]), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(seat_cols__isnull=True) | Q(seat_cols__gte=1),
                name="event_seat_cols_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["start_time", "id"], name="event_start_idx"),
            models.Index(fields=["status", "start_time", "id"], name="event_status_start_idx"),
            models.Index(fields=["name", "id"], name="event_name_idx"),
            models.Index(fields=["venue"], name="event_venue_idx"),
            # `when=upcoming|past`, and the earliest end that bounds a cached catalogue page.
            models.Index(fields=["end_time"], name="event_end_idx"),
        ]

    def __str__(self) -> str:
        """`Konzert (2031-05-01)`: the start date in the event's own zone, as organizers
        know it (the staff console names events this way in every list and title)."""
        return f"{self.name} ({self.start_time.astimezone(self.zone):%Y-%m-%d})"

    @property
    def available(self) -> int:
        return self.capacity - self.booked_count

    @property
    def utilization_pct(self) -> float:
        return utilization_pct(self.booked_count, self.capacity)

    @property
    def has_seat_map(self) -> bool:
        return self.seat_cols is not None

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def has_ended(self, now: "timezone.datetime | None" = None) -> bool:
        return self.end_time <= (now or timezone.now())

    @property
    def sale_state(self) -> str:
        """"on_sale", "sold_out", "ended" or "inactive" now (`sale_state_of`)."""
        return sale_state_of(
            status=self.status, end_time=self.end_time, capacity=self.capacity,
            booked_count=self.booked_count,
        )

    @property
    def zone(self) -> ZoneInfo:
        """The event's zone (UTC if the stored name is somehow unknown to this system)."""
        return zone_or_none(self.timezone) or ZoneInfo(DEFAULT_TIMEZONE)


class SeatQuerySet(models.QuerySet["Seat"]):
    def natural_order(self) -> "SeatQuerySet":
        """Lowest row first, then lowest seat number: the contract's "best available" order."""
        return self.order_by("row_index", "col_number")

    def free(self) -> "SeatQuerySet":
        return self.filter(reserved=False)

    def first_free(self, *, event_id: int, count: int, exclude_ids: Collection[int] = ()) -> "SeatQuerySet":
        """The first `count` free seats of an event in natural order (`exclude_ids` counted as
        taken): a walk of the partial index `seat_free_natural_idx`, as fast for the last seat
        as for the first. The first step of `best_available`, which is the one definition of
        the seats a booking gets."""
        return self._free_of(event_id, exclude_ids).natural_order()[:count]

    def _free_of(self, event_id: int, exclude_ids: Collection[int]) -> "SeatQuerySet":
        free = self.filter(event_id=event_id, reserved=False)
        return free.exclude(id__in=list(exclude_ids)) if exclude_ids else free

    def best_available(
        self, *, event_id: int, count: int, exclude_ids: Collection[int] = ()
    ) -> list[tuple[int, str]]:
        """The seats a party of `count` gets (API.md "Organizer tools"), as [(id, label), ...]
        in natural order: the lowest row holding `count` adjacent free seats (consecutive
        col_number), and in it the run with the lowest seat numbers; only when no row has such
        a run, the first `count` free seats (lowest row, then lowest seat number). Fewer than
        `count` pairs when fewer seats are free. `exclude_ids` are treated as taken (seats
        already given to an earlier booking of the same promotion).

        The one definition, used by booking and by waitlist promotion; the caller holds the
        event lock (it reserves what this returns). One query when the first free seats
        already form a run (an event filling in order), else two or three: one window query
        (LEAD over each row's free seats: a run of `count` starts at a seat whose
        (count-1)-th free successor in its row is exactly count-1 seats further on) and a
        fetch of the run by its unique position index."""
        walk = list(
            self.first_free(event_id=event_id, count=count, exclude_ids=exclude_ids)
            .values_list("id", "label", "row_index", "col_number")
        )
        if len(walk) < count or _one_run(walk):
            return [(seat_id, label) for seat_id, label, _row, _col in walk]
        start = (
            self._free_of(event_id, exclude_ids).annotate(
                run_end=Window(
                    Lead("col_number", offset=count - 1),
                    partition_by=[F("row_index")],
                    order_by=F("col_number").asc(),
                )
            )
            .filter(run_end=F("col_number") + (count - 1))
            .order_by("row_index", "col_number")
            .values_list("row_index", "col_number")
            .first()
        )
        if start is None:  # no row has `count` adjacent free seats: the old rule
            return [(seat_id, label) for seat_id, label, _row, _col in walk]
        row_index, col_number = start
        return list(
            self.filter(
                event_id=event_id, row_index=row_index,
                col_number__gte=col_number, col_number__lt=col_number + count,
            )
            .order_by("col_number")
            .values_list("id", "label")[:count]
        )


def _one_run(seats: list[tuple[int, str, int, int]]) -> bool:
    """(id, label, row_index, col_number) in natural order: one row, consecutive numbers."""
    first_row, first_col = seats[0][2], seats[0][3]
    return all(row == first_row and col == first_col + i for i, (_id, _l, row, col) in enumerate(seats))


class Seat(models.Model):
    # Indexed through the (event, label) and (event, col_number, row_index) constraints.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seats", db_index=False)
    label = models.CharField(max_length=16)
    row_label = models.CharField(max_length=8)
    # 0 for row A, 25 for Z, 26 for AA: sorts rows naturally.
    row_index = models.PositiveIntegerField()
    col_number = models.PositiveIntegerField()
    # True while a live ticket (bookings.Ticket) holds this seat. Written only by the bookings
    # services, under the event row lock, in the transaction that writes the ticket. A flag
    # on the seat (not a foreign key into bookings) keeps events free of bookings and keeps
    # "first free seats" a walk of the partial index below.
    reserved = models.BooleanField(default=False)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "row_index", "col_number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="seat_unique_label"),
            # Columns in this order on purpose: an index on (event, row_index, col_number)
            # would also serve "first free seats in natural order", and PostgreSQL picks it
            # over seat_free_natural_idx, then skips every reserved seat under the event lock
            # (9.6 ms at 15,000 reserved vs 0.4 ms; docs/PERFORMANCE.md).
            models.UniqueConstraint(
                fields=["event", "col_number", "row_index"], name="seat_unique_position"
            ),
            models.CheckConstraint(condition=Q(col_number__gte=1), name="seat_col_positive"),
        ]
        indexes = [
            # "The first N free seats of an event in natural order" walks this index.
            models.Index(
                fields=["event", "row_index", "col_number"],
                condition=Q(reserved=False),
                name="seat_free_natural_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.label
