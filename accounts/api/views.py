from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
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
from evently.api.base import AdminViewSet, PublicViewSet, admin_rate_limited, rendered, validated
from evently.api.ratelimit import rate_limited
from evently.api.schema import error_responses, parameter_examples


# The same answer whether or not the address has an account (no enumeration).
RESET_REQUESTED = "If an account exists for that email, a reset link is on its way."


@extend_schema(tags=["auth"])
class AuthViewSet(PublicViewSet):
    """POST /auth/signup (RATELIMIT_SIGNUP per client IP, none by default), POST /auth/login
    (RATELIMIT_LOGIN per client IP), GET /auth/me,
    POST /auth/password-reset (RATELIMIT_PASSWORD_RESET per client IP) and its confirmation."""

    serializer_class = UserOutputSerializer

    @extend_schema(
        summary="Create an account",
        description=(
            "Anyone may sign up. The new account has the role `user`; log in with "
            "`POST /auth/login` to get a token.\n\n"
            "Errors: 400 `Email already registered` (addresses compare case-insensitively); "
            "422 for an invalid email, an empty name or a password that is too short; 429 "
            "after too many signups from one address when the deployment sets a limit "
            "(`RATELIMIT_SIGNUP`; none by default)."
        ),
        request=SignupInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422, 429)},
        examples=[
            OpenApiExample(
                "New account",
                value={"name": "Alan Turing", "email": "alan@example.com", "password": "enigma-1912-bletchley"},
                request_only=True,
            )
        ],
    )
    @action(detail=False, methods=["post"])
    @rate_limited(group="signup", key="ip", rate_setting="RATELIMIT_SIGNUP")
    def signup(self, request: Request) -> Response:
        data = validated(SignupInputSerializer, request.data)
        user = services.user_create(name=data["name"], email=data["email"], password=data["password"])
        return Response(rendered(UserOutputSerializer, user))

    @extend_schema(
        summary="Log in and get an access token",
        description=(
            "Anyone may log in with the email and password of their account. The answer's "
            "`access_token` goes in the `Authorization: Bearer <access_token>` header of "
            "later requests; it expires after `ACCESS_TOKEN_EXPIRE_MINUTES` (two hours by default).\n\n"
            "Errors: 401 `Invalid credentials` (the same for an unknown email and a wrong "
            "password); 429 after too many attempts from one address (5 a minute by default)."
        ),
        request=LoginInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(401, 422, 429)},
        examples=[
            OpenApiExample(
                "Log in", value={"email": "ada@example.com", "password": "correct-horse-battery"},
                request_only=True,
            )
        ],
    )
    @action(detail=False, methods=["post"])
    @rate_limited(group="login", key="ip", rate_setting="RATELIMIT_LOGIN")
    def login(self, request: Request) -> Response:
        data = validated(LoginInputSerializer, request.data)
        token = services.auth_login(email=data["email"], password=data["password"], request=request)
        return Response(rendered(TokenOutputSerializer, {"access_token": token, "token_type": "bearer"}))

    @extend_schema(
        summary="Ask for a password reset link",
        description=(
            "Anyone may ask. When the address has an account, it gets an email with a "
            "single-use link (valid one hour by default) to the web app's reset page, which "
            "carries the `uid` and `token` for `POST /auth/password-reset/confirm`. The answer "
            "is the same 202 whether or not the address has an account.\n\n"
            "Errors: 422 for a malformed address; 429 after too many requests from one address."
        ),
        request=PasswordResetInputSerializer,
        responses={202: DetailOutputSerializer, **error_responses(422, 429)},
        examples=[OpenApiExample("Forgotten password", value={"email": "ada@example.com"}, request_only=True)],
    )
    @action(detail=False, methods=["post"], url_path="password-reset")
    @rate_limited(group="password_reset", key="ip", rate_setting="RATELIMIT_PASSWORD_RESET")
    def password_reset(self, request: Request) -> Response:
        data = validated(PasswordResetInputSerializer, request.data)
        services.password_reset_request(email=data["email"])
        return Response({"detail": RESET_REQUESTED}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Set a new password from a reset link",
        description=(
            "Anyone holding a reset link may use it once: send the link's `uid` and `token` "
            "with the new password. Access tokens issued before stop working, so every "
            "device has to log in again.\n\n"
            "Errors: 400 `Invalid or expired link` (already used, older than an hour, or "
            "not a link we sent); 422 when the new password is too short."
        ),
        request=PasswordResetConfirmInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 422)},
        examples=[
            OpenApiExample(
                "New password",
                description="`uid` and `token` are copied from the link in the reset email; "
                "a token is only valid for the account and moment it was made for.",
                value={"uid": "Mg", "token": "cf4y2k-3b1f0a6e8c2d4f9a7b5e1c3d8f0a2b4c", "password": "new-horse-battery-2030"},
                request_only=True,
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="password-reset/confirm")
    def password_reset_confirm(self, request: Request) -> Response:
        data = validated(PasswordResetConfirmInputSerializer, request.data)
        user = services.password_reset_confirm(uid=data["uid"], token=data["token"], password=data["password"])
        return Response(rendered(UserOutputSerializer, user))

    @extend_schema(
        summary="Who am I",
        description="Any signed-in user: the account the access token belongs to, with its role.\n\n"
        "Errors: 401 without a valid token.",
        responses={200: UserOutputSerializer, **error_responses(401)},
    )
    @action(
        detail=False, methods=["get"],
        authentication_classes=api_settings.DEFAULT_AUTHENTICATION_CLASSES,
        permission_classes=[IsAuthenticated],
    )
    def me(self, request: Request) -> Response:
        return Response(rendered(UserOutputSerializer, request.user))


@extend_schema(tags=["admin: users"])
class AdminUserViewSet(mixins.ListModelMixin, AdminViewSet):
    """GET/POST /admin/users, PATCH /admin/users/{id}/role."""

    queryset = User.objects.all()
    serializer_class = UserOutputSerializer
    filterset_class = UserFilter
    pagination_class = None
    lookup_url_kwarg = "user_id"

    @extend_schema(
        summary="List users",
        description="Admins only: every account by id, optionally only those with one `role`.\n\n"
        "Errors: 401 without a valid token; 403 for other roles; 422 for an unknown role.",
        responses={200: UserOutputSerializer(many=True), **error_responses(401, 403, 422)},
        extensions=parameter_examples(role="checkin"),
    )
    def list(self, request: Request) -> Response:
        return Response(UserOutputSerializer(self.filter_queryset(self.get_queryset()), many=True).data)

    @extend_schema(
        summary="Create an account for someone",
        description=(
            "Admins only: create an account with any role, e.g. door staff (`checkin`) or "
            "another admin; the role defaults to `user`.\n\n"
            "Errors: 400 `Email already registered`; 401; 403 for other roles; 422 for an "
            "invalid email, empty name, short password or unknown role; 429."
        ),
        request=AdminUserCreateInputSerializer,
        responses={201: UserOutputSerializer, **error_responses(400, 401, 403, 422, 429)},
        examples=[
            OpenApiExample(
                "Door staff account",
                value={"name": "Dora Door", "email": "dora@example.com", "password": "front-door-2030", "role": "checkin"},
                request_only=True,
            )
        ],
    )
    @admin_rate_limited
    def create(self, request: Request) -> Response:
        data = validated(AdminUserCreateInputSerializer, request.data)
        user = services.user_create(
            name=data["name"], email=data["email"], password=data["password"], role=data["role"]
        )
        return Response(rendered(UserOutputSerializer, user), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a user's role",
        description=(
            "Admins only: make a user an admin, door staff (`checkin`) or a plain `user`. "
            "The change takes effect on the user's very next request.\n\n"
            "Errors: 401; 403 for other roles; 404 `User not found`; 409 when it would "
            "leave no admin; 422 for an unknown role; 429."
        ),
        request=RoleInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429)},
        examples=[OpenApiExample("Make an admin", value={"role": "admin"}, request_only=True)],
        extensions=parameter_examples(user_id=2),
    )
    @action(detail=True, methods=["patch"])
    @admin_rate_limited
    def role(self, request: Request, user_id: int) -> Response:
        data = validated(RoleInputSerializer, request.data)
        return Response(rendered(UserOutputSerializer, services.user_set_role(user_id=user_id, role=data["role"])))
