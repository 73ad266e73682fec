"""DRF pagination classes with the contract's bodies and its 422 for bad parameters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from evently.api.fields import QueryIntegerField

MAX_DB_OFFSET = 2**63 - 1


class _PageQuery(serializers.Serializer):
    # Any page a database offset can name: one past the end is empty items, not a 422.
    page = QueryIntegerField(min_value=1, max_value=MAX_DB_OFFSET, default=1)
    page_size = QueryIntegerField(min_value=1, max_value=100, default=10)


class _LimitOffsetQuery(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=1000, default=100)
    offset = QueryIntegerField(min_value=0, max_value=MAX_DB_OFFSET, default=0)


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, int]:
    # Only the pagination parameters: the filters validate theirs.
    names = serializer_class().fields.keys()
    data = {name: request.query_params[name] for name in names if name in request.query_params}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)  # 422 with `errors` per parameter
    return dict(serializer.validated_data)


class PagePagination(pagination.PageNumberPagination):
    """`?page=` (≥ 1, default 1) and `?page_size=` (1–100, default 10); the body is
    `{"items": [...], "meta": {"page", "page_size", "total"}}`, and a page past the end has
    empty `items` (not DRF's 404). A bad value is a 422 naming the parameter."""

    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100

    def validated_params(self, request: Request) -> tuple[int, int]:
        """(page, page_size), validated; raises the 422."""
        query = _validated(_PageQuery, request)
        return query["page"], query["page_size"]

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        self.request = request
        self.page_number, self.page_size_value = self.validated_params(request)
        self.total = queryset.count()
        offset = (self.page_number - 1) * self.page_size_value
        if offset >= self.total:
            return []
        return list(queryset[offset : offset + self.page_size_value])

    def paginated_body(self, items: list) -> dict[str, Any]:
        return {
            "items": items,
            "meta": {"page": self.page_number, "page_size": self.page_size_value, "total": self.total},
        }

    def get_paginated_response(self, data: list) -> Response:
        return Response(self.paginated_body(data))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
                "items": schema,
                "meta": {
                    "type": "object",
                    "required": ["page", "page_size", "total"],
                    "properties": {
                        "page": {"type": "integer", "minimum": 1},
                        "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
                        "total": {"type": "integer", "minimum": 0},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {"name": "page", "required": False, "in": "query",
             "description": "≥ 1 (default 1)", "schema": {"type": "integer", "minimum": 1}},
            {"name": "page_size", "required": False, "in": "query",
             "description": "1–100 (default 10)",
             "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        ]


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=` (1–1000, default 100) and `?offset=` (≥ 0); the body is the plain list and
    the total goes in the `X-Total-Count` header. A bad value is a 422."""

    default_limit = 100
    max_limit = 1000

    def validated_params(self, request: Request) -> tuple[int, int]:
        """(limit, offset), validated; raises the 422."""
        query = _validated(_LimitOffsetQuery, request)
        return query["limit"], query["offset"]

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        self.request = request
        self.limit, self.offset = self.validated_params(request)
        self.count = queryset.count()
        if self.offset >= self.count:
            return []
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data: list) -> Response:
        return Response(data, headers={"X-Total-Count": str(self.count)})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return schema

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {"name": "limit", "required": False, "in": "query", "description": "1–1000 (default 100)",
             "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
            {"name": "offset", "required": False, "in": "query", "description": "≥ 0 (default 0)",
             "schema": {"type": "integer", "minimum": 0}},
        ]
