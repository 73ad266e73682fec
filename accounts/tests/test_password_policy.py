"""The password policy is Django's AUTH_PASSWORD_VALIDATORS, applied by user_create itself."""

import pytest
from django.test import override_settings

from accounts.exceptions import WeakPassword
from accounts.models import User
from accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_user_create_refuses_a_short_password_itself() -> None:
    with pytest.raises(WeakPassword) as refused:
        user_create(name="Ada", email="ada@example.com", password="short")

    assert refused.value.status_code == 422
    assert "at least 8" in refused.value.extra["errors"]["password"][0]
    assert not User.objects.with_email("ada@example.com").exists()


@override_settings(PASSWORD_MIN_LENGTH=12)
def test_the_minimum_follows_the_setting_in_the_service() -> None:
    with pytest.raises(WeakPassword):
        user_create(name="Ada", email="ada@example.com", password="elevenchars")

    assert user_create(name="Ada", email="ada@example.com", password="twelve-chars").pk


@pytest.mark.parametrize("password", ["password", "12345678", "ada@example.com", "aaaaaaaa"])
def test_no_rule_beyond_the_contracts_minimum(password: str) -> None:
    """Common, numeric or email-like passwords of the minimum length are accepted (the contract
    refuses only short ones)."""
    assert user_create(name="Ada", email="ada@example.com", password=password).check_password(password)


def test_weak_password_is_a_422_with_the_field(api_client) -> None:
    response = api_client.post(
        "/auth/signup", {"name": "Ada", "email": "ada@example.com", "password": "short"}, format="json"
    )

    assert response.status_code == 422
    assert "password" in response.json()["errors"]
