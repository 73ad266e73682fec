"""A body refused unread (413, 411), or one too large for gunicorn to discard unread, closes
its connection: gunicorn's `pre_request` hook marks the request, with the same rule as
RequestBodyLimitMiddleware (`body_refusal`) and gunicorn's own drain limit. The wire itself is
tested on a live server (reliability/test_attacks_live.py)."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from evently.gunicorn_keepalive import DRAIN_LIMIT, close_when_body_refused
from evently.middleware import body_refusal

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.mark.parametrize(
    ("content_length", "transfer_encoding", "status"),
    [
        ("65536", "", None),
        ("65537", "", 413),
        ("999999999999999999999", "", 413),
        ("", "chunked", 411),
        ("", "gzip, Chunked", 411),
        ("12", "chunked", None),  # gunicorn refuses both together before anyone else sees it
        ("twelve", "", 400),
        ("", "", None),
    ],
)
def test_the_rule(settings, content_length: str, transfer_encoding: str, status: int | None) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 65536
    refusal = body_refusal(content_length, transfer_encoding)

    assert (refusal[0] if refusal else None) == status


class Request:
    def __init__(self, *headers: tuple[str, str]) -> None:
        self.method, self.path, self.headers = "POST", "/auth/signup", list(headers)
        self.must_close = False

    def force_close(self) -> None:
        self.must_close = True


WORKER = SimpleNamespace(log=logging.getLogger("test.gunicorn"))


@pytest.mark.parametrize(
    ("headers", "closes"),
    [
        ((("CONTENT-TYPE", "application/json"), ("CONTENT-LENGTH", "100000")), True),
        ((("TRANSFER-ENCODING", "chunked"),), True),
        ((("CONTENT-LENGTH", "100"),), False),
        ((("CONTENT-LENGTH", "65535"),), False),
        ((("CONTENT-LENGTH", "65536"),), True),  # accepted, but gunicorn could not discard it unread
        ((), False),
    ],
)
def test_the_hook_closes_when_gunicorn_would(settings, headers, closes: bool) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 65536
    request = Request(*headers)

    close_when_body_refused(WORKER, request)

    assert request.must_close is closes


def test_our_drain_limit_is_gunicorns() -> None:
    """A gunicorn that discarded less would close connections the hook leaves open."""
    from gunicorn.http import parser

    assert DRAIN_LIMIT <= parser._DRAIN_MAX_BYTES


def test_gunicorn_conf_installs_the_hook() -> None:
    # The conf reads no `.env` here: evently.settings_test set EVENTLY_ENV_FILE="" first.
    conf = runpy.run_path(str(CONF))
    request = Request(("CONTENT-LENGTH", "10000000"))

    conf["pre_request"](WORKER, request)

    assert request.must_close is True
