"""The staff console against a hostile or careless admin (a review's findings): every case
here once gave a wrong result or a 500."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from bookings.tests.helpers import book
from events.models import Event
from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ADD = "/staff/events/event/add/"


def event_form(**changes) -> dict:
    return {
        "name": "Gig", "venue": "Hall", "capacity": 10, "status": "active", "timezone": "Europe/Berlin",
        "start_time_0": "2031-05-01", "start_time_1": "19:00:00",
        "end_time_0": "2031-05-01", "end_time_1": "22:00:00",
        **changes,
    }


def test_an_event_added_as_inactive_is_inactive_and_not_on_sale(staff: Client, api_client) -> None:
    assert staff.post(ADD, event_form(status="inactive")).status_code == 302

    event = Event.objects.get()
    assert event.status == Event.Status.INACTIVE
    assert api_client.get(f"/events/{event.id}").json()["sale_state"] == "inactive"


def test_an_event_added_as_active_is_active(staff: Client) -> None:
    assert staff.post(ADD, event_form()).status_code == 302
    assert Event.objects.get().status == Event.Status.ACTIVE


@pytest.mark.parametrize("field", ["name", "venue"])
@pytest.mark.parametrize("blank", ["\u200b", "\u2800", " \u3164 ", "\u0007\u001b"])
def test_an_event_name_or_venue_of_nothing_visible_is_refused(staff: Client, field: str, blank: str) -> None:
    response = staff.post(ADD, event_form(**{field: blank}))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Event.objects.exists()


def test_a_user_name_of_nothing_visible_is_refused(staff: Client, user: User) -> None:
    form = {"name": "\u2800", "email": user.email, "role": user.role, "is_active": "on"}

    response = staff.post(f"/staff/accounts/user/{user.id}/change/", form)

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.name != "\u2800"


def test_a_time_the_clocks_skip_is_refused_not_moved(staff: Client) -> None:
    """Berlin skips 02:00–03:00 on 2031-03-30: 02:30 does not exist there."""
    response = staff.post(ADD, event_form(
        start_time_0="2031-03-30", start_time_1="02:30:00", end_time_0="2031-03-30", end_time_1="04:00:00",
    ))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "start_time" in errors and "does not exist in Europe/Berlin" in str(errors["start_time"])
    assert not Event.objects.exists()


def test_a_repeated_autumn_time_is_its_first_occurrence(staff: Client) -> None:
    """Berlin repeats 02:00–03:00 on 2031-10-26: 02:30 is taken as 02:30 CEST (00:30 UTC)."""
    response = staff.post(ADD, event_form(
        start_time_0="2031-10-26", start_time_1="02:30:00", end_time_0="2031-10-26", end_time_1="04:00:00",
    ))

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.start_time == datetime(2031, 10, 26, 0, 30, tzinfo=dt_timezone.utc)
    assert event.end_time == datetime(2031, 10, 26, 3, 0, tzinfo=dt_timezone.utc)


def test_an_event_with_a_seat_map_and_no_bookings_can_be_deleted(staff: Client) -> None:
    event = EventFactory(capacity=4)
    seat_map_generate(event_id=event.id, rows=2, cols=2)

    assert staff.get(f"/staff/events/event/{event.id}/delete/").status_code == 200
    response = staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_an_event_with_bookings_is_still_kept(staff: Client, user_client) -> None:
    event = EventFactory(capacity=4)
    book(user_client, event, qty=1)

    staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"})

    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("selected", ["abc", "1\x00", "99999999999999999999", "9223372036854775808", "-1", ""])
@pytest.mark.parametrize(
    "changelist, action",
    [
        ("/staff/events/event/", "deactivate"), ("/staff/events/event/", "delete_selected"),
        ("/staff/events/event/", "export_attendees_csv"), ("/staff/bookings/booking/", "cancel_selected"),
    ],
)
def test_a_hand_made_action_post_is_refused_not_a_500(staff: Client, changelist: str, action: str, selected: str) -> None:
    event = EventFactory()

    response = staff.post(changelist, {"action": action, "_selected_action": [selected]}, follow=True)

    assert response.status_code == 200
    Event.objects.get(pk=event.pk)  # untouched
    assert Event.objects.get(pk=event.pk).status == Event.Status.ACTIVE


@pytest.mark.parametrize(
    "query",
    ["password__startswith=argon2", "password__regex=^argon2", "email_folded__startswith=a", "tokens_valid_after__isnull=True"],
)
def test_no_filter_can_query_a_secret_column_of_accounts(staff: Client, query: str) -> None:
    response = staff.get(f"/staff/accounts/user/?{query}")

    assert response.status_code != 200 or "?e=1" in response.get("Location", "")
    assert b"argon2" not in response.content


def test_the_user_list_still_filters_by_role(staff: Client, user: User) -> None:
    response = staff.get("/staff/accounts/user/?role__exact=user")

    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_changing_ones_password_in_the_console_ends_older_api_tokens(admin: User, api_client) -> None:
    login = api_client.post("/auth/login", {"email": admin.email, "password": DEFAULT_PASSWORD}, format="json")
    old_token = login.json()["access_token"]
    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {old_token}").status_code == 200
    console = Client()
    console.force_login(admin)

    response = console.post("/staff/password_change/", {
        "old_password": DEFAULT_PASSWORD, "new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9",
    })

    assert response.status_code == 302, response.content[:500]
    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {old_token}").status_code == 401
    assert console.get("/staff/").status_code == 200  # the console session itself goes on
    fresh = api_client.post("/auth/login", {"email": admin.email, "password": "a-brand-new-secret-9"}, format="json")
    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {fresh.json()['access_token']}").status_code == 200


def test_a_console_session_ends_with_a_deactivation_for_good(admin: User, django_user_model) -> None:
    """As with access tokens: reactivating the account does not bring back a session opened
    before the deactivation (only a new login does)."""
    from accounts.services import user_update

    django_user_model.objects.create(email="other-admin@example.com", name="Other", role="admin")  # not the last admin
    console = Client()
    console.force_login(admin)
    assert console.get("/staff/").status_code == 200

    user_update(user_id=admin.id, is_active=False)
    user_update(user_id=admin.id, is_active=True)

    assert console.get("/staff/").status_code == 302  # to the login page
    console.force_login(User.objects.get(pk=admin.pk))
    assert console.get("/staff/").status_code == 200


def test_a_password_reset_ends_console_sessions(admin: User) -> None:
    """"Logged out everywhere": the console too, not only the access tokens."""
    from urllib.parse import parse_qs, urlparse

    from accounts.services import password_reset_confirm, password_reset_link

    console = Client()
    console.force_login(admin)
    query = parse_qs(urlparse(password_reset_link(user=admin)).query)
    password_reset_confirm(uid=query["uid"][0], token=query["token"][0], password="a-brand-new-secret-9")

    assert console.get("/staff/").status_code == 302


def test_a_weak_new_password_in_the_console_changes_nothing(admin: User, api_client) -> None:
    console = Client()
    console.force_login(admin)

    response = console.post("/staff/password_change/", {
        "old_password": DEFAULT_PASSWORD, "new_password1": "short", "new_password2": "short",
    })

    assert response.status_code == 200  # the form again
    admin.refresh_from_db()
    assert admin.check_password(DEFAULT_PASSWORD) and admin.tokens_valid_after is None


@pytest.mark.parametrize(
    "query",
    ["start_time=garbage", "end_time=2031-05-01", "start_time=0001-01-01T00:00%2B05:00", "end_time=9999-12-31T23:00-05:00", "start_time=2031-13-45T10:00", "start_time=", "start_time=2031-05-01T19:00:00"],
)
def test_an_add_form_prefilled_from_the_url_with_any_time_is_a_page_not_a_500(staff: Client, query: str) -> None:
    """Django's admin prefills an add form from its query string; a time arrives as text,
    which the date/time widget could not show (AttributeError: 'str' object has no
    attribute 'utcoffset')."""
    client = Client(raise_request_exception=False)
    client.cookies = staff.cookies

    response = client.get(f"{ADD}?{query}&name=Prefilled")

    assert response.status_code == 200
    assert 'value="Prefilled"' in response.content.decode()


def test_an_add_form_prefilled_with_a_time_shows_it(staff: Client) -> None:
    page = staff.get(f"{ADD}?start_time=2031-05-01T19:30:00").content.decode()

    assert 'value="2031-05-01"' in page and 'value="19:30:00"' in page


@pytest.mark.parametrize("next_url", ["//evil.example", "https://evil.example/", "javascript:alert(1)"])
def test_a_login_link_with_a_foreign_next_lands_on_the_console(admin: User, next_url: str) -> None:
    """Django refuses a `next` off this site and falls back to LOGIN_REDIRECT_URL, whose
    default (/accounts/profile/) is no page here: staff landed on a JSON 404 after signing in."""
    from urllib.parse import quote

    response = Client().post(
        f"/staff/login/?next={quote(next_url)}", {"username": admin.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_deleting_an_event_with_a_big_seat_map_summarizes_its_seats(staff: Client) -> None:
    """Django's confirmation lists every related row with a link: for a 100,000-seat event
    a 7 MB page built in ~15 s (the POST builds it again before deleting), past gunicorn's
    30 s timeout on a busy host. The console says how many seats go instead."""
    event = EventFactory(capacity=10)
    seat_map_generate(event_id=event.id, rows=6, cols=500)

    page = staff.get(f"/staff/events/event/{event.id}/delete/").content.decode()

    assert len(page) < 50_000
    assert "3000 seats" in page
    assert staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_deleting_an_event_with_bookings_names_them_as_protected(staff: Client, user_client) -> None:
    event = EventFactory(capacity=4)
    book(user_client, event, qty=2)

    page = staff.get(f"/staff/events/event/{event.id}/delete/").content.decode()
    bulk = staff.post("/staff/events/event/", {"action": "delete_selected", "_selected_action": [event.id]})

    assert "1 booking" in page and "2 tickets" in page
    assert "1 booking" in bulk.content.decode()
    staff.post(f"/staff/events/event/{event.id}/delete/", {"post": "yes"})
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_console_password_change_that_overlaps_a_reset_does_not_undo_it(admin: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone holding an admin's console session and old password keeps changing it; the
    owner resets the password meanwhile. The change checked the old password against the
    account as its request found it (an Argon2 check takes tens of milliseconds): if the reset
    commits in between, the change must be refused, not written over the reset (which kept
    the intruder in, with a password of their choosing and a renewed session)."""
    from accounts.services import user_change_password

    console = Client()
    console.force_login(admin)
    check = User.check_password

    def check_while_the_owner_resets(self: User, raw_password: str) -> bool:
        matched = check(self, raw_password)
        user_change_password(user=User.objects.get(pk=self.pk), password="the-owners-new-password")
        return matched

    monkeypatch.setattr(User, "check_password", check_while_the_owner_resets)
    response = console.post("/staff/password_change/", {
        "old_password": DEFAULT_PASSWORD, "new_password1": "the-intruders-password", "new_password2": "the-intruders-password",
    })
    monkeypatch.undo()

    assert response.status_code == 200
    assert "changed meanwhile" in response.content.decode()
    admin.refresh_from_db()
    assert admin.check_password("the-owners-new-password")
    assert console.get("/staff/").status_code == 302  # the intruder's session ended with the reset


