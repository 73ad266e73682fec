"""A login racing a password reset, on the real database (PostgreSQL in CI's second run,
SQLite in the first). Checking a password takes a while (Argon2: tens to hundreds of
milliseconds); a reset that commits meanwhile must still lock out whoever knew the old
password (API.md: "the token is spent, older access tokens stop working")."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings.tests.concurrency.threads import LockWaits, run_concurrently, wait_until

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

OLD, NEW = "old-password-1", "new-password-2"


def _assert_the_reset_stands(user: User, login_status: int, access_token: str | None) -> None:
    """The login that checked the old password got a 401, or a token that is a 401 at once;
    the new password is the account's."""
    if login_status == 200:
        me = APIClient().get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {access_token}")
        assert me.status_code == 401, "a token from the old password outlived the reset"
    else:
        assert login_status == 401
    assert User.objects.get(pk=user.pk).check_password(NEW)


def _reset_once(checked: threading.Event, reset_done: threading.Event, user: User, token: str):  # noqa: ANN202
    """The owner's reset (to NEW), sent once the login has checked the old password; the
    login goes on when it is done. Returns its status code."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))

    def reset() -> int:
        assert checked.wait(10)
        try:
            return APIClient().post(
                "/auth/password-reset/confirm", {"uid": uid, "token": token, "password": NEW},
                format="json",
            ).status_code
        finally:
            reset_done.set()

    return reset


def test_a_login_with_the_old_password_that_ends_after_a_reset_gets_no_working_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an account, and a reset link its owner is about to use
    user = UserFactory(email="owner@example.org", password=OLD)
    token = default_token_generator.make_token(user)
    # The old password's check ends after the reset commits (a slow hash on a busy machine).
    checked, reset_done = threading.Event(), threading.Event()
    check_password = User.check_password

    def slow_check(self: User, raw_password: str) -> bool:
        ok = check_password(self, raw_password)
        if raw_password == OLD:
            checked.set()
            assert reset_done.wait(30), "the reset never ended"
        return ok

    monkeypatch.setattr(User, "check_password", slow_check)

    def login() -> tuple[int, str | None]:
        response = APIClient().post(
            "/auth/login", {"email": "owner@example.org", "password": OLD}, format="json"
        )
        return response.status_code, response.json().get("access_token")

    # When someone logs in with the old password while the owner resets it
    (login_status, access_token), reset_status = run_concurrently(
        [login, _reset_once(checked, reset_done, user, token)]
    )

    # Then the reset succeeds, and the old password buys no token that works after it.
    assert reset_status == 200
    _assert_the_reset_stands(user, login_status, access_token)


def test_a_login_that_upgrades_an_old_hash_does_not_undo_a_reset_committed_meanwhile(
    monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    # Given an account whose password is stored with the older of the two hashers
    # (production: Argon2 first, PBKDF2 kept for older hashes), so a login re-hashes it
    settings.PASSWORD_HASHERS = [settings.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory(email="legacy@example.org")
    User.objects.filter(pk=user.pk).update(password=make_password(OLD, hasher="pbkdf2_sha256"))
    user.refresh_from_db()
    token = default_token_generator.make_token(user)
    # The re-hash is written after a reset committed.
    checked, reset_done = threading.Event(), threading.Event()
    set_password = User.set_password

    def late_upgrade(self: User, raw_password: str | None) -> None:
        if raw_password == OLD:  # the login's upgrade of the old hash
            checked.set()
            assert reset_done.wait(30), "the reset never ended"
        set_password(self, raw_password)

    monkeypatch.setattr(User, "set_password", late_upgrade)

    def login() -> int:
        return APIClient().post(
            "/auth/login", {"email": "legacy@example.org", "password": OLD}, format="json"
        ).status_code

    # When someone logs in with the old password while the owner resets it
    login_status, reset_status = run_concurrently([login, _reset_once(checked, reset_done, user, token)])

    # Then the reset stands: the new password works, the old one does not, and the login
    # that checked the old one got no token.
    assert (login_status, reset_status) == (401, 200)
    stored = User.objects.get(pk=user.pk)
    assert stored.check_password(NEW) and not stored.check_password(OLD)


def test_a_login_during_a_reset_that_has_not_committed_yet_gets_no_working_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reset fixes the moment older tokens end (`tokens_valid_after`) before its commit;
    a login that reads the account and checks the old password in between (a commit slowed
    by the database, or a caller's transaction around the service) counts its token from
    after that moment. The login must wait for the reset's row lock and see the new hash.

    The reset commits only once the login has checked the old password and re-reads the
    account, and (PostgreSQL) that re-read waits for the reset's lock or has returned: on a
    slow machine a fixed pause could end before the login got there, and the login then
    read the committed reset and proved nothing."""
    from django.db import connection, transaction

    from accounts import services
    from accounts.services import password_reset_confirm

    # Given an account, and a reset link its owner is using
    user = UserFactory(email="slow-commit@example.org", password=OLD)
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    written, checked, rereading, reread = (threading.Event() for _ in range(4))
    authenticate = services.authenticate

    def authenticate_and_tell(*args, **kwargs):  # noqa: ANN202
        found = authenticate(*args, **kwargs)
        if found is not None:
            checked.set()  # the old password matched the committed (old) hash
        return found

    monkeypatch.setattr(services, "authenticate", authenticate_and_tell)

    def reset() -> None:
        with transaction.atomic():  # the reset is written, its commit is late
            password_reset_confirm(uid=uid, token=token, password=NEW)
            written.set()
            assert rereading.wait(30), "the login never re-read the account"
            if connection.vendor == "postgresql":
                with LockWaits() as locks:
                    wait_until(lambda: reread.is_set() or locks.count(on="accounts_user") > 0,
                               what="the login's re-read to wait for the reset's lock (or return)")
            else:
                # SQLite: the re-read's BEGIN IMMEDIATE has been sent, and it cannot be
                # granted before this commit. A re-read that is not blocked returns at once.
                reread.wait(1.0)

    def login() -> tuple[int, str | None]:
        assert written.wait(30)
        threading.Event().wait(0.01)  # the login starts after the reset's tokens_valid_after

        def watch(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            if not checked.is_set() or rereading.is_set():
                return execute(sql, params, many, context)
            rereading.set()  # the first statement after the password check: the re-read
            try:
                return execute(sql, params, many, context)
            finally:
                reread.set()

        with connection.execute_wrapper(watch):
            response = APIClient().post(
                "/auth/login", {"email": "slow-commit@example.org", "password": OLD}, format="json"
            )
        return response.status_code, response.json().get("access_token")

    # When someone logs in with the old password while the reset commits
    _, (login_status, access_token) = run_concurrently([reset, login])

    # Then the old password buys no token that works after the reset
    assert checked.is_set(), "the login did not check the old password before the reset committed"
    _assert_the_reset_stands(user, login_status, access_token)
