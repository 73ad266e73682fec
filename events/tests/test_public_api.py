from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from events.seating import row_index, row_label
from events.tests.dates import future_year
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

YEAR = future_year()  # events to come, so on sale whenever the suite runs
T0 = datetime(YEAR, 3, 1, 19, 0, tzinfo=timezone.utc)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_event_body_has_the_contract_shape(api_client) -> None:
    event = EventFactory(capacity=3, booked_count=2, waitlisted_count=1, start_time=T0, end_time=at(0.1))

    body = api_client.get(f"/events/{event.id}").json()

    assert body == {
        "id": event.id, "name": event.name, "venue": event.venue,
        "start_time": f"{YEAR}-03-01T19:00:00Z", "end_time": f"{YEAR}-03-01T21:24:00Z",
        "capacity": 3, "booked_count": 2, "status": "active", "waitlisted_count": 1,
        "available": 1, "utilization_pct": 66.67, "timezone": "UTC", "sale_state": "on_sale",
    }


def test_unknown_event_is_404(api_client) -> None:
    response = api_client.get("/events/987654321")

    assert response.status_code == 404
    assert response.json() == {"detail": "Event not found"}


def test_list_defaults_page_1_size_10_sorted_by_start_time(api_client) -> None:
    events = [EventFactory(start_time=at(d), end_time=at(d + 1)) for d in (3, 1, 2)]

    response = api_client.get("/events")

    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"page": 1, "page_size": 10, "total": 3}
    assert ids(response) == [events[1].id, events[2].id, events[0].id]


def test_pagination_and_past_the_end(api_client) -> None:
    events = [EventFactory(start_time=at(d), end_time=at(d + 1)) for d in range(5)]

    page2 = api_client.get("/events", {"page": 2, "page_size": 2})
    past = api_client.get("/events", {"page": 9, "page_size": 2})

    assert ids(page2) == [events[2].id, events[3].id]
    assert page2.json()["meta"] == {"page": 2, "page_size": 2, "total": 5}
    assert past.status_code == 200
    assert past.json()["items"] == []
    assert past.json()["meta"]["total"] == 5
    # However far past the end (API.md), as long as a database offset can name the page.
    far = api_client.get("/events", {"page": 1_000_001, "page_size": 100})
    assert (far.status_code, far.json()["items"]) == (200, [])
    assert api_client.get("/events", {"page": 2**63}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0}, {"page": -1}, {"page": "x"}, {"page_size": 0}, {"page_size": 101},
        {"status": "deleted"}, {"sort": "price"}, {"order": "up"}, {"date_from": "tomorrow"},
        {"date_to": "2031-13-45"}, {"page_size": "1.5"},
        # Python's int() takes these; a query integer is ASCII digits with an optional sign.
        {"page": "\u0662"}, {"page_size": "\uff11\uff10"}, {"page": "2.0"}, {"page": " 2"}, {"page_size": "1_0"},
        # Django's date parser reads other scripts' digits too; ISO 8601 is ASCII digits.
        {"date_from": "\uff12031-03-01"}, {"date_to": "\u0662\u0660\u0663\u0661-03-01T19:00:00Z"},
        # Valid ISO 8601, but outside what UTC (the database's comparison) can represent
        # (test_out_of_range_date_bounds_say_so checks the message).
        {"date_from": "0001-01-01T00:00:00+14:00"}, {"date_to": "9999-12-31T23:59:59-14:00"},
        {"page": 0, "status": "deleted", "sort": "price", "page_size": 500},  # all named at once
    ],
)
def test_invalid_query_parameters_are_422(api_client, params: dict) -> None:
    response = api_client.get("/events", params)

    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == set(params)
    assert isinstance(body["detail"], str)


def test_out_of_range_date_bounds_say_so(api_client) -> None:
    for params in ({"date_to": "9999-12-31T23:59:59-14:00"}, {"date_from": "0001-01-01T00:00:00+14:00"}):
        response = api_client.get("/events", params)

        assert response.json()["errors"] == {
            next(iter(params)): ["Out of range: must fall within years 1 to 9999 in UTC."]
        }, params
    assert api_client.get("/events", {"date_to": "tomorrow"}).json()["errors"]["date_to"] == [
        "Must be an ISO 8601 date or datetime."
    ]


def test_date_to_the_last_day_of_year_9999_includes_that_whole_day(api_client) -> None:
    last_day = EventFactory(
        start_time=datetime(9999, 12, 31, 23, 59, 59, 999998, tzinfo=timezone.utc),  # its last moment
        end_time=datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
    )
    day_before = EventFactory(
        start_time=datetime(9999, 12, 30, 12, tzinfo=timezone.utc),
        end_time=datetime(9999, 12, 30, 13, tzinfo=timezone.utc),
    )

    response = api_client.get("/events", {"date_to": "9999-12-31", "date_from": "9999-12-31"})
    up_to_the_day_before = api_client.get("/events", {"date_to": "9999-12-30", "date_from": "9999-12-30"})

    assert response.status_code == 200
    assert ids(response) == [last_day.id]
    assert ids(up_to_the_day_before) == [day_before.id]


