"""Card-shaped quadrilaterals in a photo, from edge contours and a colour segmentation of
card against table: candidates that compete with ``outline``'s on the same score."""

from __future__ import annotations

import cv2
import numpy as np

from cardscan.reading.edges import OUTLINE_SIDE
from cardscan.reading.geometry import order_corners

#: Long edge of the image the quad finders work on (speed; card edges stay clear at this size).
SEGMENT_SIDE = OUTLINE_SIDE


#: Card aspect ratios accepted for a quad (ISO 7810 is 1.59, US 1.75, Japan 1.65, square 1).
ASPECT_RANGE = (1.0, 2.4)


def find_quads(image: np.ndarray, *, small: np.ndarray | None = None) -> list[np.ndarray]:
    """Card-shaped quadrilaterals in ``image`` (corners tl, tr, br, bl in its pixels).

    Candidates come from edge contours and from a segmentation of the photo by colour
    distance to its border (the table). Each is kept when it is convex, card-shaped and
    covers 4-97% of the photo; near-duplicates are merged, best first. ``small`` is the
    photo already shrunk to :data:`SEGMENT_SIDE`, when the caller has it.
    """
    height, width = image.shape[:2]
    scale = min(1.0, SEGMENT_SIDE / max(height, width))
    if small is None:
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    masks = _edge_masks(small) + _colour_masks(small)
    area = small.shape[0] * small.shape[1]
    scored: list[tuple[float, np.ndarray]] = []
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            contour_area = cv2.contourArea(contour)
            if not 0.04 * area <= contour_area <= 0.97 * area:
                continue
            quad = _quad_of(contour)
            if quad is None or not _within(quad, small.shape):
                continue
            quad_area = cv2.contourArea(quad)
            fill = contour_area / max(quad_area, 1.0)
            if fill < 0.85:
                continue
            score = fill + 0.5 * min(1.0, quad_area / (0.3 * area))
            scored.append((score, quad / scale))
    scored.sort(key=lambda s: -s[0])
    kept: list[np.ndarray] = []
    for _score, quad in scored:
        if all(iou(quad, other) < 0.8 for other in kept):
            kept.append(quad)
    return kept[:8]


def _edge_masks(small: np.ndarray) -> list[np.ndarray]:
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    median = float(np.median(grey))
    edges = cv2.Canny(grey, int(max(10, 0.5 * median)), int(min(255, max(40, 1.2 * median))))
    closed = cv2.morphologyEx(
        edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    )
    # Fill what the closed edges enclose, so a card's outline becomes a solid region.
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(closed)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return [closed, filled]


def _colour_masks(small: np.ndarray) -> list[np.ndarray]:
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (7, 7), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    band = max(2, min(h, w) // 40)
    border = np.concatenate(
        [
            lab[:band].reshape(-1, 3),
            lab[-band:].reshape(-1, 3),
            lab[:, :band].reshape(-1, 3),
            lab[:, -band:].reshape(-1, 3),
        ]
    )
    background = np.median(border, axis=0)
    distance = np.linalg.norm(lab - background, axis=2)
    distance = np.clip(distance * (255.0 / max(1.0, float(distance.max()))), 0, 255)
    distance = distance.astype(np.uint8)
    _, mask = cv2.threshold(distance, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    # Also a plain brightness split: white cards on dark tables and the reverse.
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    _, bright = cv2.threshold(
        cv2.GaussianBlur(grey, (7, 7), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel)
    return [mask, bright, 255 - bright]


def _quad_of(contour: np.ndarray) -> np.ndarray | None:
    """A card-shaped quad for ``contour`` (polygon fit, else its min-area rectangle)."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.02, 0.04):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:  # rounded corners or a cut corner: the rotated bounding rectangle
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    quad = order_corners(quad)
    top, right = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1])
    bottom, left = np.linalg.norm(quad[2] - quad[3]), np.linalg.norm(quad[3] - quad[0])
    long_side, short_side = max(top + bottom, left + right), min(top + bottom, left + right)
    if short_side < 1 or not ASPECT_RANGE[0] <= long_side / short_side <= ASPECT_RANGE[1]:
        return None
    # Opposite sides of a photographed rectangle stay within a factor of ~2 of each other.
    if max(top, bottom) > 2.2 * min(top, bottom) or max(left, right) > 2.2 * min(left, right):
        return None
    return quad


def _within(quad: np.ndarray, shape: tuple[int, ...], slack: float = 0.02) -> bool:
    """Whether every corner lies inside the image (give or take ``slack`` of its size)."""
    height, width = shape[:2]
    dx, dy = slack * width, slack * height
    return bool(
        (quad[:, 0] >= -dx).all()
        and (quad[:, 0] <= width - 1 + dx).all()
        and (quad[:, 1] >= -dy).all()
        and (quad[:, 1] <= height - 1 + dy).all()
    )


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """How much two quadrilaterals overlap: intersection over union of their areas."""
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    union = cv2.contourArea(a) + cv2.contourArea(b) - inter
    return float(inter / union) if union > 0 else 0.0
