"""Error bodies and ops endpoints: JSON for every status, never HTML or a stack trace."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conftest import token_for

pytestmark = pytest.mark.django_db


def test_unknown_route_is_a_json_404(api_client) -> None:
    response = api_client.get("/no/such/route")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found"}


def test_wrong_method_is_a_json_405(api_client) -> None:
    response = api_client.put("/events", {}, format="json")

    assert response.status_code == 405
    assert "detail" in response.json()


def test_malformed_json_is_a_400(user_client, event) -> None:
    response = user_client.post(
        f"/events/{event.id}/book", data='{"qty": 1', content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed JSON")


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\x00garbage", ("[" * 10_000 + "]" * 10_000).encode(), b'{"qty": NaN}'],
    ids=["not-utf8", "deeply-nested", "nan"],
)
def test_hostile_bodies_are_400_not_500(api_client, body: bytes) -> None:
    response = api_client.generic("POST", "/auth/signup", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed JSON")


def test_an_integer_too_long_to_read_is_a_plain_400(user_client, event) -> None:
    """5,001 digits: Python's reader refuses it; the detail says so without its internals."""
    response = user_client.post(
        f"/events/{event.id}/book", data='{"qty": 1' + "0" * 5000 + "}", content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Malformed JSON: an integer longer than 4300 digits"}


def test_wrong_content_type_is_415(api_client) -> None:
    response = api_client.post("/auth/signup", "name=x", content_type="text/plain")

    assert response.status_code == 415
    assert "detail" in response.json()


def test_body_without_content_type_is_read_as_json(api_client) -> None:
    body = json.dumps({"name": "Ann", "email": "ann@example.com", "password": "longenough"})
    response = api_client.generic("POST", "/auth/signup", body, content_type="")

    assert response.status_code == 200


@override_settings(REQUEST_BODY_MAX_BYTES=1024)
def test_oversized_body_is_413(api_client) -> None:
    response = api_client.post(
        "/auth/signup", {"name": "x" * 5000, "email": "a@b.co", "password": "p" * 10}, format="json"
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_healthz(api_client) -> None:
    response = api_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_cache(api_client) -> None:
    response = api_client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_is_503_naming_a_dead_cache(api_client) -> None:
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    with override_settings(CACHES=dead):
        response = api_client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == "unavailable"
    assert body["database"] == "ok"
    assert "cache" in body["detail"]


def test_metrics_exposes_request_and_business_metrics(api_client) -> None:
    api_client.get("/events")  # probes (/healthz) are answered before the per-view metrics

    text = api_client.get("/metrics").content.decode()

    assert "django_http_requests_total_by_view_transport_method_total" in text
    for name in (
        "evently_bookings_total", "evently_waitlist_promotions_total",
        "evently_idempotent_replays_total", "evently_rate_limit_rejections_total",
        "evently_event_lock_held_seconds",
    ):
        assert name in text


def test_openapi_schema_lists_every_endpoint(api_client) -> None:
    schema = api_client.get("/openapi.json").json()

    expected = {
        "/auth/signup", "/auth/login", "/auth/me", "/events", "/events/{event_id}",
        "/events/{event_id}/seats", "/events/{event_id}/book", "/me/bookings",
        "/bookings/{booking_id}", "/admin/events", "/admin/events/{event_id}",
        "/admin/events/{event_id}/deactivate", "/admin/events/{event_id}/seats/generate",
        "/admin/bookings", "/admin/users", "/admin/users/{user_id}/role",
        "/admin/analytics/summary", "/stats/homepage", "/healthz", "/readyz",
    }
    assert schema["openapi"].startswith("3.")
    assert expected <= set(schema["paths"])


def test_swagger_ui_is_served(api_client) -> None:
    response = api_client.get("/docs")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_security_headers(api_client) -> None:
    response = api_client.get("/healthz")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_cors_allows_the_dev_spa_with_authorization_and_idempotency_key(api_client) -> None:
    response = api_client.options(
        "/events/1/book",
        HTTP_ORIGIN="http://localhost:5173",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, idempotency-key, content-type",
    )

    assert response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "idempotency-key" in allowed


def test_cors_refuses_an_unknown_origin(api_client) -> None:
    response = api_client.get("/healthz", HTTP_ORIGIN="http://evil.test")

    assert "Access-Control-Allow-Origin" not in response


def test_public_endpoints_ignore_a_stale_token(api_client, event) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    assert api_client.get("/events").status_code == 200
    assert api_client.get(f"/events/{event.id}").status_code == 200
    assert api_client.get("/stats/homepage").status_code == 200


@pytest.mark.parametrize("accept", ["application/json", "text/html", "application/xml", "*/*"])
def test_docs_and_schema_never_answer_an_html_406(api_client, accept: str) -> None:
    docs = api_client.get("/docs", HTTP_ACCEPT=accept)
    schema = api_client.get("/openapi.json", HTTP_ACCEPT=accept)

    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert schema.status_code == 200
    assert json.loads(schema.content)["openapi"].startswith("3.")


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/plain", "application/problem+json"])
def test_an_api_route_answers_json_whatever_accept_says(api_client, user, event, accept: str) -> None:
    """The FastAPI service ignored `Accept`; DRF's negotiation answered 406 instead, hiding
    the real answer: a 401 without its WWW-Authenticate, a 404 as a 406."""
    found = api_client.get(f"/events/{event.id}", HTTP_ACCEPT=accept)
    missing = api_client.get("/events/0", HTTP_ACCEPT=accept)
    anonymous = api_client.get("/auth/me", HTTP_ACCEPT=accept)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    me = api_client.get("/auth/me", HTTP_ACCEPT=accept)

    assert (found.status_code, found.json()["id"]) == (200, event.id)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Event not found"})
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Bearer"
    assert (me.status_code, me.json()["id"]) == (200, user.id)
    for response in (found, missing, anonymous, me):
        assert response["Content-Type"].startswith("application/json")


def test_openapi_documents_body_errors_and_keeps_component_names(api_client) -> None:
    schema = api_client.get("/openapi.json").json()

    book = schema["paths"]["/events/{event_id}/book"]["post"]
    assert {"400", "411", "413", "415", "422", "429", "503"} <= set(book["responses"])
    assert "Retry-After" in book["responses"]["429"]["headers"]
    assert "Retry-After" in book["responses"]["503"]["headers"]
    assert "Idempotent-Replayed" in book["responses"]["200"]["headers"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in book["parameters"])
    assert book["security"] == [{"bearerAuth": []}]
    events = schema["paths"]["/events"]["get"]
    assert events["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EventListOutput"
    }
    assert {p["name"] for p in events["parameters"]} == {
        "page", "page_size", "q", "venue", "status", "date_from", "date_to", "sort", "order", "when",
    }
    admin_bookings = schema["paths"]["/admin/bookings"]["get"]["responses"]["200"]
    assert admin_bookings["content"]["application/json"]["schema"]["type"] == "array"
    assert "X-Total-Count" in admin_bookings["headers"]
    assert {"EventOutput", "BookingOutput", "UserOutput", "SeatOutput", "EventListOutput"} <= set(
        schema["components"]["schemas"]
    )
    assert "security" not in schema["paths"]["/events"]["get"]


def test_every_field_of_a_response_body_is_required_in_the_schema(api_client) -> None:
    """API.md fixes each resource's fields: a User always has its `role`, which a typed client
    generated from /openapi.json saw as optional. Only the 422's `errors` may be absent
    (DECISIONS "The 422 schema")."""
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]

    optional = {
        name: sorted(set(schema["properties"]) - set(schema.get("required", [])))
        for name, schema in schemas.items()
        if not name.endswith("Request") and schema.get("properties")
    }

    assert {name: fields for name, fields in optional.items() if fields} == {
        "ValidationError": ["errors"],
    }


def _writable_fields(serializer, prefix=""):
    from rest_framework import serializers

    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        path = f"{prefix}{name}"
        if isinstance(field, serializers.Serializer):
            yield from _writable_fields(field, f"{path}.")
        elif isinstance(field, serializers.ListSerializer):
            yield from _writable_fields(field.child, f"{path}[].")
        else:
            yield path, field


def test_every_text_field_of_every_request_body_is_strict() -> None:
    """Issue 12's kind, for fields added later too: the text fields of every input
    serializer are TextField (JSON strings only, invisible-only values blank), never DRF's
    CharField, which turns numbers into text."""
    import importlib
    import inspect

    from rest_framework import serializers

    from evently.api.fields import TextField

    inputs = []
    for app in ("accounts", "events", "bookings", "analytics"):
        module = importlib.import_module(f"{app}.api.serializers")
        inputs += [
            cls for name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__
            and "Input" in name
        ]
    assert len(inputs) >= 6, inputs

    loose = [
        f"{cls.__name__}.{path}"
        for cls in inputs
        for path, field in _writable_fields(cls())
        if isinstance(field, serializers.CharField) and not isinstance(field, TextField)
    ]
    assert loose == []


def test_a_422_summary_is_one_line_even_when_it_echoes_a_line_break(api_client, admin_client, event) -> None:
    """API.md: 422 `{"detail": "<one-line summary>", ...}`. DRF's choice messages quote the
    value sent, line breaks included; the summary says them on one line, `errors` as sent."""
    query = api_client.get("/events", {"status": "a\nb"})
    body = admin_client.patch(f"/admin/events/{event.id}", {"status": "a\r\nb\u2028c"}, format="json")

    for response in (query, body):
        assert response.status_code == 422
        assert response.json()["detail"].splitlines() == [response.json()["detail"]]
    assert query.json()["detail"] == "status: Select a valid choice. a b is not one of the available choices."
    assert "\n" in query.json()["errors"]["status"][0]


def test_a_422_domain_error_renders_the_contract_validation_shape() -> None:
    """Services raise 422 domain errors with `errors` per field as an extra; the handler
    puts extras at the top level, so the body is the contract's validation shape."""
    from evently.api.exceptions import exception_handler
    from evently.errors import DomainError, ServiceBusy

    class InvalidQuantity(DomainError):
        status_code = 422

    invalid = exception_handler(InvalidQuantity("qty: At most 10", errors={"qty": ["At most 10"]}), {})
    busy = exception_handler(ServiceBusy(retry_after=3), {})

    assert (invalid.status_code, invalid.data) == (422, {"detail": "qty: At most 10", "errors": {"qty": ["At most 10"]}})
    assert (busy.status_code, busy["Retry-After"]) == (503, "3")


@pytest.mark.parametrize("who", ["anonymous", "user", "checkin", "admin"])
def test_options_on_every_documented_path_is_never_a_500(api_client, client_for, event, who) -> None:
    """OPTIONS is answered by DRF's metadata for every route, whoever asks (it describes the
    POST body of a route the caller may use, so a view without a serializer was a 500)."""
    from accounts.tests.factories import UserFactory

    client = api_client if who == "anonymous" else client_for(UserFactory(role=who))
    import re

    paths = api_client.get("/openapi.json").json()["paths"]
    values = {"event_id": str(event.id), "code": "x" * 24}
    answers = {}
    for template in paths:
        path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), template)
        answers[template] = client.options(path)  # the test client raises what would be a 500

    assert len(answers) >= 30
    for template, response in answers.items():
        assert response.status_code < 500, template
        if response.content:
            assert response["Content-Type"].startswith("application/json"), template


