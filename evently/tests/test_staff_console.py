"""The Django admin at /staff/: only admins get in, and every action goes through services."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import user_update
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from bookings.models import Booking
from bookings.services import BookingRequest, booking_create
from events.models import Event, Seat
from events.services import event_update as services_event_update
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_admin_can_sign_in_with_email_and_password(admin: User) -> None:
    client = Client()

    response = client.post("/staff/login/", {"username": admin.email.upper(), "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_plain_user_cannot_sign_in(user: User) -> None:
    client = Client()

    response = client.post("/staff/login/", {"username": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200  # the form again, with an error
    assert client.get("/staff/").status_code == 302  # still sent to the login page


def test_demoted_admin_loses_the_console_at_once(admin: User, staff: Client) -> None:
    UserFactory(role=User.Role.ADMIN)
    User.objects.filter(pk=admin.pk).update(role=User.Role.USER)

    assert staff.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/staff/", "/staff/accounts/user/", "/staff/events/event/", "/staff/events/seat/",
        "/staff/bookings/booking/", "/staff/analytics/", "/staff/accounts/user/?role__exact=admin&q=example",
        "/staff/events/event/?status__exact=active&q=Concert", "/staff/bookings/booking/?status__exact=CONFIRMED&q=example",
    ],
)
def test_console_pages_render(staff: Client, path: str, user: User) -> None:
    event = EventFactory(capacity=3)
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=2), idempotency_key="k")

    response = staff.get(path)

    assert response.status_code == 200


def test_event_change_page_and_seats_of_one_event(staff: Client, user: User) -> None:
    event = EventFactory(capacity=3)
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="k")

    assert staff.get(f"/staff/events/event/{event.id}/change/").status_code == 200
    seats = staff.get(f"/staff/events/seat/?event__id__exact={event.id}")
    assert seats.status_code == 200
    assert b"A-3" in seats.content


def test_role_edit_goes_through_the_last_admin_guard(admin: User, staff: Client) -> None:
    User.objects.exclude(pk=admin.pk).filter(role=User.Role.ADMIN).update(role=User.Role.USER)

    staff.post(
        f"/staff/accounts/user/{admin.id}/change/",
        {"name": admin.name, "email": admin.email, "role": "user", "is_active": "on"},
    )

    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN


def test_role_edit_promotes_a_user(staff: Client, user: User) -> None:
    staff.post(
        f"/staff/accounts/user/{user.id}/change/",
        {"name": user.name, "email": user.email, "role": "admin", "is_active": "on"},
    )

    user.refresh_from_db()
    assert user.role == User.Role.ADMIN


def test_an_email_edit_takes_the_apis_rule_for_an_account_address(staff: Client, user: User) -> None:
    """A zero-width space would make a lookalike of another address: refused as at signup."""
    original = user.email
    response = staff.post(
        f"/staff/accounts/user/{user.id}/change/",
        {"name": user.name, "email": "boss@example.com\u200b", "role": "user", "is_active": "on"},
    )

    assert response.status_code == 200 and b"Enter a valid email address." in response.content
    user.refresh_from_db()
    assert user.email == original


def test_deactivate_and_activate_actions(staff: Client) -> None:
    event = EventFactory()

    staff.post("/staff/events/event/", {"action": "deactivate", "_selected_action": [event.id]})
    event.refresh_from_db()
    assert event.status == Event.Status.INACTIVE
    staff.post("/staff/events/event/", {"action": "activate", "_selected_action": [event.id]})
    event.refresh_from_db()
    assert event.status == Event.Status.ACTIVE


def test_deactivating_events_that_are_inactive_already_claims_and_logs_nothing_for_them(
    staff: Client,
) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.messages import get_messages

    active, inactive = EventFactory(name="On"), EventFactory(name="Off", status=Event.Status.INACTIVE)

    response = staff.post(
        "/staff/events/event/", {"action": "deactivate", "_selected_action": [active.id, inactive.id]}
    )

    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert shown == [
        ("success", "Deactivated 1 events."),
        ("info", f"Already inactive, left as they were: {inactive}."),
    ]
    assert list(LogEntry.objects.values_list("object_id", flat=True)) == [str(active.id)]
    active.refresh_from_db()
    assert active.status == Event.Status.INACTIVE


def test_generate_default_grid_action_keeps_the_capacity(staff: Client) -> None:
    event = EventFactory(capacity=23)

    staff.post("/staff/events/event/", {"action": "generate_default_grid", "_selected_action": [event.id]})

    labels = list(Seat.objects.filter(event=event).order_by("row_index", "col_number").values_list("label", flat=True))
    assert len(labels) == 23
    assert labels[-1] == "C-3"


def test_inventory_fields_are_read_only(staff: Client) -> None:
    event = EventFactory(capacity=10)
    staff.post(
        f"/staff/events/event/{event.id}/change/",
        {
            "name": "New name", "venue": event.venue, "capacity": 10, "status": "active",
            "start_time_0": event.start_time.strftime("%Y-%m-%d"), "start_time_1": event.start_time.strftime("%H:%M:%S"),
            "end_time_0": event.end_time.strftime("%Y-%m-%d"), "end_time_1": event.end_time.strftime("%H:%M:%S"),
            "booked_count": 9,
        },
    )

    event.refresh_from_db()
    assert event.name == "New name"
    assert event.booked_count == 0


def test_cancel_selected_goes_through_the_service_and_promotes(staff: Client) -> None:
    event = EventFactory(capacity=2)
    first, second = UserFactory(), UserFactory()
    confirmed = booking_create(user=first, event_id=event.id, request=BookingRequest(qty=2), idempotency_key="a").booking
    waiting = booking_create(user=second, event_id=event.id, request=BookingRequest(qty=2, waitlist=True), idempotency_key="b").booking

    staff.post("/staff/bookings/booking/", {"action": "cancel_selected", "_selected_action": [confirmed.id]})

    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == Booking.Status.CANCELLED
    assert waiting.status == Booking.Status.CONFIRMED


def test_bookings_cannot_be_edited_in_the_console(staff: Client, user: User) -> None:
    event = EventFactory(capacity=2)
    booking = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="k").booking

    staff.post(f"/staff/bookings/booking/{booking.id}/change/", {"qty": 2, "status": "CANCELLED"})

    booking.refresh_from_db()
    assert (booking.qty, booking.status) == (1, Booking.Status.CONFIRMED)


@pytest.mark.parametrize(
    "change, field",
    [({"capacity": 100_001}, "capacity"), ({"end_time_0": "2031-05-01", "end_time_1": "18:00:00"}, "end_time")],
)
def test_adding_an_event_applies_the_services_rules_as_field_errors(staff: Client, change: dict, field: str) -> None:
    form = {
        "name": "Gig", "venue": "Hall", "capacity": 10, "status": "active",
        "start_time_0": "2031-05-01", "start_time_1": "19:00:00",
        "end_time_0": "2031-05-01", "end_time_1": "22:00:00",
    }
    response = staff.post("/staff/events/event/add/", {**form, **change})

    assert response.status_code == 200  # the form again, with the error on the field
    assert field in response.context["adminform"].form.errors
    assert not Event.objects.exists()
    assert staff.post("/staff/events/event/add/", form).status_code == 302
    assert Event.objects.get().capacity == 10


# --- refusals are refusals (issue 12 item 22; issue 17: no private admin views) ------------


def _event_form(event: Event, **changes) -> dict:
    return {
        "name": event.name, "venue": event.venue, "capacity": event.capacity, "status": event.status,
        "start_time_0": event.start_time.strftime("%Y-%m-%d"), "start_time_1": event.start_time.strftime("%H:%M:%S"),
        "end_time_0": event.end_time.strftime("%Y-%m-%d"), "end_time_1": event.end_time.strftime("%H:%M:%S"),
        **changes,
    }


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_refused_capacity_cut_saves_nothing_and_reports_only_the_error(staff: Client, user: User) -> None:
    event = EventFactory(capacity=3, name="Before")
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=2), idempotency_key="k")

    response = staff.post(
        f"/staff/events/event/{event.id}/change/", _event_form(event, name="After", capacity=1), follow=True
    )

    event.refresh_from_db()
    assert (event.name, event.capacity) == ("Before", 3)
    notes = _messages(response)
    assert [level for level, _ in notes] == ["error"]
    assert "capacity" in notes[0][1]


def test_accepted_event_change_reports_success(staff: Client) -> None:
    event = EventFactory(capacity=3)

    response = staff.post(f"/staff/events/event/{event.id}/change/", _event_form(event, capacity=5), follow=True)

    event.refresh_from_db()
    assert event.capacity == 5
    assert [level for level, _ in _messages(response)] == ["success"]


@pytest.mark.parametrize(
    "meanwhile, kept",
    [({"capacity": 20}, ("capacity", 20)), ({"status": Event.Status.INACTIVE}, ("status", "inactive"))],
)
def test_an_edit_of_an_event_changed_since_its_page_was_shown_is_refused(
    staff: Client, meanwhile: dict, kept: tuple[str, object]
) -> None:
    # Given the change page of an event, as the console showed it
    event = EventFactory(capacity=10, name="Before")
    page = staff.get(f"/staff/events/event/{event.id}/change/")
    shown = {**_event_form(event, name="Renamed"), **_hidden_inputs(page)}
    # and another admin changing the event through the API meanwhile
    services_event_update(event_id=event.id, **meanwhile)

    # When the page is saved with only the name edited
    response = staff.post(f"/staff/events/event/{event.id}/change/", shown, follow=True)

    # Then nothing is saved (the other admin's change is not silently reverted) and the
    # page says why.
    event.refresh_from_db()
    field, value = kept
    assert (event.name, getattr(event, field)) == ("Before", value)
    assert "changed" in response.content.decode()
    # A page shown after the change saves.
    page = staff.get(f"/staff/events/event/{event.id}/change/")
    fresh = {**_event_form(event, name="Renamed"), **_hidden_inputs(page)}
    staff.post(f"/staff/events/event/{event.id}/change/", fresh)
    event.refresh_from_db()
    assert (event.name, getattr(event, field)) == ("Renamed", value)


def test_a_change_committed_between_the_forms_check_and_the_save_is_not_overwritten(
    staff: Client, monkeypatch
) -> None:
    """The form's version check runs before the event lock; `event_update` checks again under
    it, so a change that lands between the two (here: while the form is validated) refuses
    the save instead of being overwritten by the page's old values."""
    from events import admin as events_admin

    event = EventFactory(capacity=10, name="Before")
    page = staff.get(f"/staff/events/event/{event.id}/change/")
    shown = {**_event_form(event, name="Renamed"), **_hidden_inputs(page)}
    real_clean = events_admin.EventForm.clean

    def clean_then_someone_else_changes_it(form):
        data = real_clean(form)
        services_event_update(event_id=event.id, capacity=20)
        return data

    monkeypatch.setattr(events_admin.EventForm, "clean", clean_then_someone_else_changes_it)

    response = staff.post(f"/staff/events/event/{event.id}/change/", shown, follow=True)

    event.refresh_from_db()
    assert event.name == "Before"  # the page's save is refused (and the view rolled back)
    assert [level for level, _ in _messages(response)] == ["error"]
    assert "changed since this page was shown" in _messages(response)[0][1]


