"""JSON parsing: DRF's JSONParser (strict: no NaN/Infinity) plus only what the contract adds.

- every parse failure is a 400 whose detail starts with `Malformed JSON` (bad UTF-8, syntax,
  NaN/Infinity, nesting deeper than the interpreter's recursion limit, an integer longer
  than the interpreter reads: 4,300 digits);
- a lone UTF-16 surrogate (`"\\ud800"`) anywhere in the body, keys included, is malformed
  too: it cannot be encoded as UTF-8, so it could only fail later, as a 500;
- a body sent without Content-Type is read as JSON (the legacy service did); any other
  content type, a wildcard such as `*/*` included, is DRF's 415.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import NotAcceptable, ParseError
from rest_framework.negotiation import DefaultContentNegotiation

_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            reason = str(exc.detail).removeprefix("JSON parse error - ")
            if "integer string conversion" in reason:  # Python's own words: say it plainly
                reason = f"an integer longer than {sys.get_int_max_str_digits()} digits"
            raise ParseError(f"Malformed JSON: {reason}") from None
        except RecursionError:
            raise ParseError("Malformed JSON: nested too deeply") from None
        if _contains_surrogate(data):
            raise ParseError("Malformed JSON: lone UTF-16 surrogate in a string")
        return data


def _contains_surrogate(data: Any) -> bool:
    """Walk the parsed body without recursion (it may be nested hundreds deep)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JSONByDefaultNegotiation(DefaultContentNegotiation):
    """A body sent without Content-Type is read as JSON, as the legacy service did. A
    wildcard (`*/*`, `application/*`) names no type: 415, where DRF would match it to JSON.

    `Accept` is honoured when it names a type a route renders, else ignored: the answer is
    the route's own (JSON), never DRF's 406. The legacy service ignored `Accept`, and the
    406 came before authentication and the handler, so it hid a 401 and its
    WWW-Authenticate, a 404 or the resource itself from a client asking for `text/html`."""

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> Any:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        if not request.content_type:
            return parsers[0] if parsers else None
        if "*" in request.content_type.split(";", 1)[0]:
            return None
        return super().select_parser(request, parsers)


class IgnoreAcceptNegotiation(DefaultContentNegotiation):
    """For endpoints with one representation (the Swagger page, the schema): serve it
    whatever `Accept` says, instead of an HTML 406."""

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type
