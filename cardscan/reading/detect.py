"""Find the card(s) in a photo, flatten each one and turn it upright.

Three kinds of evidence are combined:

- **text regions** from the OCR engine's own text detector (``TextRegion``), which say where
  the writing is and which way up it runs: the card surely holds all of it;
- **outlines**: four straight edges around the text, found by ``cardscan.reading.outline`` (lines
  outside the text, roughly along and across it), and quadrilaterals from edge contours and
  a colour segmentation of card against table; all are scored alike by how much of each
  side runs along an edge in the photo;
- the photo itself, as the last resort (a flatbed scan where the card fills the image).

An outline is used only when it holds all of the text and its sides are backed by edges
(at most two may lie on the photo's border, for a card running off the frame); otherwise the
card is the text-bearing region (a rotated rectangle around the text, with a margin), so a
wrong outline can never cut text off. Two cards are reported when two separate quads each
hold text, or when the text falls into two large clusters with a wide gap between them; each
cluster then gets its own outline.

Orientation: text lines should run left to right. Each text region says which way its line
runs (the engine lays each line out along its long side, and its direction classifier says
whether that reads upside down); the lines vote, weighted by length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from cardscan.models import Box, TextRegion
from cardscan.reading.edges import Edges, Outline, lab_of, refine, score_quad
from cardscan.reading.geometry import rotate, side_lengths, turn_matrix, warp
from cardscan.reading.outline import outlines_around, text_axis
from cardscan.reading.quads import find_quads, iou, order_corners

#: Share of the text (by area) that several cards found together must hold between them.
TEXT_INSIDE = 0.9


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


def find_cards(
    image: np.ndarray, text: Sequence[TextRegion] = (), *, max_side: int = 0
) -> list[CardCrop]:
    """Every card in ``image``, flattened and upright; never an empty list.

    Args:
        image: the photo, BGR ``uint8``.
        text: text line regions of ``image`` from the OCR engine (may be empty).
        max_side: when above 0, card images are shrunk to this long edge.

    Returns:
        One :class:`CardCrop` per card, left to right, top to bottom. A photo with no card
        and no text gives one crop of the whole image with a low confidence.
    """
    height, width = image.shape[:2]
    if height < 16 or width < 16:
        return [_whole(image, text, max_side)]
    regions = [np.asarray(r.corners, dtype=np.float32).reshape(4, 2) for r in text]
    areas = np.array([cv2.contourArea(q) for q in regions], dtype=np.float64)
    edges = Edges(image)
    quads = find_quads(image, small=edges.small)

    groups = _split_cards(edges, quads, regions, areas)
    crops: list[CardCrop] = []
    for quad, members, method, confidence in groups:
        votes = [text[i] for i in members]
        rotation = orientation(votes)
        crop = _crop(image, quad, rotation, confidence, method, max_side)
        crops.append(replace(crop, members=tuple(members)))
    if not crops:
        crops = [_whole(image, text, max_side)]
    crops.sort(key=lambda c: (round(c.box.center[1] / max(1, height) * 3), c.box.center[0]))
    return crops


# --- orientation ------------------------------------------------------------------------------


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


# --- choosing the cards -------------------------------------------------------------------------


def _inside(quad: np.ndarray, region: np.ndarray, tolerance: float) -> bool:
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    return all(
        cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -tolerance for x, y in region
    )


def _split_cards(
    edges: Edges,
    quads: list[np.ndarray],
    regions: list[np.ndarray],
    areas: np.ndarray,
) -> list[tuple[np.ndarray, list[int], str, float]]:
    """Decide the cards: (quad, indexes of its text regions, method, confidence) each."""
    total = float(areas.sum())
    if not regions:
        backed = [o for o in (score_quad(edges, q) for q in quads) if _trusted(o)]
        if backed:
            best = max(backed, key=lambda o: o.score)
            return [(best.quad, [], "quad", 0.5)]
        return []
    line_height = float(np.median([_short_side(r) for r in regions]))
    tolerance = 0.5 * line_height
    holds = [[i for i, r in enumerate(regions) if _inside(q, r, tolerance)] for q in quads]

    # Several separate quads backed by edges, each with real text: several cards.
    chosen: list[tuple[np.ndarray, list[int]]] = []
    for quad, members in zip(quads, holds, strict=True):
        if len(members) < 3 or areas[members].sum() < 0.15 * total:
            continue
        if any(iou(quad, other) > 0 or _overlaps(quad, other) for other, _ in chosen):
            continue
        if not _trusted(score_quad(edges, quad)):
            continue
        chosen.append((quad, members))
    covered = sum(float(areas[m].sum()) for _, m in chosen)
    if len(chosen) >= 2 and covered >= TEXT_INSIDE * total:
        return [
            (refine(edges, q, np.concatenate([regions[i] for i in m]), line_height), m, "quad", 0.9)
            for q, m in chosen
        ]

    everything = list(range(len(regions)))
    found: list[Outline | None] = []

    def whole() -> Outline | None:
        """The outline around all the text, found once when first needed."""
        if not found:
            found.append(_outline(edges, quads, regions, everything, [], line_height))
        return found[0]

    clusters, apart = _text_clusters(regions, areas, line_height)
    if len(clusters) >= 2 and apart and _one_card(edges, regions, clusters, whole(), line_height):
        clusters = []
    outlines = [_cluster_outline(edges, quads, regions, clusters, c, line_height) for c in clusters]
    if len(clusters) >= 2 and not apart and not _separate(outlines):
        # Groups of text close together are two cards only when each has an outline of
        # its own (two cards side by side), never on the gap alone (columns of one card).
        clusters = []
    if len(clusters) < 2:
        clusters, outlines = [everything], [whole()]
    cards = []
    for members, outline in zip(clusters, outlines, strict=True):
        if outline is not None:
            confidence = 0.9 if outline.borders == 0 else 0.8
            cards.append((outline.quad, members, "quad", confidence))
        else:
            cards.append(
                (_text_rect(regions, members, line_height, edges.image.shape), members, "text", 0.6)
            )
    return cards


#: How far (in text line heights) a text region's corner may stick out of a card's outline
#: (the engine's boxes have some air around the letters).
TEXT_SLACK = 0.25
#: Most the text lines may turn from straight, on average, on a card flattened along an
#: outline (degrees; bowed cards and slightly skewed print stay well under it).
MAX_SKEW = 3.5
#: Least share of any side (not on the photo's border) that must run along an edge.
SIDE_SUPPORT = 0.45
#: Least mean share over the sides not on the photo's border.
MEAN_SUPPORT = 0.65
#: Least score of a side on the photo's border (see ``edges.BORDER_SUPPORT``).
BORDER_SUPPORT = 0.3


def _trusted(outline: Outline) -> bool:
    """Whether an outline's sides are backed well enough by edges in the photo.

    At most two sides may lie on the photo's border (a card running off the frame); every
    other side must run along an edge for a good share of its length.
    """
    inner = [s for s, b in zip(outline.support, outline.on_border, strict=True) if not b]
    edge = [s for s, b in zip(outline.support, outline.on_border, strict=True) if b]
    if len(inner) < 2 or min(edge, default=1.0) < BORDER_SUPPORT:
        return False
    return min(inner) >= SIDE_SUPPORT and float(np.mean(inner)) >= MEAN_SUPPORT


def _outline(
    edges: Edges,
    quads: list[np.ndarray],
    regions: list[np.ndarray],
    members: list[int],
    others: list[np.ndarray],
    line_height: float,
) -> Outline | None:
    """The best-backed outline holding all of ``members`` and no other card's text."""
    points = np.concatenate([regions[i] for i in members])
    axis = text_axis([regions[i] for i in members])
    found = outlines_around(edges, points, axis, line_height, others, quads)
    tolerance = TEXT_SLACK * line_height
    found = [
        o
        for o in found
        if _trusted(o)
        and all(_inside(o.quad, regions[i], tolerance) for i in members)
        and not any(_holds_point(o.quad, other.mean(axis=0)) for other in others)
        and _skew(o.quad, [regions[i] for i in members]) <= MAX_SKEW
    ]
    # A card seen whole beats one running off the frame: a quad stretched to the border
    # along a table's seam or a shadow would otherwise often win.
    best = max(found, key=lambda o: (-o.borders, o.score), default=None)
    if best is None:
        return None
    return replace(best, quad=refine(edges, best.quad, points, line_height))