def test_a_post_without_the_shown_version_is_saved_unchecked(staff: Client) -> None:
    """A page from before the hidden field (or a hand-made post) is not checked, and the
    missing field is not taken for an edit."""
    event = EventFactory(capacity=10, name="Before")

    response = staff.post(
        f"/staff/events/event/{event.id}/change/", _event_form(event, name="Renamed", shown_version=""), follow=True
    )

    event.refresh_from_db()
    assert event.name == "Renamed"
    assert [level for level, _ in _messages(response)] == ["success"]


def _hidden_inputs(page) -> dict:
    """The hidden inputs of the console's change form, as a browser posts them back."""
    form = page.context["adminform"].form
    return {name: form[name].value() for name, field in form.fields.items() if field.widget.is_hidden}


def _refuse_deleting(monkeypatch, refused_ids: set[int]) -> None:
    """The service refuses (as on a booking made after the confirmation page was shown)."""
    from events import admin as events_admin
    from events.exceptions import EventHasBookings

    real = events_admin.services.event_delete

    def event_delete(*, event_id: int) -> None:
        if event_id in refused_ids:
            raise EventHasBookings()
        real(event_id=event_id)

    monkeypatch.setattr(events_admin.services, "event_delete", event_delete)


def test_refused_single_delete_keeps_the_event_and_logs_nothing(staff: Client, monkeypatch) -> None:
    from django.contrib.admin.models import LogEntry

    event = EventFactory(capacity=3)
    _refuse_deleting(monkeypatch, {event.id})

    response = staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"}, follow=True)

    assert Event.objects.filter(pk=event.pk).exists()
    assert [level for level, _ in _messages(response)] == ["error"]
    assert not LogEntry.objects.filter(object_id=str(event.pk)).exists()


