"""What is written on each card found in a photo: lines read on the whole photo projected
onto the card, a small card read again on its own, and two readings of one card merged line
by line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from cardscan.models import Box, Line, OcrResult, TextRegion, Word
from cardscan.reading.geometry import CardCrop
from cardscan.reading.ocr import OcrEngine, RegionReader

#: A card is read again on its own, enlarged to the engine's detection size, when that makes
#: its text at least this much larger than in the whole photo (small cards, small scans).
REREAD_ZOOM = 1.6


def read_cards(
    crops: list[CardCrop],
    image: np.ndarray,
    engine: OcrEngine,
    whole: OcrResult | None,
    regions: list[TextRegion],
) -> tuple[list[CardCrop], list[OcrResult]]:
    """What is written on each card found in the working-size photo ``image``.

    An engine that read the whole photo with line regions (RapidOCR: ``whole``, ``regions``)
    has its lines sorted onto the cards and mapped into each flat, upright card. A card small
    in a big photo is also read on its own, enlarged to the engine's detection size, and the
    two readings are merged (small print the whole photo lost). Another engine (Tesseract,
    ``whole`` None) reads each flattened card image.

    Returns:
        The crops (a card read again is the enlarged one), and one OCR result per crop.
    """
    if whole is None:
        return crops, [engine.read(crop.image) for crop in crops]
    side = engine.detect_side if isinstance(engine, RegionReader) else 0
    read = [_read_card(crop, image, engine, side, whole, regions) for crop in crops]
    return [c for c, _ in read], [r for _, r in read]


def _read_card(
    crop: CardCrop,
    image: np.ndarray,
    engine: OcrEngine,
    side: int,
    whole: OcrResult,
    regions: list[TextRegion],
) -> tuple[CardCrop, OcrResult]:
    """One card's reading: the whole photo's lines that lie on it, in the card's pixels; a
    card small in the photo (its text at least ``REREAD_ZOOM`` times larger read alone at
    ``side``) is enlarged and read again, and the two readings merged."""
    again = bool(side) and _zoom(crop, image, side) >= REREAD_ZOOM
    if again:
        crop = _enlarge(crop, side)
    projected = project_ocr(whole, crop.matrix, crop.size, crop.members, regions)
    if again:
        projected = merge_readings(engine.read(crop.image), projected)
    return crop, projected


def _enlarge(crop: CardCrop, side: int) -> CardCrop:
    """``crop`` with its image scaled up so the long edge is ``side`` px (never shrunk)."""
    height, width = crop.image.shape[:2]
    k = side / max(height, width, 1)
    if k <= 1:
        return crop
    size = (max(1, round(width * k)), max(1, round(height * k)))
    image = cv2.resize(crop.image, size, interpolation=cv2.INTER_CUBIC)
    scale = np.diag([size[0] / width, size[1] / height, 1.0])
    matrix = None if crop.matrix is None else scale @ crop.matrix
    return replace(crop, image=image, matrix=matrix)


def _zoom(crop: CardCrop, image: np.ndarray, side: int) -> float:
    """How much larger the card's text gets when the card alone is read at ``side`` px.

    The engine's text detector sees the photo shrunk to ``side`` on its long edge, so on a
    card small in a big photo the small print is only a few pixels high there. A photo that
    was not shrunk was seen at its own resolution: enlarging it adds nothing (measured: it
    lost a line on a small scan), so it gives 1.
    """
    shrink = side / max(image.shape[:2])
    if shrink >= 1:
        return 1.0
    card_long = max(
        float(np.hypot(*np.subtract(crop.quad[1], crop.quad[0]))),
        float(np.hypot(*np.subtract(crop.quad[3], crop.quad[0]))),
    )
    return side / max(card_long * shrink, 1.0)


def project_ocr(
    result: OcrResult,
    matrix: np.ndarray | None,
    size: tuple[int, int],
    members: Sequence[int] = (),
    regions: Sequence[TextRegion] = (),
) -> OcrResult:
    """The lines of ``result`` (read on the whole photo) that lie on a card, in its pixels.

    Args:
        result: OCR of the photo the card was found in.
        matrix: the 3x3 map of the photo's pixels onto the card image's (None: no lines).
        size: the card image's width and height.
        members: which lines are on the card (none given: all of them).
        regions: the lines' regions (``regions[i]`` for ``result.lines[i]``), for exact
            corners; without them the lines' boxes are used.

    Returns:
        A result sized like the card image, lines top to bottom and left to right.
    """
    width, height = size
    if matrix is None:
        return OcrResult(lines=(), engine=result.engine, width=width, height=height)
    members = members if members else tuple(range(len(result.lines)))
    lines = []
    for i in members:
        if i >= len(result.lines):
            continue
        line = result.lines[i]
        corners = regions[i].corners if i < len(regions) else _corners(line.box)
        box = _project(matrix, corners, width, height)
        words = tuple(
            Word(w.text, _project(matrix, _corners(w.box), width, height), w.confidence)
            for w in line.words
        )
        if _upright_words(words, box):
            words = tuple(sorted(words, key=lambda w: w.box.x))
        lines.append(Line(line.text, box, line.confidence, words))
    return OcrResult(lines=_reading_order(lines), engine=result.engine, width=width, height=height)


def merge_readings(primary: OcrResult, other: OcrResult) -> OcrResult:
    """``primary``'s lines plus those of ``other`` (the same image, read another way) it lacks.

    A line of ``other`` that overlaps no line of ``primary`` is added; where one line of each
    cover the same place, the more confident reading is kept, or, as sure as each other, the
    one that spans more of the line (a detector can cut a line short: "to@x.es" for
    "contacto@x.es").
    """
    lines = list(primary.lines)
    for line in other.lines:
        hits = [i for i, mine in enumerate(lines) if _overlap(mine.box, line.box) > 0.5]
        if not hits:
            lines.append(line)
        elif len(hits) == 1:
            mine = lines[hits[0]]
            surer = line.confidence > mine.confidence + 0.05
            longer = line.confidence >= mine.confidence - 0.05 and line.box.w > 1.15 * mine.box.w
            if surer or longer:
                lines[hits[0]] = line
    return replace(primary, lines=_reading_order(lines))


def _overlap(a: Box, b: Box) -> float:
    """The area two boxes share, as a share of the smaller one."""
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min(a.w * a.h, b.w * b.h))


def _corners(box: Box) -> tuple[tuple[float, float], ...]:
    return ((box.x, box.y), (box.right, box.y), (box.right, box.bottom), (box.x, box.bottom))


def _project(
    matrix: np.ndarray, corners: Sequence[tuple[float, float]], width: int, height: int
) -> Box:
    points = np.asarray(corners, dtype=np.float64).reshape(-1, 1, 2)
    mapped = cv2.perspectiveTransform(points, matrix).reshape(-1, 2)
    x0, y0 = np.clip(mapped.min(axis=0), 0, [width - 1, height - 1])
    x1, y1 = np.clip(mapped.max(axis=0), 0, [width, height])
    return Box(int(x0), int(y0), max(1, int(round(x1 - x0))), max(1, int(round(y1 - y0))))


def _upright_words(words: tuple[Word, ...], box: Box) -> bool:
    return bool(words) and box.w >= box.h


def _reading_order(lines: list[Line]) -> tuple[Line, ...]:
    """Top to bottom; lines sharing a row (centres within half a line height) left to right."""
    ordered = sorted(lines, key=lambda ln: ln.box.center[1])
    rows: list[list[Line]] = []
    for line in ordered:
        if rows:
            last = rows[-1][-1]
            if abs(line.box.center[1] - last.box.center[1]) < 0.5 * min(line.box.h, last.box.h):
                rows[-1].append(line)
                continue
        rows.append([line])
    return tuple(ln for row in rows for ln in sorted(row, key=lambda ln: ln.box.x))