def test_a_console_password_change_whose_hash_another_login_upgraded_meanwhile_is_saved(
    admin: User, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """The admin's password is stored with an older hasher; checking the old password
    re-hashes it, and another login of the same account (another device) re-hashed it first.
    The password did not change: the change is saved, not refused as "changed meanwhile"."""
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [settings.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk=admin.pk).update(password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256"))
    console = Client()
    console.force_login(User.objects.get(pk=admin.pk))
    set_password = User.set_password
    other_login_done: list[bool] = []

    def other_login_upgrades_first(self: User, raw_password: str | None) -> None:
        if raw_password == DEFAULT_PASSWORD and not other_login_done:
            other_login_done.append(True)
            User.objects.filter(pk=self.pk).update(password=make_password(raw_password))
        set_password(self, raw_password)

    monkeypatch.setattr(User, "set_password", other_login_upgrades_first)
    response = console.post("/staff/password_change/", {
        "old_password": DEFAULT_PASSWORD, "new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9",
    })
    monkeypatch.undo()

    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(pk=admin.pk).check_password("a-brand-new-secret-9")


def test_an_account_whose_address_predates_a_rule_can_still_be_edited(staff: Client, django_user_model) -> None:
    """The rules for an address an account is given (no quoted local part, no invisible
    character...) apply to an address being set: an account created before a rule keeps its
    address, and the console can still deactivate it or rename it."""
    legacy = django_user_model.objects.create(email='"old"@example.com', name="Old", role="user")
    form = {"name": "Renamed", "email": legacy.email, "role": "user"}  # is_active unticked

    response = staff.post(f"/staff/accounts/user/{legacy.id}/change/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    legacy.refresh_from_db()
    assert (legacy.name, legacy.is_active) == ("Renamed", False)


def test_the_console_refuses_to_give_an_account_a_quoted_address(staff: Client, user: User) -> None:
    form = {"name": user.name, "email": '"other"@example.com', "role": user.role, "is_active": "on"}

    response = staff.post(f"/staff/accounts/user/{user.id}/change/", form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Enter a valid email address."]
