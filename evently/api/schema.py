"""OpenAPI helpers: the contract's error bodies, declared once."""

from __future__ import annotations

from typing import Any, TypeVar

from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import serializers

F = TypeVar("F")

ErrorSerializer = inline_serializer("Error", {"detail": serializers.CharField()})
ValidationErrorSerializer = inline_serializer(
    "ValidationError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False,
            help_text="messages per field; absent when no one field is at fault "
            "(`Idempotency-Key reused with a different request`)",
        ),
    },
)

_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, or a rule the contract answers with 400)",
    401: "Missing, invalid or expired token",
    403: "Authenticated but not allowed",
    404: "Not found",
    409: "Conflict with the current state",
    411: "A body sent without Content-Length (chunked) is not accepted",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation error",
    429: "Rate limit exceeded",
    503: "Busy or unavailable; retry after `Retry-After` seconds",
}


def documented_filter(filter_: F, **schema: Any) -> F:
    """A django-filter `filter_` with its OpenAPI schema given whole (`type`, `maxLength`,
    `minimum`, ...). drf-spectacular then takes nothing from the filter itself, so its
    `help_text` is copied in as the description. Returns the same filter."""
    return extend_schema_field({**schema, "description": filter_.extra["help_text"]})(filter_)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(
            response=ValidationErrorSerializer if code == 422 else ErrorSerializer,
            description=_DESCRIPTIONS.get(code, "Error"),
        )
        for code in codes
    }


BODY_ERRORS = (400, 411, 413, 415)


def add_body_errors(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]):
    `Retry-After` on every 429 and 503; and, on every POST/PUT/PATCH, the errors any body can meet before the view runs:
    400 malformed JSON, 411 chunked body without a length, 413 too large, 415 not JSON."""
    error_ref = {"$ref": "#/components/schemas/Error"}
    retry_after = {
        "Retry-After": {"schema": {"type": "integer", "minimum": 1}, "description": "seconds to wait"}
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            # A 429 or 503 always says when to retry.
            for code in ("429", "503"):
                if code in operation.get("responses", {}):
                    operation["responses"][code].setdefault("headers", {}).update(retry_after)
            if method not in ("post", "put", "patch"):
                continue
            responses = operation.setdefault("responses", {})
            for code in BODY_ERRORS:
                responses.setdefault(
                    str(code),
                    {
                        "content": {"application/json": {"schema": error_ref}},
                        "description": _DESCRIPTIONS[code],
                    },
                )
            operation["responses"] = dict(sorted(responses.items()))
    return result


# drf-spectacular names a paginated list body `Paginated<Item>List`. The event page keeps the
# component name it always had (the SPA's generated types use it); the admin bookings list
# is a plain array (its total is a header), so its alias is inlined.
RENAMED_COMPONENTS = {"PaginatedEventOutputList": "EventListOutput"}
INLINED_COMPONENTS = ("PaginatedBookingOutputList", "PaginatedAdminBookingOutputList")


def stable_component_names(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular postprocessing hook: RENAMED_COMPONENTS and INLINED_COMPONENTS."""
    schemas = result.get("components", {}).get("schemas", {})
    refs: dict[str, object] = {}
    for old, new in RENAMED_COMPONENTS.items():
        if old in schemas:
            schemas[new] = schemas.pop(old)
            refs[f"#/components/schemas/{old}"] = {"$ref": f"#/components/schemas/{new}"}
    for name in INLINED_COMPONENTS:
        if name in schemas:
            refs[f"#/components/schemas/{name}"] = schemas.pop(name)
    if refs:
        result["paths"] = _replace_refs(result.get("paths", {}), refs)
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


def _replace_refs(node: object, refs: dict[str, object]) -> object:
    if isinstance(node, dict):
        if set(node) == {"$ref"} and node["$ref"] in refs:
            return refs[node["$ref"]]
        return {key: _replace_refs(value, refs) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_refs(item, refs) for item in node]
    return node


# --- Documentation as API users read it (/docs) ----------------------------------------------

# Parameter examples go on the parameters drf-spectacular already derives (path ids, filters),
# so a parameter stays declared once: `extend_schema(extensions=parameter_examples(event_id=1))`
# and the hook below moves each value onto its parameter as `example` (Swagger UI fills it in).
PARAMETER_EXAMPLES = "x-evently-parameter-examples"


def parameter_examples(**values: object) -> dict[str, dict[str, object]]:
    """extensions= for extend_schema: example values by parameter name (path, query or header;
    a header name with a hyphen goes in as `**{"Idempotency-Key": ...}`). Returns the
    extensions dict."""
    return {PARAMETER_EXAMPLES: values}


def add_parameter_examples(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular postprocessing hook: applies parameter_examples(). A name that matches
    no parameter of its operation is a mistake in the decoration, not something to hide."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            values = operation.pop(PARAMETER_EXAMPLES, None)
            if not values:
                continue
            parameters = {parameter["name"]: parameter for parameter in operation.get("parameters", [])}
            unknown = set(values) - set(parameters)
            if unknown:
                raise ValueError(f"{method.upper()} {path}: no parameter named {sorted(unknown)}")
            for name, value in values.items():
                schema_type = parameters[name].get("schema", {}).get("type")
                parameters[name]["example"] = str(value) if schema_type == "string" else value
    return result


def view_docstrings(generator: object) -> set[str]:
    """The docstrings of every endpoint's view class and handler method, as drf-spectacular
    would show them (a description drf-spectacular falls back to when none is declared)."""
    from drf_spectacular.plumbing import get_doc

    docs: set[str] = set()
    for _path, _regex, _method, callback in getattr(generator, "endpoints", None) or ():
        view_class = getattr(callback, "cls", None)
        if view_class is None:
            continue
        handlers = [getattr(view_class, name, None) for name in (getattr(callback, "actions", None) or {}).values()]
        handlers += [getattr(view_class, method, None) for method in ("get", "post", "put", "patch", "delete")]
        for item in [view_class, *handlers]:
            doc = get_doc(item) if item is not None else ""
            if doc:
                docs.add(doc)
    return docs


def drop_code_docstrings(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular postprocessing hook: a view's docstring is written for the people who
    maintain the code (paths, settings, internals), not for API users. Where an operation
    declares no description, drf-spectacular shows that docstring: drop it instead, so
    /docs never shows a code comment (and evently/tests/test_openapi_docs.py, which wants a
    description on every operation, names the undocumented one)."""
    docs = view_docstrings(generator)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if operation.get("description", "").strip() in docs:
                operation.pop("description")
    return result
