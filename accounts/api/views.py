from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts import services
from accounts.api.filters import UserFilter
from accounts.api.serializers import (
    AdminUserCreateInputSerializer,
    DetailOutputSerializer,
    LoginInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetInputSerializer,
    RoleInputSerializer,
    SignupInputSerializer,
    TokenOutputSerializer,
    UserOutputSerializer,
)
from accounts.models import User
from evently.api.base import AdminViewSet, PublicViewSet, admin_rate_limited, validated
from evently.api.ratelimit import rate_limited
from evently.api.schema import error_responses


# The same answer whether or not the address has an account (no enumeration).
RESET_REQUESTED = "If an account exists for that email, a reset link is on its way."


@extend_schema(tags=["auth"])
class AuthViewSet(PublicViewSet):
    """POST /auth/signup, POST /auth/login (RATELIMIT_LOGIN per client IP), GET /auth/me,
    POST /auth/password-reset (RATELIMIT_PASSWORD_RESET per client IP) and its confirmation."""

    serializer_class = UserOutputSerializer

    @extend_schema(
        request=SignupInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422)},
    )
    @action(detail=False, methods=["post"])
    def signup(self, request: Request) -> Response:
        data = validated(SignupInputSerializer, request.data)
        user = services.user_create(name=data["name"], email=data["email"], password=data["password"])
        return Response(UserOutputSerializer(user).data)

    @extend_schema(
        request=LoginInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(401, 422, 429)},
    )
    @action(detail=False, methods=["post"])
    @rate_limited(group="login", key="ip", rate_setting="RATELIMIT_LOGIN")
    def login(self, request: Request) -> Response:
        data = validated(LoginInputSerializer, request.data)
        token = services.auth_login(email=data["email"], password=data["password"], request=request)
        return Response(TokenOutputSerializer({"access_token": token, "token_type": "bearer"}).data)

    @extend_schema(
        request=PasswordResetInputSerializer,
        responses={202: DetailOutputSerializer, **error_responses(422, 429)},
    )
    @action(detail=False, methods=["post"], url_path="password-reset")
    @rate_limited(group="password_reset", key="ip", rate_setting="RATELIMIT_PASSWORD_RESET")
    def password_reset(self, request: Request) -> Response:
        data = validated(PasswordResetInputSerializer, request.data)
        services.password_reset_request(email=data["email"])
        return Response({"detail": RESET_REQUESTED}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=PasswordResetConfirmInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422)},
    )
    @action(detail=False, methods=["post"], url_path="password-reset/confirm")
    def password_reset_confirm(self, request: Request) -> Response:
        data = validated(PasswordResetConfirmInputSerializer, request.data)
        user = services.password_reset_confirm(uid=data["uid"], token=data["token"], password=data["password"])
        return Response(UserOutputSerializer(user).data)

    @extend_schema(responses={200: UserOutputSerializer, **error_responses(401)})
    @action(
        detail=False, methods=["get"],
        authentication_classes=api_settings.DEFAULT_AUTHENTICATION_CLASSES,
        permission_classes=[IsAuthenticated],
    )
    def me(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)


@extend_schema(tags=["admin: users"])
class AdminUserViewSet(mixins.ListModelMixin, AdminViewSet):
    """GET/POST /admin/users, PATCH /admin/users/{id}/role."""

    queryset = User.objects.all()
    serializer_class = UserOutputSerializer
    filterset_class = UserFilter
    pagination_class = None
    lookup_url_kwarg = "user_id"

    @extend_schema(responses={200: UserOutputSerializer(many=True), **error_responses(401, 403, 422)})
    def list(self, request: Request) -> Response:
        return Response(UserOutputSerializer(self.filter_queryset(self.get_queryset()), many=True).data)

    @extend_schema(
        request=AdminUserCreateInputSerializer,
        responses={201: UserOutputSerializer, **error_responses(400, 401, 403, 422, 429)},
    )
    @admin_rate_limited
    def create(self, request: Request) -> Response:
        data = validated(AdminUserCreateInputSerializer, request.data)
        user = services.user_create(
            name=data["name"], email=data["email"], password=data["password"], role=data["role"]
        )
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RoleInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429)},
    )
    @action(detail=True, methods=["patch"])
    @admin_rate_limited
    def role(self, request: Request, user_id: int) -> Response:
        data = validated(RoleInputSerializer, request.data)
        return Response(UserOutputSerializer(services.user_set_role(user_id=user_id, role=data["role"])).data)
