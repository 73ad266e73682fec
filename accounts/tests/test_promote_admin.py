import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_promotes_an_existing_user_case_insensitively() -> None:
    user = UserFactory(email="Kim@Example.com")

    call_command("promote_admin", "kim@example.com")

    user.refresh_from_db()
    assert user.role == User.Role.ADMIN
    assert user.is_staff


def test_unknown_email_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No user with email ghost@example.com"):
        call_command("promote_admin", "ghost@example.com")


def test_unknown_email_exits_1(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "JWT_SECRET": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "promote_admin", "ghost@example.com"],
        cwd=root, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "No user with email" in result.stderr


def test_create_makes_a_new_admin_who_can_log_in(api_client) -> None:
    call_command("promote_admin", "boss@example.com", "--create", "--name", "Boss", "--password", "s3cret-pass")

    user = User.objects.get(email="boss@example.com")
    assert (user.name, user.role) == ("Boss", User.Role.ADMIN)
    response = api_client.post("/auth/login", {"email": "boss@example.com", "password": "s3cret-pass"}, format="json")
    assert response.status_code == 200


def test_create_refuses_a_short_password() -> None:
    with pytest.raises(CommandError, match="at least"):
        call_command("promote_admin", "x@example.com", "--create", "--password", "short")
    assert not User.objects.filter(email="x@example.com").exists()


def test_create_takes_the_apis_rules_for_a_new_address_and_name() -> None:
    """An invisible character makes a lookalike of a real address: refused as at signup; a
    name of invisible characters only is no name (the address's local part stands in)."""
    for lookalike in ("boss@example.com\u200b", "\u0130lker@example.com", "not-an-email"):
        with pytest.raises(CommandError, match="Invalid email"):
            call_command("promote_admin", lookalike, "--create", "--password", "s3cret-pass")
    assert not User.objects.exists()

    call_command("promote_admin", "boss@example.com", "--create", "--name", "\u200b\u3164", "--password", "s3cret-pass")
    call_command("promote_admin", "kim@example.com", "--create", "--name", " Kim\u200e ", "--password", "s3cret-pass")

    assert list(User.objects.order_by("id").values_list("name", flat=True)) == ["boss", "Kim\u200e"]
