"""POST /auth/password-reset and /auth/password-reset/confirm (accounts, with the email
delivered by notifications)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.contrib.auth.tokens import default_token_generator
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from notifications.models import Notification

NEW_PASSWORD = "a-brand-new-secret"


def _request_reset(api_client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return api_client.post("/auth/password-reset", {"email": email}, format="json")


def _link(message) -> tuple[str, str, str]:
    url = re.search(r"https?://\S+/app/reset-password\?\S+", message.body).group(0)
    query = parse_qs(urlparse(url).query)
    return url, query["uid"][0], query["token"][0]


def test_known_and_unknown_emails_get_the_same_202(api_client, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    known = _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    unknown = _request_reset(api_client, "nobody@example.com", django_capture_on_commit_callbacks)

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() and "detail" in known.json()
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert Notification.objects.get(user=user).kind == "password_reset"


def test_the_reset_email_points_to_its_own_link(api_client, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    """The in-app notification says "the link in the email"; the email itself says "below"."""
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "Use the link below" in text and "in the email we sent" not in text
    assert "in the email we sent" in Notification.objects.get(user=user).body


def test_the_lookup_folds_case_like_login(api_client, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    _request_reset(api_client, user.email.upper(), django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [[user.email]]


def test_an_inactive_account_gets_no_email(api_client, db, mailoutbox, django_capture_on_commit_callbacks) -> None:
    user = UserFactory(is_active=False)

    response = _request_reset(api_client, user.email, django_capture_on_commit_callbacks)

    assert response.status_code == 202 and mailoutbox == []


def test_an_account_from_before_the_lookalike_rule_can_still_reset(api_client, db, mailoutbox, django_capture_on_commit_callbacks) -> None:
    """Signup now refuses a non-ASCII local part such as `İ`; an account that has one keeps
    its way back in: the reset only looks the address up."""
    user = UserFactory(email="\u0130lker@example.com")

    response = _request_reset(api_client, user.email, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_a_malformed_email_is_422(api_client, db) -> None:
    response = api_client.post("/auth/password-reset", {"email": "not an email"}, format="json")

    assert response.status_code == 422 and "email" in response.json()["errors"]


def test_the_link_sets_a_new_password_once(api_client, user, mailoutbox, settings, django_capture_on_commit_callbacks) -> None:
    settings.WEB_APP_URL = "https://tickets.example.org"
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    url, uid, token = _link(mailoutbox[0])
    assert url.startswith("https://tickets.example.org/app/reset-password?uid=")

    confirmed = api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": NEW_PASSWORD}, format="json")

    assert confirmed.status_code == 200
    assert confirmed.json() == {"id": user.id, "name": user.name, "email": user.email, "role": "user"}
    assert api_client.post("/auth/login", {"email": user.email, "password": NEW_PASSWORD}, format="json").status_code == 200
    assert api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json").status_code == 401
    again = api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "yet-another-one"}, format="json")
    assert again.status_code == 400 and again.json() == {"detail": "Invalid or expired link"}


def test_an_expired_link_is_refused(api_client, user, mailoutbox, monkeypatch, settings, django_capture_on_commit_callbacks) -> None:
    settings.PASSWORD_RESET_TIMEOUT = 3600
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    _, uid, token = _link(mailoutbox[0])
    issued = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: issued.replace(microsecond=0) + timedelta(seconds=3601))

    response = api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": NEW_PASSWORD}, format="json")

    assert response.status_code == 400 and response.json() == {"detail": "Invalid or expired link"}


def test_bad_uids_and_tokens_are_400_never_500(api_client, user) -> None:
    for uid, token in [("", "x"), ("!!!", "x"), ("MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NQ", "x"), ("MQ", "abc-def"), ("LTE", "a-b")]:
        response = api_client.post("/auth/password-reset/confirm", {"uid": uid or "x", "token": token, "password": NEW_PASSWORD}, format="json")
        assert response.status_code == 400, (uid, response.content)


def test_a_weak_password_is_422(api_client, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    _, uid, token = _link(mailoutbox[0])

    response = api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "short"}, format="json")

    assert response.status_code == 422 and "password" in response.json()["errors"]


def test_a_reset_ends_older_access_tokens(api_client, client_for, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    old_session = client_for(user)
    assert old_session.get("/auth/me").status_code == 200
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    _, uid, token = _link(mailoutbox[0])

    api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": NEW_PASSWORD}, format="json")

    assert old_session.get("/auth/me").status_code == 401
    login = api_client.post("/auth/login", {"email": user.email, "password": NEW_PASSWORD}, format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")
    assert api_client.get("/auth/me").status_code == 200


def test_a_token_without_iat_is_refused_after_a_reset(api_client, user) -> None:
    legacy = AccessToken.for_user(user)
    del legacy["iat"]
    user.tokens_valid_after = user.created_at
    user.save(update_fields=["tokens_valid_after"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {legacy}")

    assert api_client.get("/auth/me").status_code == 401


def test_password_reset_is_rate_limited_per_ip(api_client, db, settings) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_PASSWORD_RESET = "2/m"

    statuses = [
        api_client.post("/auth/password-reset", {"email": f"x{i}@example.com"}, format="json").status_code
        for i in range(3)
    ]

    assert statuses == [202, 202, 429]


def test_a_login_right_after_a_reset_is_not_ended_by_it(api_client, client_for, user, mailoutbox, django_capture_on_commit_callbacks) -> None:
    """Tokens carry their issue time in milliseconds: a login in the same second as the reset
    works at once (with whole seconds it was refused until the next second, and the web app
    logged the person out again), while every token issued before the reset is refused."""
    before = client_for(user)
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    _, uid, token = _link(mailoutbox[0])
    api_client.post("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": NEW_PASSWORD}, format="json")

    login = api_client.post("/auth/login", {"email": user.email, "password": NEW_PASSWORD}, format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")

    assert api_client.get("/auth/me").status_code == 200
    assert before.get("/auth/me").status_code == 401