def test_bulk_delete_logs_only_the_events_it_deleted(staff: Client, monkeypatch) -> None:
    """Django's delete action logs every selected row as deleted before deleting any; a row
    the service then refused (a booking made meanwhile, a busy event) is still there, and
    its history must not say it was deleted."""
    from django.contrib.admin.models import DELETION, LogEntry

    refused, empty = EventFactory(capacity=3), EventFactory(capacity=3)
    _refuse_deleting(monkeypatch, {refused.id})

    staff.post(
        "/staff/events/event/",
        {"action": "delete_selected", "_selected_action": [refused.id, empty.id], "post": "yes"},
    )

    assert Event.objects.filter(pk=refused.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(refused.pk), action_flag=DELETION).exists()
    assert LogEntry.objects.filter(object_id=str(empty.pk), action_flag=DELETION).count() == 1


def test_single_delete_is_logged_once(staff: Client) -> None:
    from django.contrib.admin.models import DELETION, LogEntry

    event = EventFactory(capacity=3)

    staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"})

    assert not Event.objects.filter(pk=event.pk).exists()
    assert LogEntry.objects.filter(object_id=str(event.pk), action_flag=DELETION).count() == 1


def test_bulk_delete_reports_each_refusal_and_no_blanket_success(staff: Client, monkeypatch) -> None:
    refused, empty = EventFactory(capacity=3), EventFactory(capacity=3)
    _refuse_deleting(monkeypatch, {refused.id})

    response = staff.post(
        "/staff/events/event/",
        {"action": "delete_selected", "_selected_action": [refused.id, empty.id], "post": "yes"},
        follow=True,
    )

    assert Event.objects.filter(pk=refused.pk).exists()
    assert not Event.objects.filter(pk=empty.pk).exists()
    notes = _messages(response)
    assert ("success", "Deleted 1 events.") in notes
    assert [level for level, text in notes if str(refused.name) in text] == ["error"]
    assert not any(text.startswith("Successfully deleted") for _, text in notes)


