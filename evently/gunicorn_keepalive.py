"""A request whose body Evently refuses unread (413 too large, 411 chunked without a length:
`evently.middleware.body_refusal`) is answered with `Connection: close`.

gunicorn (27.0) keeps a connection alive only if it can discard the unread body of the last
request, up to 64 KiB; past that it closes the connection after the response. The response
had already said `Connection: keep-alive`, so a client that sent its next request on the
same connection got no answer at all (a newcomer's review: `requests` raised
RemoteDisconnected). The WSGI application may not set `Connection` itself (a hop-by-hop
header, which gunicorn drops), so the decision is made here, before the response starts.
"""

from __future__ import annotations

from typing import Any


def close_when_body_refused(worker: Any, req: Any) -> None:
    """gunicorn's `pre_request` hook (gunicorn.conf.py): `req` is gunicorn's parsed request,
    its `headers` a list of (UPPER-CASE NAME, value). Marks the request to close its
    connection (the response then says `Connection: close`) when `body_refusal` refuses its
    body. Reads no body; needs Django's settings configured (the worker has loaded the app)."""
    from evently.middleware import body_refusal

    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's own hook logs
    headers = {name: value for name, value in req.headers if name in ("CONTENT-LENGTH", "TRANSFER-ENCODING")}
    if body_refusal(headers.get("CONTENT-LENGTH", ""), headers.get("TRANSFER-ENCODING", "")) is not None:
        req.force_close()
