from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from bookings.inventory import inventory_violations
from bookings.models import Booking
from events import services
from events.exceptions import CapacityTooLarge, InvalidEventTimes
from events.models import Event, Seat
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Opening night", "venue": "Main Hall",
    "start_time": "2031-05-01T19:00:00Z", "end_time": "2031-05-01T22:00:00Z", "capacity": 50,
}


def book(client, event, **body):
    key = body.pop("key", None) or f"k-{timezone.now().timestamp()}-{id(body)}"
    return client.post(f"/events/{event.id}/book", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def labels(event: Event) -> list[str]:
    return list(Seat.objects.filter(event=event).order_by("row_index", "col_number").values_list("label", flat=True))


# --- create ------------------------------------------------------------------------------


def test_create_returns_200_active_with_nothing_booked(admin_client) -> None:
    response = admin_client.post("/admin/events", NEW, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "active"
    assert (body["booked_count"], body["waitlisted_count"], body["available"], body["utilization_pct"]) == (0, 0, 50, 0.0)
    assert body["start_time"] == "2031-05-01T19:00:00Z"
    assert Event.objects.filter(pk=body["id"]).exists()


def test_create_accepts_offsets_and_naive_times_as_utc(admin_client) -> None:
    body = {**NEW, "start_time": "2031-05-01T21:00:00+02:00", "end_time": "2031-05-01T22:00:00"}

    response = admin_client.post("/admin/events", body, format="json")

    assert response.json()["start_time"] == "2031-05-01T19:00:00Z"
    assert response.json()["end_time"] == "2031-05-01T22:00:00Z"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""), ("name", "x" * 201), ("venue", "  "), ("venue", "v" * 201),
        ("capacity", 0), ("capacity", -5), ("capacity", 100_001), ("capacity", "many"),
        ("capacity", 1.5), ("capacity", "15"), ("capacity", 15.0), ("capacity", True),
        ("start_time", "soon"), ("end_time", "2031-05-01T18:00:00Z"),
        ("end_time", "2031-05-01T19:00:00Z"), ("name", None), ("start_time", "99999-01-01T00:00:00Z"),
        # ISO 8601 is ASCII digits (Django's parser also reads fullwidth and Arabic-Indic ones).
        ("start_time", "\uff12031-05-01T19:00:00Z"), ("end_time", "2031-05-01T\u0662\u0662:00:00Z"),
    ],
)
def test_create_validation_is_422_and_creates_nothing(admin_client, field, value) -> None:
    before = Event.objects.count()

    response = admin_client.post("/admin/events", {**NEW, field: value}, format="json")

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Event.objects.count() == before


@override_settings(EVENT_MAX_CAPACITY=10)
def test_capacity_limit_follows_the_setting(admin_client) -> None:
    assert admin_client.post("/admin/events", {**NEW, "capacity": 11}, format="json").status_code == 422
    assert admin_client.post("/admin/events", {**NEW, "capacity": 10}, format="json").status_code == 200


# --- patch -------------------------------------------------------------------------------


