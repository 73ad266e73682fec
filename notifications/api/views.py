from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from evently.api.base import ID_REGEX, IdPaths, rendered, unused_body_checked, validated_page_query
from evently.api.pagination import PagePagination
from evently.api.schema import error_responses, parameter_examples
from notifications import selectors, services
from notifications.api.serializers import (
    NotificationListOutputSerializer,
    NotificationListQuerySerializer,
    NotificationOutputSerializer,
)


class NotificationViewSet(IdPaths, viewsets.ViewSet):
    """GET /me/notifications, POST /me/notifications/{id}/read: the caller's own only."""

    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "notification_id"
    lookup_value_regex = ID_REGEX

    @extend_schema(
        summary="List my notifications",
        description=(
            "Any signed-in user: their own notifications, newest first, one page at a time; "
            "`unread=true` shows only those not yet marked read. `delivery` says whether the "
            "email has gone out.\n\n"
            "Errors: 401; 422 naming every invalid parameter."
        ),
        extensions=parameter_examples(unread=True),
        parameters=[
            # page and page_size as PagePagination declares them (bounds included).
            *(
                OpenApiParameter(p["name"], p["schema"], description=p["description"])
                for p in PagePagination().get_schema_operation_parameters(None)
            ),
            OpenApiParameter("unread", bool, description="only unread ones"),
        ],
        responses={200: NotificationListOutputSerializer, **error_responses(401, 422)},
        tags=["notifications"],
    )
    def list(self, request: Request) -> Response:
        paginator = PagePagination()  # page and page_size, as GET /events
        query = validated_page_query(NotificationListQuerySerializer, paginator, request)
        notifications = selectors.notification_list(user=request.user, unread_only=query["unread"])
        items = paginator.paginate_queryset(notifications, request)
        return Response(paginator.paginated_body(NotificationOutputSerializer(items, many=True).data))

    @extend_schema(
        summary="Mark a notification read",
        description=(
            "Any signed-in user, for their own notifications: sets `read_at` (marking it again "
            "keeps the first time).\n\n"
            "Errors: 401; 404 `Notification not found` (also for someone else's)."
        ),
        extensions=parameter_examples(notification_id=1),
        request=None,
        responses={200: NotificationOutputSerializer, **error_responses(401, 404)},
        tags=["notifications"],
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, notification_id: str) -> Response:
        unused_body_checked(request)
        notification = services.notification_mark_read(
            user=request.user, notification_id=int(notification_id)
        )
        return Response(rendered(NotificationOutputSerializer, notification))
