"""Trigram indexes on the folded email and name (PostgreSQL only): the staff console's user
search (`email__folded_contains`, `name__folded_contains`) reads them instead of folding
every account (docs/PERFORMANCE.md §7)."""

from django.db import migrations

from evently.text_search import FoldedTrigramIndex


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_email_folded_idna")]

    operations = [
        FoldedTrigramIndex("user", "email", "accounts_user_email_folded_trgm"),
        FoldedTrigramIndex("user", "name", "accounts_user_name_folded_trgm"),
    ]
