"""The client's address, for per-IP rate limits (django-ratelimit's "ip" key).

`RATELIMIT_IP_META_KEY` points here. With `RATELIMIT_TRUSTED_PROXIES=N` (default 0) the
client is the N-th entry from the right of `X-Forwarded-For`: each trusted proxy appends the
address it received the request from, so the entries right of that one were written by
our own proxies, and whatever a client writes itself stays further left, where it is never
read. A missing, short or malformed header falls back to the connection's address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # an empty REMOTE_ADDR (a Unix socket without a proxy) shares one key


def _parse(value: str) -> str | None:
    """The address in canonical form, or None when `value` is not exactly one IP address.
    An IPv4 client seen through a dual-stack socket (`::ffff:192.0.2.7`, gunicorn bound to
    `[::]`) is its IPv4 address: django-ratelimit keys IPv6 by /64, which would put every
    IPv4 client into one bucket (`::`), so one client could use up everyone's login limit."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_address(address.packed))  # drops an IPv6 zone (fe80::1%eth0)


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as a string (never raises)."""
    remote = _parse(str(request.META.get("REMOTE_ADDR") or "")) or UNKNOWN
    hops = settings.RATELIMIT_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR")
    if not isinstance(header, str) or not header.strip():
        return remote
    entries = header.split(",")
    if len(entries) < hops:
        return remote
    return _parse(entries[-hops]) or remote
