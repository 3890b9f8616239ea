"""Between a card's own pixels and its photo's: map points both ways and flatten the card.

The OCR reads a flat, upright card image; its word boxes are in those pixels. A
:class:`~cardscan.models.CardOutline` says where that card is in the photo (four corners in
the card's own order), so one perspective transform maps any point of the card onto the
photo, at any size of the photo, and back; and the card can be flattened again from the
stored photo whenever it is needed (triage, thumbnails) instead of being stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from cardscan.models import Box, CardOutline

Point = tuple[float, float]


def scale_outline(outline: CardOutline, width: int, height: int) -> CardOutline:
    """The same card in a copy of its photo that is ``width`` x ``height`` pixels.

    The stored photo is often larger than the working copy the pipeline read (and thumbnails
    smaller): the corners scale with the photo.
    """
    sx = width / outline.photo_size[0]
    sy = height / outline.photo_size[1]
    return CardOutline(
        quad=tuple((x * sx, y * sy) for x, y in outline.quad),
        photo_size=(width, height),
        card_size=outline.card_size,
        rotation=outline.rotation,
    )


def _card_corners(width: float, height: float) -> np.ndarray:
    """The corners of a ``width`` x ``height`` card image, as ``reading.detect`` maps them."""
    return np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )


def card_to_photo_matrix(outline: CardOutline) -> np.ndarray:
    """The 3x3 perspective transform from the card's pixels (``card_size``) to the photo's."""
    quad = np.asarray(outline.quad, dtype=np.float32).reshape(4, 2)
    return cv2.getPerspectiveTransform(_card_corners(*outline.card_size), quad).astype(np.float64)


def photo_to_card_matrix(outline: CardOutline) -> np.ndarray:
    """The 3x3 perspective transform from the photo's pixels to the card's."""
    return np.linalg.inv(card_to_photo_matrix(outline))


def _apply(matrix: np.ndarray, points: Sequence[Point]) -> list[Point]:
    if not points:
        return []
    array = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
    mapped = cv2.perspectiveTransform(array, matrix).reshape(-1, 2)
    return [(float(x), float(y)) for x, y in mapped]


def card_to_photo(outline: CardOutline, points: Sequence[Point]) -> list[Point]:
    """Points in the card's pixels, mapped onto the photo (pixels of ``photo_size``)."""
    return _apply(card_to_photo_matrix(outline), points)


def photo_to_card(outline: CardOutline, points: Sequence[Point]) -> list[Point]:
    """Points in the photo's pixels, mapped into the card's."""
    return _apply(photo_to_card_matrix(outline), points)


def box_to_photo(outline: CardOutline, box: Box) -> list[Point]:
    """A box in the card's pixels as a quadrilateral on the photo: its top-left, top-right,
    bottom-right and bottom-left corners as the card's reader sees them (on a card photographed
    upside down, the first corner is the photo's lower right)."""
    corners = [(box.x, box.y), (box.right, box.y), (box.right, box.bottom), (box.x, box.bottom)]
    return card_to_photo(outline, corners)


def card_to_fraction_matrix(outline: CardOutline) -> np.ndarray:
    """The 3x3 transform from the card's pixels to fractions (0..1) of the photo's width and
    height: what a page needs to draw the card's words on the photo at any display size."""
    width, height = outline.photo_size
    return np.diag([1.0 / width, 1.0 / height, 1.0]) @ card_to_photo_matrix(outline)


def side_lengths(quad: np.ndarray) -> tuple[float, float]:
    """How long a quadrilateral (tl, tr, br, bl) is across and down: its longest top/bottom
    side and its longest left/right side."""
    across = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))
    down = max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    return float(across), float(down)


def native_size(outline: CardOutline) -> tuple[int, int]:
    """How many photo pixels the card spans, across and down in its own orientation (its
    longest top/bottom side, its longest left/right side)."""
    across, down = side_lengths(np.asarray(outline.quad, dtype=np.float64).reshape(4, 2))
    return max(1, round(across)), max(1, round(down))


