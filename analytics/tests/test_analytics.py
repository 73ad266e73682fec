import json
from datetime import datetime, timedelta, timezone

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as dj_timezone

from accounts.tests.factories import UserFactory
from evently import cache as analytics_cache
from analytics.selectors import analytics_summary
from bookings.models import Booking, Ticket
from bookings.tickets import ticket_check_in, ticket_undo_check_in
from bookings.services import BookingRequest, booking_cancel, booking_create
from events.models import Event
from events.services import event_update
from events.tests.dates import future_year
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# The summary's "now", with the dataset's events a month after it: ahead of the real clock,
# so they can still be booked whenever the suite runs.
NOW = datetime(future_year(), 6, 10, 12, 0, tzinfo=timezone.utc)


def book(user, event, qty=1, waitlist=False, key=None):
    return booking_create(
        user=user, event_id=event.id, request=BookingRequest(qty=qty, waitlist=waitlist),
        idempotency_key=key or f"{user.id}-{event.id}-{qty}-{waitlist}-{dj_timezone.now().timestamp()}",
    ).booking


@pytest.fixture
def dataset():
    """3 events (one inactive), confirmed, waitlisted and cancelled bookings on known days."""
    start = NOW + timedelta(days=30)
    rock = EventFactory(name="Rock", venue="Arena", capacity=10, start_time=start, end_time=start + timedelta(hours=3))
    jazz = EventFactory(name="Jazz", venue="arena", capacity=4, start_time=start - timedelta(days=1), end_time=start)
    opera = EventFactory(name="Opera", venue="Opera House", capacity=5, start_time=start + timedelta(days=1), end_time=start + timedelta(days=2))
    ann, bob, cy = UserFactory(), UserFactory(), UserFactory()
    a1 = book(ann, rock, 3)
    book(bob, rock, 2)
    book(ann, jazz, 4)
    waiting = book(cy, jazz, 2, waitlist=True)
    cancelled = book(cy, rock, 1)
    booking_cancel(booking_id=cancelled.id, actor=cy)
    Event.objects.filter(pk=opera.pk).update(status=Event.Status.INACTIVE)
    # Put the bookings on known days: two 2 days ago, the rest today; the cancellation yesterday.
    Booking.objects.update(created_at=NOW - timedelta(hours=1))
    Booking.objects.filter(pk__in=[a1.id, waiting.id]).update(created_at=NOW - timedelta(days=2))
    Booking.objects.filter(pk=cancelled.pk).update(cancelled_at=NOW - timedelta(days=1))
    Booking.objects.filter(pk=a1.pk).update(created_at=NOW - timedelta(days=9))  # outside the window
    return {"rock": rock, "jazz": jazz, "opera": opera, "users": (ann, bob, cy)}


def test_summary_figures_on_a_known_dataset(dataset) -> None:
    summary = analytics_summary(now=NOW)
    rock, jazz, opera = dataset["rock"], dataset["jazz"], dataset["opera"]

    assert summary["generated_at"] == f"{NOW.year}-06-10T12:00:00Z"
    assert summary["totals"] == {
        "events": 3, "active_events": 2, "capacity": 19, "booked": 9,
        "utilization_pct": 47.37, "waitlisted": 1, "cancelled": 1, "checked_in": 0,
    }
    assert [e["id"] for e in summary["events"]] == [jazz.id, rock.id, opera.id]
    assert summary["events"][0] == {
        "id": jazz.id, "name": "Jazz", "venue": "arena",
        "start_time": jazz.start_time.isoformat().replace("+00:00", "Z"),
        "end_time": jazz.end_time.isoformat().replace("+00:00", "Z"),
        "capacity": 4, "booked_count": 4, "utilization_pct": 100.0, "status": "active", "waitlisted_count": 1,
        "checked_in_count": 0,
    }
    assert [e["id"] for e in summary["top_events"]] == [rock.id, jazz.id, opera.id]
    series = summary["timeseries_7d"]
    assert [d["date"] for d in series["bookings"]] == [f"{NOW.year}-06-{day:02d}" for day in range(4, 11)]
    assert [d["count"] for d in series["bookings"]] == [0, 0, 0, 0, 1, 0, 3]
    assert [d["count"] for d in series["cancellations"]] == [0, 0, 0, 0, 0, 1, 0]


