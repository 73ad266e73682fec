"""Project-wide fixtures: API clients, users and events from the apps' factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from accounts.tokens import AccessToken

from accounts.models import User
from accounts.tests.factories import UserFactory
from events.models import Event
from events.tests.factories import EventFactory


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def token_for(user: User) -> str:
    return str(AccessToken.for_user(user))


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client authenticated as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return make


@pytest.fixture
def user(db: None) -> User:
    return UserFactory()


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(role=User.Role.ADMIN)


@pytest.fixture
def user_client(user: User, client_for: Callable[[User], APIClient]) -> APIClient:
    return client_for(user)


@pytest.fixture
def admin_client(admin: User, client_for: Callable[[User], APIClient]) -> APIClient:
    return client_for(admin)


@pytest.fixture
def event(db: None) -> Event:
    return EventFactory()
