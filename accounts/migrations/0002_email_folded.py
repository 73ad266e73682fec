"""Emails compare by full Unicode case folding, computed once in Python into `email_folded`
(unique), instead of each database's LOWER(), which disagree on non-ASCII letters."""

import unicodedata

from django.db import migrations, models

import accounts.models


def _fold(email: str) -> str:
    # A frozen copy of accounts.models.fold_email: migrations must not change when it does.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email.strip()).casefold())


def fill_email_folded(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: dict[str, int] = {}
    clashes = []
    for user_id, email in User.objects.order_by("id").values_list("id", "email").iterator():
        folded = _fold(email)
        if folded in seen:
            clashes.append(f"{seen[folded]} and {user_id} ({folded})")
            continue
        seen[folded] = user_id
        User.objects.filter(id=user_id).update(email_folded=folded)
    if clashes:
        raise RuntimeError(
            "These accounts have addresses that differ only in case and are now one address: "
            + "; ".join(clashes)
            + ". Change the email of one account of each pair (or merge them), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_folded",
            field=models.CharField(editable=False, max_length=762, null=True),
        ),
        migrations.RunPython(fill_email_folded, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="user", name="accounts_user_email_ci_unique"),
        migrations.AlterField(
            model_name="user",
            name="email_folded",
            field=accounts.models.FoldedEmailField(editable=False, max_length=762, unique=True),
        ),
    ]
