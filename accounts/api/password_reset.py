"""POST /auth/password-reset and /auth/password-reset/confirm."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services
from accounts.api.serializers import UserOutputSerializer
from accounts.validators import password_policy_error
from evently.api.base import PublicAPIView, validated
from evently.api.ratelimit import RateLimitMixin
from evently.api.schema import error_responses

RESET_REQUESTED = "If an account exists for that email, a reset link is on its way."


class PasswordResetInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    password = serializers.CharField(trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        error = password_policy_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PasswordResetRequestView(RateLimitMixin, PublicAPIView):
    ratelimit_group = "password_reset"
    ratelimit_rate_setting = "RATELIMIT_PASSWORD_RESET"
    ratelimit_key = "ip"

    @extend_schema(
        request=PasswordResetInputSerializer,
        responses={202: DetailOutputSerializer, **error_responses(422, 429)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordResetInputSerializer, request.data)
        services.password_reset_request(email=data["email"])
        return Response({"detail": RESET_REQUESTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicAPIView):
    @extend_schema(
        request=PasswordResetConfirmInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordResetConfirmInputSerializer, request.data)
        user = services.password_reset_confirm(
            uid=data["uid"], token=data["token"], password=data["password"]
        )
        return Response(UserOutputSerializer(user).data)
