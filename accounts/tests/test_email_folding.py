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


@pytest.mark.parametrize(
    "first, second",
    [
        ("u@münchen.example", "u@xn--mnchen-3ya.example"),  # one mailbox, two spellings
        ("u@XN--MNCHEN-3YA.example", "U@München.example"),
        ("u@mail.xn--mnchen-3ya.example", "u@mail.münchen.example"),  # any label
    ],
)
def test_a_domain_in_unicode_and_ascii_encoded_is_one_account(api_client, first: str, second: str) -> None:
    assert signup(api_client, first).status_code == 200

    response = signup(api_client, second)

    assert response.status_code == 400
    assert response.json() == {"detail": "Email already registered"}
    assert login(api_client, second).status_code == 200  # either spelling signs in
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "victim, lookalike",
    [
        ("victim@example.com", "victim@exam\u1806ple.com"),
        ("victim@example.com", "victim@example\u1806.com"),
        ("victim@example.com", "victim@\u1806example.com"),
        ("victim@mail.example.com", "victim@mail.example\u3002com"),
        ("victim@mail.example.com", "victim@mail.example\uff61com"),
        ("victim@mail.example.com", "victim@mail\uff0eexample.com"),
    ],
)
def test_a_character_idna_drops_cannot_make_a_second_account_for_one_mailbox(
    api_client, victim: str, lookalike: str
) -> None:
    """U+1806 (MONGOLIAN TODO SOFT HYPHEN, a dash to Unicode) is mapped to nothing by IDNA's
    nameprep, and the ideographic, halfwidth and fullwidth full stops are dots to it: Django
    mails `victim@exam\u1806ple.com` and `victim@example\u3002com` to `victim@example.com`,
    reset links included. Refused like a zero-width space."""
    assert signup(api_client, victim).status_code == 200

    response = signup(api_client, lookalike)

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Enter a valid email address."]}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "victim, same_address",
    [
        ("victim@example.com", '"victim"@example.com'),
        ("victim@example.com", '"VICTIM"@example.com'),
        ("victim@example.com", '"vic\\tim"@example.com'),
        ("first.last@example.com", '"first.last"@example.com'),
    ],
)
def test_a_quoted_local_part_cannot_make_a_second_account_for_one_address(
    api_client, victim: str, same_address: str
) -> None:
    """RFC 5322's quotes (and a quoted pair's backslash) are semantically invisible:
    `"victim"@example.com` is the address `victim@example.com`, and mail sent to it (reset
    links included) reaches the victim. Django's validator takes the quoted form, which made
    a second account for the victim's own address. An address an account is given has no
    quoted local part; looking an account up (login, reset) keeps the plain check."""
    assert signup(api_client, victim).status_code == 200

    response = signup(api_client, same_address)

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Enter a valid email address."]}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "email",
    [
        "u@[10.0.0.5]", "u@[IPv6:::1]", "u@[127.0.0.1]", "u@localhost", "u@mailhost", "u@localhost.",
        # Names reserved for a host's or a network's own use: the loopback (RFC 6761:
        # every name under .localhost), link-local mDNS (.local, RFC 6762), private use
        # (.internal, ICANN 2024), reverse lookups and home networks (.arpa, home.arpa).
        "u@mail.localhost", "u@x.LOCALHOST.", "u@x.\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54",
        "u@printer.local", "u@metadata.google.internal", "u@router.home.arpa", "u@1.0.0.127.in-addr.arpa",
    ],
)
def test_an_account_address_names_a_public_domain(api_client, email: str) -> None:
    """An address literal or a dotless host would point the service's mail (reset links
    included) at hosts of its own network; the old service's email-validator refused both."""
    response = signup(api_client, email)

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Enter a valid email address."]}
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["u@xn--zz.example", "u@xn--.example", "u@xn--abc-.example", "u@xnabc.example"])
def test_a_label_that_only_looks_encoded_is_kept(email: str) -> None:
    """Not a valid encoding of non-ASCII text: compared as typed (case-folded)."""
    assert fold_email(email) == email.casefold()


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


def test_migration_0005_refolds_encoded_domains_and_refuses_a_clash() -> None:
    """0005 gives accounts with an `xn--` label today's fold, and stops (naming both) when
    two accounts turn out to be one mailbox."""
    from importlib import import_module

    from django.apps import apps as global_apps

    migration = import_module("accounts.migrations.0005_email_folded_idna")
    for email in ["u@XN--MNCHEN-3YA.example", "u@xn--zz.example", "a@b.example", " Straße@xn--bro-hoa.example "]:
        assert migration._fold(email) == fold_email(email)

    encoded = user_create(name="E", email="e@xn--mnchen-3ya.example", password=PASSWORD)
    User.objects.filter(pk=encoded.pk).update(email_folded="e@xn--mnchen-3ya.example")  # as stored before 0005
    migration.refold_encoded_domains(global_apps, None)
    encoded.refresh_from_db()
    assert encoded.email_folded == "e@münchen.example"

    unicode_one = user_create(name="F", email="f@münchen.example", password=PASSWORD)
    clash = user_create(name="G", email="g@xn--mnchen-3ya.example", password=PASSWORD)
    User.objects.filter(pk=clash.pk).update(email="f@xn--mnchen-3ya.example", email_folded="f@xn--mnchen-3ya.example")
    with pytest.raises(RuntimeError, match=f"{unicode_one.pk} and {clash.pk}"):
        migration.refold_encoded_domains(global_apps, None)


def test_bulk_create_folds_too() -> None:
    """Seeding scripts and tests create accounts in bulk; each still gets its folded address."""
    User.objects.bulk_create([User(name=f"B{i}", email=f"Bulk-{i}@MÜNCHEN.example", password="!") for i in range(3)])

    assert set(User.objects.filter(name__startswith="B").values_list("email_folded", flat=True)) == {
        f"bulk-{i}@münchen.example" for i in range(3)
    }