def test_patch_changes_any_field(admin_client, event) -> None:
    response = admin_client.patch(
        f"/admin/events/{event.id}", {"name": "Renamed", "venue": "Elsewhere", "status": "inactive"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["venue"], response.json()["status"]) == ("Renamed", "Elsewhere", "inactive")


def test_patch_end_before_stored_start_is_422(admin_client, event) -> None:
    response = admin_client.patch(
        f"/admin/events/{event.id}", {"end_time": (event.start_time - timedelta(hours=1)).isoformat()}, format="json"
    )

    assert response.status_code == 422
    assert "end_time" in response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [{"status": "archived"}, {"capacity": 0}, {"name": ""}, {"capacity": "15"}, {"capacity": 15.0}, {"name": 7}],
)
def test_patch_validation_is_422_and_changes_nothing(admin_client, event, body) -> None:
    before = Event.objects.values().get(pk=event.pk)

    response = admin_client.patch(f"/admin/events/{event.id}", body, format="json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(body)
    assert Event.objects.values().get(pk=event.pk) == before


def test_patch_unknown_event_is_404(admin_client) -> None:
    assert admin_client.patch("/admin/events/999999", {"name": "x"}, format="json").status_code == 404


def test_capacity_below_booked_is_409_naming_both(admin_client, user_client) -> None:
    event = EventFactory(capacity=5)
    book(user_client, event, qty=3)

    response = admin_client.patch(f"/admin/events/{event.id}", {"capacity": 2}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == "capacity 2 < booked_count 3"
    event.refresh_from_db()
    assert event.capacity == 5


def test_capacity_change_without_seat_map_creates_no_seats(admin_client, event) -> None:
    admin_client.patch(f"/admin/events/{event.id}", {"capacity": 25}, format="json")

    assert Seat.objects.filter(event=event).count() == 0


def test_capacity_increase_appends_seats_continuing_the_grid(admin_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 2, "cols": 3}, format="json")

    response = admin_client.patch(f"/admin/events/{event.id}", {"capacity": 10}, format="json")

    assert response.json()["capacity"] == 10
    assert labels(event) == ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3", "C-1", "C-2", "C-3", "D-1"]
    assert inventory_violations(event_id=event.id) == []


def test_capacity_decrease_removes_free_seats_from_the_end(admin_client, user_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 3, "cols": 3}, format="json")
    book(user_client, event, seat_ids=["C-3", "A-1"])

    response = admin_client.patch(f"/admin/events/{event.id}", {"capacity": 4}, format="json")

    assert response.status_code == 200
    assert labels(event) == ["A-1", "A-2", "A-3", "C-3"]
    assert inventory_violations(event_id=event.id) == []


def test_shrink_then_grow_keeps_labels_unique(admin_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 2, "cols": 5}, format="json")
    admin_client.patch(f"/admin/events/{event.id}", {"capacity": 7}, format="json")
    admin_client.patch(f"/admin/events/{event.id}", {"capacity": 12}, format="json")

    assert labels(event) == [f"A-{n}" for n in range(1, 6)] + [f"B-{n}" for n in range(1, 6)] + ["C-1", "C-2"]


# --- deactivate and delete ---------------------------------------------------------------


def test_deactivate(admin_client, event) -> None:
    response = admin_client.post(f"/admin/events/{event.id}/deactivate")

    assert response.status_code == 200
    assert response.json()["status"] == "inactive"
    assert admin_client.post("/admin/events/999999/deactivate").status_code == 404


def test_delete_without_bookings_is_204(admin_client, event) -> None:
    response = admin_client.delete(f"/admin/events/{event.id}")

    assert response.status_code == 204
    assert not Event.objects.filter(pk=event.id).exists()
    assert admin_client.delete(f"/admin/events/{event.id}").status_code == 404


def test_delete_with_any_booking_is_409(admin_client, user_client) -> None:
    event = EventFactory(capacity=2)
    booking_id = book(user_client, event, qty=1).json()["id"]
    user_client.delete(f"/bookings/{booking_id}")  # even a cancelled booking counts

    response = admin_client.delete(f"/admin/events/{event.id}")

    assert response.status_code == 409
    assert "deactivate" in response.json()["detail"]
    assert Event.objects.filter(pk=event.id).exists()


# --- seat generation ---------------------------------------------------------------------


def test_generate_creates_rows_times_cols_and_sets_capacity(admin_client, event) -> None:
    response = admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 3, "cols": 4}, format="json")

    assert response.status_code == 200
    assert response.json() == {"created": 12, "capacity": 12}
    event.refresh_from_db()
    assert event.capacity == 12
    assert labels(event)[-1] == "C-4"


def test_generate_twice_is_409(admin_client, event) -> None:
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 1, "cols": 2}, format="json")

    response = admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 1, "cols": 2}, format="json")

    assert response.status_code == 409
    assert Seat.objects.filter(event=event).count() == 2


