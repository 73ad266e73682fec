"""JSON parsing that never lets a hostile body become a 500."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """Standard JSON only (no NaN/Infinity); bad UTF-8 and absurd nesting are 400s."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            raw = stream.read() if stream is not None else b""
            text = raw.decode("utf-8")
            return json.loads(text, parse_constant=_reject_constant)
        except UnicodeDecodeError:
            raise ParseError("Malformed JSON: body is not valid UTF-8") from None
        except RecursionError:
            raise ParseError("Malformed JSON: nested too deeply") from None
        except ValueError as exc:
            raise ParseError(f"Malformed JSON: {exc}") from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


class JSONByDefaultNegotiation(DefaultContentNegotiation):
    """A body sent without Content-Type is read as JSON, as the legacy service did."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        if not request.content_type:
            return parsers[0] if parsers else None
        return super().select_parser(request, parsers)
