"""What OPTIONS answers on the API's routes."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata


class RouteMetadata(SimpleMetadata):
    """DRF's metadata (`name`, `description`, `renders`, `parses`) without `actions`.

    DRF builds `actions` from the view's `get_serializer()`, which on these views is the
    output serializer, so it described response fields as the POST body. The request bodies
    are declared once, for /openapi.json (each action's `extend_schema(request=...)`), and
    that document is where a client reads them."""

    def determine_actions(self, request: Any, view: Any) -> dict[str, Any]:
        return {}
