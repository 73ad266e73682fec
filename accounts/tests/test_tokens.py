"""Tokens: the scheme name in any case, strict claim types, only the contract's claims."""

import time

import jwt
import pytest
from django.conf import settings

from accounts.tokens import AccessToken

pytestmark = pytest.mark.django_db


def _forge(claims: dict) -> str:
    return jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256")


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEaReR"])
def test_bearer_scheme_is_case_insensitive(api_client, user, scheme: str) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=f"{scheme} {AccessToken.for_user(user)}")

    response = api_client.get("/auth/me")

    assert response.status_code == 200
    assert response.json()["id"] == user.id


def test_another_scheme_is_401(api_client, user) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=f"Basic {AccessToken.for_user(user)}")

    assert api_client.get("/auth/me").status_code == 401


def test_minted_token_has_only_sub_exp_iat_and_iat_ms(user) -> None:
    claims = jwt.decode(str(AccessToken.for_user(user)), settings.JWT_SECRET, algorithms=["HS256"])

    assert set(claims) == {"sub", "exp", "iat", "iat_ms"}
    assert claims["sub"] == str(user.id)
    assert claims["iat"] * 1000 <= claims["iat_ms"] < (claims["iat"] + 1) * 1000


def test_login_token_has_no_null_claim(api_client, user) -> None:
    from accounts.tests.factories import DEFAULT_PASSWORD

    token = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json").json()["access_token"]

    assert "null" not in jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])


def _wrong_types() -> list:
    now = int(time.time())
    cases = []
    for bad in ["soon", str(now + 600), "", None, True, [now + 600], {"t": now + 600}, 1e300, -1, 10**20, float("nan")]:
        cases.append(("exp", bad))
    for claim in ("iat", "nbf"):
        for bad in ["yesterday", str(now - 10), None, [now], {"t": now}, 1e300, 10**20, True]:
            cases.append((claim, bad))
    for bad in [7, 1.5, True, None, [1], {"id": 1}]:
        cases.append(("sub", bad))
    return cases


@pytest.mark.parametrize(("claim", "value"), _wrong_types())
def test_signed_token_with_a_wrongly_typed_claim_is_401(api_client, user, claim: str, value) -> None:
    now = int(time.time())
    claims = {"sub": str(user.id), "exp": now + 600, "iat": now - 10, claim: value}
    token = jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256") if value == value else None
    if token is None:  # NaN: PyJWT's encoder refuses it, so sign the raw JSON ourselves
        token = _sign_raw('{"sub": "%s", "exp": NaN}' % user.id)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = api_client.get("/auth/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token"}


@pytest.mark.parametrize("payload", ['{"sub": "%s", "exp": 1e400}', '{"sub": "%s", "exp": -1e400}', '{"sub": "%s", "exp": 1, "exp": "x"}', '["%s"]', '"%s"'])
def test_signed_token_with_unrepresentable_payload_is_401(api_client, user, payload: str) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {_sign_raw(payload % user.id)}")

    assert api_client.get("/auth/me").status_code == 401


