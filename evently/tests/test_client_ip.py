"""RATELIMIT_TRUSTED_PROXIES: which address the per-IP limits count (API.md, Rate limits)."""

import pytest
from django.test import RequestFactory, override_settings

from accounts.tests.factories import DEFAULT_PASSWORD
from evently.client_ip import client_ip

pytestmark = pytest.mark.django_db


def _request(xff: str | None = None, remote: str | None = "192.0.2.1"):
    meta = {}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    request = RequestFactory().post("/auth/login", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return request


@pytest.mark.parametrize(
    "proxies, xff, expected",
    [
        (0, "203.0.113.5, 10.0.0.2", "192.0.2.1"),  # no trusted proxy: the header is the client's own words
        (1, "203.0.113.5, 10.0.0.2", "10.0.0.2"),
        (2, "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # a client-written entry on the left is ignored
        (1, "  203.0.113.9  ", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),
        (1, "fe80::1%eth0", "fe80::1"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),  # IPv4 through a dual-stack socket
        (1, "::FFFF:cb00:7105", "203.0.113.5"),
        (3, "203.0.113.5, 10.0.0.2", "192.0.2.1"),  # short
        (1, None, "192.0.2.1"),  # missing
        (1, "", "192.0.2.1"),
        (1, " , ", "192.0.2.1"),
        (1, "unknown", "192.0.2.1"),  # malformed
        (1, "10.0.0.2:443", "192.0.2.1"),
        (1, "[2001:db8::1]:443", "192.0.2.1"),
        (1, "999.1.1.1", "192.0.2.1"),
        (1, "1.2.3.4\x00", "192.0.2.1"),
        (1, "203.0.113.5,", "192.0.2.1"),  # empty last entry
        (2, "203.0.113.5,,10.0.0.2", "192.0.2.1"),
        (1, "a" * 10000, "192.0.2.1"),
    ],
)
def test_client_is_the_nth_entry_from_the_right(proxies: int, xff, expected: str) -> None:
    with override_settings(RATELIMIT_TRUSTED_PROXIES=proxies):
        assert client_ip(_request(xff)) == expected


@pytest.mark.parametrize("remote", [None, "", "not-an-ip"])
def test_a_missing_or_odd_connection_address_never_raises(remote) -> None:
    with override_settings(RATELIMIT_TRUSTED_PROXIES=1):
        assert client_ip(_request("garbage", remote=remote)) == "0.0.0.0"


def _login(client, user, password: str, xff: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return client.post("/auth/login", {"email": user.email, "password": password}, format="json", **extra)


@pytest.mark.parametrize(
    "xff", ["203.0.113.5, 10.0.0.2", "", "garbage", "1.1.1.1:80", "\u00e9", "::::", "10.0.0.2, " * 200]
)
@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_login_behind_a_proxy_never_500s(api_client, user, xff: str, proxies: int) -> None:
    with override_settings(RATELIMIT_ENABLE=True, RATELIMIT_TRUSTED_PROXIES=proxies):
        assert _login(api_client, user, DEFAULT_PASSWORD, xff).status_code == 200
        assert _login(api_client, user, "wrong", xff).status_code == 401


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="3/m", RATELIMIT_TRUSTED_PROXIES=1)
def test_a_client_cannot_choose_its_own_key(api_client, user) -> None:
    """Behind one proxy that appends the real address, a client that writes a new address of
    its own on every try is still counted as itself."""
    statuses = [
        _login(api_client, user, "wrong", f"198.51.100.{i}, 203.0.113.7").status_code for i in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="2/m", RATELIMIT_TRUSTED_PROXIES=1)
def test_clients_behind_the_proxy_are_counted_apart(api_client, user) -> None:
    for _ in range(2):
        _login(api_client, user, "wrong", "203.0.113.7")

    assert _login(api_client, user, "wrong", "203.0.113.7").status_code == 429
    assert _login(api_client, user, "wrong", "203.0.113.8").status_code == 401


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="2/m")
def test_ipv4_clients_of_a_dual_stack_socket_are_counted_apart(api_client, user) -> None:
    """gunicorn bound to [::] sees IPv4 clients as ::ffff:a.b.c.d. django-ratelimit keys IPv6
    by /64, so those all became one key (::) and one client's wrong passwords locked
    everyone out of login."""
    def login(remote: str, password: str):
        return api_client.post(
            "/auth/login", {"email": user.email, "password": password}, format="json", REMOTE_ADDR=remote,
        )

    for _ in range(2):
        login("::ffff:198.51.100.1", "wrong")

    assert login("::ffff:198.51.100.1", "wrong").status_code == 429
    assert login("::ffff:192.0.2.2", DEFAULT_PASSWORD).status_code == 200
