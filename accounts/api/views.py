from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.serializers import (
    AdminUserCreateInputSerializer,
    LoginInputSerializer,
    RoleInputSerializer,
    SignupInputSerializer,
    TokenOutputSerializer,
    UserListQuerySerializer,
    UserOutputSerializer,
)
from evently.api.base import AdminAPIView, PublicAPIView, UserAPIView, validated
from evently.api.ratelimit import RateLimitMixin
from evently.api.schema import error_responses


class SignupView(PublicAPIView):
    @extend_schema(
        request=SignupInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(SignupInputSerializer, request.data)
        user = services.user_create(name=data["name"], email=data["email"], password=data["password"])
        return Response(UserOutputSerializer(user).data)


class LoginView(RateLimitMixin, PublicAPIView):
    ratelimit_group = "login"
    ratelimit_rate_setting = "RATELIMIT_LOGIN"
    ratelimit_key = "ip"

    @extend_schema(
        request=LoginInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(401, 422, 429)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(LoginInputSerializer, request.data)
        token = services.auth_login(email=data["email"], password=data["password"], request=request)
        return Response({"access_token": token, "token_type": "bearer"})


class MeView(UserAPIView):
    @extend_schema(responses={200: UserOutputSerializer, **error_responses(401)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)


class AdminUserListCreateView(AdminAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("role", str, enum=["user", "admin"], required=False)],
        responses={200: UserOutputSerializer(many=True), **error_responses(401, 403, 422)},
        tags=["admin: users"],
    )
    def get(self, request: Request) -> Response:
        query = validated(UserListQuerySerializer, request.query_params)
        users = selectors.user_list(role=query.get("role"))
        return Response(UserOutputSerializer(users, many=True).data)

    @extend_schema(
        request=AdminUserCreateInputSerializer,
        responses={201: UserOutputSerializer, **error_responses(400, 401, 403, 422, 429)},
        tags=["admin: users"],
    )
    def post(self, request: Request) -> Response:
        data = validated(AdminUserCreateInputSerializer, request.data)
        user = services.user_create(
            name=data["name"], email=data["email"], password=data["password"], role=data["role"]
        )
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class AdminUserRoleView(AdminAPIView):
    @extend_schema(
        request=RoleInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429)},
        tags=["admin: users"],
    )
    def patch(self, request: Request, user_id: int) -> Response:
        data = validated(RoleInputSerializer, request.data)
        user = services.user_set_role(user_id=user_id, role=data["role"])
        return Response(UserOutputSerializer(user).data)
