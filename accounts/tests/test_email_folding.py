"""Emails compare by full Unicode case folding, identically on PostgreSQL and SQLite."""

import pytest
from django.core.management import call_command

from accounts.models import User, fold_email
from accounts.selectors import user_get_by_email
from accounts.services import user_create, user_update
from accounts.exceptions import EmailAlreadyRegistered

pytestmark = pytest.mark.django_db

PASSWORD = "analytical-engine"


def signup(client, email: str, name: str = "Anna"):
    return client.post("/auth/signup", {"name": name, "email": email, "password": PASSWORD}, format="json")


def login(client, email: str):
    return client.post("/auth/login", {"email": email, "password": PASSWORD}, format="json")


@pytest.mark.parametrize(
    "typed, other",
    [
        ("anna@BÜRO.example", "anna@BÜRO.example"),
        ("anna@BÜRO.example", "ANNA@büro.example"),
        ("anna@büro.example", "Anna@BÜRO.EXAMPLE"),
        ("STRASSE@ΣΊΣΥΦΟΣ.example", "strasse@σίσυφος.example"),
        ("anna@ǅEMAL.example", "anna@ǆemal.example"),
    ],
)
def test_signup_then_login_in_any_case(api_client, typed: str, other: str) -> None:
    assert signup(api_client, typed).status_code == 200

    assert login(api_client, typed).status_code == 200
    assert login(api_client, other).status_code == 200


def test_email_is_kept_as_typed_for_display(api_client) -> None:
    body = signup(api_client, "anna@BÜRO.example").json()

    assert body["email"] == "anna@BÜRO.example"


@pytest.mark.parametrize(
    "first, second",
    [
        ("zoe@MÜNCHEN.example", "zoe@münchen.example"),
        ("zoe@münchen.example", "ZOE@MÜNCHEN.EXAMPLE"),
        ("elodie@ÉCOLE.example", "Elodie@école.example"),
        ("hans@strasse.example", "HANS@STRAßE.example"),  # ß folds to ss
    ],
)
def test_addresses_differing_only_in_case_are_one_account(api_client, first: str, second: str) -> None:
    assert signup(api_client, first).status_code == 200

    response = signup(api_client, second)

    assert response.status_code == 400
    assert response.json() == {"detail": "Email already registered"}
    assert User.objects.filter(email_folded=fold_email(first)).count() == 1


def test_the_database_refuses_a_second_folded_address() -> None:
    """The unique rule itself uses the folding, not only the service's pre-check."""
    from django.db import IntegrityError, transaction

    user_create(name="Zoe", email="zoe@MÜNCHEN.example", password=PASSWORD)
    clone = User(name="Zoe 2", email="zoe@münchen.example")
    clone.set_password(PASSWORD)

    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_admin_user_creation_uses_the_folded_address(admin_client) -> None:
    user_create(name="Zoe", email="zoe@münchen.example", password=PASSWORD)

    response = admin_client.post(
        "/admin/users", {"name": "Z", "email": "ZOE@MÜNCHEN.example", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400


def test_promote_admin_finds_the_account_in_any_case() -> None:
    user = user_create(name="Zoe", email="zoe@münchen.example", password=PASSWORD)

    call_command("promote_admin", "ZOE@MÜNCHEN.EXAMPLE")

    user.refresh_from_db()
    assert user.role == User.Role.ADMIN


def test_selector_lookup_for_password_reset_uses_the_folding() -> None:
    user = user_create(name="Zoe", email="zoe@münchen.example", password=PASSWORD)

    assert user_get_by_email(email="Zoe@MÜNCHEN.example") == user


def test_changing_the_email_refolds_it_and_keeps_it_unique() -> None:
    zoe = user_create(name="Zoe", email="zoe@münchen.example", password=PASSWORD)
    anna = user_create(name="Anna", email="anna@example.com", password=PASSWORD)

    user_update(user_id=anna.id, email="ANNA@Büro.example")
    with pytest.raises(EmailAlreadyRegistered):
        user_update(user_id=anna.id, email="ZOE@MÜNCHEN.example")

    anna.refresh_from_db()
    assert (anna.email, anna.email_folded) == ("ANNA@Büro.example", "anna@büro.example")
    assert User.objects.with_email("zoe@MÜNCHEN.example").get() == zoe


def test_migration_fills_the_folded_column(django_db_blocker) -> None:
    """0002 folds existing rows exactly as the model does."""
    from importlib import import_module

    migration = import_module("accounts.migrations.0002_email_folded")
    for email in ["anna@BÜRO.example", " Straße@Example.COM ", "ǅ@x.org", "ﬁ@example.com"]:
        assert migration._fold(email) == fold_email(email)


def test_bulk_create_folds_too() -> None:
    """Seeding scripts and tests create accounts in bulk; each still gets its folded address."""
    User.objects.bulk_create([User(name=f"B{i}", email=f"Bulk-{i}@MÜNCHEN.example", password="!") for i in range(3)])

    assert set(User.objects.filter(name__startswith="B").values_list("email_folded", flat=True)) == {
        f"bulk-{i}@münchen.example" for i in range(3)
    }
