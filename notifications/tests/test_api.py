"""GET /me/notifications and POST /me/notifications/{id}/read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import UserFactory

FIELDS = {"id", "kind", "booking_id", "event_id", "title", "body", "created_at", "read_at", "delivery"}


def test_the_list_is_newest_first_and_paged(user, user_client, notification_factory) -> None:
    now = timezone.now()
    rows = [notification_factory(user=user, created_at=now - timedelta(minutes=i)) for i in range(5)]
    notification_factory()  # someone else's

    first = user_client.get("/me/notifications?page=1&page_size=2").json()
    last = user_client.get("/me/notifications?page=3&page_size=2").json()

    assert [n["id"] for n in first["items"]] == [rows[0].id, rows[1].id]
    assert first["meta"] == {"page": 1, "page_size": 2, "total": 5}
    assert [n["id"] for n in last["items"]] == [rows[4].id]
    assert set(first["items"][0]) == FIELDS
    assert first["items"][0]["delivery"] == "pending" and first["items"][0]["read_at"] is None


def test_a_page_past_the_end_is_empty(user, user_client, notification_factory) -> None:
    notification_factory(user=user)

    body = user_client.get("/me/notifications?page=5").json()
    far = user_client.get(f"/me/notifications?page={10**18}").json()

    assert body == {"items": [], "meta": {"page": 5, "page_size": 10, "total": 1}}
    assert far == {"items": [], "meta": {"page": 10**18, "page_size": 10, "total": 1}}
    assert user_client.get(f"/me/notifications?page={2**63}").status_code == 422  # no offset names it


def test_unread_true_lists_only_unread(user, user_client, notification_factory) -> None:
    unread = notification_factory(user=user)
    notification_factory(user=user, read_at=timezone.now())

    body = user_client.get("/me/notifications?unread=true").json()

    assert [n["id"] for n in body["items"]] == [unread.id] and body["meta"]["total"] == 1
    assert user_client.get("/me/notifications?unread=false").json()["meta"]["total"] == 2


def test_bad_paging_is_422(user_client) -> None:
    for query in ("page=0", "page_size=101", "page=x", "unread=maybe"):
        response = user_client.get(f"/me/notifications?{query}")
        assert response.status_code == 422, query
        assert "detail" in response.json() and "errors" in response.json()


def test_one_422_names_every_bad_parameter(user_client) -> None:
    response = user_client.get("/me/notifications?unread=maybe&page=0&page_size=101")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unread", "page", "page_size"}


def test_reading_marks_it_read_once(user, user_client, notification_factory) -> None:
    notification = notification_factory(user=user)

    first = user_client.post(f"/me/notifications/{notification.id}/read")
    second = user_client.post(f"/me/notifications/{notification.id}/read")

    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == notification.id and first.json()["read_at"] is not None
    assert second.json()["read_at"] == first.json()["read_at"]
    assert user_client.get("/me/notifications?unread=true").json()["meta"]["total"] == 0


def test_someone_elses_notification_is_404(user_client, notification_factory) -> None:
    theirs = notification_factory(user=UserFactory())

    response = user_client.post(f"/me/notifications/{theirs.id}/read")

    assert response.status_code == 404 and response.json() == {"detail": "Notification not found"}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unknown_and_absurd_ids_are_404(user_client) -> None:
    for notification_id in ("999999", "9223372036854775807", "99999999999999999999", "0", "abc", "-1"):
        response = user_client.post(f"/me/notifications/{notification_id}/read")
        assert response.status_code == 404, notification_id
        assert "detail" in response.json()


def test_anonymous_is_401(api_client, db) -> None:
    assert api_client.get("/me/notifications").status_code == 401
    assert api_client.post("/me/notifications/1/read").status_code == 401


def test_the_list_costs_a_fixed_number_of_queries(user, user_client, notification_factory, django_assert_num_queries) -> None:
    for _ in range(8):
        notification_factory(user=user)

    # user, count, page
    with django_assert_num_queries(3):
        assert user_client.get("/me/notifications").status_code == 200


def test_a_body_sent_to_mark_read_is_ignored_unless_it_is_malformed_json(user, user_client, notification_factory) -> None:
    """DECISIONS "Body-less endpoints": a stray body is ignored, but malformed JSON is the
    contract's 400 and marks nothing read."""
    notification = notification_factory(user=user)
    path = f"/me/notifications/{notification.id}/read"

    malformed = user_client.generic("POST", path, b"garbage{", content_type="application/json")
    unread = user_client.get("/me/notifications").json()["items"][0]["read_at"]
    response = user_client.generic("POST", path, b"garbage{", content_type="text/plain")

    assert (malformed.status_code, unread) == (400, None)
    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_the_schema_declares_the_same_paging_as_get_events(api_client) -> None:
    paths = api_client.get("/openapi.json").json()["paths"]

    def paging(path: str) -> dict:
        return {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"] if p["name"] in ("page", "page_size")}

    assert paging("/me/notifications") == paging("/events")
    assert paging("/me/notifications")["page"]["minimum"] == 1