def test_q_is_a_case_insensitive_substring_of_name_or_venue(api_client) -> None:
    by_name = EventFactory(name="Jazz Night", venue="Blue Room")
    by_venue = EventFactory(name="Quartet", venue="The JAZZ Cellar")
    EventFactory(name="Rock", venue="Arena")

    response = api_client.get("/events", {"q": "jazz"})

    assert set(ids(response)) == {by_name.id, by_venue.id}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("MÜNCHEN", {"München Halle", "Olympiahalle"}),  # name and venue
        ("münchen", {"München Halle", "Olympiahalle"}),
        ("strasse", {"Straßenfest"}),  # full folding: ß is ss
        ("STRASSE", {"Straßenfest"}),
        ("STRAẞE", {"Straßenfest"}),  # the capital sharp s folds like ß
        ("große", {"GROẞE NACHT"}),
        ("GROSSE", {"GROẞE NACHT"}),
        ("Große", {"GROẞE NACHT"}),
        ("GROẞE", {"GROẞE NACHT"}),
        ("οδυσσ", {"Οδυσσέας Live"}),  # a needle ending in σ is not a final ς
        ("ΟΔΥΣ", {"Οδυσσέας Live"}),
        ("ΟΔΥΣΣΈΑΣ", {"Οδυσσέας Live"}),
        ("ΣΟΦΙΑ", set()),  # accents are not folded: Σοφία has ί
        ("ΣΟΦΊΑ", {"Σοφία"}),
        ("ÉTÉ", {"Été indien"}),
        ("100%", set()),  # LIKE wildcards are literal
        ("_", {"Quiz_night"}),
    ],
)
def test_q_folds_unicode_case_identically_on_every_database(api_client, q: str, expected: set) -> None:
    """API.md: `q` compares with Unicode case folding on every database (SQLite's LOWER
    only folds ASCII; PostgreSQL's depends on the locale)."""
    for name, venue in [("München Halle", "Hall"), ("Olympiahalle", "MÜNCHEN Arena"),
                        ("Straßenfest", "Park"), ("Σοφία", "Odeon"), ("Été indien", "Quai"),
                        ("Quiz_night", "Pub"), ("GROẞE NACHT", "Club"), ("Οδυσσέας Live", "Odeon 2"),
                        ("Unrelated", "Nowhere")]:
        EventFactory(name=name, venue=venue)

    response = api_client.get("/events", {"q": q, "page_size": 100})

    assert response.status_code == 200
    assert {item["name"] for item in response.json()["items"]} == expected


@pytest.mark.parametrize("param", ["q", "venue"])
def test_q_and_venue_up_to_1000_characters_are_valid_filters(api_client, param: str) -> None:
    EventFactory(name="x" * 200, venue="x" * 200)

    at_limit = api_client.get("/events", {param: "x" * 1000})
    over = api_client.get("/events", {param: "x" * 1001})

    assert at_limit.status_code == 200
    assert at_limit.json()["items"] == [] and at_limit.json()["meta"]["total"] == 0
    assert over.status_code == 422
    assert list(over.json()["errors"]) == [param]


def test_venue_is_an_exact_match(api_client) -> None:
    hall = EventFactory(venue="Hall")
    EventFactory(venue="Hall 2")

    assert ids(api_client.get("/events", {"venue": "Hall"})) == [hall.id]


def test_status_filter_and_default_both(api_client) -> None:
    active = EventFactory()
    inactive = EventFactory(status=Event.Status.INACTIVE)

    assert ids(api_client.get("/events", {"status": "inactive"})) == [inactive.id]
    assert ids(api_client.get("/events", {"status": "active"})) == [active.id]
    assert set(ids(api_client.get("/events"))) == {active.id, inactive.id}


def test_date_bounds_are_inclusive(api_client) -> None:
    before, first, last, after = (EventFactory(start_time=at(d), end_time=at(d + 0.1)) for d in (0, 1, 2, 3))

    response = api_client.get(
        "/events", {"date_from": at(1).isoformat(), "date_to": at(2).isoformat()}
    )

    assert ids(response) == [first.id, last.id]


def test_date_only_upper_bound_includes_the_whole_day(api_client) -> None:
    late = EventFactory(start_time=datetime(YEAR, 3, 2, 23, 30, tzinfo=timezone.utc), end_time=at(5))
    EventFactory(start_time=datetime(YEAR, 3, 3, 0, 0, tzinfo=timezone.utc), end_time=at(5))

    response = api_client.get("/events", {"date_from": f"{YEAR}-03-02", "date_to": f"{YEAR}-03-02"})

    assert ids(response) == [late.id]


def test_dates_without_zone_are_utc_and_offsets_are_honoured(api_client) -> None:
    event = EventFactory(start_time=T0, end_time=at(1))

    naive = api_client.get("/events", {"date_from": f"{YEAR}-03-01T19:00:00"})
    offset = api_client.get("/events", {"date_from": f"{YEAR}-03-01T20:00:00+01:00"})
    later = api_client.get("/events", {"date_from": f"{YEAR}-03-01T19:00:01Z"})

    assert ids(naive) == ids(offset) == [event.id]
    assert ids(later) == []


