"""Django's own account commands, `createsuperuser` and `changepassword`, as an operator
would reach for them: neither may write an account behind the services' back (the rules of
promote_admin and of the console's "Change password")."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def typed(monkeypatch: pytest.MonkeyPatch, *entries: str) -> None:
    answers = iter(entries)
    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": next(answers))


@pytest.mark.parametrize(
    "args",
    [
        ["--noinput", "--email", "boss@example.com", "--name", "Boss"],
        # Another account's address in another case: once an IntegrityError traceback.
        ["--noinput", "--email", "KIM@example.com", "--name", "Kim"],
        ["--noinput", "--email", "long@example.com", "--name", "n" * 201],
    ],
)
def test_createsuperuser_points_to_promote_admin_and_creates_nothing(monkeypatch, args) -> None:
    UserFactory(email="kim@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x")  # a password the policy refuses

    with pytest.raises(CommandError, match="promote_admin"):
        call_command("createsuperuser", *args)

    assert list(User.objects.values_list("email", flat=True)) == ["kim@example.com"]


def test_changepassword_ends_older_access_tokens(monkeypatch, api_client) -> None:
    """As the console's "Change password" and a reset: a token stolen before the change stops
    working (Django's own command only re-hashed the password)."""
    user = UserFactory(email="kim@example.com")
    login = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    token = login.json()["access_token"]
    typed(monkeypatch, "a-brand-new-secret-9", "a-brand-new-secret-9")

    call_command("changepassword", "KIM@example.com")  # the address in any case, as a login

    assert api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-9")


def test_changepassword_holds_the_password_policy_and_unknown_accounts(monkeypatch) -> None:
    user = UserFactory(email="kim@example.com")
    typed(monkeypatch, *["short"] * 6)

    with pytest.raises(CommandError):
        call_command("changepassword", "kim@example.com")
    with pytest.raises(CommandError, match="ghost@example.com"):
        call_command("changepassword", "ghost@example.com")

    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD) and user.tokens_valid_after is None


@pytest.mark.parametrize("interruption", [EOFError, KeyboardInterrupt])
def test_changepassword_without_an_answer_is_a_clear_error(monkeypatch, interruption) -> None:
    """stdin at its end (a cron job, `< /dev/null`) or Ctrl-C at the prompt: one line, exit 1,
    not getpass's EOFError traceback."""
    user = UserFactory(email="kim@example.com")

    def getpass(prompt: str = "Password: ") -> str:
        raise interruption

    monkeypatch.setattr("getpass.getpass", getpass)

    with pytest.raises(CommandError, match="nothing changed"):
        call_command("changepassword", "kim@example.com")
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_changepassword_after_a_change_made_while_it_asked_is_a_clear_error(monkeypatch) -> None:
    """The account is read before the prompts; a reset committed while the operator types
    makes user_change_password refuse: one line, exit 1, the other change kept, not a
    PasswordChangedMeanwhile traceback."""
    from accounts.services import user_change_password

    user = UserFactory(email="kim@example.com")
    answers = iter(["a-brand-new-secret-9", "a-brand-new-secret-9"])

    def getpass(prompt: str = "Password: ") -> str:
        if prompt == "Password: ":  # the owner resets the password meanwhile
            user_change_password(user=User.objects.get(pk=user.pk), password="the-owners-own-reset-1")
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)

    with pytest.raises(CommandError, match="nothing changed"):
        call_command("changepassword", "kim@example.com")
    user.refresh_from_db()
    assert user.check_password("the-owners-own-reset-1")