def _user_form(user: User, **changes) -> dict:
    form = {"name": user.name, "email": user.email, "role": user.role, **changes}
    if changes.get("is_active", user.is_active):
        form["is_active"] = "on"
    else:
        form.pop("is_active", None)
    return form


@pytest.mark.parametrize("change", [{"role": "user"}, {"is_active": False}])
def test_refused_last_admin_change_saves_nothing_not_even_the_name(admin: User, staff: Client, change: dict) -> None:
    UserFactory(role=User.Role.ADMIN, is_active=False)  # an inactive admin does not count

    response = staff.post(f"/staff/accounts/user/{admin.id}/change/", _user_form(admin, name="Renamed", **change))

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]
    admin.refresh_from_db()
    assert (admin.name, admin.role, admin.is_active) != ("Renamed",) and admin.name != "Renamed"
    assert (admin.role, admin.is_active) == (User.Role.ADMIN, True)


def test_last_admin_refused_under_the_lock_rolls_the_whole_form_back(admin: User, staff: Client, monkeypatch) -> None:
    """The form's early check passed (another admin was active then); the service refuses
    at save time: nothing of the form is saved and no success is reported."""
    from accounts import admin as accounts_admin

    monkeypatch.setattr(accounts_admin.services, "user_check_keeps_an_admin", lambda **kw: None)

    response = staff.post(f"/staff/accounts/user/{admin.id}/change/", _user_form(admin, name="Renamed", role="user"), follow=True)

    admin.refresh_from_db()
    assert (admin.name, admin.role) != ("Renamed", User.Role.USER)
    assert admin.name != "Renamed" and admin.role == User.Role.ADMIN
    assert [level for level, _ in _messages(response)] == ["error"]