def test_checked_in_totals_and_per_event_counts(dataset) -> None:
    rock, jazz = dataset["rock"], dataset["jazz"]
    ann = dataset["users"][0]
    rock_codes = list(Ticket.objects.filter(event=rock).exclude(status="void").values_list("code", flat=True))
    jazz_code = Ticket.objects.filter(event=jazz).values_list("code", flat=True).first()
    for code in rock_codes[:3]:
        ticket_check_in(event_id=rock.id, code=code, actor=ann)
    ticket_check_in(event_id=jazz.id, code=jazz_code, actor=ann)
    ticket_undo_check_in(event_id=rock.id, code=rock_codes[0], actor=ann)
    # A checked-in ticket whose booking is then cancelled is void: no longer counted.
    cancelled_holder = Ticket.objects.get(code=rock_codes[1]).booking
    booking_cancel(booking_id=cancelled_holder.id, actor=cancelled_holder.user)
    admitted = Ticket.objects.filter(event=rock, status="checked_in").count()

    summary = analytics_summary(now=NOW)

    assert summary["totals"]["checked_in"] == admitted + 1
    rows = {row["id"]: row["checked_in_count"] for row in summary["events"]}
    assert rows == {rock.id: admitted, jazz.id: 1, dataset["opera"].id: 0}
    assert {row["id"]: row["checked_in_count"] for row in summary["top_events"]} == rows


def test_summary_with_no_events_is_all_zero() -> None:
    summary = analytics_summary(now=NOW)

    assert summary["totals"] == {
        "events": 0, "active_events": 0, "capacity": 0, "booked": 0,
        "utilization_pct": 0.0, "waitlisted": 0, "cancelled": 0, "checked_in": 0,
    }
    assert summary["events"] == summary["top_events"] == []
    assert all(d["count"] == 0 for d in summary["timeseries_7d"]["bookings"])


def test_event_rows_are_capped_at_100_and_top_events_at_5() -> None:
    for n in range(105):
        EventFactory(capacity=10, booked_count=n % 10)

    summary = analytics_summary()

    assert len(summary["events"]) == 100
    assert len(summary["top_events"]) == 5
    assert [e["booked_count"] for e in summary["top_events"]] == [9] * 5


def test_summary_takes_a_fixed_number_of_queries(dataset) -> None:
    with CaptureQueriesContext(connection) as small:
        analytics_summary()
    for _ in range(20):
        book(UserFactory(), EventFactory(capacity=3), 2)
    with CaptureQueriesContext(connection) as large:
        analytics_summary()

    assert len(small) == len(large) <= 7  # 7th: totals.checked_in (issue 13)


def test_homepage_stats(api_client, dataset) -> None:
    response = api_client.get("/stats/homepage")

    assert response.status_code == 200
    # customers: ann (rock, jazz) and bob (rock); cy is waitlisted or cancelled only.
    # cities: "Arena" and "arena" are one, plus "Opera House".
    assert response.json() == {"total_events": 3, "total_tickets_sold": 9, "total_customers": 2, "cities_covered": 2}


def test_cities_covered_folds_case_beyond_ascii(api_client, db) -> None:
    """"distinct venues (case-insensitive)", the same on both databases: SQLite's LOWER()
    folds ASCII only, so ÄRENA and ärena counted twice there."""
    for venue in ("Ärena Süd", "ÄRENA SÜD", "ärena süd", "Σοφία", "ΣΟΦΊΑ", "Straße 1", "STRASSE 1"):
        EventFactory(venue=venue)

    assert api_client.get("/stats/homepage").json()["cities_covered"] == 3


def test_summary_body_has_the_contract_shape_and_types(admin_client, dataset) -> None:
    body = json.loads(admin_client.get("/admin/analytics/summary").content)

    assert list(body) == ["generated_at", "totals", "events", "top_events", "timeseries_7d"]
    assert body["generated_at"].endswith("Z")
    assert list(body["totals"]) == [
        "events", "active_events", "capacity", "booked", "utilization_pct", "waitlisted", "cancelled",
        "checked_in",
    ]
    assert type(body["totals"]["utilization_pct"]) is float
    row_keys = ["id", "name", "venue", "start_time", "end_time", "capacity", "booked_count",
                "utilization_pct", "status", "waitlisted_count", "checked_in_count"]
    for row in body["events"] + body["top_events"]:
        assert list(row) == row_keys
        assert row["start_time"].endswith("Z") and row["end_time"].endswith("Z")
        assert type(row["utilization_pct"]) is float and type(row["id"]) is int
    for series in ("bookings", "cancellations"):
        days = body["timeseries_7d"][series]
        assert len(days) == 7 and all(list(d) == ["date", "count"] and len(d["date"]) == 10 for d in days)


