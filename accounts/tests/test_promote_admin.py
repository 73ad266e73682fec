import io

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.promote_admin import Command
from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """A stdin that says it is a terminal (getpass itself is replaced in these tests)."""

    def isatty(self) -> bool:
        return True


def typed(monkeypatch: pytest.MonkeyPatch, *entries: str) -> list[str]:
    """Make getpass return `entries` in turn; returns the prompts it was shown."""
    prompts: list[str] = []
    answers = iter(entries)

    def getpass(prompt: str = "Password: ") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("accounts.management.commands.promote_admin.getpass.getpass", getpass)
    return prompts


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


def test_create_holds_a_name_to_the_apis_200_characters() -> None:
    """PostgreSQL failed with a DataError traceback; SQLite stored a name the API refuses."""
    with pytest.raises(CommandError, match="--name: Ensure this field has no more than 200 characters"):
        call_command("promote_admin", "long@example.com", "--create", "--name", "n" * 201, "--password", "s3cret-pass")
    call_command("promote_admin", "ok@example.com", "--create", "--name", "n" * 200, "--password", "s3cret-pass")

    assert list(User.objects.values_list("email", flat=True)) == ["ok@example.com"]


@pytest.mark.parametrize(
    "args, label",
    [
        (["\udcff@example.com"], "EMAIL"),  # the bytes b"\xff@…" as a shell hands them over
        (["\udcff@example.com", "--create", "--password", "s3cret-pass"], "EMAIL"),
        (["n6@example.com", "--create", "--name", "ab\udcffc", "--password", "s3cret-pass"], "--name"),
        (["n7@example.com", "--create", "--password", "s3cret-\udcff"], "--password"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_naming_them(args: list[str], label: str) -> None:
    """psycopg could not encode them: a traceback, where every other mistake is one line."""
    with pytest.raises(CommandError, match=f"{label} must be UTF-8 text: nothing changed"):
        call_command("promote_admin", *args)
    assert not User.objects.exists()


def test_a_password_from_the_environment_that_is_not_utf8_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "s3cret-\udcff")

    with pytest.raises(CommandError, match="EVENTLY_ADMIN_PASSWORD must be UTF-8 text"):
        call_command("promote_admin", "n8@example.com", "--create")
    assert not User.objects.exists()


# --- an existing account: no option dropped, no misleading "Promoted" --------------------


def test_name_and_password_for_an_existing_account_are_refused() -> None:
    user = UserFactory(email="kim@example.com", name="Kim")
    password_hash = user.password

    with pytest.raises(CommandError, match="apply only when creating an account.*password reset"):
        call_command("promote_admin", "kim@example.com", "--create", "--name", "X", "--password", "s3cret-pass")

    user.refresh_from_db()
    assert (user.role, user.name, user.password) == (User.Role.USER, "Kim", password_hash)


def test_a_name_alone_for_an_existing_account_is_refused() -> None:
    user = UserFactory(email="kim@example.com", name="Kim")

    with pytest.raises(CommandError, match="apply only when creating"):
        call_command("promote_admin", "kim@example.com", "--name", "X")

    user.refresh_from_db()
    assert (user.role, user.name) == (User.Role.USER, "Kim")


def test_create_alone_promotes_an_existing_account_without_asking_for_a_password(monkeypatch) -> None:
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "another-pass-1")
    user = UserFactory(email="kim@example.com")
    password_hash = user.password
    out = io.StringIO()

    call_command("promote_admin", "kim@example.com", "--create", stdout=out, stdin=Terminal())

    user.refresh_from_db()
    assert (user.role, user.password) == (User.Role.ADMIN, password_hash)
    assert "Promoted to admin: kim@example.com" in out.getvalue()


def test_an_admin_already_is_told_so() -> None:
    admin = UserFactory(email="boss@example.com", role=User.Role.ADMIN)
    out = io.StringIO()

    call_command("promote_admin", "boss@example.com", stdout=out)

    assert out.getvalue() == f"Already an admin: boss@example.com (id {admin.id}); nothing changed\n"


def test_a_password_in_the_environment_for_an_existing_account_is_said_to_be_ignored(monkeypatch) -> None:
    user = UserFactory(email="kim@example.com", password="old-password-1")
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "new-password-1")
    err = io.StringIO()

    call_command("promote_admin", "kim@example.com", "--create", stdout=io.StringIO(), stderr=err)

    user.refresh_from_db()
    assert user.role == User.Role.ADMIN and user.check_password("old-password-1")
    assert err.getvalue() == "EVENTLY_ADMIN_PASSWORD is ignored: kim@example.com exists, and its password is unchanged\n"


@pytest.mark.parametrize("role", [User.Role.USER, User.Role.ADMIN])
def test_a_deactivated_account_is_refused(role) -> None:
    user = UserFactory(email="kim@example.com", role=role, is_active=False)

    with pytest.raises(CommandError, match="deactivated.*reactivate the account in the staff console"):
        call_command("promote_admin", "kim@example.com")

    user.refresh_from_db()
    assert (user.role, user.is_active) == (role, False)


