"""Staff console (/staff/) for events: times shown and taken in the event's zone, the zone
named and selectable, and the "Export attendees (CSV)" action (the API's generator)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest

from accounts.tests.factories import UserFactory
from bookings.services import BookingRequest, booking_create
from events.models import Event
from notifications.models import EventChange
from events.tests.dates import future_year
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SUMMER_1830_UTC = datetime(2031, 5, 1, 18, 30, tzinfo=dt_timezone.utc)  # 20:30 CEST in Berlin


def berlin_event(**attrs) -> Event:
    return EventFactory(
        timezone="Europe/Berlin", start_time=SUMMER_1830_UTC,
        end_time=datetime(2031, 5, 1, 21, 0, tzinfo=dt_timezone.utc), **attrs,
    )


def form_for(event: Event, **changes) -> dict:
    """The change form as a browser posts it after the page showed local times."""
    return {
        "name": event.name, "venue": event.venue, "capacity": event.capacity, "status": event.status,
        "timezone": event.timezone,
        "start_time_0": "2031-05-01", "start_time_1": "20:30:00",
        "end_time_0": "2031-05-01", "end_time_1": "23:00:00",
        **changes,
    }


def test_the_change_form_shows_local_times_and_names_the_zone(staff) -> None:
    event = berlin_event()

    page = staff.get(f"/staff/events/event/{event.id}/change/").content.decode()

    assert 'value="20:30:00"' in page and 'value="23:00:00"' in page
    assert "Local time in Europe/Berlin" in page and "CEST" in page
    assert '<option value="Europe/Berlin" selected>' in page


def test_adding_reads_the_typed_times_in_the_chosen_zone(staff) -> None:
    form = {
        "name": "Konzert", "venue": "Philharmonie", "capacity": 10, "status": "active",
        "timezone": "Europe/Berlin",
        "start_time_0": "2031-05-01", "start_time_1": "20:30:00",
        "end_time_0": "2031-12-01", "end_time_1": "20:30:00",
    }

    assert staff.post("/staff/events/event/add/", form).status_code == 302

    event = Event.objects.get(name="Konzert")
    assert event.timezone == "Europe/Berlin"
    assert event.start_time == SUMMER_1830_UTC  # CEST, UTC+2
    assert event.end_time == datetime(2031, 12, 1, 19, 30, tzinfo=dt_timezone.utc)  # CET, UTC+1


def test_saving_the_local_times_as_shown_changes_nothing(staff) -> None:
    event = berlin_event(capacity=4)

    response = staff.post(f"/staff/events/event/{event.id}/change/", form_for(event, capacity=6))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.start_time, event.capacity) == (SUMMER_1830_UTC, 6)


def posted_as_shown(staff, event: Event, **changes) -> dict:
    """The change form's fields as the page renders them, with `changes` on top."""
    form = staff.get(f"/staff/events/event/{event.id}/change/").context["adminform"].form
    data = {
        "name": event.name, "venue": event.venue, "capacity": event.capacity,
        "status": event.status, "timezone": event.timezone,
    }
    for name in ("start_time", "end_time"):
        date, time = form[name].field.widget.decompress(form.initial[name])
        data[f"{name}_0"], data[f"{name}_1"] = f"{date:%Y-%m-%d}", f"{time:%H:%M:%S}"
    return {**data, **changes}


def test_a_save_of_a_repeated_autumn_hour_as_shown_keeps_its_instant(staff, user) -> None:
    """01:30 UTC on the night Berlin's clocks go back (27 October in a year with 2030's
    calendar, still to come so the event can be booked) is the *second* 02:30 there (CET).
    Read back from the widget as typed, it would be the first (00:30 UTC): a plain Save moved
    the event an hour and told every holder of a change nobody made."""
    year = future_year(like=2030)
    second_0230 = datetime(year, 10, 27, 1, 30, tzinfo=dt_timezone.utc)
    assert second_0230.astimezone(ZoneInfo("Europe/Berlin")).fold == 1  # the repeated hour
    event = EventFactory(
        timezone="Europe/Berlin", start_time=second_0230,
        end_time=datetime(year, 10, 27, 4, 0, tzinfo=dt_timezone.utc), capacity=30,
    )
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=3), idempotency_key=None)

    form = posted_as_shown(staff, event, name="Gig (renamed)")
    assert form["start_time_1"] == "02:30:00"
    response = staff.post(f"/staff/events/event/{event.id}/change/", form)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.start_time) == ("Gig (renamed)", second_0230)
    assert not EventChange.objects.filter(event=event).exists()


