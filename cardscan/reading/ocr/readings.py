"""Readings of one card moved and joined: lines read on a whole photo projected onto the
card found in it, and two readings of one card merged line by line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from cardscan.models import Box, Line, OcrResult, TextRegion, Word


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