def test_console_deactivates_an_admin_while_another_is_active(admin: User, staff: Client) -> None:
    other = UserFactory(role=User.Role.ADMIN)

    staff.post(f"/staff/accounts/user/{other.id}/change/", _user_form(other, is_active=False))

    other.refresh_from_db()
    assert not other.is_active


def test_console_email_change_is_folded_and_unique(staff: Client, user: User) -> None:
    UserFactory(email="zoe@münchen.example")

    response = staff.post(f"/staff/accounts/user/{user.id}/change/", _user_form(user, email="ZOE@MÜNCHEN.example"))

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


def test_users_cannot_be_deleted_in_the_console(admin: User, staff: Client, user: User) -> None:
    assert staff.post(f"/staff/accounts/user/{user.id}/delete/", {"post": "yes"}).status_code == 403
    staff.post("/staff/accounts/user/", {"action": "delete_selected", "_selected_action": [admin.id], "post": "yes"})

    assert User.objects.filter(pk=admin.pk).exists()


# --- the console's login is limited like POST /auth/login (issue 12 item 7) ---------------


@pytest.mark.parametrize("ip_header", [{}, {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}])
def test_console_login_is_rate_limited_like_the_api_login(admin: User, ip_header: dict) -> None:
    from django.test import override_settings

    client = Client()
    with override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="5/m", RATELIMIT_TRUSTED_PROXIES=1 if ip_header else 0):
        wrong = [client.post("/staff/login/", {"username": admin.email, "password": "wrong"}, **ip_header) for _ in range(5)]
        limited = client.post("/staff/login/", {"username": admin.email, "password": DEFAULT_PASSWORD}, **ip_header)

    assert [r.status_code for r in wrong] == [200] * 5  # the form again, with the error
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert b"Too many login attempts" in limited.content
    assert client.get("/staff/").status_code == 302  # not signed in


def test_console_and_api_logins_share_one_counter(admin: User, api_client) -> None:
    from django.test import override_settings

    client = Client()
    with override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="4/m"):
        for _ in range(2):
            client.post("/staff/login/", {"username": admin.email, "password": "wrong"})
        for _ in range(2):
            api_client.post("/auth/login", {"email": admin.email, "password": "wrong"}, format="json")
        console = client.post("/staff/login/", {"username": admin.email, "password": DEFAULT_PASSWORD})

    assert console.status_code == 429


def test_console_login_page_is_not_counted(admin: User) -> None:
    from django.test import override_settings

    client = Client()
    with override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="1/m"):
        for _ in range(3):
            assert client.get("/staff/login/").status_code == 200
        assert client.post("/staff/login/", {"username": admin.email, "password": DEFAULT_PASSWORD}).status_code == 302


