from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from evently.api.fields import EmailTextField, TextField


class UserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "email", "role"]


class SignupInputSerializer(serializers.Serializer):
    """Unknown fields (`role`, `is_staff`, ...) are ignored: signup only makes users."""

    name = TextField(max_length=200)
    email = EmailTextField(max_length=254)
    # The password policy (AUTH_PASSWORD_VALIDATORS) is the service's rule (WeakPassword, 422).
    password = TextField(trim_whitespace=False)


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



class PasswordResetInputSerializer(serializers.Serializer):
    email = EmailTextField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = TextField(max_length=64)
    token = TextField(max_length=128)
    # The password policy is the service's rule (WeakPassword, 422).
    password = TextField(trim_whitespace=False, max_length=4096)


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
