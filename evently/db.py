"""Row lookups on the hottest paths, without the ORM's query compiler.

Every authenticated request loads its user by id, and every booking locks its event row by
id. Through the ORM each of those costs ~0.3 ms of Python to build and compile the query
(measured in docs/PERFORMANCE.md), more than the query itself. `fetch_by_pk` sends a
statement built once per model from its concrete fields, so it follows the model's columns,
and returns a regular model instance (`Model.from_db`, as the ORM would).
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@cache
def _select_by_pk(model: type[Model], for_update: bool) -> tuple[str, list[str], list[tuple]]:
    qn = connection.ops.quote_name
    fields = model._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(model._meta.db_table)}"
        f" WHERE {qn(model._meta.pk.column)} = %s"
    )
    if for_update and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    # What the ORM would apply to each column (SQLite's datetime parsing, from_db_value).
    # They depend on settings only, not on the connection they are bound to, so one list
    # serves every thread's connection.
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        funcs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if funcs:
            converters.append((i, col, funcs))
    return sql, [f.attname for f in fields], converters


def fetch_by_pk(model: type[M], pk: int, *, for_update: bool = False) -> M | None:
    """`model.objects.filter(pk=pk).first()` (`select_for_update()` with `for_update`), or None.

    `for_update` needs a transaction, like `select_for_update`."""
    if for_update and connection.get_autocommit():
        raise RuntimeError("fetch_by_pk(for_update=True) must run inside a transaction")
    sql, attnames, converters = _select_by_pk(model, for_update)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, col, funcs in converters:
        for convert in funcs:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, attnames, values)