def test_summary_endpoint_caches_with_x_cache_and_refresh(admin_client, dataset) -> None:
    first = admin_client.get("/admin/analytics/summary")
    second = admin_client.get("/admin/analytics/summary")
    refreshed = admin_client.get("/admin/analytics/summary", {"refresh": "1"})
    after = admin_client.get("/admin/analytics/summary")
    also = admin_client.get("/admin/analytics/summary", {"refresh": "true"})

    assert (first["X-Cache"], second["X-Cache"], refreshed["X-Cache"], after["X-Cache"], also["X-Cache"]) == ("MISS", "HIT", "MISS", "HIT", "MISS")
    assert second.json() == first.json()
    assert after.json() == refreshed.json()
    assert refreshed.json()["generated_at"] >= first.json()["generated_at"]
    assert admin_client.get("/admin/analytics/summary", {"refresh": "sometimes"}).status_code == 422


def test_a_cached_summary_is_stale_until_invalidated_then_fresh(admin_client, user) -> None:
    event = EventFactory(capacity=5)
    admin_client.get("/admin/analytics/summary")
    Event.objects.filter(pk=event.pk).update(booked_count=5)  # behind the services' back

    assert admin_client.get("/admin/analytics/summary").json()["totals"]["booked"] == 0
    analytics_cache.invalidate(analytics_cache.ANALYTICS)
    assert admin_client.get("/admin/analytics/summary").json()["totals"]["booked"] == 5


def _change_and_expect_miss(admin_client, change, django_capture_on_commit_callbacks) -> None:
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] in ("MISS", "HIT")
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        change()
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "MISS"
    assert admin_client.get("/stats/homepage")["X-Cache"] == "MISS"


CHANGES = {
    "booking": lambda ctx: book(ctx["user"], ctx["event"], 1),
    "cancellation": lambda ctx: booking_cancel(booking_id=ctx["held"].id, actor=ctx["holder"]),
    "promotion": lambda ctx: event_update(event_id=ctx["full"].id, capacity=3),
    "event create": lambda ctx: ctx["client"].post("/admin/events", {"name": "N", "venue": "V", "start_time": "2031-01-01T10:00:00Z", "end_time": "2031-01-01T11:00:00Z", "capacity": 3}, format="json"),
    "event update": lambda ctx: ctx["client"].patch(f"/admin/events/{ctx['event'].id}", {"name": "Renamed"}, format="json"),
    "event delete": lambda ctx: ctx["client"].delete(f"/admin/events/{ctx['spare'].id}"),
    "role change": lambda ctx: ctx["client"].patch(f"/admin/users/{ctx['user'].id}/role", {"role": "admin"}, format="json"),
    "check-in": lambda ctx: ctx["client"].post(f"/admin/events/{ctx['event'].id}/checkin", {"code": ctx["codes"][0]}, format="json"),
    "check-in undo": lambda ctx: ctx["client"].delete(f"/admin/events/{ctx['event'].id}/checkin/{ctx['codes'][1]}"),
}


@pytest.fixture
def change_context(admin_client):
    holder, user = UserFactory(), UserFactory()
    event, full, spare = EventFactory(capacity=5), EventFactory(capacity=1), EventFactory()
    held = book(holder, event, 2)
    book(holder, full, 1)
    book(user, full, 1, waitlist=True)
    codes = list(Ticket.objects.filter(booking=held).order_by("id").values_list("code", flat=True))
    ticket_check_in(event_id=event.id, code=codes[1], actor=holder)
    return {"client": admin_client, "user": user, "holder": holder, "event": event, "full": full, "spare": spare, "held": held, "codes": codes}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_kind_of_change_invalidates_after_commit(admin_client, change_context, change, django_capture_on_commit_callbacks) -> None:
    _change_and_expect_miss(admin_client, lambda: CHANGES[change](change_context), django_capture_on_commit_callbacks)


@pytest.mark.redis
@pytest.mark.parametrize("change", list(CHANGES))
def test_every_kind_of_change_invalidates_on_real_redis(real_redis, admin_client, change_context, change, django_capture_on_commit_callbacks) -> None:
    _change_and_expect_miss(admin_client, lambda: CHANGES[change](change_context), django_capture_on_commit_callbacks)


def test_invalidation_waits_for_commit(admin_client, user, event, django_capture_on_commit_callbacks) -> None:
    admin_client.get("/admin/analytics/summary")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book(user, event, 1)

    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"  # not yet committed
    for callback in callbacks:
        callback()
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "MISS"


