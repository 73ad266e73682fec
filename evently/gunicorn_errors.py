"""JSON bodies for the answers gunicorn gives by itself (API.md: an error is never an HTML page).

gunicorn answers a request it cannot parse before Django sees it: a malformed request line or
method, a header with a control character, a URL longer than `limit_request_line` (414), too
many or too large header fields (431). It writes those answers with `gunicorn.util.write_error`,
an HTML page, and has no setting for it. `install()` (gunicorn.conf.py's `on_starting`, in the
master before any worker forks) replaces that one function with `write_json_error`: the same
status and reason, the body `{"detail": "<reason>: <gunicorn's message>"}`. The live test
`evently/tests/reliability/test_attacks_live.py` sends such requests to a real gunicorn.
"""

from __future__ import annotations

import json
import socket

from gunicorn import util

MESSAGE_MAX_CHARS = 200  # gunicorn's message quotes the request line: keep the echo short


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """`gunicorn.util.write_error`'s signature: write a whole `Connection: close` answer of
    `status_int reason` with a JSON `detail` (ASCII, the client's bytes escaped) to `sock`."""
    mesg = str(mesg)[:MESSAGE_MAX_CHARS]
    body = json.dumps({"detail": f"{reason}: {mesg}" if mesg else reason}).encode("ascii")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "X-Frame-Options: DENY\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install() -> None:
    """Make gunicorn answer the requests it refuses itself with `write_json_error`."""
    util.write_error = write_json_error