@pytest.mark.parametrize("content_type", ["*/*", "application/*", "*/json; charset=utf-8"])
def test_a_wildcard_content_type_is_415_and_creates_nothing(api_client, content_type) -> None:
    from accounts.models import User

    body = json.dumps({"name": "Ann", "email": "ann@example.com", "password": "longenough"})
    response = api_client.generic("POST", "/auth/signup", body, content_type=content_type)

    assert response.status_code == 415
    assert "detail" in response.json()
    assert not User.objects.filter(email="ann@example.com").exists()


def test_the_validation_error_schema_requires_only_detail(api_client) -> None:
    """A 422 without `errors` (the reused Idempotency-Key, API.md) must match the schema."""
    component = api_client.get("/openapi.json").json()["components"]["schemas"]["ValidationError"]

    assert component["required"] == ["detail"]
    assert set(component["properties"]) == {"detail", "errors"}


def test_empty_filters_count_as_absent(admin_client, user_client, event) -> None:
    """DECISIONS "Empty filters": `?status=` is the list without that filter, as a form sends it."""
    cases = [
        (user_client, "/events", "status=&when=&sort=&order="), (user_client, f"/events/{event.id}/seats", "available="),
        (user_client, "/me/notifications", "unread="), (admin_client, f"/admin/events/{event.id}/attendees", "format="),
        (admin_client, "/admin/users", "role="), (admin_client, "/admin/bookings", "status="),
    ]
    for client, path, empty in cases:
        filtered, plain = client.get(f"{path}?{empty}"), client.get(path)

        assert filtered.status_code == plain.status_code == 200, path
        assert filtered.json() == plain.json(), path
    assert user_client.get("/events?page=").status_code == 422
    assert user_client.get("/me/notifications?page_size=").status_code == 422