@pytest.mark.parametrize(
    "body",
    [{"rows": 0, "cols": 5}, {"rows": 703, "cols": 1}, {"rows": 1, "cols": 501}, {"rows": 400, "cols": 300}, {"rows": "a", "cols": 1}, {},
     # A JSON integer only: a numeric string or a float is the wrong type.
     {"rows": "2", "cols": 2}, {"rows": 2, "cols": 2.0}, {"rows": 2, "cols": True}],
)
def test_generate_validation_is_422(admin_client, event, body) -> None:
    response = admin_client.post(f"/admin/events/{event.id}/seats/generate", body, format="json")

    assert response.status_code == 422
    assert Seat.objects.filter(event=event).count() == 0


def test_generate_for_unknown_event_is_404(admin_client) -> None:
    assert admin_client.post("/admin/events/999999/seats/generate", {"rows": 1, "cols": 1}, format="json").status_code == 404


def test_generate_702_rows_ends_at_zz(admin_client, event) -> None:
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 702, "cols": 1}, format="json")

    assert labels(event)[-1] == "ZZ-1"


# --- the database refuses impossible states ----------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"booked_count": 11}, {"capacity": 0}, {"end_time": timezone.now() - timedelta(days=400)}],
)
def test_constraints_reject_impossible_events(event, change) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(**change)


def test_seat_labels_are_unique_per_event(event) -> None:
    Seat.objects.create(event=event, label="A-1", row_label="A", row_index=0, col_number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(event=event, label="A-1", row_label="A", row_index=0, col_number=2)


# --- management command ------------------------------------------------------------------


def test_generate_seats_command(event) -> None:
    call_command("generate_seats", str(event.id), "--rows", "2", "--cols", "5")

    event.refresh_from_db()
    assert event.capacity == 10
    assert Seat.objects.filter(event=event).count() == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [(["999999", "--rows", "1", "--cols", "1"], "Event not found"), (["{id}", "--rows", "0", "--cols", "1"], "rows must be 1–702"), (["{id}", "--rows", "400", "--cols", "300"], "exceeds the maximum capacity")],
)
def test_generate_seats_command_errors(event, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate_seats", *[a.format(id=event.id) for a in args])


@override_settings(EVENT_MAX_CAPACITY=100_000)
@pytest.mark.parametrize(
    ("rows", "cols", "message"),
    [
        ("2", "501", "rows must be 1–702 and cols 1–500 (got 2 × 501)"),
        ("400", "300", "rows × cols = 120000 exceeds the maximum capacity 100000"),
    ],
)
def test_generate_seats_command_blames_no_single_argument_for_the_grid(event, rows, cols, message) -> None:
    """The service files grid errors under "rows" (the API's 422 body); the command's message
    must not say `rows:` when --cols is the one out of range."""
    with pytest.raises(CommandError) as refused:
        call_command("generate_seats", str(event.id), "--rows", rows, "--cols", cols)

    assert str(refused.value) == message
    assert not Seat.objects.filter(event=event).exists()


@pytest.mark.parametrize("argument", ["event_id", "--rows", "--cols"])
@pytest.mark.parametrize("spelling", ["٩", "２", "1_0", " 2", "2 ", "2.0", "0x2", ""])
def test_generate_seats_command_takes_ascii_digits_only(event, argument, spelling) -> None:
    """As the API's integers; Python's int() would take "٩", "２", "1_0" and the spaced ones."""
    values = {"event_id": str(event.id), "--rows": "1", "--cols": "1", argument: spelling}

    with pytest.raises(CommandError, match=f"argument {argument}: invalid int value"):
        call_command(
            "generate_seats", values["event_id"], "--rows", values["--rows"], "--cols", values["--cols"]
        )

    assert not Seat.objects.filter(event=event).exists()


def test_generate_seats_command_takes_a_signed_integer(event) -> None:
    call_command("generate_seats", f"+{event.id}", "--rows", "+2", "--cols", "03")

    event.refresh_from_db()
    assert event.capacity == 6


def test_generate_seats_command_bad_integer_is_a_usage_error_exit_2(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "JWT_SECRET": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_seats", "1", "--rows", "1", "--cols", "２"],
        cwd=root, env=env, capture_output=True, text=True,
    )

    assert result.returncode == 2
    assert "argument --cols: invalid int value: '２'" in result.stderr


def test_generate_seats_command_refuses_existing_seats(event) -> None:
    call_command("generate_seats", str(event.id), "--rows", "1", "--cols", "1")

    with pytest.raises(CommandError, match="already exist"):
        call_command("generate_seats", str(event.id), "--rows", "1", "--cols", "1")


def test_generate_seats_command_refuses_a_grid_smaller_than_the_bookings(user_client) -> None:
    event = EventFactory(capacity=5)
    book(user_client, event, qty=2)
    # An event booked before it had a seat map (data from the legacy service).
    Seat.objects.filter(event=event).delete()
    Event.objects.filter(pk=event.pk).update(seat_cols=None)

    with pytest.raises(CommandError, match="less than the 2 seats booked"):
        call_command("generate_seats", str(event.id), "--rows", "1", "--cols", "1")

    event.refresh_from_db()
    assert (event.capacity, event.booked_count) == (5, 2)
    assert not Seat.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    "change, error",
    [({"end_time": "2031-05-01T19:00:00Z"}, InvalidEventTimes), ({"capacity": 100_001}, CapacityTooLarge)],
)
def test_event_create_itself_refuses_what_no_event_may_be(change, error) -> None:
    """The rules hold for every caller of the service (console, commands), not only the API."""
    from datetime import datetime

    data = {**NEW, **change}
    times = {k: datetime.fromisoformat(data[k].replace("Z", "+00:00")) for k in ("start_time", "end_time")}
    with pytest.raises(error):
        services.event_create(name=data["name"], venue=data["venue"], capacity=data["capacity"], **times)
    assert not Event.objects.exists()


