"""Large public JSON goes compressed when the client accepts it (issue 16)."""

from __future__ import annotations

import gzip
import json

import pytest

from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_5000_seat_map_is_gzipped_for_a_client_that_accepts_it(client) -> None:
    event = EventFactory(capacity=1)
    seat_map_generate(event_id=event.id, rows=50, cols=100)

    plain = client.get(f"/events/{event.id}/seats")
    packed = client.get(f"/events/{event.id}/seats", HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(json.loads(plain.content)) == 5000
    assert len(packed.content) < len(plain.content) / 5


def test_html_pages_are_never_compressed(admin_client_session) -> None:
    """The staff console's pages carry CSRF tokens: no compression (BREACH)."""
    response = admin_client_session.get("/staff/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "Content-Encoding" not in response


@pytest.fixture
def admin_client_session(client, admin):  # noqa: ANN001, ANN201
    client.force_login(admin)  # the admin role is the console's staff flag
    return client
