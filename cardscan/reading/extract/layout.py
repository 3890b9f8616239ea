"""OCR lines prepared for extraction: cleaned text, glyph height, columns and neighbours."""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from cardscan.models import Box, OcrResult


@dataclass(frozen=True)
class TextLine:
    """One line of card text with its box, the engine's confidence and its glyph height."""

    index: int
    text: str
    box: Box
    confidence: float
    height: float


#: What each kind of control character becomes: a format character (Cf) nothing, the rest
#: (Cc, Cs, Co, Cn) a space.
_CONTROL = {"Cf": "", "Cc": " ", "Cs": " ", "Co": " ", "Cn": " "}


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC), drop control characters and collapse runs of spaces.

    Format characters go without a trace: a zero-width joiner inside a Devanagari word
    (U+200D inside ``दिल्ली``) shapes a letter, it parts no words."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_CONTROL.get(unicodedata.category(c), c) for c in text)
    return re.sub(r"\s+", " ", text).strip()


def _is_noise(text: str, confidence: float) -> bool:
    """Specks, icons and textures read as a few unsure letters (common with Tesseract)."""
    alnum = sum(c.isalnum() for c in text)
    if alnum == 0:
        return True
    if confidence < 0.5 and alnum < 4:
        return True
    return confidence < 0.35 and alnum < 10


def _glyph_height(box: Box, text: str) -> float:
    # Text printed vertically (up the card's edge) has a tall, narrow box.
    if box.h > box.w * 1.5 and len(text) > 2:
        return float(box.w)
    return float(box.h)


def _same_row(a: TextLine, b: TextLine) -> bool:
    top, bottom = max(a.box.y, b.box.y), min(a.box.bottom, b.box.bottom)
    overlap = bottom - top
    return overlap >= 0.6 * min(a.box.h, b.box.h) and 0.75 <= a.height / max(b.height, 1) <= 1.33


def _merge_words(lines: list[TextLine]) -> list[TextLine]:
    """Join words of one printed line (engines that return words or short runs, not lines).

    A fragment is joined only to a single word beside it at a word space: two whole lines
    side by side are two columns.
    """
    pending = sorted(lines, key=lambda ln: (ln.box.y, ln.box.x))
    merged: list[TextLine] = []
    while pending:
        current = pending.pop(0)
        changed = True
        while changed:
            changed = False
            for other in pending:
                gap = other.box.x - current.box.right
                limit = 0.5 * max(current.height, other.height)
                if (
                    _same_row(current, other)
                    and -0.2 * current.height <= gap <= limit
                    and (" " not in current.text.strip() or " " not in other.text.strip())
                    and current.box.w >= current.box.h * 0.8  # horizontal text only
                    and other.box.w >= other.box.h * 0.8
                ):
                    n = len(current.text) + len(other.text)
                    current = TextLine(
                        index=current.index,
                        text=f"{current.text} {other.text}",
                        box=current.box.union(other.box),
                        confidence=(
                            current.confidence * len(current.text)
                            + other.confidence * len(other.text)
                        )
                        / max(n, 1),
                        height=max(current.height, other.height),
                    )
                    pending.remove(other)
                    changed = True
                    break
        merged.append(current)
    return merged


def prepare_lines(ocr: OcrResult) -> list[TextLine]:
    """The OCR lines, cleaned, word fragments joined, in reading order (top to bottom)."""
    raw = []
    for i, line in enumerate(ocr.lines):
        text = clean_text(line.text)
        if not text or _is_noise(text, float(line.confidence)):
            continue
        raw.append(
            TextLine(i, text, line.box, float(line.confidence), _glyph_height(line.box, text))
        )
    merged = _merge_words(raw)
    ordered = sorted(merged, key=lambda ln: (ln.box.y + ln.box.h / 2, ln.box.x))
    return [TextLine(i, ln.text, ln.box, ln.confidence, ln.height) for i, ln in enumerate(ordered)]


def body_height(lines: list[TextLine]) -> float:
    """The typical glyph height of the card's small print (the median line height)."""
    if not lines:
        return 1.0
    return max(1.0, statistics.median(ln.height for ln in lines))


def same_column(a: TextLine, b: TextLine) -> bool:
    """True when two lines sit in one column: overlapping, left-, centre- or right-aligned."""
    h = max(min(a.height, b.height), 8.0)
    overlap = min(a.box.right, b.box.right) - max(a.box.x, b.box.x)
    if overlap >= 0.5 * min(a.box.w, b.box.w):
        return True
    ca, cb = a.box.center[0], b.box.center[0]
    return (
        abs(a.box.x - b.box.x) <= 1.2 * h
        or abs(ca - cb) <= 1.2 * h
        or abs(a.box.right - b.box.right) <= 1.2 * h
    )


def gap_below(upper: TextLine, lower: TextLine) -> float:
    """The vertical gap from the bottom of ``upper`` to the top of ``lower``, in pixels."""
    return float(lower.box.y - upper.box.bottom)


def is_lower(upper: TextLine, lower: TextLine) -> bool:
    """True when ``lower`` sits on a later row than ``upper`` (centres, so tilted and tightly
    set lines whose boxes overlap still count)."""
    rise = lower.box.center[1] - upper.box.center[1]
    return rise >= 0.3 * max(1.0, min(upper.height, lower.height))