def flatten_card(image: np.ndarray, outline: CardOutline, max_side: int = 0) -> np.ndarray:
    """The card cut out of ``image`` (its photo, at any size), flat and upright.

    Args:
        image: the upright photo, BGR ``uint8``, of any size with the outline's aspect ratio.
        outline: where the card is.
        max_side: when above 0, the long edge of the result at most (never enlarged past
            the card's own resolution in ``image`` either).

    Returns:
        The card with ``card_size``'s aspect ratio, so the OCR's boxes, scaled by the same
        factor, fall on the same words.
    """
    height, width = image.shape[:2]
    scaled = scale_outline(outline, width, height)
    card_w, card_h = outline.card_size
    native = max(native_size(scaled))
    side = min(native, max_side) if max_side > 0 else native
    # Warp at the card's own resolution (at most twice the size asked for), then shrink with
    # area averaging: warping straight to a thumbnail would alias the small print.
    warp_side = min(native, 2 * side)
    flat = _warp(image, scaled, card_w, card_h, warp_side)
    if warp_side > side:
        scale = side / max(card_w, card_h)
        size = (max(1, round(card_w * scale)), max(1, round(card_h * scale)))
        flat = cv2.resize(flat, size, interpolation=cv2.INTER_AREA)
    return flat


def _warp(
    image: np.ndarray, outline: CardOutline, card_w: int, card_h: int, side: int
) -> np.ndarray:
    scale = side / max(card_w, card_h)
    out_w, out_h = max(1, round(card_w * scale)), max(1, round(card_h * scale))
    quad = np.asarray(outline.quad, dtype=np.float32).reshape(4, 2)
    return warp(image, quad, (out_w, out_h))[0]


def warp(
    image: np.ndarray,
    quad: np.ndarray,
    size: tuple[int, int],
    *,
    interpolation: int = cv2.INTER_LINEAR,
) -> tuple[np.ndarray, np.ndarray]:
    """The quadrilateral ``quad`` (tl, tr, br, bl) of ``image`` stretched flat to ``size``.

    Every card is flattened here: the pipeline's crops and the stored card made again.

    Returns:
        The flat image and the 3x3 transform from ``image``'s pixels to it.
    """
    width, height = size
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), _card_corners(width, height))
    flat = cv2.warpPerspective(
        image, matrix, (width, height), flags=interpolation, borderMode=cv2.BORDER_REPLICATE
    )
    return flat, matrix


def turn_matrix(degrees: int, width: int, height: int) -> np.ndarray:
    """The 3x3 map of pixels of a ``width`` x ``height`` image turned clockwise by ``degrees``."""
    turns = {
        0: [[1, 0, 0], [0, 1, 0]],
        90: [[0, -1, height - 1], [1, 0, 0]],
        180: [[-1, 0, width - 1], [0, -1, height - 1]],
        270: [[0, 1, 0], [-1, 0, width - 1]],
    }
    return np.array(turns[degrees % 360] + [[0, 0, 1]], dtype=np.float64)


def rotate(image: np.ndarray, degrees: int) -> np.ndarray:
    """``image`` turned clockwise by 0, 90, 180 or 270 degrees."""
    turns = {
        90: cv2.ROTATE_90_CLOCKWISE,
        180: cv2.ROTATE_180,
        270: cv2.ROTATE_90_COUNTERCLOCKWISE,
    }
    return cv2.rotate(image, turns[degrees % 360]) if degrees % 360 else image


def intersect(p1: np.ndarray, d1: np.ndarray, p2: np.ndarray, d2: np.ndarray) -> np.ndarray | None:
    """Where the line through ``p1`` along ``d1`` meets the one through ``p2`` along ``d2``
    (None for parallel lines)."""
    """Where the line through ``p1`` along ``d1`` meets the one through ``p2`` along ``d2``."""
    matrix = np.array([d1, -d2]).T
    if abs(np.linalg.det(matrix)) < 1e-9:
        return None
    s, _ = np.linalg.solve(matrix, p2 - p1)
    return p1 + s * d1
