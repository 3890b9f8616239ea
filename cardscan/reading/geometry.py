"""Between a card's own pixels and its photo's: map points both ways and flatten the card.

The OCR reads a flat, upright card image; its word boxes are in those pixels. A
:class:`~cardscan.models.CardOutline` says where that card is in the photo (four corners in
the card's own order), so one perspective transform maps any point of the card onto the
photo, at any size of the photo, and back; and the card can be flattened again from the
stored photo whenever it is needed (triage, thumbnails) instead of being stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from cardscan.models import Box, CardOutline, TextRegion

Point = tuple[float, float]


@dataclass(frozen=True)
class CardCrop:
    """One card found in a photo: its flat, upright image and where it was."""

    image: np.ndarray  # BGR uint8, flattened and turned upright
    quad: tuple[tuple[float, float], ...]  # corners in the photo: tl, tr, br, bl (card's own)
    box: Box  # the quad's bounding box in the photo
    rotation: int  # clockwise degrees applied after flattening: 0, 90, 180 or 270
    confidence: float  # 0..1, how sure the detector is that this is a card
    method: str  # "quad", "text" or "whole"
    members: tuple[int, ...] = ()  # indexes of the text regions on this card
    matrix: np.ndarray | None = None  # 3x3: photo pixels -> pixels of ``image``

    @property
    def size(self) -> tuple[int, int]:
        """The card image's width and height."""
        height, width = self.image.shape[:2]
        return width, height


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
    matrix = np.array([d1, -d2]).T
    if abs(np.linalg.det(matrix)) < 1e-9:
        return None
    s, _ = np.linalg.solve(matrix, p2 - p1)
    return p1 + s * d1


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points ordered top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


# --- quadrilaterals and the text on them ------------------------------------------------------


def holds_region(quad: np.ndarray, region: np.ndarray, tolerance: float) -> bool:
    """Whether every corner of ``region`` lies inside ``quad`` or within ``tolerance`` px."""
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    return all(
        cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -tolerance for x, y in region
    )


def holds_point(quad: np.ndarray, point: np.ndarray) -> bool:
    """Whether ``point`` lies inside ``quad`` (or on its sides)."""
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two quadrilaterals share more than 5 % of the smaller one's area."""
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    return inter > 0.05 * min(cv2.contourArea(a), cv2.contourArea(b))


def text_skew(quad: np.ndarray, regions: list[np.ndarray]) -> float:
    """How far the text lines turn from straight (degrees, mean weighted by length) once
    the card is flattened along ``quad``: a true outline straightens the text, a wrong one
    (a printed curve, a shadow) leaves it slanted or sheared."""
    target = np.array([[0, 0], [1000, 0], [1000, 600], [0, 600]], np.float32)
    matrix = cv2.getPerspectiveTransform(order_corners(quad), target)
    points = np.concatenate(regions).reshape(-1, 1, 2).astype(np.float64)
    flat = cv2.perspectiveTransform(points, matrix).reshape(-1, 4, 2)
    along = flat[:, 1] - flat[:, 0]
    lengths = np.hypot(along[:, 0], along[:, 1])
    angles = np.degrees(np.arctan2(along[:, 1], along[:, 0]))
    turn = np.abs((angles + 45) % 90 - 45)  # from the nearest of 0, 90, 180, 270 degrees
    return float((turn * lengths).sum() / max(float(lengths.sum()), 1e-9))


def text_rect(points: np.ndarray, line_height: float, shape: tuple[int, ...]) -> np.ndarray:
    """A rotated rectangle around the text's corners ``points``, with a margin, clipped to the
    photo (of ``shape``)."""
    (cx, cy), (w, h), angle = cv2.minAreaRect(points.astype(np.float32))
    margin = 2.0 * line_height + 0.04 * max(w, h)
    quad = cv2.boxPoints(((cx, cy), (w + 2 * margin, h + 2 * margin), angle))
    height, width = shape[:2]
    quad[:, 0] = np.clip(quad[:, 0], 0, width - 1)
    quad[:, 1] = np.clip(quad[:, 1], 0, height - 1)
    return order_corners(quad)


# --- cards cut out of a photo -------------------------------------------------------------------


def orientation(text: Sequence[TextRegion]) -> int:
    """Clockwise degrees (0, 90, 180, 270) that make the text regions read upright.

    Each line votes for the direction its text runs in (right, down, left or up), with its
    length as weight, split by the engine's upside-down belief. Short, squarish regions
    (single letters, icons) do not vote.
    """
    votes = [0.0, 0.0, 0.0, 0.0]  # text runs right, down, left, up
    for region in text:
        q = np.asarray(region.corners, dtype=np.float64).reshape(4, 2)
        along, across = q[1] - q[0], q[3] - q[0]
        length = float(np.linalg.norm(along))
        if length < 1.5 * float(np.linalg.norm(across)):
            continue
        angle = np.degrees(np.arctan2(along[1], along[0]))  # image y points down
        quadrant = int(((angle + 45) % 360) // 90)  # 0 right, 1 down, 2 left, 3 up
        votes[quadrant] += length * (1 - region.upside_down)
        votes[(quadrant + 2) % 4] += length * region.upside_down
    if not any(votes):
        return 0
    runs = int(np.argmax(votes))
    return {0: 0, 1: 270, 2: 180, 3: 90}[runs]


def crop_card(
    image: np.ndarray,
    quad: np.ndarray,
    text: Sequence[TextRegion],
    max_side: int,
    *,
    confidence: float,
    method: str,
    members: tuple[int, ...] = (),
) -> CardCrop:
    """The card at ``quad`` in ``image``, flattened, turned upright by ``text`` (the regions
    on it, ``members`` their indexes) and, when ``max_side`` is above 0, shrunk to that long
    edge."""
    rotation = orientation(text)
    quad = order_corners(quad)
    long_w, long_h = side_lengths(quad)
    scale = min(1.0, max_side / max(long_w, long_h)) if max_side > 0 else 1.0
    w, h = max(8, round(long_w * scale)), max(8, round(long_h * scale))
    flat, matrix = warp(
        image, quad, (w, h), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    x0, y0 = np.floor(quad.min(axis=0))
    x1, y1 = np.ceil(quad.max(axis=0))
    box = Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0))
    # The corners in the card's own order (its top-left first, once turned upright).
    corners = np.roll(quad, rotation // 90, axis=0)
    return CardCrop(
        image=rotate(flat, rotation),
        quad=tuple((float(x), float(y)) for x, y in corners),
        box=box,
        rotation=rotation,
        confidence=confidence,
        method=method,
        members=members,
        matrix=turn_matrix(rotation, w, h) @ matrix,
    )


def whole_photo(image: np.ndarray, text: Sequence[TextRegion], max_side: int) -> CardCrop:
    """The whole photo as the card (only turned upright and, if asked, shrunk)."""
    height, width = image.shape[:2]
    rotation = orientation(text)
    scale = min(1.0, max_side / max(height, width)) if max_side > 0 else 1.0
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    shrink = np.diag([scale, scale, 1.0])
    matrix = turn_matrix(rotation, image.shape[1], image.shape[0]) @ shrink
    quad = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    corners = np.roll(quad, rotation // 90, axis=0)
    return CardCrop(
        image=rotate(image, rotation),
        quad=tuple((float(x), float(y)) for x, y in corners),
        box=Box(0, 0, width, height),
        rotation=rotation,
        confidence=0.2 if text else 0.1,
        method="whole",
        members=tuple(range(len(text))),
        matrix=matrix,
    )
