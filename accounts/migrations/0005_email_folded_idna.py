"""`email_folded` decodes a domain's ASCII-encoded (IDNA `xn--`) labels, so `u@xn--mnchen-3ya.de`
and `u@münchen.de`, one mailbox, are one address. Refolds the accounts whose address has
such a label; the others keep their value (their fold is unchanged)."""

import unicodedata

from django.db import migrations


def _decoded_label(label: str) -> str:
    if label[:4].lower() != "xn--" or not label.isascii():
        return label
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label
    return decoded if decoded and not decoded.isascii() else label


def _fold(email: str) -> str:
    # A frozen copy of accounts.models.fold_email: migrations must not change when it does.
    local, at, domain = unicodedata.normalize("NFKC", email.strip()).rpartition("@")
    if at:
        domain = ".".join(_decoded_label(label) for label in domain.split("."))
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", f"{local}{at}{domain}").casefold())


def refold_encoded_domains(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    clashes = []
    for user_id, email in User.objects.filter(email__icontains="xn--").order_by("id").values_list("id", "email"):
        folded = _fold(email)
        other = User.objects.filter(email_folded=folded).exclude(id=user_id).values_list("id", flat=True).first()
        if other is not None:
            clashes.append(f"{other} and {user_id} ({folded})")
            continue
        User.objects.filter(id=user_id).update(email_folded=folded)
    if clashes:
        raise RuntimeError(
            "These accounts have the same mailbox, its domain spelled once in Unicode and once "
            "ASCII-encoded (xn--): " + "; ".join(clashes)
            + ". Change the email of one account of each pair (or merge them), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_checkin")]

    operations = [migrations.RunPython(refold_encoded_domains, migrations.RunPython.noop, elidable=False)]