def _sign_raw(payload_json: str) -> str:
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = f"{header}.{b64(payload_json.encode())}"
    signature = hmac.new(settings.JWT_SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def test_deactivation_ends_the_users_tokens_for_good(api_client, user) -> None:
    """A deactivated user's tokens are refused, and reactivating the account does not bring
    them back (only a new login does)."""
    from accounts.services import user_update

    old = str(AccessToken.for_user(user))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {old}")
    assert api_client.get("/auth/me").status_code == 200

    user_update(user_id=user.id, is_active=False)
    assert api_client.get("/auth/me").status_code == 401
    user_update(user_id=user.id, is_active=True)

    assert api_client.get("/auth/me").status_code == 401
    time.sleep(0.002)  # tokens of the deactivation's own millisecond count as older
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    assert api_client.get("/auth/me").status_code == 200


def test_other_changes_leave_the_users_tokens_valid(api_client, user) -> None:
    from accounts.services import user_update

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    user_update(user_id=user.id, name="Renamed", role="checkin")

    assert api_client.get("/auth/me").json()["name"] == "Renamed"


def _while_the_password_is_checked(monkeypatch: pytest.MonkeyPatch, change) -> None:
    """Run `change` (a reset, a deactivation...) while a login verifies the password it read,
    as a concurrent request may: an Argon2 check takes tens of milliseconds."""
    from accounts.models import User

    check = User.check_password

    def check_then_change(self, raw_password: str) -> bool:
        matched = check(self, raw_password)
        change(self.pk)
        return matched

    monkeypatch.setattr(User, "check_password", check_then_change)


def _change_password(user_id: int) -> None:
    from accounts.models import User
    from accounts.services import user_change_password

    user_change_password(user=User.objects.get(pk=user_id), password="a-brand-new-password")


def _deactivate(user_id: int) -> None:
    from accounts.services import user_update

    user_update(user_id=user_id, is_active=False)


def _deactivate_and_reactivate(user_id: int) -> None:
    from accounts.services import user_update

    user_update(user_id=user_id, is_active=False)
    user_update(user_id=user_id, is_active=True)


@pytest.mark.parametrize("change", [_change_password, _deactivate, _deactivate_and_reactivate])
def test_a_change_that_ends_tokens_while_a_login_checks_the_password_ends_that_login_too(
    api_client, user, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    """A login that read the account before a password change, reset or deactivation
    committed, and minted its token after, got a token that outlived the change ("older
    access tokens stop working"): someone holding the old password could keep logging in
    while the owner reset it, and one attempt overlapping the reset kept access."""
    from accounts.tests.factories import DEFAULT_PASSWORD

    _while_the_password_is_checked(monkeypatch, change)
    response = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}


def test_a_login_whose_hash_upgrade_another_login_made_first_gets_its_token(api_client, settings, monkeypatch) -> None:
    """Two logins with the right password of an account stored with an older hasher (two
    devices, a retried request): both check the old hash, the first re-hashes it, the second's
    re-hash then writes nothing (User.check_password writes only over the hash it checked).
    The second login is still a login with the right password: a 200 with a working token,
    not `Invalid credentials`."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from accounts.tests.factories import UserFactory

    settings.PASSWORD_HASHERS = [settings.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory(email="two-devices@example.org")
    User.objects.filter(pk=user.pk).update(password=make_password("old-hash-pass-1", hasher="pbkdf2_sha256"))
    set_password = User.set_password
    other_login_done = []

    def other_login_upgrades_first(self: User, raw_password: str | None) -> None:
        if raw_password == "old-hash-pass-1" and not other_login_done:  # the first login's re-hash
            other_login_done.append(True)
            User.objects.filter(pk=self.pk).update(password=make_password(raw_password))
        set_password(self, raw_password)

    monkeypatch.setattr(User, "set_password", other_login_upgrades_first)

    response = api_client.post("/auth/login", {"email": user.email, "password": "old-hash-pass-1"}, format="json")

    assert response.status_code == 200, response.json()
    me = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    assert me.status_code == 200
    assert User.objects.get(pk=user.pk).check_password("old-hash-pass-1")


def test_a_login_in_the_same_millisecond_as_a_reset_works_and_older_tokens_of_it_do_not(
    api_client, user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reset ends the tokens issued up to its millisecond. A login that began in that same
    millisecond, after the reset (its password checked against the new hash), used to get one
    of those ended tokens: a 401 on its first request (CI saw it once, in
    notifications/tests/test_password_reset.py, with the tests' fast hasher). It now counts from the next millisecond; a token of a login from
    before the reset, in the same millisecond, is still refused."""
    from django.utils import timezone

    from accounts.services import auth_login, user_change_password
    from accounts.tests.factories import DEFAULT_PASSWORD

    instant = timezone.now().replace(microsecond=123_400)
    monkeypatch.setattr(timezone, "now", lambda: instant)  # one millisecond for all three
    before = auth_login(email=user.email, password=DEFAULT_PASSWORD)
    user_change_password(user=user, password="a-new-password-42")
    after = auth_login(email=user.email, password="a-new-password-42")
    monkeypatch.undo()

    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {after}").status_code == 200
    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {before}").status_code == 401
