"""The trigram indexes of the accounts' folded searches (accounts/0006): on PostgreSQL the
planner can answer `folded_contains` from them, which it can only if the index expression is
spelled exactly as the queries' `Fold()`; on SQLite the migration does nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEXES = {"accounts_user_email_folded_trgm", "accounts_user_name_folded_trgm"}


def _plan(queryset) -> str:
    """EXPLAIN of the queryset with full scans priced out: the test tables are tiny, and a
    planner left only bitmap scans (a GIN index's only kind) must use an index that serves
    the condition, if it has one, or filter every row of another index's bitmap."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's; CI's PostgreSQL pass runs this")
def test_the_folded_searches_read_their_trigram_indexes() -> None:
    UserFactory(name="Ada Straße", email="ada@example.com")

    accounts = User.objects.filter(Q(email__folded_contains="STRASSE") | Q(name__folded_contains="STRASSE"))
    assert list(accounts.values_list("name", flat=True)) == ["Ada Straße"]  # folded: ß is ss
    plan = _plan(accounts)
    assert "accounts_user_email_folded_trgm" in plan and "accounts_user_name_folded_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's; CI's PostgreSQL pass runs this")
def test_the_indexes_exist_after_migrating() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_folded_trgm"])
        assert {row[0] for row in cursor.fetchall()} == INDEXES


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite side of the same migrations")
def test_on_sqlite_the_migrations_add_no_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%folded_trgm'")
        assert cursor.fetchall() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's; CI's PostgreSQL pass runs this")
def test_without_pg_trgm_the_migration_goes_on_without_the_indexes(monkeypatch, caplog) -> None:
    """A database user that may not create the extension: a warning, no index, no failure
    (the searches stay correct). The refusal is simulated: the suite's user may create it."""
    from django.apps import apps
    from django.db import DatabaseError
    from django.db.migrations.state import ProjectState

    from evently import text_search

    real_cursor = connection.cursor

    def refusing_cursor(*args, **kwargs):
        cursor = real_cursor(*args, **kwargs)
        real_execute = cursor.execute

        def execute(sql, params=None):
            if "CREATE EXTENSION" in sql:
                raise DatabaseError('permission denied to create extension "pg_trgm"')
            return real_execute(sql, params)

        cursor.execute = execute
        return cursor

    operation = text_search.FoldedTrigramIndex("user", "email", "test_refused_folded_trgm")
    state = ProjectState.from_apps(apps)
    monkeypatch.setattr(connection, "cursor", refusing_cursor)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("accounts", editor, state, state)
    monkeypatch.undo()

    assert "pg_trgm is not available (permission denied" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'test_refused_folded_trgm'")
        assert cursor.fetchall() == []