def test_a_refusal_is_one_line_on_stderr_and_exit_1(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "JWT_SECRET": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("EVENTLY_ADMIN_PASSWORD", None)
    manage = [sys.executable, "manage.py", "promote_admin"]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    subprocess.run([*manage, "kim@example.com", "--create", "--password", "s3cret-pass"], cwd=root, env=env, check=True)

    for args in (
        ["kim@example.com", "--create", "--name", "X", "--password", "other-pass-1"],
        ["new@example.com", "--create"],  # no --password, no EVENTLY_ADMIN_PASSWORD, stdin not a terminal
    ):
        result = subprocess.run([*manage, *args], cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("CommandError: ")


# --- the password of a new account --------------------------------------------------------


def test_create_takes_the_password_from_the_environment(monkeypatch, api_client) -> None:
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "s3cret-pass")

    call_command("promote_admin", "boss@example.com", "--create", stdin=io.StringIO())

    assert User.objects.get(email="boss@example.com").role == User.Role.ADMIN
    response = api_client.post("/auth/login", {"email": "boss@example.com", "password": "s3cret-pass"}, format="json")
    assert response.status_code == 200


def test_a_password_from_the_environment_meets_the_policy(monkeypatch) -> None:
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "short")

    with pytest.raises(CommandError, match="at least.*EVENTLY_ADMIN_PASSWORD"):
        call_command("promote_admin", "boss@example.com", "--create", stdin=io.StringIO())

    assert not User.objects.filter(email="boss@example.com").exists()


def test_password_on_the_command_line_wins_over_the_environment(monkeypatch, api_client) -> None:
    monkeypatch.setenv("EVENTLY_ADMIN_PASSWORD", "from-the-env-1")

    call_command("promote_admin", "boss@example.com", "--create", "--password", "s3cret-pass")

    response = api_client.post("/auth/login", {"email": "boss@example.com", "password": "s3cret-pass"}, format="json")
    assert response.status_code == 200


def test_create_prompts_twice_at_a_terminal(monkeypatch, api_client) -> None:
    monkeypatch.delenv("EVENTLY_ADMIN_PASSWORD", raising=False)
    prompts = typed(monkeypatch, "s3cret-pass", "s3cret-pass")

    call_command("promote_admin", "boss@example.com", "--create", stdin=Terminal())

    assert len(prompts) == 2
    response = api_client.post("/auth/login", {"email": "boss@example.com", "password": "s3cret-pass"}, format="json")
    assert response.status_code == 200


def test_a_typed_password_meets_the_policy(monkeypatch) -> None:
    monkeypatch.delenv("EVENTLY_ADMIN_PASSWORD", raising=False)
    typed(monkeypatch, "short", "short")

    with pytest.raises(CommandError, match="at least"):
        call_command("promote_admin", "boss@example.com", "--create", stdin=Terminal())

    assert not User.objects.filter(email="boss@example.com").exists()


def test_two_different_typed_passwords_are_refused(monkeypatch) -> None:
    monkeypatch.delenv("EVENTLY_ADMIN_PASSWORD", raising=False)
    typed(monkeypatch, "s3cret-pass", "s3cret-pasz")

    with pytest.raises(CommandError, match="do not match"):
        call_command("promote_admin", "boss@example.com", "--create", stdin=Terminal())

    assert not User.objects.filter(email="boss@example.com").exists()


def test_an_abandoned_prompt_changes_nothing(monkeypatch) -> None:
    monkeypatch.delenv("EVENTLY_ADMIN_PASSWORD", raising=False)

    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("accounts.management.commands.promote_admin.getpass.getpass", interrupted)

    with pytest.raises(CommandError, match="No password entered"):
        call_command("promote_admin", "boss@example.com", "--create", stdin=Terminal())

    assert not User.objects.filter(email="boss@example.com").exists()


def test_no_password_and_no_terminal_is_refused(monkeypatch) -> None:
    monkeypatch.delenv("EVENTLY_ADMIN_PASSWORD", raising=False)
    typed(monkeypatch)  # a prompt would fail the test (StopIteration)

    with pytest.raises(CommandError, match="set EVENTLY_ADMIN_PASSWORD or pass --password"):
        call_command("promote_admin", "boss@example.com", "--create", stdin=io.StringIO())

    assert not User.objects.filter(email="boss@example.com").exists()


def test_password_help_says_the_option_is_visible_to_other_users() -> None:
    parser = Command().create_parser("manage.py", "promote_admin")

    assert "visible to other local users" in parser.format_help()


def test_the_service_refuses_to_promote_a_deactivated_account() -> None:
    # The rule lives in accounts.services (the command only words it for the operator).
    from accounts.exceptions import AccountDeactivated
    from accounts.services import user_promote_admin

    user = UserFactory(email="kim@example.com", is_active=False)

    with pytest.raises(AccountDeactivated):
        user_promote_admin(email="KIM@example.com", create=True)

    user.refresh_from_db()
    assert user.role == User.Role.USER
