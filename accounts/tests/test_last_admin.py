"""No path leaves the service without an ACTIVE admin."""

import pytest
from django.core.management import call_command

from accounts.exceptions import LastAdmin
from accounts.models import User
from accounts.services import user_set_role, user_update
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_last_active_admin_cannot_demote_itself_when_the_other_admin_is_inactive(admin, admin_client) -> None:
    UserFactory(role=User.Role.ADMIN, is_active=False)  # deactivated in the console

    response = admin_client.patch(f"/admin/users/{admin.id}/role", {"role": "user"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "Cannot remove the last admin"}
    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN


def test_an_admin_can_be_demoted_while_another_active_admin_remains(admin, admin_client) -> None:
    other = UserFactory(role=User.Role.ADMIN)

    response = admin_client.patch(f"/admin/users/{other.id}/role", {"role": "user"}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize("change", [{"role": "user"}, {"is_active": False}, {"role": "user", "is_active": False}])
def test_service_refuses_every_change_that_removes_the_last_active_admin(admin, change) -> None:
    UserFactory(role=User.Role.ADMIN, is_active=False)

    with pytest.raises(LastAdmin):
        user_update(user_id=admin.id, **change, name="Renamed")

    admin.refresh_from_db()
    assert (admin.role, admin.is_active, admin.name) == (User.Role.ADMIN, True, admin.name)
    assert admin.name != "Renamed"


def test_deactivating_a_plain_user_or_an_inactive_admin_is_allowed(admin) -> None:
    plain = UserFactory()
    dormant = UserFactory(role=User.Role.ADMIN, is_active=False)

    user_update(user_id=plain.id, is_active=False)
    user_set_role(user_id=dormant.id, role=User.Role.USER)

    assert not User.objects.get(pk=plain.pk).is_active
    assert User.objects.get(pk=dormant.pk).role == User.Role.USER


def test_reactivated_admin_counts_again(admin) -> None:
    dormant = UserFactory(role=User.Role.ADMIN, is_active=False)
    user_update(user_id=dormant.id, is_active=True)

    user_set_role(user_id=admin.id, role=User.Role.USER)

    assert User.objects.active_admins().get() == dormant


def test_promote_admin_command_never_removes_power(admin) -> None:
    call_command("promote_admin", admin.email)

    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN


def test_the_last_admin_rule_judges_the_user_as_it_is_under_the_lock(admin, monkeypatch) -> None:
    """user_update reads the user's role and active flag under the lock, not before it: a
    change committed between a read before the lock and the lock must not decide the rule.
    Here `plain` is promoted and `admin` demoted (allowed: `plain` is an admin then) just
    before the lock is taken; re-activating `plain`, an active admin by then, is a no-op and
    must not be refused as the removal of the last admin (the stale read said role=user)."""
    plain = UserFactory()
    active_admins = User.objects.active_admins

    def others_commit_first():
        # Given two changes by others landing once user_update has started
        monkeypatch.setattr(User.objects, "active_admins", active_admins)
        User.objects.filter(pk=plain.pk).update(role=User.Role.ADMIN)
        User.objects.filter(pk=admin.pk).update(role=User.Role.USER)
        return active_admins()

    monkeypatch.setattr(User.objects, "active_admins", others_commit_first)

    # When plain's (already true) active flag is set again
    user_update(user_id=plain.id, is_active=True)

    # Then it is allowed, and the service leaves one active admin
    assert list(User.objects.active_admins()) == [plain]