# --- admin routes: permissions, rate limit, 405 ------------------------------------------

ADMIN_MUTATIONS = [
    ("post", lambda e, u: "/admin/events", NEW),
    ("patch", lambda e, u: f"/admin/events/{e.id}", {"name": "Renamed"}),
    ("delete", lambda e, u: f"/admin/events/{e.id}", None),
    ("post", lambda e, u: f"/admin/events/{e.id}/deactivate", None),
    ("post", lambda e, u: f"/admin/events/{e.id}/seats/generate", {"rows": 1, "cols": 2}),
    ("post", lambda e, u: "/admin/users", {"name": "N", "email": "n@example.com", "password": "long-enough"}),
    ("patch", lambda e, u: f"/admin/users/{u.id}/role", {"role": "user"}),
]
MUTATION_IDS = ["create", "patch", "delete", "deactivate", "seats-generate", "user-create", "role"]


def call(client, method, path, body):
    return getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)


@pytest.mark.parametrize("method, path, body", ADMIN_MUTATIONS, ids=MUTATION_IDS)
@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_ADMIN="1/m")
def test_every_admin_mutation_counts_against_the_admin_limit(client_for, method, path, body) -> None:
    from accounts.tests.factories import UserFactory

    admin = UserFactory(role="admin")
    target = UserFactory(role="admin")
    event = EventFactory(capacity=2)
    client = client_for(admin)

    call(client, method, path(event, target), body)  # the first one counts, whatever it answers
    limited = call(client, method, path(event, target), body)

    assert limited.status_code == 429
    assert limited.json() == {"detail": "Rate limit exceeded"}
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get("/admin/users").status_code == 200  # reads are not limited


@pytest.mark.parametrize("method, path, body", ADMIN_MUTATIONS, ids=MUTATION_IDS)
@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_ADMIN="1/m")
def test_admin_mutations_check_auth_before_the_limit(api_client, user_client, user, method, path, body) -> None:
    event = EventFactory()

    anonymous = [call(api_client, method, path(event, user), body) for _ in range(3)]
    plain = [call(user_client, method, path(event, user), body) for _ in range(3)]

    assert [r.status_code for r in anonymous] == [401] * 3
    assert all(r["WWW-Authenticate"] == "Bearer" for r in anonymous)
    assert [r.status_code for r in plain] == [403] * 3


