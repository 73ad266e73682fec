"""user_update's check of the values a change was made on (the console page's `shown`)."""

import pytest

from accounts.exceptions import UserChangedMeanwhile
from accounts.models import User
from accounts.services import user_update
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_made_on_outdated_values_is_refused_and_changes_nothing(admin) -> None:
    # Given a user as a page showed it, then made checkin by someone else
    user = UserFactory(name="Before")
    shown = {"name": "Before", "email": user.email, "role": "user", "is_active": True}
    user_update(user_id=user.id, role=User.Role.CHECKIN)

    # When the page's edit (the name, and the role it showed) is saved
    with pytest.raises(UserChangedMeanwhile):
        user_update(user_id=user.id, shown=shown, name="Renamed", role=User.Role.USER)

    # Then nothing of it is saved
    user.refresh_from_db()
    assert (user.name, user.role) == ("Before", User.Role.CHECKIN)


def test_a_change_made_on_current_values_is_saved(admin) -> None:
    user = UserFactory(name="Before")
    shown = {"name": "Before", "email": user.email, "role": "user", "is_active": True}

    user_update(user_id=user.id, shown=shown, name="Renamed")

    user.refresh_from_db()
    assert user.name == "Renamed"


def test_shown_names_only_editable_fields(admin) -> None:
    user = UserFactory()

    with pytest.raises(TypeError):
        user_update(user_id=user.id, shown={"password": "x"}, name="Renamed")
