"""Argument types for the management commands (argparse's `type=`)."""

from __future__ import annotations

import argparse

# The API's one rule for an integer given as text (evently/api/fields.py), so a command takes
# exactly the spellings the HTTP API takes.
from evently.api.fields import QUERY_INTEGER


def ascii_int(value: str) -> int:
    """An integer argument: ASCII digits with an optional sign, as the API's query integers.
    Python's int() would also take " 2", "1_0", "٩" or a fullwidth "２". Returns the int;
    anything else raises ArgumentTypeError, which argparse reports as a usage error naming
    the argument (exit status 2; a CommandError under call_command)."""
    if QUERY_INTEGER.fullmatch(value) is None:
        raise argparse.ArgumentTypeError(
            f"invalid int value: {value!r} (ASCII digits 0-9 with an optional sign)"
        )
    return int(value)
