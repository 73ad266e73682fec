"""The single-page app's routes (evently/spa.py): deep links get the index page, file-like
paths and other methods don't."""

from __future__ import annotations

import pytest


@pytest.fixture
def built_app(settings, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Evently</title>")
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/app", "/app/", "/app/events/12", "/app/reset-password", "/app/admin/events/3/attendees"])
def test_every_app_route_is_the_index_page(client, built_app, path) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b"<title>Evently</title>" in response.content


@pytest.mark.parametrize("path", ["/app/assets/missing.js", "/app/favicon.ico", "/app/events/app.css.map"])
def test_a_file_like_path_is_a_json_404_not_the_index_page(client, built_app, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_other_methods_are_405_with_allow(client, built_app) -> None:
    response = client.post("/app/events/1")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": "Method not allowed"}


def test_an_unbuilt_app_says_how_to_build_it(client, settings, tmp_path) -> None:
    settings.FRONTEND_DIST = tmp_path  # no index.html
    response = client.get("/app/")
    assert response.status_code == 404
    assert "make run" in response.json()["detail"]


def test_the_root_redirects_to_the_app(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/app/"
