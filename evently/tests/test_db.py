"""`fetch_by_pk` must return exactly what the ORM returns, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.forms.models import model_to_dict

from accounts.models import User
from accounts.tests.factories import UserFactory
from events.models import Event
from events.tests.factories import EventFactory
from evently.db import fetch_by_pk

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("make", [lambda: EventFactory(booked_count=3, seat_cols=10), UserFactory])
def test_the_row_is_the_one_the_orm_loads(make):
    created = make()
    model = type(created)
    expected = model.objects.get(pk=created.pk)

    fetched = fetch_by_pk(model, created.pk)

    assert type(fetched) is model and fetched.pk == created.pk
    assert fields(fetched) == fields(expected)
    assert not fetched._state.adding and fetched._state.db == "default"


def test_a_missing_row_is_none():
    assert fetch_by_pk(Event, 987654) is None
    assert fetch_by_pk(User, 987654) is None


def test_for_update_reads_the_row_with_a_row_lock(event):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = fetch_by_pk(Event, event.pk, for_update=True)

    assert model_to_dict(locked) == model_to_dict(Event.objects.get(pk=event.pk))
    (sql,) = [q["sql"] for q in queries if "events_event" in q["sql"]]
    assert sql.endswith("FOR UPDATE") == connection.features.has_select_for_update


@pytest.mark.django_db(transaction=True)
def test_for_update_outside_a_transaction_is_an_error():
    event = EventFactory()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        fetch_by_pk(Event, event.pk, for_update=True)
