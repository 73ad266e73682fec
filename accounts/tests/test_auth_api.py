import time
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "analytical-engine"}


def login(client: APIClient, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post("/auth/login", {"email": email, "password": password}, format="json", **extra)


# --- signup ------------------------------------------------------------------------------


def test_signup_returns_200_and_the_user_with_role_user(api_client) -> None:
    response = api_client.post("/auth/signup", SIGNUP, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "email", "role"}
    assert body["email"] == "ada@example.com"
    assert body["role"] == "user"
    assert isinstance(body["id"], int)


def test_signup_stores_an_argon2_hash_never_the_password(api_client) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        api_client.post("/auth/signup", SIGNUP, format="json")

    stored = User.objects.get(email="ada@example.com").password
    assert stored.startswith("argon2$")
    assert SIGNUP["password"] not in stored


def test_signup_cannot_create_an_admin(api_client) -> None:
    body = {**SIGNUP, "role": "admin", "is_staff": True, "is_superuser": True}

    response = api_client.post("/auth/signup", body, format="json")

    assert response.json()["role"] == "user"
    assert User.objects.get(email="ada@example.com").role == "user"


def test_duplicate_email_in_another_case_is_400(api_client) -> None:
    api_client.post("/auth/signup", SIGNUP, format="json")

    response = api_client.post("/auth/signup", {**SIGNUP, "email": "ADA@Example.COM"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Email already registered"}
    assert User.objects.with_email("ada@example.com").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("name", ""), ("name", "   "), ("password", "short")],
)
def test_invalid_signup_is_422_naming_the_field(api_client, field: str, value: str) -> None:
    response = api_client.post("/auth/signup", {**SIGNUP, field: value}, format="json")

    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"]
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


@pytest.mark.parametrize("email", ["müller@example.com", "\u2800@example.com", "a\u200bb@example.com"])
def test_an_address_refused_by_two_rules_is_told_so_once(api_client, email: str) -> None:
    """Django's email check and the account-address rule both refuse these: one message."""
    response = api_client.post("/auth/signup", {**SIGNUP, "email": email}, format="json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Enter a valid email address."]}


def test_signup_has_no_limit_by_default_as_the_contract(api_client) -> None:
    """Clients and test suites create many accounts from one address."""
    with override_settings(RATELIMIT_ENABLE=True):
        statuses = {
            api_client.post("/auth/signup", {**SIGNUP, "email": f"u{i}@example.com"}, format="json").status_code
            for i in range(12)
        }

    assert statuses == {200}


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_SIGNUP="2/m")
def test_signup_is_limited_per_client_ip_when_the_deployment_sets_a_rate(api_client) -> None:
    def signup(i: int, remote: str = "198.51.100.1"):
        body = {**SIGNUP, "email": f"u{i}@example.com"}
        return api_client.post("/auth/signup", body, format="json", REMOTE_ADDR=remote)

    statuses = [signup(i).status_code for i in range(3)]
    refused = signup(3)

    assert statuses == [200, 200, 429]
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json() == {"detail": "Rate limit exceeded"}
    assert not User.objects.filter(email__in=["u2@example.com", "u3@example.com"]).exists()
    assert signup(4, remote="198.51.100.2").status_code == 200  # another client


