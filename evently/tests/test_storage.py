from pathlib import Path

from evently.storage import StaticFilesStorage


def test_uncollected_static_files_get_their_plain_url_not_an_error(tmp_path: Path) -> None:
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")

    assert storage.url("admin/css/base.css") == "/static/admin/css/base.css"


def test_collected_files_get_the_hashed_url(tmp_path: Path) -> None:
    (tmp_path / "app.css").write_text("body{}")
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")

    url = storage.url("app.css")

    assert url.startswith("/static/app.") and url.endswith(".css") and url != "/static/app.css"
