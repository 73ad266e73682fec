"""gunicorn's access log without secrets in URLs.

A password-reset link (`/app/reset-password?uid=…&token=…`) is a bearer secret for an hour:
the web app's page is served by Django, so its request line, and the `Referer` of the page's
own API calls, would write a working token into every access log line that shows a URL.
`RedactingLogger` (gunicorn.conf.py's `logger_class`) replaces the value of every `token`
query parameter with `[redacted]` in the request line (`%(r)s`), the query (`%(q)s`) and the
referer (`%(f)s`, `{referer}i`) before gunicorn formats the line.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
_SECRET_PARAMETER = re.compile(r"(?i)((?:^|[?&;])token=)[^&;#\s\"]*")


def redact(text: Any) -> Any:
    """`text` with each `token=` query value replaced; anything not a string as it is."""
    return _SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text) if isinstance(text, str) else text


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "q", "f", "{referer}i"):
            if key in atoms:
                atoms[key] = redact(atoms[key])
        return atoms
