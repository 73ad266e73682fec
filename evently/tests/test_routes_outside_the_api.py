"""Routes beside the API's ViewSets (the docs page, the schema, /metrics, the web app) and two
DRF defaults switched off: every answer is JSON unless it is the page itself, a query
parameter named `format` is just a parameter, and OPTIONS describes no request body."""

from __future__ import annotations

import pytest
from django.test import Client

from bookings.tests.helpers import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> Client:
    """A client that enforces CSRF, as a real server does (the test client skips it)."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/metrics", "/", "/app/", "/app/events/1"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_another_method_is_a_json_405_with_allow_never_a_csrf_page(browser, path, method) -> None:
    response = getattr(browser, method)(path)

    assert response.status_code == 405, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert "GET" in response["Allow"]


def test_options_on_the_docs_page_is_json_metadata_not_a_500(browser) -> None:
    response = browser.options("/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"]


def test_options_on_metrics_is_a_json_405(browser) -> None:
    response = browser.options("/metrics")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed"}
    assert b"# HELP" not in response.content


def test_metrics_still_serves_get(browser) -> None:
    response = browser.get("/metrics")

    assert response.status_code == 200
    assert b"# HELP" in response.content


@pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
def test_the_docs_and_the_schema_ignore_a_stale_token(browser, path) -> None:
    response = browser.get(path, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200


def test_the_docs_page_is_still_html(browser) -> None:
    response = browser.get("/docs")

    assert response["Content-Type"].startswith("text/html")
    assert b"swagger" in response.content.lower()


def test_a_format_query_parameter_is_ignored_where_it_means_nothing(api_client, user_client, admin_client, event) -> None:
    assert api_client.get(f"/events/{event.id}?format=csv").status_code == 200
    assert api_client.get(f"/events/{event.id}?format=json").json()["id"] == event.id
    assert api_client.get("/events?format=xml").status_code == 200
    assert admin_client.get("/admin/bookings?format=api").status_code == 200

    response = user_client.post(
        f"/events/{event.id}/book?format=csv", {"qty": 1}, format="json", HTTP_IDEMPOTENCY_KEY="fmt-1"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "CONFIRMED"


def test_the_attendee_list_keeps_its_own_format_parameter(admin_client, user_client, event) -> None:
    book(user_client, event, qty=1)

    assert admin_client.get(f"/admin/events/{event.id}/attendees?format=csv")["Content-Type"].startswith("text/csv")
    assert admin_client.get(f"/admin/events/{event.id}/attendees?format=json").json()[0]["qty"] == 1
    assert admin_client.get(f"/admin/events/{event.id}/attendees?format=xml").status_code == 422


@pytest.mark.parametrize("path", ["/admin/events", "/admin/users", "/auth/signup"])
def test_options_describes_no_request_body_the_schema_does(admin_client, path) -> None:
    """DRF's `actions` listed the output serializer's read-only fields as the POST body."""
    body = admin_client.options(path).json()

    assert "actions" not in body
    assert body["parses"] == ["application/json"]
    assert body["renders"] == ["application/json"]
