"""Text cleaning shared by the follow-ups and the exports: one line, no control characters."""

from __future__ import annotations

import re

# Line breaks of every kind become "\n"; other control characters (C0 but tab, DEL, C1) and
# lone surrogates (which cannot be encoded as UTF-8) go:
# iCalendar and vCard forbid them in text, and parsers split lines on some of them.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


def clean_text(text: str | None) -> str:
    """The text with every line break made "\n" and other control characters removed."""
    if not text:
        return ""
    if text.isprintable() or text.replace("\n", "").isprintable():  # the common cases
        return text
    return _CONTROLS.sub("", _NEWLINES.sub("\n", text or ""))


def one_line(text: str | None) -> str:
    """The text cleaned, with runs of whitespace (newlines too) made single spaces."""
    if not text:
        return ""
    # Fast path: printable text has no whitespace but " ", so this is already one clean line.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return " ".join(clean_text(text).split())