def _wsgi(method: str, path: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    """Serve one request through Django's WSGI handler, which (unlike the test client, and
    like gunicorn) passes on whatever body the application produced."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test.client import RequestFactory

    environ = RequestFactory().generic(method, path, **headers).environ
    started: list = []
    # As the test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body_parts = WSGIHandler()(environ, lambda status, hdrs, exc_info=None: started.append((status, hdrs)))
        try:
            body = b"".join(body_parts)
        finally:
            body_parts.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, header_list = started[0]
    return status, dict(header_list), body


def test_head_answers_with_the_get_headers_and_no_body(event) -> None:
    get_status, get_headers, get_body = _wsgi("GET", "/events")
    head_status, head_headers, head_body = _wsgi("HEAD", "/events")

    assert get_status == head_status == "200 OK"
    assert get_body  # the list itself
    assert head_body == b""
    assert head_headers["Content-Type"] == get_headers["Content-Type"]
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))


def test_head_of_an_error_and_of_a_streamed_export_has_no_body(event, admin) -> None:
    status, headers, body = _wsgi("HEAD", "/events/999999999")
    assert (status, body) == ("404 Not Found", b"")
    assert headers["Content-Type"].startswith("application/json")

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(admin)}"}
    with CaptureQueriesContext(connection) as get_queries:
        get_status, _, get_body = _wsgi("GET", f"/admin/events/{event.id}/attendees?format=csv", **auth)
    with CaptureQueriesContext(connection) as head_queries:
        status, headers, body = _wsgi("HEAD", f"/admin/events/{event.id}/attendees?format=csv", **auth)
    assert get_status == status == "200 OK"
    assert get_body.startswith(b"booking_id,")  # the GET streams the header row at least
    assert body == b""
    assert headers["Content-Type"].startswith("text/csv")
    # The stream is never run for HEAD: the attendee queries it would send are not sent.
    assert len(head_queries) < len(get_queries)


@override_settings(ALLOWED_HOSTS=["evently.example.com"])
def test_probes_answer_any_host_and_the_api_still_checks_it(api_client) -> None:
    # Compose's healthcheck and load balancers probe by address; with a domain in
    # ALLOWED_HOSTS they got 400 and the API container never turned healthy.
    for path in ("/healthz", "/readyz"):
        response = api_client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
        assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert api_client.post("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 405
    assert api_client.get("/events", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert api_client.get("/events", HTTP_HOST="evently.example.com").status_code == 200


def _bodyless_actions(user, admin, event):  # noqa: ANN001, ANN202
    """(who, method, path, what it changes) for every action that takes no body, in an order
    where each can still succeed after the ones before it."""
    from bookings import services as booking_services
    from bookings import tickets as ticket_services
    from bookings.models import Booking, Ticket
    from events.models import Event
    from events.tests.factories import EventFactory
    from notifications.models import Notification

    booking = booking_services.booking_create(
        user=user, event_id=event.id, request=booking_services.BookingRequest(qty=1), idempotency_key="b"
    ).booking
    ticket = Ticket.objects.get(booking=booking)
    ticket_services.ticket_check_in(event_id=event.id, code=ticket.code, actor=admin)
    notification = Notification.objects.filter(user=user).latest("id")
    unbooked = EventFactory()
    return [
        (admin, "DELETE", f"/admin/events/{event.id}/checkin/{ticket.code}", lambda: Ticket.objects.get(pk=ticket.pk).status),
        (user, "POST", f"/me/notifications/{notification.id}/read", lambda: Notification.objects.get(pk=notification.id).read_at),
        (user, "DELETE", f"/bookings/{booking.id}", lambda: Booking.objects.get(pk=booking.id).status),
        (admin, "POST", f"/admin/events/{event.id}/deactivate", lambda: Event.objects.get(pk=event.id).status),
        (admin, "DELETE", f"/admin/events/{unbooked.id}", lambda: Event.objects.filter(pk=unbooked.id).exists()),
    ]


BODYLESS_ROUTES = {
    ("DELETE", "/admin/events/{event_id}/checkin/{code}"), ("POST", "/me/notifications/{notification_id}/read"),
    ("DELETE", "/bookings/{booking_id}"), ("POST", "/admin/events/{event_id}/deactivate"),
    ("DELETE", "/admin/events/{event_id}"),
}


def test_the_bodyless_actions_tested_here_are_every_change_without_a_request_body(api_client) -> None:
    """A new action without a body must call `unused_body_checked` and join the tests below."""
    paths = api_client.get("/openapi.json").json()["paths"]
    bodyless = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete") and "requestBody" not in operation
    }

    assert bodyless == BODYLESS_ROUTES


def test_a_malformed_json_body_on_an_action_without_one_is_a_400_and_changes_nothing(
    user, admin, event, client_for
) -> None:
    """API.md: malformed JSON → 400. It was ignored where the action reads no body: the
    event was deactivated, the booking cancelled, the notification marked read."""
    for who, method, path, state in _bodyless_actions(user, admin, event):
        before = state()

        for content_type in ("application/json", "application/json; charset=utf-8", ""):
            response = client_for(who).generic(method, path, '{not json', content_type=content_type)

            assert response.status_code == 400, (path, content_type, response.content)
            assert response.json()["detail"].startswith("Malformed JSON"), path
            assert state() == before, path


@pytest.mark.parametrize(("body", "content_type"), [('{"reason": "ignored"}', "application/json"), ("", "application/json"), ("{not json", "text/plain")])
def test_an_action_without_a_body_ignores_a_well_formed_or_non_json_one(
    user, admin, event, client_for, body: str, content_type: str
) -> None:
    for who, method, path, state in _bodyless_actions(user, admin, event):
        before = state()

        response = client_for(who).generic(method, path, body, content_type=content_type)

        assert response.status_code in (200, 204), (path, response.content)
        assert state() != before, path


def test_a_malformed_body_comes_after_the_method_auth_and_header_checks(user, user_client, admin_client, event, api_client) -> None:
    """The body of an action is read where the action reads it: a method the route does not
    allow is still 405, a missing token 401, a plain user 403, a missing Idempotency-Key its
    own 400, whatever the body."""
    malformed = {"data": "{bad", "content_type": "application/json"}

    assert admin_client.generic("PUT", f"/admin/events/{event.id}", **malformed).status_code == 405
    assert api_client.generic("POST", f"/events/{event.id}", **malformed).status_code == 405
    assert api_client.generic("POST", f"/admin/events/{event.id}/deactivate", **malformed).status_code == 401
    assert user_client.generic("POST", f"/admin/events/{event.id}/deactivate", **malformed).status_code == 403
    missing_key = user_client.generic("POST", f"/events/{event.id}/book", **malformed)
    assert missing_key.json()["detail"] == "Idempotency-Key header is required"


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="2/m")
def test_a_malformed_login_still_counts_against_the_login_limit(api_client) -> None:
    answers = [
        api_client.generic("POST", "/auth/login", "{bad", content_type="application/json").status_code
        for _ in range(3)
    ]

    assert answers == [400, 400, 429]
