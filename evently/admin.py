"""Shared staff-console pieces."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse


class ServiceBackedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through domain services.

    Django wraps the change and delete views in `transaction.atomic`; our services open
    their own durable transaction (and take the event lock), which cannot nest. These views
    therefore run without the outer transaction: every write they make is a service call,
    each atomic on its own.
    """

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return self._changeform_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return self._delete_view(request, object_id, extra_context)
