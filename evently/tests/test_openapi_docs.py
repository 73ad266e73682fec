"""The API docs as people meet them in /docs: every operation has a summary and a description
written for API users (never a view's docstring), a tag declared with a description, and
request examples that succeed when sent as they are against a fresh database holding what
they reference (seeded by `seed_example_world` below)."""

from __future__ import annotations

import inspect
import json
from datetime import datetime, timezone as dt_timezone
from typing import Any
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import User
from bookings import services as booking_services
from bookings import tickets as ticket_services
from bookings.api.views import EXAMPLE_CHECKED_IN_CODE, EXAMPLE_TICKET_CODE
from bookings.models import Ticket
from conftest import token_for
from events import services as event_services
from events.tests.dates import future_year
from evently.api.schema import add_parameter_examples, drop_code_docstrings, parameter_examples
from notifications.models import Notification

METHODS = ("get", "post", "put", "patch", "delete")
BODY_TYPE = "application/json"


def generate() -> tuple[dict[str, Any], SchemaGenerator]:
    """The schema exactly as /openapi.json serves it (hooks included), and its generator."""
    generator = SchemaGenerator()
    return generator.get_schema(request=None, public=True), generator


SCHEMA, GENERATOR = generate()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in SCHEMA["paths"].items()
        for method, operation in methods.items()
        if method in METHODS
    ]


