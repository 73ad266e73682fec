from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from accounts.validators import password_policy_error
from evently.api.fields import EmailTextField, TextField


class UserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "email", "role"]


class SignupInputSerializer(serializers.Serializer):
    """Unknown fields (`role`, `is_staff`, ...) are ignored: signup only makes users."""

    name = TextField(max_length=200)
    email = EmailTextField(max_length=254)
    password = TextField(trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        error = password_policy_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value


class AdminUserCreateInputSerializer(SignupInputSerializer):
    role = serializers.ChoiceField(choices=User.Role.choices, default=User.Role.USER)


class LoginInputSerializer(serializers.Serializer):
    email = TextField(max_length=254)
    password = TextField(trim_whitespace=False, max_length=4096)


class TokenOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()


class RoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=User.Role.choices)