@pytest.mark.parametrize(
    "method, path",
    [("put", "/admin/events/{id}"), ("get", "/admin/events/{id}"), ("get", "/admin/events"),
     ("get", "/admin/events/{id}/deactivate"), ("put", "/events/{id}"), ("post", "/events"),
     ("get", "/events/{id}/book"), ("post", "/me/bookings"), ("get", "/bookings/{id}"),
     ("get", "/auth/login"), ("post", "/auth/me"), ("delete", "/admin/users")],
)
def test_wrong_methods_are_json_405_with_allow(admin_client, event, method, path) -> None:
    response = getattr(admin_client, method)(path.format(id=event.id))

    assert response.status_code == 405
    assert response.json()["detail"].startswith("Method")
    assert response["Allow"]


@pytest.mark.parametrize(
    "path",
    ["/events/abc", "/events/12345678901234567890", "/events/-1", "/admin/events/99999999999999999999/deactivate",
     "/bookings/1.5", "/admin/users/x/role", "/events/1/", "/events/"],
)
def test_unknown_or_overlong_ids_are_a_json_404(admin_client, path) -> None:
    response = admin_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


@pytest.mark.parametrize("big", [str(2**63 - 1), str(2**63), "9" * 19])
@pytest.mark.parametrize(
    ("method", "path", "detail"),
    [
        ("get", "/events/{id}", "Event not found"),
        ("get", "/events/{id}/seats", "Event not found"),
        ("post", "/events/{id}/book", "Event not found"),
        ("patch", "/admin/events/{id}", "Event not found"),
        ("post", "/admin/events/{id}/deactivate", "Event not found"),
        ("post", "/admin/events/{id}/seats/generate", "Event not found"),
        ("get", "/admin/events/{id}/attendees", "Event not found"),
        ("delete", "/bookings/{id}", "Booking not found"),
        ("patch", "/admin/users/{id}/role", "User not found"),
        ("post", "/me/notifications/{id}/read", "Notification not found"),
    ],
)
def test_a_19_digit_id_is_the_resources_own_404(admin_client, method, path, detail, big) -> None:
    # Every bigint, and a 19-digit value beyond it, is an id like any other: a client that
    # asks for event 9223372036854775807 gets "Event not found", not a bare "Not found" (or,
    # on SQLite, a driver OverflowError for the values beyond it).
    bodies = {"post": {"qty": 1, "rows": 1, "cols": 1}, "patch": {"name": "X", "role": "admin"}}
    response = getattr(admin_client, method)(
        path.format(id=big), bodies.get(method, {}), format="json", HTTP_IDEMPOTENCY_KEY="k-" + big
    )

    assert (response.status_code, response.json()) == (404, {"detail": detail})


@override_settings(EVENT_MAX_CAPACITY=10)
def test_a_seat_grid_over_the_capacity_limit_is_the_services_422(admin_client) -> None:
    event = EventFactory(capacity=5)

    response = admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 3, "cols": 4}, format="json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"rows": ["rows × cols = 12 exceeds the maximum capacity 10"]}
    assert not Seat.objects.filter(event=event).exists()
    event.refresh_from_db()
    assert event.capacity == 5


def test_an_update_made_on_an_outdated_view_is_refused_under_the_lock() -> None:
    # `shown_updated_at` is the event as a page showed it; a change since moves `updated_at`.
    from events.exceptions import EventChangedMeanwhile

    event = EventFactory(capacity=10, name="Before")
    shown = event.updated_at
    services.event_update(event_id=event.id, capacity=20)

    with pytest.raises(EventChangedMeanwhile):
        services.event_update(event_id=event.id, shown_updated_at=shown, name="Renamed", capacity=10)

    event.refresh_from_db()
    assert (event.name, event.capacity) == ("Before", 20)
    services.event_update(event_id=event.id, shown_updated_at=event.updated_at, name="Renamed")
    event.refresh_from_db()
    assert (event.name, event.capacity) == ("Renamed", 20)
