"""Text rules shared by the apps: what counts as invisible."""

from __future__ import annotations

import unicodedata


def strip_invisible(value: str) -> str:
    """`value` without leading/trailing whitespace and invisible characters (Unicode
    categories Cc and Cf: control characters, zero-width space/joiners, BOM, bidi marks,
    soft hyphen...; and the other default-ignorable characters that render as nothing:
    Hangul fillers, the combining grapheme joiner, variation selectors; and the braille
    blank, a glyph of nothing)."""
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]


# Unicode's Default_Ignorable_Code_Point characters outside category Cf (Python's
# unicodedata has no such property): they render as nothing, so a name made of them is blank.
_IGNORABLE_NOT_CF = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
) | frozenset(map(chr, range(0xFE00, 0xFE10))) | frozenset(map(chr, range(0xE0100, 0xE01F0)))


# Visible characters whose glyph is empty (not whitespace to Python, not ignorable to
# Unicode): a name of only these reads as blank too.
_BLANK_GLYPHS = frozenset("\u2800")  # BRAILLE PATTERN BLANK


def _blank(char: str) -> bool:
    return char.isspace() or invisible(char) or char in _BLANK_GLYPHS


def invisible(char: str) -> bool:
    """Whether `char` renders as nothing: a control character (category Cc: BEL, ESC, DEL,
    the C1 controls; the whitespace ones count as whitespace anyway), a format character
    (Cf) or another default-ignorable one."""
    return unicodedata.category(char) in ("Cc", "Cf") or char in _IGNORABLE_NOT_CF