def test_sort_by_name_desc(api_client) -> None:
    b, a, c = EventFactory(name="B"), EventFactory(name="A"), EventFactory(name="C")

    assert ids(api_client.get("/events", {"sort": "name", "order": "desc"})) == [c.id, b.id, a.id]


def test_sort_by_name_ignores_case_and_breaks_ties_by_id(api_client) -> None:
    beta, alpha_lower, zeta, alpha_upper, alpha_twin = (
        EventFactory(name="Beta"), EventFactory(name="alpha"), EventFactory(name="zeta"),
        EventFactory(name="Alpha"), EventFactory(name="alpha"),
    )

    ascending = ids(api_client.get("/events", {"sort": "name", "page_size": 10}))
    descending = ids(api_client.get("/events", {"sort": "name", "order": "desc", "page_size": 10}))

    assert ascending == [alpha_lower.id, alpha_upper.id, alpha_twin.id, beta.id, zeta.id]
    assert descending == ascending[::-1]


def test_sort_by_utilization_breaks_ties_by_id_so_pages_never_overlap(api_client) -> None:
    half = [EventFactory(capacity=4, booked_count=2) for _ in range(3)]
    full = EventFactory(capacity=2, booked_count=2)
    empty = EventFactory(capacity=100, booked_count=0)
    tenth = EventFactory(capacity=10, booked_count=1)

    asc = ids(api_client.get("/events", {"sort": "utilization"}))
    pages = [ids(api_client.get("/events", {"sort": "utilization", "order": "desc", "page": p, "page_size": 2})) for p in (1, 2, 3)]

    assert asc == [empty.id, tenth.id, *[e.id for e in half], full.id]
    flat = [i for page in pages for i in page]
    assert flat == [full.id, *sorted((e.id for e in half), reverse=True), tenth.id, empty.id]
    assert len(set(flat)) == 6


def test_list_costs_a_constant_number_of_queries(api_client) -> None:
    for _ in range(3):
        EventFactory()
    with CaptureQueriesContext(connection) as few:
        api_client.get("/events", {"page_size": 100})
    for _ in range(30):
        EventFactory(waitlisted_count=2)
    with CaptureQueriesContext(connection) as many:
        response = api_client.get("/events", {"page_size": 100, "sort": "utilization"})

    assert len(response.json()["items"]) == 33
    assert len(few) == len(many) == 3  # next end (how long the page stays true), count, page


# --- seats -------------------------------------------------------------------------------


def test_row_labels_run_a_to_z_then_aa() -> None:
    assert [row_label(i) for i in (0, 1, 25, 26, 27, 51, 52, 701)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ"]
    assert all(row_index(row_label(i)) == i for i in range(800))


def test_seats_of_an_event_without_a_map_is_an_empty_list(api_client, event) -> None:
    response = api_client.get(f"/events/{event.id}/seats")

    assert response.status_code == 200
    assert response.json() == []


def test_seats_of_an_unknown_event_is_404(api_client) -> None:
    assert api_client.get("/events/424242/seats").status_code == 404


def test_seats_are_in_natural_order_across_z_to_aa_and_9_to_10(api_client, admin_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 28, "cols": 11}, format="json")

    seats = api_client.get(f"/events/{event.id}/seats").json()

    labels = [s["label"] for s in seats]
    assert labels[:11] == [f"A-{n}" for n in range(1, 12)]
    assert labels.index("Z-1") < labels.index("AA-1") < labels.index("AB-1")
    assert labels.index("B-11") < labels.index("AA-1")
    assert labels[-1] == "AB-11"
    assert seats[0] == {"id": seats[0]["id"], "event_id": event.id, "label": "A-1", "row_label": "A", "col_number": 1, "reserved": False}


def test_available_true_lists_only_free_seats(api_client, user_client, admin_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 1, "cols": 3}, format="json")
    user_client.post(f"/events/{event.id}/book", {"seat_ids": ["A-2"]}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    free = api_client.get(f"/events/{event.id}/seats", {"available": "true"}).json()
    every = api_client.get(f"/events/{event.id}/seats").json()

    assert [s["label"] for s in free] == ["A-1", "A-3"]
    assert [s["reserved"] for s in every] == [False, True, False]
    assert api_client.get(f"/events/{event.id}/seats", {"available": "maybe"}).status_code == 422


def test_query_integers_are_ascii_digits_with_a_sign(api_client) -> None:
    # A sign still reaches the range check, which says what is wrong; another script's digit
    # ("٢", which int() reads as 2) is not an integer here.
    assert api_client.get("/events", {"page": "-1"}).json()["errors"] == {
        "page": ["Ensure this value is greater than or equal to 1."]
    }
    assert api_client.get("/events", {"page": "\u0662"}).json()["errors"] == {"page": ["A valid integer is required."]}
    assert api_client.get("/events", {"page": "+1", "page_size": "02"}).json()["meta"]["page_size"] == 2
