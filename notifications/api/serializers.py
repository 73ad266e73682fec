from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from notifications.models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "booking_id", "event_id", "title", "body", "created_at", "read_at", "delivery"]
        # An output body: every field is always sent, so read-only (required in /openapi.json).
        read_only_fields = fields
        extra_kwargs = {
            "read_at": {"help_text": "when it was marked read; null while unread"},
            "delivery": {"help_text": "the email: pending, sent or failed"},
        }


class NotificationListQuerySerializer(serializers.Serializer):
    """The list's filter; `page` and `page_size` are evently.api.pagination.PagePagination's."""

    unread = serializers.BooleanField(default=False)


class PageMetaSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total = serializers.IntegerField()


# The list action's body is one object (items + meta), not an array of them.
@extend_schema_serializer(many=False)
class NotificationListOutputSerializer(serializers.Serializer):
    items = NotificationOutputSerializer(many=True)
    meta = PageMetaSerializer()