def test_missing_fields_are_422(api_client) -> None:
    response = api_client.post("/auth/signup", {}, format="json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "email", "password"}


@override_settings(PASSWORD_MIN_LENGTH=12)
def test_password_minimum_follows_the_setting(api_client) -> None:
    short = api_client.post("/auth/signup", {**SIGNUP, "password": "elevenchars"}, format="json")
    ok = api_client.post("/auth/signup", {**SIGNUP, "password": "twelve-chars"}, format="json")

    assert short.status_code == 422
    assert ok.status_code == 200


# --- login and me ------------------------------------------------------------------------


def test_login_returns_a_bearer_token_usable_on_me(api_client, user) -> None:
    response = login(api_client, user.email.upper())

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    me = api_client.get("/auth/me")
    assert me.status_code == 200
    assert me.json() == {"id": user.id, "name": user.name, "email": user.email, "role": "user"}


def test_login_upgrades_a_password_hashed_by_the_older_hasher(api_client, user) -> None:
    preferred = settings.PASSWORD_HASHERS[0]
    with override_settings(PASSWORD_HASHERS=[preferred, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.filter(pk=user.pk).update(password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256"))

        response = login(api_client, user.email)

        assert response.status_code == 200
        stored = User.objects.get(pk=user.pk).password
        assert not stored.startswith("pbkdf2_sha256$")
        assert User.objects.get(pk=user.pk).check_password(DEFAULT_PASSWORD)


def test_token_is_hs256_with_string_sub_and_configured_lifetime(api_client, user) -> None:
    token = login(api_client, user.email).json()["access_token"]

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])
    assert header["alg"] == "HS256"
    assert claims["sub"] == str(user.id)
    lifetime = claims["exp"] - claims["iat"]
    assert lifetime == settings.ACCESS_TOKEN_EXPIRE_MINUTES * 60


def test_wrong_password_and_unknown_email_get_the_same_401(api_client, user) -> None:
    wrong = login(api_client, user.email, "not-the-password")
    unknown = login(api_client, "nobody@example.com")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid credentials"}


def test_inactive_user_cannot_log_in(api_client) -> None:
    user = UserFactory(is_active=False)

    assert login(api_client, user.email).status_code == 401


def test_me_without_token_is_401_with_bearer_challenge(api_client) -> None:
    response = api_client.get("/auth/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


# --- token attacks -----------------------------------------------------------------------


def _forge(claims: dict, *, key: str | None = None, alg: str = "HS256") -> str:
    return jwt.encode(claims, key if key is not None else settings.JWT_SECRET, algorithm=alg)


def _assert_rejected(client: APIClient, token: str) -> None:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Invalid or expired token"}


def test_expired_token_is_401(api_client, user) -> None:
    past = int(time.time()) - 60
    _assert_rejected(api_client, _forge({"sub": str(user.id), "iat": past - 100, "exp": past}))


def test_token_signed_with_another_secret_is_401(api_client, user) -> None:
    claims = {"sub": str(user.id), "exp": int(time.time()) + 600}
    _assert_rejected(api_client, _forge(claims, key="some-other-secret-of-sufficient-length"))


def test_tampered_signature_is_401(api_client, user) -> None:
    token = _forge({"sub": str(user.id), "exp": int(time.time()) + 600})
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    _assert_rejected(api_client, tampered)


def test_tampered_payload_is_401(api_client, user, admin) -> None:
    token = _forge({"sub": str(user.id), "exp": int(time.time()) + 600})
    head, _, signature = token.split(".")
    other = _forge({"sub": str(admin.id), "exp": int(time.time()) + 600}).split(".")[1]
    _assert_rejected(api_client, f"{head}.{other}.{signature}")


def test_alg_none_is_401(api_client, user) -> None:
    token = jwt.encode({"sub": str(user.id), "exp": int(time.time()) + 600}, key=None, algorithm="none")
    _assert_rejected(api_client, token)


def test_not_yet_valid_token_is_401(api_client, user) -> None:
    now = int(time.time())
    _assert_rejected(api_client, _forge({"sub": str(user.id), "nbf": now + 600, "exp": now + 1200}))


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "", "Bearer"])
def test_malformed_token_is_401(api_client, token: str) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert api_client.get("/auth/me").status_code == 401


def test_token_of_a_deleted_user_is_401(api_client, client_for) -> None:
    user = UserFactory()
    client = client_for(user)
    user.delete()

    response = client.get("/auth/me")

    assert response.status_code == 401


@pytest.mark.parametrize(
    "sub", ["abc", "", " 1", "1.0", "-1", "0", "١", "99999999999999999999", 7, True, 1.0, None, [1]]
)
def test_token_whose_subject_is_not_a_user_id_is_401(api_client, user, sub) -> None:
    claims = {"sub": sub, "exp": int(time.time()) + 600}
    _assert_rejected(api_client, _forge(claims))


def test_token_of_an_inactive_user_is_401(api_client, client_for) -> None:
    user = UserFactory()
    client = client_for(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get("/auth/me").status_code == 401


def test_legacy_token_with_only_sub_and_exp_is_accepted(api_client, user) -> None:
    token = _forge({"sub": str(user.id), "exp": int(time.time()) + 600})
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert api_client.get("/auth/me").json()["id"] == user.id


# --- roles -------------------------------------------------------------------------------


def test_admin_routes_are_401_without_token_and_403_for_users(api_client, user_client) -> None:
    routes = [
        ("get", "/admin/users"), ("post", "/admin/users"), ("patch", "/admin/users/1/role"),
        ("get", "/admin/bookings"), ("post", "/admin/events"), ("patch", "/admin/events/1"),
        ("delete", "/admin/events/1"), ("post", "/admin/events/1/deactivate"),
        ("post", "/admin/events/1/seats/generate"), ("get", "/admin/analytics/summary"),
    ]
    for method, path in routes:
        anonymous = getattr(api_client, method)(path, {}, format="json")
        forbidden = getattr(user_client, method)(path, {}, format="json")
        assert anonymous.status_code == 401, path
        assert forbidden.status_code == 403, path
        assert "detail" in forbidden.json()


def test_role_is_read_fresh_a_demoted_admin_is_403_at_once(client_for) -> None:
    admin = UserFactory(role=User.Role.ADMIN)
    UserFactory(role=User.Role.ADMIN)  # so the demotion is allowed
    client = client_for(admin)
    assert client.get("/admin/users").status_code == 200

    User.objects.filter(pk=admin.pk).update(role=User.Role.USER)

    assert client.get("/admin/users").status_code == 403


def test_admin_lists_users_by_id_and_filters_by_role(admin_client, admin) -> None:
    users = [UserFactory(), UserFactory()]

    everyone = admin_client.get("/admin/users").json()
    admins = admin_client.get("/admin/users", {"role": "admin"}).json()

    assert [u["id"] for u in everyone] == sorted(u["id"] for u in everyone)
    assert {u.id for u in users} <= {u["id"] for u in everyone}
    assert {u["role"] for u in admins} == {"admin"}
    assert all("password" not in u for u in everyone)


def test_bad_role_filter_is_422(admin_client) -> None:
    assert admin_client.get("/admin/users", {"role": "root"}).status_code == 422


def test_admin_creates_users_with_201_and_chosen_role(admin_client) -> None:
    response = admin_client.post(
        "/admin/users", {**SIGNUP, "email": "ops@example.com", "role": "admin"}, format="json"
    )
    default = admin_client.post("/admin/users", {**SIGNUP, "email": "u@example.com"}, format="json")

    assert response.status_code == 201
    assert response.json()["role"] == "admin"
    assert default.json()["role"] == "user"


def test_admin_create_user_duplicate_is_400_and_invalid_is_422(admin_client, user) -> None:
    duplicate = admin_client.post("/admin/users", {**SIGNUP, "email": user.email.upper()}, format="json")
    invalid = admin_client.post("/admin/users", {**SIGNUP, "role": "root"}, format="json")

    assert duplicate.status_code == 400
    assert invalid.status_code == 422


def test_admin_changes_a_role(admin_client, user) -> None:
    response = admin_client.patch(f"/admin/users/{user.id}/role", {"role": "admin"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    user.refresh_from_db()
    assert user.is_admin


def test_role_change_errors(admin_client, admin) -> None:
    assert admin_client.patch("/admin/users/999999/role", {"role": "user"}, format="json").status_code == 404
    assert admin_client.patch(f"/admin/users/{admin.id}/role", {"role": "god"}, format="json").status_code == 422


def test_role_change_requires_role_and_the_schema_says_so(admin_client, admin, api_client) -> None:
    """API.md: PATCH /admin/users/{id}/role takes `{"role"}`; without it the answer is 422.
    drf-spectacular makes every PATCH body partial, so /openapi.json showed `role` optional."""
    missing = admin_client.patch(f"/admin/users/{admin.id}/role", {}, format="json")
    operation = api_client.get("/openapi.json").json()["paths"]["/admin/users/{user_id}/role"]["patch"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = api_client.get("/openapi.json").json()["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert (missing.status_code, missing.json()["errors"]) == (422, {"role": ["This field is required."]})
    assert operation["requestBody"].get("required") is True
    assert body["required"] == ["role"]


def test_last_admin_cannot_be_demoted(admin_client, admin) -> None:
    User.objects.exclude(pk=admin.pk).filter(role=User.Role.ADMIN).update(role=User.Role.USER)

    response = admin_client.patch(f"/admin/users/{admin.id}/role", {"role": "user"}, format="json")

    assert response.status_code == 409
    admin.refresh_from_db()
    assert admin.is_admin


# --- rate limits -------------------------------------------------------------------------


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="3/m")
def test_login_is_rate_limited_per_ip_with_retry_after(api_client, user) -> None:
    statuses = [login(api_client, user.email, "wrong").status_code for _ in range(3)]
    limited = login(api_client, user.email)

    assert statuses == [401, 401, 401]
    assert limited.status_code == 429
    assert limited.json() == {"detail": "Rate limit exceeded"}
    assert 1 <= int(limited["Retry-After"]) <= 60
    other_ip = login(api_client, user.email, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_LOGIN="2/m")
def test_login_limit_is_shared_by_clients_of_the_same_cache(user) -> None:
    first, second = APIClient(), APIClient()

    login(first, user.email)
    login(second, user.email)

    assert login(first, user.email).status_code == 429
    assert login(second, user.email).status_code == 429


@override_settings(RATELIMIT_ENABLE=False, RATELIMIT_LOGIN="1/m")
def test_rate_limits_can_be_switched_off(api_client, user) -> None:
    assert all(login(api_client, user.email).status_code == 200 for _ in range(3))


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_ADMIN="2/m")
def test_admin_mutations_are_rate_limited_per_user_but_reads_are_not(admin_client) -> None:
    body = {"name": "A", "venue": "B", "start_time": "2031-01-01T10:00:00Z", "end_time": "2031-01-01T12:00:00Z", "capacity": 5}
    codes = [admin_client.post("/admin/events", body, format="json").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert admin_client.get("/admin/users").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/auth/signup", "/auth/password-reset"])
def test_a_malformed_email_is_named_as_such_and_a_number_is_not_a_string(api_client, path: str) -> None:
    """EmailTextField keeps EmailField's message for a malformed address (it said "Must be a
    string." for every error, which the web app then showed for a typo)."""
    body = {"name": "Ann", "email": "not-an-address", "password": "long-enough-1"}

    malformed = api_client.post(path, body, format="json")
    number = api_client.post(path, {**body, "email": 12}, format="json")

    assert malformed.status_code == number.status_code == 422
    assert malformed.json()["errors"]["email"] == ["Enter a valid email address."]
    assert number.json()["errors"]["email"] == ["Must be a string."]