@pytest.mark.redis
def test_invalidation_is_seen_by_another_process_sharing_redis(real_redis, admin_client, user, event, monkeypatch) -> None:
    """Two cache clients stand for two API processes: one caches, the other invalidates."""
    other_process = caches.create_connection("default")
    assert other_process is not caches["default"]
    admin_client.get("/admin/analytics/summary")
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"

    monkeypatch.setattr(analytics_cache, "cache", other_process)
    analytics_cache.invalidate(analytics_cache.ANALYTICS)
    monkeypatch.undo()

    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "MISS"


@pytest.mark.redis
def test_ttl_expiry_recomputes(real_redis, admin_client) -> None:
    """A cached body lives ANALYTICS_CACHE_TTL seconds, then is computed again. The hit is
    shown under the default TTL and the expiry on a body stored again for 1 second, waiting
    for Redis to drop it: with a 1-second TTL throughout, the hit depended on two requests
    being less than a second apart, which a loaded machine does not promise."""
    from django.core.cache import cache

    from bookings.tests.concurrency.threads import wait_until

    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "MISS"
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"
    with override_settings(ANALYTICS_CACHE_TTL=1):
        first = admin_client.get("/admin/analytics/summary", {"refresh": "1"})  # stored for 1 s
    [key] = cache.keys("analytics:summary:*")

    wait_until(lambda: cache.get(key) is None, what="Redis to drop the entry after its TTL")
    expired = admin_client.get("/admin/analytics/summary")

    assert first["X-Cache"] == "MISS"
    assert expired["X-Cache"] == "MISS"
    assert expired.json()["generated_at"] > first.json()["generated_at"]


def test_cache_outage_still_answers_200(admin_client, api_client, user, event) -> None:
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    with override_settings(CACHES=dead):
        summary = admin_client.get("/admin/analytics/summary")
        homepage = api_client.get("/stats/homepage")
        booked = book(user, event, 1)

    assert summary.status_code == homepage.status_code == 200
    assert summary["X-Cache"] == "MISS"
    assert booked.status == "CONFIRMED"


def test_homepage_is_public_and_summary_is_admin_only(api_client, user_client) -> None:
    assert api_client.get("/stats/homepage").status_code == 200
    assert api_client.get("/admin/analytics/summary").status_code == 401
    assert user_client.get("/admin/analytics/summary").status_code == 403


class UnreachableCache:
    """Answers as django-redis does (IGNORE_EXCEPTIONS) while Redis is away."""

    def incr(self, *args, **kwargs):
        return None

    add = get = set = incr

    def get_many(self, *args, **kwargs):
        return {}


@pytest.mark.redis
def test_an_invalidation_lost_in_an_outage_is_delivered_when_the_cache_returns(real_redis, admin_client, monkeypatch) -> None:
    admin_client.get("/admin/analytics/summary")
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"

    monkeypatch.setattr(analytics_cache, "cache", UnreachableCache())
    analytics_cache.invalidate(analytics_cache.ANALYTICS)  # a change committed while Redis is away
    during = admin_client.get("/admin/analytics/summary")
    monkeypatch.undo()  # Redis is back, with the body cached before the change

    after = admin_client.get("/admin/analytics/summary")
    again = admin_client.get("/admin/analytics/summary")

    assert during.status_code == 200
    assert (during["X-Cache"], after["X-Cache"], again["X-Cache"]) == ("MISS", "MISS", "HIT")
    assert not analytics_cache.has_undelivered_invalidation(analytics_cache.ANALYTICS)


@pytest.mark.redis
def test_an_owed_invalidation_is_retried_in_the_background(real_redis, monkeypatch) -> None:
    """Other processes sharing the cache must not wait for this one's next request."""
    import time as _time

    monkeypatch.setattr(analytics_cache, "RETRY_SECONDS", 0.1)
    before = analytics_cache.current_generation(analytics_cache.ANALYTICS)
    monkeypatch.setattr(analytics_cache, "cache", UnreachableCache())
    analytics_cache.invalidate(analytics_cache.ANALYTICS)
    monkeypatch.undo()
    monkeypatch.setattr(analytics_cache, "RETRY_SECONDS", 0.1)

    deadline = _time.monotonic() + 5
    while analytics_cache.has_undelivered_invalidation(analytics_cache.ANALYTICS) and _time.monotonic() < deadline:
        _time.sleep(0.05)

    assert not analytics_cache.has_undelivered_invalidation(analytics_cache.ANALYTICS)
    assert analytics_cache.current_generation(analytics_cache.ANALYTICS) == before + 1


class CacheBackAfter:
    """Unreachable for the first `misses` calls (as django-redis answers then), then the real
    cache: Redis returning while a process is about to exit."""

    def __init__(self, misses: int) -> None:
        self.misses = misses

    def __getattr__(self, name):
        from django.core.cache import cache as real

        if self.misses > 0:
            self.misses -= 1
            return {"get_many": lambda *a, **k: {}}.get(name, lambda *a, **k: None)
        return getattr(real, name)