def test_an_event_inside_the_repeated_hour_can_be_saved_as_shown(staff) -> None:
    """02:45 CEST to 02:15 CET: shown as an end before the start, yet a real 30 minutes."""
    start = datetime(2030, 10, 27, 0, 45, tzinfo=dt_timezone.utc)
    end = datetime(2030, 10, 27, 1, 15, tzinfo=dt_timezone.utc)
    event = EventFactory(timezone="Europe/Berlin", start_time=start, end_time=end)

    response = staff.post(f"/staff/events/event/{event.id}/change/", posted_as_shown(staff, event, venue="Club"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.venue, event.start_time, event.end_time) == ("Club", start, end)


def test_a_save_as_shown_keeps_sub_second_times_and_tells_nobody(staff, user) -> None:
    """The API accepts fractional seconds; the widget shows whole seconds. (A future event:
    a booking needs one.)"""
    year = future_year()
    start = datetime(year, 1, 1, 19, 0, 0, 750000, tzinfo=dt_timezone.utc)
    end = datetime(year, 1, 1, 22, 0, 0, 250000, tzinfo=dt_timezone.utc)
    event = EventFactory(timezone="Europe/Berlin", start_time=start, end_time=end)
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key=None)

    response = staff.post(f"/staff/events/event/{event.id}/change/", posted_as_shown(staff, event, name="New name"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.start_time, event.end_time) == ("New name", start, end)
    assert not EventChange.objects.filter(event=event).exists()


def test_a_typed_time_is_still_read_in_the_zone(staff) -> None:
    """Only a time posted back as shown is kept: a typed one is a new wall-clock time."""
    event = EventFactory(
        timezone="Europe/Berlin", start_time=datetime(2030, 1, 1, 19, 0, 0, 750000, tzinfo=dt_timezone.utc),
        end_time=datetime(2030, 1, 1, 22, 0, tzinfo=dt_timezone.utc),
    )

    staff.post(f"/staff/events/event/{event.id}/change/", posted_as_shown(staff, event, start_time_1="20:01:00"))

    event.refresh_from_db()
    assert event.start_time == datetime(2030, 1, 1, 19, 1, tzinfo=dt_timezone.utc)


def test_the_console_names_an_event_by_its_local_date(staff) -> None:
    """20:00 PST on 1 January is 04:00 UTC on the 2nd: lists and titles say the 1st."""
    event = EventFactory(
        name="LA NYE", timezone="America/Los_Angeles",
        start_time=datetime(2031, 1, 2, 4, 0, tzinfo=dt_timezone.utc),
        end_time=datetime(2031, 1, 2, 8, 0, tzinfo=dt_timezone.utc),
    )

    page = staff.get(f"/staff/events/event/{event.id}/change/").content.decode()

    assert str(event) == "LA NYE (2031-01-01)"
    assert "LA NYE (2031-01-01)" in page and "2031-01-02)" not in page


def test_changing_the_zone_keeps_the_typed_wall_clock_times(staff) -> None:
    event = berlin_event()

    staff.post(f"/staff/events/event/{event.id}/change/", form_for(event, timezone="America/New_York"))

    event.refresh_from_db()
    assert event.timezone == "America/New_York"
    assert event.start_time == datetime(2031, 5, 2, 0, 30, tzinfo=dt_timezone.utc)  # 20:30 EDT


def test_an_unknown_zone_is_a_field_error(staff) -> None:
    event = berlin_event()

    response = staff.post(f"/staff/events/event/{event.id}/change/", form_for(event, timezone="Mars/Base"))

    assert response.status_code == 200
    assert "timezone" in response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    "changes, field",
    [
        # 9999-12-31 23:30 in Berlin is 22:30 UTC: past the last time any zone can show.
        ({"end_time_0": "9999-12-31", "end_time_1": "23:30:00"}, "end_time"),
        ({"capacity": 0}, "capacity"),
        ({"end_time_0": "2031-05-01", "end_time_1": "20:00:00"}, "end_time"),
        # Wall-clock times whose instant is outside datetime's range altogether (year 10000
        # or year 0 in UTC): once an OverflowError and a 500.
        ({"timezone": "America/Anchorage", "end_time_0": "9999-12-31", "end_time_1": "23:30:00"}, "end_time"),
        ({"timezone": "Etc/GMT+12", "end_time_0": "9999-12-31", "end_time_1": "23:59:59"}, "end_time"),
        ({"timezone": "Asia/Tokyo", "start_time_0": "0001-01-01", "start_time_1": "00:00:00"}, "start_time"),
    ],
)
def test_the_services_event_rules_are_field_errors_not_500s(staff, changes, field) -> None:
    event = berlin_event()

    response = staff.post(f"/staff/events/event/{event.id}/change/", form_for(event, **changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Event.objects.get(pk=event.pk).end_time == event.end_time


def test_the_list_shows_local_start_and_zone(staff) -> None:
    berlin_event(name="Berlin night")
    EventFactory(name="Winter LA", timezone="America/Los_Angeles",
                 start_time=datetime(2031, 1, 10, 4, 0, tzinfo=dt_timezone.utc),
                 end_time=datetime(2031, 1, 10, 6, 0, tzinfo=dt_timezone.utc))

    page = staff.get("/staff/events/event/").content.decode()

    assert "2031-05-01 20:30 CEST (Europe/Berlin)" in page
    assert "2031-01-09 20:00 PST (America/Los_Angeles)" in page


def test_export_attendees_action_streams_the_api_csv(staff) -> None:
    event = EventFactory(capacity=5)
    holder = UserFactory(name="=cmd|' /C calc'!A0")
    booking = booking_create(user=holder, event_id=event.id, request=BookingRequest(qty=2), idempotency_key="k").booking

    response = staff.post(
        "/staff/events/event/", {"action": "export_attendees_csv", "_selected_action": [event.id]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "booking_id"
    assert rows[1][:3] == [str(booking.id), str(holder.id), "'=cmd|' /C calc'!A0"]


def test_export_attendees_wants_exactly_one_event(staff) -> None:
    first, second = EventFactory(), EventFactory()

    response = staff.post(
        "/staff/events/event/",
        {"action": "export_attendees_csv", "_selected_action": [first.id, second.id]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Select exactly one event to export its attendees."]