@pytest.mark.parametrize("model", ["events/seat", "bookings/booking", "bookings/ticket"])
def test_seats_bookings_and_tickets_are_read_only_in_the_console(staff: Client, user: User, model: str) -> None:
    """Inventory changes only through the services (actions); the forms show, never write."""
    event = EventFactory(capacity=4)
    booking = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="ro").booking
    row = {"events/seat": Seat.objects.filter(event=event).first(), "bookings/booking": booking,
           "bookings/ticket": booking.tickets.first()}[model]
    before = (Seat.objects.filter(reserved=True).count(), Booking.objects.count())

    assert staff.get(f"/staff/{model}/").status_code == 200
    assert staff.get(f"/staff/{model}/{row.pk}/change/").status_code == 200  # viewing is allowed
    assert staff.get(f"/staff/{model}/add/").status_code == 403
    assert staff.post(f"/staff/{model}/{row.pk}/change/", {}).status_code == 403
    assert staff.post(f"/staff/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (Seat.objects.filter(reserved=True).count(), Booking.objects.count()) == before


@pytest.mark.parametrize(
    "path, needle",
    [
        ("/staff/events/event/", "MÜNCHEN"), ("/staff/events/event/", "straße"),
        ("/staff/accounts/user/", "ÇAĞLA"), ("/staff/bookings/booking/", "ÇAĞLA@"),
    ],
)
def test_console_search_folds_case_as_the_api_does(admin: User, path: str, needle: str) -> None:
    """API.md: `q` is a case-insensitive substring under Unicode case folding on every
    database (`MÜNCHEN` finds `München`); the console's search box finds the same rows
    (SQLite's LIKE folds ASCII only; PostgreSQL's depends on the database's locale)."""
    event = EventFactory(name="Jazz in München", venue="Hauptstrasse 1")
    holder = UserFactory(name="Çağla Yılmaz", email="çağla@example.com")
    booking_create(user=holder, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="k")
    console = Client()
    console.force_login(admin)

    response = console.get(path, {"q": needle})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("needle, found", [("%", 1), ("_", 0), ("100%", 1), ("0%", 1), ("n%", 0), ('"jazz in"', 1), ("jazz münchen", 1)])
def test_console_search_takes_wildcards_literally(admin: User, needle: str, found: int) -> None:
    EventFactory(name="Jazz in München", venue="100% Club")
    EventFactory(name="Rock", venue="Hall")
    console = Client()
    console.force_login(admin)

    response = console.get("/staff/events/event/", {"q": needle})

    assert response.context["cl"].result_count == found


def test_console_actions_are_in_each_rows_history(staff: Client, admin: User, user: User) -> None:
    """An organizer asking "who cancelled this booking, who deactivated this event, who let
    this ticket in" finds the console action on the row's history page, with the staff
    member; a refused action leaves no entry."""
    from django.contrib.admin.models import LogEntry

    from bookings.models import Ticket

    event = EventFactory(capacity=4)
    kept = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="a").booking
    gone = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="b").booking
    ticket = Ticket.objects.get(booking=kept)

    staff.post("/staff/bookings/booking/", {"action": "cancel_selected", "_selected_action": [gone.id]})
    staff.post("/staff/bookings/ticket/", {"action": "check_in_selected", "_selected_action": [ticket.id]})
    staff.post("/staff/bookings/ticket/", {"action": "check_in_selected", "_selected_action": [ticket.id]})  # refused
    staff.post("/staff/events/event/", {"action": "deactivate", "_selected_action": [event.id]})

    for path, text in [
        (f"/staff/bookings/booking/{gone.id}/history/", "Cancelled (staff console action)"),
        (f"/staff/bookings/ticket/{ticket.id}/history/", "Checked in (staff console action)"),
        (f"/staff/events/event/{event.id}/history/", "Deactivated (staff console action)"),
    ]:
        page = staff.get(path).content.decode()
        assert text in page and admin.email in page, path
    assert LogEntry.objects.filter(object_id=str(ticket.id), content_type__model="ticket").count() == 1
    assert not LogEntry.objects.filter(object_id=str(kept.id), content_type__model="booking").exists()