def test_a_process_exiting_with_an_owed_invalidation_delivers_it_first(monkeypatch) -> None:
    """A manage.py command that changed data while the cache was away: the background retry
    dies with the process, so the exit hook keeps trying (other processes would otherwise
    serve pages from before the change until they expire)."""
    before = analytics_cache.current_generation(analytics_cache.CATALOGUE)
    monkeypatch.setattr(analytics_cache, "RETRY_SECONDS", 0.05)
    monkeypatch.setattr(analytics_cache, "_schedule_retry", lambda: None)  # as if the process were ending
    monkeypatch.setattr(analytics_cache, "cache", CacheBackAfter(misses=3))
    analytics_cache.invalidate(analytics_cache.CATALOGUE)
    assert analytics_cache.has_undelivered_invalidation(analytics_cache.CATALOGUE)

    assert analytics_cache.deliver_before_exit(timeout=2) is True

    monkeypatch.undo()
    assert not analytics_cache.has_undelivered_invalidation(analytics_cache.CATALOGUE)
    assert analytics_cache.current_generation(analytics_cache.CATALOGUE) == before + 1


def test_a_process_that_cannot_deliver_before_exit_says_so(monkeypatch, caplog) -> None:
    monkeypatch.setattr(analytics_cache, "RETRY_SECONDS", 0.05)
    monkeypatch.setattr(analytics_cache, "_schedule_retry", lambda: None)
    monkeypatch.setattr(analytics_cache, "cache", UnreachableCache())
    analytics_cache.invalidate(analytics_cache.CATALOGUE)

    assert analytics_cache.deliver_before_exit(timeout=0.2) is False
    assert "could not be told of this process's changes (catalogue)" in caplog.text
    monkeypatch.undo()
    analytics_cache.retry_undelivered_invalidations()  # leave nothing owed for other tests
    assert not analytics_cache.has_undelivered_invalidation(analytics_cache.CATALOGUE)


def test_the_exit_hook_runs_in_a_real_process_when_redis_is_away(tmp_path) -> None:
    """atexit, end to end: a process whose Redis is unreachable says so as it ends."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from evently import cache; "
        "cache.EXIT_RETRY_SECONDS = 0.3; cache.invalidate(cache.CATALOGUE); print('changed')"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "evently.settings", "EVENTLY_ENV_FILE": "",
        "JWT_SECRET": "exit-hook-test-0123456789abcdef0123456789", "REDIS_URL": "redis://127.0.0.1:1/0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=60,
    )

    assert out.returncode == 0 and "changed" in out.stdout, out.stderr[-2000:]
    assert "could not be told of this process's changes (catalogue)" in out.stderr


def test_a_catalogue_bump_alone_makes_analytics_bodies_stale(admin_client, api_client) -> None:
    """Analytics bodies are keyed by the catalogue's generation too (evently/cache.py
    DEPENDS_ON): bookings and event changes bump only the catalogue."""
    admin_client.get("/admin/analytics/summary")
    api_client.get("/stats/homepage")
    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "HIT"
    assert api_client.get("/stats/homepage")["X-Cache"] == "HIT"

    analytics_cache.invalidate(analytics_cache.CATALOGUE)

    assert admin_client.get("/admin/analytics/summary")["X-Cache"] == "MISS"
    assert api_client.get("/stats/homepage")["X-Cache"] == "MISS"


def test_an_owed_catalogue_invalidation_keeps_analytics_from_serving_its_old_body(admin_client, monkeypatch) -> None:
    event = EventFactory(capacity=5)
    admin_client.get("/admin/analytics/summary")
    Event.objects.filter(pk=event.pk).update(booked_count=5)  # the change the lost bump was for

    monkeypatch.setattr(analytics_cache, "cache", UnreachableCache())
    analytics_cache.invalidate(analytics_cache.CATALOGUE)  # lost: the cache is away
    assert analytics_cache.has_undelivered_invalidation(analytics_cache.CATALOGUE)
    during = admin_client.get("/admin/analytics/summary")
    monkeypatch.undo()  # the cache is back, with the body cached before the change
    after = admin_client.get("/admin/analytics/summary")

    assert (during["X-Cache"], during.json()["totals"]["booked"]) == ("MISS", 5)
    assert (after["X-Cache"], after.json()["totals"]["booked"]) == ("MISS", 5)
    assert not analytics_cache.has_undelivered_invalidation(analytics_cache.CATALOGUE)
