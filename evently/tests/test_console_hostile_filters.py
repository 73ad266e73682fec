"""Every changelist of the staff console answers hostile query strings the way Django's
admin answers a bad filter (a redirect to ?e=1, or a normal page), never with a 500."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client

from accounts.models import User
from bookings.services import BookingRequest, booking_create
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# Percent-encoded as an attacker sends them: NUL, a lone surrogate and bytes that are not
# UTF-8 included.
HOSTILE = [
    "%00", "a%00b", "%2500", "%ED%A0%80", "%FF%FE", "%27%20OR%201%3D1%20--", "9" * 40, "-1", "1e309",
    "x" * 5000, "", "%20", "%5B%5D", "null", "2030-13-45", "%E2%80%8B", "__proto__", "id__gt", "-", "?",
]


def _changelists() -> list[tuple[str, type]]:
    return [
        (f"/staff/{model._meta.app_label}/{model._meta.model_name}/", model)
        for model in admin.site._registry
    ]


def _params_for(path: str, client: Client) -> list[str]:
    """The query parameters the page itself offers (its filters' links), plus the generic ones."""
    import re
    from urllib.parse import parse_qs, urlparse

    html = client.get(path).content.decode()
    names = {"q", "o", "p", "e", "_changelist_filters", "all", "_to_field", "_popup"}
    for href in re.findall(r'href="(\?[^"]*)"', html):
        names.update(parse_qs(urlparse(href.replace("&amp;", "&")).query, keep_blank_values=True))
    return sorted(names)


@pytest.fixture
def staff(admin: User, user: User) -> Client:
    event = EventFactory(capacity=3)
    booking_create(user=user, event_id=event.id, request=BookingRequest(qty=1), idempotency_key="k")
    client = Client()
    client.force_login(admin)
    return client


CHANGELISTS = [
    "/staff/accounts/user/", "/staff/events/event/", "/staff/events/seat/", "/staff/bookings/booking/",
    "/staff/bookings/ticket/", "/staff/notifications/notification/", "/staff/notifications/eventchange/",
]


@pytest.mark.parametrize("path", CHANGELISTS)
def test_every_parameter_of_every_changelist_survives_hostile_values(staff: Client, path: str) -> None:
    failures = []
    for name in _params_for(path, staff):
        for value in HOSTILE:
            try:
                response = staff.get(f"{path}?{quote(name)}={value}")
            except Exception as exc:  # noqa: BLE001 - the test client re-raises server errors
                failures.append((name, value[:20], repr(exc)[:120]))
                continue
            if response.status_code not in (200, 302, 400):
                failures.append((name, value[:20], response.status_code))
            elif response.status_code == 302:
                assert "e=1" in response["Location"] or response["Location"].startswith(path)
    assert failures == []


def test_every_registered_changelist_is_walked() -> None:
    """A ModelAdmin registered later must be added to CHANGELISTS."""
    assert {path for path, _ in _changelists()} == set(CHANGELISTS)


@pytest.mark.parametrize("path", ["/staff/", "/staff/events/event/1/change/", "/staff/analytics/"])
def test_nul_anywhere_in_a_console_query_is_a_bad_filter(staff: Client, path: str) -> None:
    response = staff.get(f"{path}?_changelist_filters=status__exact%3D%00&x%00=1")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
