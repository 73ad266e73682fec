"""A connection that gunicorn will end after the answer is answered with `Connection: close`.

gunicorn (27.0) keeps a connection alive only if it can discard whatever the application left
unread of the request's body, and it discards less than 64 KiB (`DRAIN_LIMIT`): from there on
it closes the connection after the response. The response had already said
`Connection: keep-alive`, so a client that sent its next request on the same connection got
no answer at all (a newcomer's review: `requests` raised RemoteDisconnected). That happens to
a body Evently refuses unread (413 too large, 411 chunked without a length:
`evently.middleware.body_refusal`) and to any body of 64 KiB or more that nothing reads (a
404 or 405 path, a GET with a body). The WSGI application may not set `Connection` itself (a
hop-by-hop header, which gunicorn drops), so the decision is made here, before the response
starts; a large body that the application does read closes its connection too (one new
connection, never a lost answer).
"""

from __future__ import annotations

from typing import Any

# gunicorn 27.0's cap on the unread body it discards to keep a connection alive
# (gunicorn.http.parser._DRAIN_MAX_BYTES; it gives up once it has read this many bytes).
DRAIN_LIMIT = 64 * 1024


def close_when_body_refused(worker: Any, req: Any) -> None:
    """gunicorn's `pre_request` hook (gunicorn.conf.py): `req` is gunicorn's parsed request,
    its `headers` a list of (UPPER-CASE NAME, value). Marks the request to close its
    connection (the response then says `Connection: close`) when `body_refusal` refuses its
    body or its Content-Length is DRAIN_LIMIT bytes or more. Reads no body; needs Django's
    settings configured (the worker has loaded the app)."""
    from evently.middleware import body_refusal

    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's own hook logs
    headers = {name: value for name, value in req.headers if name in ("CONTENT-LENGTH", "TRANSFER-ENCODING")}
    content_length = headers.get("CONTENT-LENGTH", "")
    if (
        body_refusal(content_length, headers.get("TRANSFER-ENCODING", "")) is not None
        or (content_length.isdigit() and int(content_length) >= DRAIN_LIMIT)
    ):
        req.force_close()