def label(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def code_docstrings() -> set[str]:
    """Every docstring of every endpoint's view class (and its bases) and handler method,
    cleaned as drf-spectacular and inspect clean them."""
    docs: set[str] = set()
    for _path, _regex, _method, callback in GENERATOR.endpoints:
        view_class = callback.cls
        handlers = list((getattr(callback, "actions", None) or {}).values()) + list(METHODS)
        for item in [*view_class.__mro__, *(getattr(view_class, name, None) for name in handlers)]:
            doc = inspect.getdoc(item) if item is not None and item is not object else None
            if doc:
                docs.add(doc.strip())
    return docs


# --- every operation is documented for people ----------------------------------------------


def test_every_operation_has_a_human_summary_and_description() -> None:
    missing = [
        label(method, path)
        for method, path, operation in operations()
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]

    assert not missing, missing


def test_no_summary_or_description_is_a_code_docstring() -> None:
    docs = code_docstrings()
    assert any("RATELIMIT_LOGIN" in doc for doc in docs)  # the login docstring this guards against

    leaking = [
        label(method, path)
        for method, path, operation in operations()
        for text in (operation.get("summary", ""), operation.get("description", ""))
        if text.strip() in docs or any(doc in text for doc in docs)
    ]

    assert not leaking, leaking


def test_summaries_are_one_line_and_distinct() -> None:
    summaries = [operation["summary"] for _method, _path, operation in operations()]

    assert all("\n" not in summary and len(summary) <= 60 for summary in summaries)
    assert len(set(summaries)) == len(summaries)


def test_every_operation_has_a_tag_declared_with_a_description() -> None:
    declared = {tag["name"]: tag.get("description", "") for tag in SCHEMA.get("tags", [])}
    used = {tag for _method, _path, operation in operations() for tag in operation.get("tags", [])}

    untagged = [label(m, p) for m, p, operation in operations() if not operation.get("tags")]
    undeclared = [
        label(m, p) for m, p, operation in operations() if not set(operation.get("tags", [])) <= set(declared)
    ]
    assert not untagged and not undeclared, (untagged, undeclared)
    assert all(description.strip() for description in declared.values())
    assert used == set(declared)  # no tag declared for nothing


def test_every_operation_with_a_body_has_a_request_example() -> None:
    without = [
        label(method, path)
        for method, path, operation in operations()
        if "requestBody" in operation
        and not operation["requestBody"]["content"].get(BODY_TYPE, {}).get("examples")
    ]

    assert not without, without


def test_every_path_parameter_has_an_example() -> None:
    without = [
        f"{label(method, path)} {parameter['name']}"
        for method, path, operation in operations()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and "example" not in parameter
    ]

    assert not without, without


def test_every_query_parameter_is_described() -> None:
    without = [
        f"{label(method, path)} {parameter['name']}"
        for method, path, operation in operations()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not parameter.get("description")
    ]

    assert not without, without


def test_the_event_list_declares_its_search_limit() -> None:
    """API.md: `q` and `venue` up to 1,000 characters; a client generated from the schema
    knows the limit the server holds it to (1,001 is a 422: test_public_api)."""
    parameters = {p["name"]: p for p in SCHEMA["paths"]["/events"]["get"]["parameters"]}

    assert parameters["q"]["schema"] == {"type": "string", "maxLength": 1000}
    assert parameters["venue"]["schema"] == {"type": "string", "maxLength": 1000}


def test_the_schema_keeps_no_internal_extension_keys() -> None:
    assert "x-evently" not in json.dumps(SCHEMA)


# --- the schema hooks -----------------------------------------------------------------------


class _Undocumented:
    """GET /things: internal notes for maintainers (RATELIMIT_THINGS)."""

    def list(self) -> None:
        """Asks the selector."""


class _Callback:
    cls = _Undocumented
    actions = {"get": "list"}


class _Generator:
    endpoints = [("/things", "^things$", "GET", _Callback)]


def test_a_docstring_falling_back_into_the_schema_is_dropped() -> None:
    result = {
        "paths": {
            "/things": {
                "get": {"description": "GET /things: internal notes for maintainers (RATELIMIT_THINGS)."},
                "post": {"description": "Asks the selector."},
                "put": {"description": "Written for API users."},
            }
        }
    }

    operations_after = drop_code_docstrings(result, _Generator(), None, True)["paths"]["/things"]

    assert "description" not in operations_after["get"]
    assert "description" not in operations_after["post"]
    assert operations_after["put"]["description"] == "Written for API users."


def test_parameter_examples_land_on_their_parameters_and_a_wrong_name_is_loud() -> None:
    operation = {
        "parameters": [
            {"in": "path", "name": "event_id", "schema": {"type": "string"}},
            {"in": "query", "name": "available", "schema": {"type": "boolean"}},
        ],
        **parameter_examples(event_id=1, available=True),
    }

    done = add_parameter_examples({"paths": {"/e": {"get": operation}}}, None, None, True)

    parameters = done["paths"]["/e"]["get"]["parameters"]
    assert [parameter["example"] for parameter in parameters] == ["1", True]
    assert not any(key.startswith("x-") for key in done["paths"]["/e"]["get"])
    with pytest.raises(ValueError, match="event"):
        add_parameter_examples({"paths": {"/e": {"get": parameter_examples(event=1)}}}, None, None, True)


# --- the examples succeed as sent -----------------------------------------------------------

PASSWORD = "correct-horse-battery"


def seed_example_world() -> dict[str, User]:
    """What the examples reference, on a fresh database (ids from 1): the admin Grace (user 1)
    and Ada (user 2, password PASSWORD); event 1 "Jazz Night" on 1 June of a year still to
    come (so it can be booked) with a 10 × 10 seat map and event 2 without seats or bookings;
    Ada's booking 1 of two seats on event 1 (its notification 1), whose tickets carry the
    examples' codes, the second one checked in."""
    grace = account_services.user_create(
        name="Grace Hopper", email="grace@example.com", password=PASSWORD, role=User.Role.ADMIN
    )
    ada = account_services.user_create(name="Ada Lovelace", email="ada@example.com", password=PASSWORD)
    year = future_year()
    jazz = event_services.event_create(
        name="Jazz Night", venue="Blue Note Berlin", capacity=100, timezone="Europe/Berlin",
        start_time=datetime(year, 6, 1, 18, 0, tzinfo=dt_timezone.utc),
        end_time=datetime(year, 6, 1, 21, 0, tzinfo=dt_timezone.utc),
    )
    event_services.seat_map_generate(event_id=jazz.pk, rows=10, cols=10)
    lecture = event_services.event_create(
        name="Spring Lecture", venue="Town Hall", capacity=50,
        start_time=datetime(year, 4, 2, 17, 0, tzinfo=dt_timezone.utc),
        end_time=datetime(year, 4, 2, 19, 0, tzinfo=dt_timezone.utc),
    )
    booking = booking_services.booking_create(
        user=ada, event_id=jazz.pk, request=booking_services.BookingRequest(qty=2), idempotency_key="seed-1"
    ).booking
    first, second = Ticket.objects.filter(booking=booking).order_by("pk")
    Ticket.objects.filter(pk=first.pk).update(code=EXAMPLE_TICKET_CODE)
    Ticket.objects.filter(pk=second.pk).update(code=EXAMPLE_CHECKED_IN_CODE)
    ticket_services.ticket_check_in(event_id=jazz.pk, code=EXAMPLE_CHECKED_IN_CODE, actor=grace)

    assert (grace.pk, ada.pk, jazz.pk, lecture.pk, booking.pk) == (1, 2, 1, 2, 1)
    assert Notification.objects.get(pk=1).user_id == ada.pk
    return {"admin": grace, "user": ada}


def example_cases() -> list[Any]:
    """One case per request body example (or one per operation without a body)."""
    cases = []
    for method, path, operation in operations():
        examples = operation.get("requestBody", {}).get("content", {}).get(BODY_TYPE, {}).get("examples", {})
        for name in examples or [None]:
            cases.append(pytest.param(method, path, name, id=f"{label(method, path)} {name or ''}".strip()))
    return cases


def _query_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _reset_token_for(user: User) -> str:
    link = account_services.password_reset_link(user=user)
    return link.split("token=", 1)[1]


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.parametrize(("method", "path", "example"), example_cases())
def test_every_request_example_succeeds_as_sent(method: str, path: str, example: str | None) -> None:
    people = seed_example_world()
    operation = SCHEMA["paths"][path][method]
    parameters = [p for p in operation.get("parameters", []) if "example" in p]
    url = path
    for parameter in (p for p in parameters if p["in"] == "path"):
        url = url.replace("{" + parameter["name"] + "}", str(parameter["example"]))
    assert "{" not in url, f"{url}: a path parameter without an example"
    query = {p["name"]: _query_value(p["example"]) for p in parameters if p["in"] == "query"}
    if query:
        url += "?" + urlencode(query)
    headers = {
        "HTTP_" + p["name"].upper().replace("-", "_"): str(p["example"]) for p in parameters if p["in"] == "header"
    }
    body = None
    if example is not None:
        body = dict(operation["requestBody"]["content"][BODY_TYPE]["examples"][example]["value"])
        if path == "/auth/password-reset/confirm":
            # The one value no example can hold: a reset token is made for one account at one
            # moment and arrives by email. Everything else is sent as documented.
            body["token"] = _reset_token_for(people["user"])
    client = APIClient()
    if operation.get("security"):
        role = "admin" if path.startswith("/admin") else "user"
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(people[role])}")

    response = client.generic(
        method.upper(), url, data=json.dumps(body) if body is not None else "",
        content_type=BODY_TYPE, **headers,
    )

    assert 200 <= response.status_code < 300, (url, body, response.status_code, response.content[:300])


def test_example_events_fall_in_next_year_so_they_stay_to_come() -> None:
    now = datetime.now(dt_timezone.utc)
    times = [
        datetime.fromisoformat(example["value"][field])
        for _method, _path, operation in operations()
        for example in operation.get("requestBody", {}).get("content", {}).get(BODY_TYPE, {}).get("examples", {}).values()
        for field in ("start_time", "end_time")
        if field in example["value"]
    ]

    assert len(times) == 4  # creating an event, and moving it
    assert {moment.year for moment in times} == {now.year + 1}
    assert all(moment > now for moment in times)