def _cluster_outline(
    edges: Edges,
    quads: list[np.ndarray],
    regions: list[np.ndarray],
    clusters: list[list[int]],
    members: list[int],
    line_height: float,
) -> Outline | None:
    """The outline of the card holding ``members``, clear of the other clusters' text."""
    others = [np.concatenate([regions[i] for i in c]) for c in clusters if c is not members]
    return _outline(edges, quads, regions, members, others, line_height)


def _separate(outlines: list[Outline | None]) -> bool:
    """True when every group of text has its own outline, none overlapping another."""
    found = [o for o in outlines if o is not None]
    if len(found) < len(outlines) or len(found) < 2:
        return False
    return not any(_overlaps(a.quad, b.quad) for i, a in enumerate(found) for b in found[i + 1 :])


#: Least colour difference (Lab, as in ``cardscan.reading.outline``) between card and table for the
#: ground between two groups of text to tell one card from two.
GROUND_CONTRAST = 12.0


def _one_card(
    edges: Edges,
    regions: list[np.ndarray],
    clusters: list[list[int]],
    whole: Outline | None,
    line_height: float,
) -> bool:
    """True when groups of text far apart lie on one card (a card set in columns).

    It needs ``whole``, a trusted outline around all the text, inside the frame, and the
    ground between the groups must be the card's own colour all the way: between two cards
    lying side by side there is a stretch of table at least a line high. Where card and table
    look alike, the groups stay separate cards.
    """
    if whole is None or whole.borders:
        return False
    scale = edges.scale
    lab = lab_of(edges.small)
    inside = np.zeros(edges.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(whole.quad * scale).astype(np.int32), 1)
    ring = cv2.dilate(inside, np.ones((9, 9), np.uint8)) - inside
    text = np.zeros(edges.shape, np.uint8)
    for region in regions:
        cv2.fillConvexPoly(text, np.round(region * scale).astype(np.int32), 1)
    card = np.median(lab[(inside == 1) & (text == 0)], axis=0)
    table = np.median(lab[ring == 1], axis=0)
    if float(np.linalg.norm(card - table)) < GROUND_CONTRAST:
        return False
    near_text = cv2.dilate(text, np.ones((5, 5), np.uint8))
    centres = [np.concatenate([regions[i] for i in c]).mean(axis=0) * scale for c in clusters]
    step = max(1.0, line_height * scale / 4)
    for a in range(len(centres)):
        for b in range(a + 1, len(centres)):
            length = float(np.linalg.norm(centres[b] - centres[a]))
            run = longest = 0
            for t in np.linspace(0, 1, max(2, int(length / step))):
                x, y = np.round(centres[a] + t * (centres[b] - centres[a])).astype(int)
                if not (0 <= y < edges.shape[0] and 0 <= x < edges.shape[1]) or near_text[y, x]:
                    continue
                colour = lab[y, x]
                on_table = np.linalg.norm(colour - table) < np.linalg.norm(colour - card)
                run = run + 1 if on_table else 0
                longest = max(longest, run)
            if longest * step >= line_height * scale:
                return False
    return True


