"""Base ViewSets shared by the apps: who may call them, how ids look in paths, how a
request body is validated, how a single-object answer is rendered, and the admin mutation
rate limit."""

from __future__ import annotations

import functools
from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.permissions import IsAuthenticated

from evently.api.permissions import IsAdminRole
from evently.api.ratelimit import rate_limited
from evently.converters import IdConverter, no_row_beyond_bigint

# An id in a path is 1 to 19 digits (IdPaths turns one beyond the largest bigint into an id no
# row has); anything else (letters, a sign, 20+ digits) matches no route: the plain JSON 404.
ID_REGEX = IdConverter.regex


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validate `data` (a body or query dict) and return the validated dict; a failure is
    raised as the contract's 422 (`errors` per field)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def rendered(serializer_class: type[serializers.Serializer], instance: Any) -> dict[str, Any]:
    """`serializer_class(instance).data` as a plain dict (what the JSON renderer writes), for
    one object (a model instance or a dict; never None), from one instance of the serializer
    per class: its fields, nested ones included, are copied and bound once per process
    instead of on every answer, as DRF's ListSerializer renders every item of a list with its
    one child. Only for bodies whose rendering reads nothing but the object and keeps no
    state, so that the one instance serves every thread: a serializer with a field that
    could read `context` or the database (SerializerMethodField, a relational or hidden
    field) or its own `to_representation` raises TypeError at its first use."""
    return _body_serializer(serializer_class).to_representation(instance)


# Fields whose rendering may read `context` (the request) or the database.
_NOT_SHAREABLE = (
    serializers.SerializerMethodField, serializers.RelatedField, serializers.ManyRelatedField,
    serializers.HiddenField,
)


@functools.cache
def _body_serializer(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    serializer = serializer_class()
    _bind_shareable(serializer)
    return serializer


def _bind_shareable(serializer: serializers.Serializer) -> None:
    """Copy and bind every field of `serializer` and of the serializers nested in it now,
    before threads share them; TypeError for anything `rendered` must not share."""
    name = type(serializer).__name__
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        raise TypeError(f"{name} renders itself (to_representation): render it per answer")
    for field in serializer.fields.values():
        if isinstance(field, _NOT_SHAREABLE):
            raise TypeError(f"{name}.{field.field_name} may read context or the database: render it per answer")
        child = field.child if isinstance(field, (serializers.ListField, serializers.ListSerializer)) else field
        if isinstance(child, serializers.Serializer):
            _bind_shareable(child)


def validated_list_query(view: viewsets.GenericViewSet, request: Request) -> Any:
    """Validate a list request's filters (the view's FilterSet) and pagination parameters
    together, so one 422 names every bad parameter; returns the bound, valid FilterSet."""
    filterset = view.filterset_class(request.query_params, queryset=view.get_queryset(), request=request)
    _raise_with_page_errors({} if filterset.is_valid() else dict(filterset.errors), view.paginator, request)
    return filterset


def validated_page_query(
    serializer_class: type[serializers.Serializer], paginator: Any, request: Request
) -> dict[str, Any]:
    """`validated_list_query` for a list whose filters are a plain Serializer: the filters
    and `paginator`'s parameters together, one 422 naming every bad parameter; returns the
    filters' validated dict."""
    serializer = serializer_class(data=request.query_params)
    _raise_with_page_errors({} if serializer.is_valid() else dict(serializer.errors), paginator, request)
    return dict(serializer.validated_data)


def _raise_with_page_errors(errors: dict[str, Any], paginator: Any, request: Request) -> None:
    """Raise the 422 of `errors` plus those of the paginator's parameters, if any."""
    if paginator is not None:
        try:
            paginator.validated_params(request)
        except ValidationError as exc:
            errors.update(exc.detail)
    if errors:
        raise ValidationError(errors)


class IdPaths:
    """Path ids (`pk` and every `*_id` kwarg, 1 to 19 digits by ID_REGEX) that no bigint can
    hold reach the handler as "0", an id no row has: `GET /events/9999999999999999999` is the
    resource's own 404 ("Event not found"), as for any other unknown id, instead of a database
    error or a plain 404."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        for name, value in self.kwargs.items():  # the dict the handler is called with
            if (name == "pk" or name.endswith("_id")) and isinstance(value, str) and value.isdigit():
                self.kwargs[name] = str(no_row_beyond_bigint(int(value)))


def unused_body_checked(request: Request) -> None:
    """First call of an action that takes no body (after authentication, the role check and
    the rate limit): a JSON body sent anyway, or one without a Content-Type (read as JSON),
    is parsed, so malformed JSON is the contract's 400 and nothing changes. It used to be
    ignored while the event was deactivated or the booking cancelled. A well-formed body
    is ignored, as the legacy service ignored it, and so is a body of another content type
    (415 only where a body is read). Raises ParseError (400 `Malformed JSON: ...`)."""
    if _has_json_body(request):
        request.data  # noqa: B018 - parsing is the check


def _has_json_body(request: Request) -> bool:
    """A non-empty body sent as JSON, or without a Content-Type (read as JSON)."""
    if (request.META.get("CONTENT_LENGTH") or "0") in ("0", ""):
        return False
    media_type = (request.content_type or "").split(";", 1)[0].strip().lower()
    return media_type in ("", "application/json")


class PublicViewSet(IdPaths, viewsets.GenericViewSet):
    """Open to anyone. The Authorization header is not even read, so a stale token in a
    browser never turns a public page into a 401."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    lookup_value_regex = ID_REGEX


class UserViewSet(IdPaths, viewsets.GenericViewSet):
    """Any authenticated user (401 with `WWW-Authenticate: Bearer` otherwise)."""

    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_REGEX


# Every POST/PATCH/DELETE under /admin/ counts against RATELIMIT_ADMIN per user. Applied to
# the handler (so after authentication and the role check: anonymous 401, plain user 403).
admin_rate_limited = rate_limited(group="admin", key="user", rate_setting="RATELIMIT_ADMIN")


class AdminViewSet(IdPaths, viewsets.GenericViewSet):
    """Role `admin`, read from the user row loaded for this very request (403 otherwise).
    Mutating actions are decorated with `admin_rate_limited`."""

    permission_classes = [IsAuthenticated, IsAdminRole]
    lookup_value_regex = ID_REGEX
