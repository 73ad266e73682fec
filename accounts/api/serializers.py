from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from accounts.validators import validate_account_email
from evently.api.fields import EmailTextField, TextField


class UserOutputSerializer(serializers.ModelSerializer):
    # The address as typed. A plain string in the schema: an internationalized address
    # (`u@straße.de`), which signup accepts, fails an OpenAPI `format: email` check.
    email = serializers.CharField()

    class Meta:
        model = User
        fields = ["id", "name", "email", "role"]
        # An output body: every field is always there (read-only makes the schema say so;
        # `role`, a model field with a default, was optional in it).
        read_only_fields = fields
        extra_kwargs = {"role": {"help_text": "user, admin, or checkin (door staff)"}}


class SignupInputSerializer(serializers.Serializer):
    """Unknown fields (`role`, `is_staff`, ...) are ignored: signup only makes users."""

    name = TextField(max_length=200, help_text="the name organizers and door staff see")
    email = EmailTextField(
        max_length=254, validators=[validate_account_email], help_text="also the login; compared case-insensitively"
    )
    # The password policy (AUTH_PASSWORD_VALIDATORS) is the service's rule (WeakPassword, 422).
    password = TextField(trim_whitespace=False, help_text="at least 8 characters (PASSWORD_MIN_LENGTH)")


class AdminUserCreateInputSerializer(SignupInputSerializer):
    role = serializers.ChoiceField(choices=User.Role.choices, default=User.Role.USER, help_text="default user")


class LoginInputSerializer(serializers.Serializer):
    email = TextField(max_length=254, help_text="the address the account signed up with, in any case")
    password = TextField(trim_whitespace=False, max_length=4096)


class TokenOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField(help_text="send as `Authorization: Bearer <access_token>`")
    token_type = serializers.CharField(help_text="always `bearer`")


# PATCH /admin/users/{id}/role's body: the whole of it (`role` is required), never a partial
# update. drf-spectacular marks every PATCH body partial and so documented `role` as optional;
# this serializer cannot be made partial. (A comment, not a docstring: the schema would show it.)
class RoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=User.Role.choices, help_text="user, admin, or checkin (door staff)")

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass  # DRF's __init__ and drf-spectacular's PATCH handling set it; it stays False



class PasswordResetInputSerializer(serializers.Serializer):
    email = EmailTextField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = TextField(max_length=64, help_text="`uid` from the reset link")
    token = TextField(max_length=128, help_text="`token` from the reset link")
    # The password policy is the service's rule (WeakPassword, 422).
    password = TextField(trim_whitespace=False, max_length=4096, help_text="the new password, at least 8 characters")


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