def test_cancelling_only_cancelled_bookings_claims_no_success(staff: Client, user: User) -> None:
    event = EventFactory(capacity=2)
    booking = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="a").booking
    staff.post("/staff/bookings/booking/", {"action": "cancel_selected", "_selected_action": [booking.id]}, follow=True)

    response = staff.post(
        "/staff/bookings/booking/", {"action": "cancel_selected", "_selected_action": [booking.id]}, follow=True
    )

    assert [level for level, _ in _messages(response)] == ["warning"]
    assert "cancelled already" in _messages(response)[0][1]


def test_undoing_the_check_in_of_a_ticket_never_checked_in_claims_and_logs_nothing(staff: Client, user: User) -> None:
    from django.contrib.admin.models import LogEntry

    from bookings.models import Ticket

    event = EventFactory(capacity=2)
    booking = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="a").booking
    ticket = Ticket.objects.get(booking=booking)

    response = staff.post(
        "/staff/bookings/ticket/", {"action": "undo_check_in_selected", "_selected_action": [ticket.id]}, follow=True
    )

    assert [level for level, _ in _messages(response)] == ["info"]
    assert "not checked in" in _messages(response)[0][1]
    assert not LogEntry.objects.filter(content_type__model="ticket").exists()


@pytest.mark.parametrize(
    "meanwhile, kept",
    [
        ({"role": User.Role.ADMIN}, ("role", "admin")),
        ({"is_active": False}, ("is_active", False)),
        ({"email": "new-address@example.com"}, ("email", "new-address@example.com")),
    ],
)
def test_an_edit_of_a_user_changed_since_its_page_was_shown_is_refused(
    admin: User, staff: Client, user: User, meanwhile: dict, kept: tuple[str, object]
) -> None:
    # Given the change page of a user, as the console showed it
    page = staff.get(f"/staff/accounts/user/{user.id}/change/")
    shown = {**_user_form(user, name="Renamed"), **_hidden_inputs(page)}
    # and another admin changing the user through the API meanwhile
    user_update(user_id=user.id, **meanwhile)

    # When the page is saved with only the name edited
    response = staff.post(f"/staff/accounts/user/{user.id}/change/", shown, follow=True)

    # Then nothing is saved (the other change is not silently reverted) and the page says why
    user.refresh_from_db()
    field, value = kept
    assert (user.name, getattr(user, field)) != ("Renamed", value) and user.name != "Renamed"
    assert getattr(user, field) == value
    assert [level for level, _ in _messages(response)] == ["error"]
    assert "changed since this page was shown" in _messages(response)[0][1]
    # A page shown after the change saves.
    page = staff.get(f"/staff/accounts/user/{user.id}/change/")
    fresh = {**_user_form(user, name="Renamed"), **_hidden_inputs(page)}
    staff.post(f"/staff/accounts/user/{user.id}/change/", fresh)
    user.refresh_from_db()
    assert (user.name, getattr(user, field)) == ("Renamed", value)


def test_a_user_page_saves_after_its_own_form_errors_and_with_save_and_continue(staff: Client, user: User) -> None:
    """The values the page carries stay those it was first shown with: a form error and a
    resubmission, then "Save and continue editing" and another save, all go through."""
    page = staff.get(f"/staff/accounts/user/{user.id}/change/")
    form = {**_user_form(user, name="   "), **_hidden_inputs(page)}
    assert staff.post(f"/staff/accounts/user/{user.id}/change/", form).status_code == 200  # blank name

    response = staff.post(
        f"/staff/accounts/user/{user.id}/change/", {**form, "name": "Renamed", "_continue": "1"}, follow=True
    )
    assert [level for level, _ in _messages(response)] == ["success"]
    page = response  # the page shown again after "Save and continue editing"
    form = {**_user_form(User.objects.get(pk=user.pk), role="checkin"), **_hidden_inputs(page)}
    staff.post(f"/staff/accounts/user/{user.id}/change/", form)

    user.refresh_from_db()
    assert (user.name, user.role) == ("Renamed", User.Role.CHECKIN)
