"""Unicode case folding that is identical on PostgreSQL and SQLite.

Python's `lower()` and each database's `LOWER()` disagree on non-ASCII letters (SQLite's only
folds ASCII; PostgreSQL's follows the database's locale, which may be plain `C`). Both sides
here use one definition, `lower(upper(lower(text)))` with Unicode's full case mappings and
every sigma written `σ` (no final `ς`): `MÜNCHEN`, `München` and `münchen` fold alike, and
so do `STRASSE`, `Straße` and `STRAẞE`, and `ΟΔΥΣ`, `οδυσ` and `Οδυσσέας`'s first letters.
(The first `lower` matters for the capital sharp s: `ẞ` upper-cases to itself and
lower-cases to `ß`, which only then upper-cases to `SS`.)

- `fold(text)` is the Python side (for the needle);
- `field__folded_contains=text` is the lookup "`text` is a substring under this folding" (the
  staff console's search fields use it, so its search box finds what `GET /events?q=` finds);
- `Fold(expression)` is the SQL side: on PostgreSQL `LOWER(UPPER(LOWER(x COLLATE "und-x-icu")))`
  with `ς` replaced by `σ` (ICU's root locale, the same mappings as Python's) when the server
  has ICU, else the database's own LOWER/UPPER; on SQLite a deterministic Python function
  registered on the connection.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction
from django.db.backends.signals import connection_created
from django.db.models import CharField, Func
from django.db.models.lookups import Contains

logger = logging.getLogger(__name__)

SQLITE_FUNCTION = "evently_fold"
# The last lower() writes a capital Σ at the end of a word as ς: a needle typed up to a σ
# ("οδυσσ" of "Οδυσσέας") would end in ς and find nothing. Both sides write every sigma σ.
FINAL_SIGMA, SIGMA = "\u03c2", "\u03c3"
ICU_COLLATION = "und-x-icu"
_icu_available: dict[str, bool] = {}


def fold(text: str) -> str:
    """Full Unicode case folding as both databases compute it."""
    return text.lower().upper().lower().replace(FINAL_SIGMA, SIGMA)


def _sqlite_fold(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value


def register_sqlite_function(dbapi_connection: Any) -> None:
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        register_sqlite_function(connection.connection)


connection_created.connect(_on_connection_created, dispatch_uid="evently.text_search")


def _has_icu(connection: Any) -> bool:
    if connection.alias not in _icu_available:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [ICU_COLLATION])
            _icu_available[connection.alias] = cursor.fetchone() is not None
    return _icu_available[connection.alias]


def _postgresql_template(connection: Any) -> str:
    """The folding on PostgreSQL around `%(expressions)s`: queries and the trigram indexes
    (`FoldedTrigramIndex`) must spell it identically, or the planner cannot use the index."""
    if _has_icu(connection):
        return f'REPLACE(LOWER(UPPER(LOWER(%(expressions)s COLLATE "{ICU_COLLATION}"))), \'{FINAL_SIGMA}\', \'{SIGMA}\')'
    return f"REPLACE(LOWER(UPPER(LOWER(%(expressions)s))), '{FINAL_SIGMA}', '{SIGMA}')"


class Fold(Func):
    """SQL expression: the case-folded text of `expression` (see the module docstring)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Connections opened before this module was imported did not get the function from
        # the signal: register it here too (idempotent and cheap).
        connection.ensure_connection()
        register_sqlite_function(connection.connection)
        return Func.as_sql(self, compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return Func.as_sql(self, compiler, connection, template=_postgresql_template(connection), **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # other databases
        extra.setdefault("template", f"REPLACE(LOWER(UPPER(LOWER(%(expressions)s))), '{FINAL_SIGMA}', '{SIGMA}')")
        return super().as_sql(compiler, connection, **extra)


class FoldedContains(Contains):
    """`Fold(field) LIKE '%' || fold(value) || '%'`: what the events selector's `q` does, as a
    lookup (`name__folded_contains`) that Django's admin can name in `search_fields`. (Its
    class keeps Contains's `lookup_name`, which picks the database's LIKE operator and the
    escaping of `%` and `_`; it is registered under its own name.)"""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        super().__init__(Fold(lhs), fold(rhs) if isinstance(rhs, str) else rhs)


CharField.register_lookup(FoldedContains, lookup_name="folded_contains")


class FoldedTrigramIndex(migrations.operations.base.Operation):
    """Migration operation: on PostgreSQL, a GIN trigram index (`pg_trgm`) on `Fold(field)`,
    which serves `field__folded_contains` and `Fold(field)` LIKE searches of three or more
    characters (used for the staff console's user search: accounts/0006) instead of folding
    every row. Elsewhere (SQLite) it does nothing.

    Creates the `pg_trgm` extension when missing (a trusted extension since PostgreSQL 13: the
    database owner may). Where it cannot be created, the migration goes on without the index
    and says so: searches stay correct, only slower (docs/PERFORMANCE.md §7). Not part of the
    model state, so `makemigrations` neither creates nor drops it.
    """

    reversible = True

    def __init__(self, model_name: str, field_name: str, name: str) -> None:
        self.model_name, self.field_name, self.name = model_name, field_name, name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "field_name": self.field_name, "name": self.name}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not _trigram_extension(connection):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        column = quote(model._meta.get_field(self.field_name).column)
        folded = _postgresql_template(connection) % {"expressions": column}
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(model._meta.db_table)} "
            f"USING gin (({folded}) gin_trgm_ops)"
        )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self) -> str:
        return f"Trigram index {self.name} on the folded {self.model_name}.{self.field_name} (PostgreSQL)"


def _trigram_extension(connection: Any) -> bool:
    """True when `pg_trgm` is installed in the database, installing it if needed and allowed."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm is not available (%s): folded searches get no trigram index", str(exc).strip())
        return False
    return True