def _skew(quad: np.ndarray, regions: list[np.ndarray]) -> float:
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


def _holds_point(quad: np.ndarray, point: np.ndarray) -> bool:
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def _overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    return inter > 0.05 * min(cv2.contourArea(a), cv2.contourArea(b))


def _short_side(region: np.ndarray) -> float:
    return float(min(np.linalg.norm(region[1] - region[0]), np.linalg.norm(region[3] - region[0])))


def _text_clusters(
    regions: list[np.ndarray], areas: np.ndarray, line_height: float
) -> tuple[list[list[int]], bool]:
    """Groups of text apart, when each is big enough to be a card of its own.

    Lines join a group when their boxes come within a few line heights; groups count only
    when each has several lines and a good share of the text (a logo set apart from the
    text of the same card stays with it).

    Returns:
        The groups (none when there are fewer than two), and whether the gaps between them
        are wide compared with the groups themselves.
    """
    n = len(regions)
    boxes: list[tuple[int, int, int, int]] = [
        tuple(cv2.boundingRect(r.astype(np.float32)))  # type: ignore[misc]
        for r in regions
    ]
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reach = 4 * line_height
    for i in range(n):
        for j in range(i + 1, n):
            if _gap(boxes[i], boxes[j]) <= reach:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    total = float(areas.sum())
    big = [g for g in groups.values() if len(g) >= 4 and areas[g].sum() >= 0.2 * total]
    if len(big) < 2 or sum(float(areas[g].sum()) for g in big) < TEXT_INSIDE * total:
        return [], False
    extents = [_extent([boxes[i] for i in g]) for g in big]
    apart = True
    for a in range(len(big)):
        for b in range(a + 1, len(big)):
            gap = _gap(extents[a], extents[b])
            size = max(extents[a][2], extents[a][3], extents[b][2], extents[b][3])
            apart = apart and gap >= 0.5 * size
    return big, apart


def _extent(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _gap(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    dx = max(0, max(a[0], b[0]) - min(a[0] + a[2], b[0] + b[2]))
    dy = max(0, max(a[1], b[1]) - min(a[1] + a[3], b[1] + b[3]))
    return float(np.hypot(dx, dy))


def _text_rect(
    regions: list[np.ndarray], members: list[int], line_height: float, shape: tuple[int, ...]
) -> np.ndarray:
    """A rotated rectangle around the text regions, with a margin, clipped to the photo."""
    points = np.concatenate([regions[i] for i in members]).astype(np.float32)
    (cx, cy), (w, h), angle = cv2.minAreaRect(points)
    margin = 2.0 * line_height + 0.04 * max(w, h)
    quad = cv2.boxPoints(((cx, cy), (w + 2 * margin, h + 2 * margin), angle))
    height, width = shape[:2]
    quad[:, 0] = np.clip(quad[:, 0], 0, width - 1)
    quad[:, 1] = np.clip(quad[:, 1], 0, height - 1)
    return order_corners(quad)


# --- cropping -----------------------------------------------------------------------------------


def _crop(
    image: np.ndarray,
    quad: np.ndarray,
    rotation: int,
    confidence: float,
    method: str,
    max_side: int,
) -> CardCrop:
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
        matrix=turn_matrix(rotation, w, h) @ matrix,
    )


def _whole(image: np.ndarray, text: Sequence[TextRegion], max_side: int) -> CardCrop:
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
