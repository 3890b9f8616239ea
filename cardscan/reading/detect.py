"""Find the card(s) in a photo; ``geometry`` flattens each one and turns it upright.

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

Orientation (``geometry.orientation``): text lines should run left to right. Each text region
says which way its line runs (the engine lays each line out along its long side, and its
direction classifier says whether that reads upside down); the lines vote, weighted by length.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from cardscan.models import TextRegion
from cardscan.reading.edges import Edges, Outline, lab_of, refine, score_quad
from cardscan.reading.geometry import (
    CardCrop,
    crop_card,
    holds_region,
    overlaps,
    text_rect,
    whole_photo,
)
from cardscan.reading.outline import best_outline
from cardscan.reading.quads import find_quads, iou

#: Share of the text (by area) that several cards found together must hold between them.
TEXT_INSIDE = 0.9


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
    groups: list[tuple[np.ndarray, list[int], str, float]] = []
    if height >= 16 and width >= 16:
        regions = [np.asarray(r.corners, dtype=np.float32).reshape(4, 2) for r in text]
        areas = np.array([cv2.contourArea(q) for q in regions], dtype=np.float64)
        edges = Edges(image)
        quads = find_quads(image, small=edges.small)
        groups = _split_cards(edges, quads, regions, areas)
    crops = [
        crop_card(
            image,
            quad,
            [text[i] for i in members],
            max_side,
            confidence=confidence,
            method=method,
            members=tuple(members),
        )
        for quad, members, method, confidence in groups
    ]
    if not crops:
        crops = [whole_photo(image, text, max_side)]
    crops.sort(key=lambda c: (round(c.box.center[1] / max(1, height) * 3), c.box.center[0]))
    return crops


# --- choosing the cards -------------------------------------------------------------------------


def _split_cards(
    edges: Edges,
    quads: list[np.ndarray],
    regions: list[np.ndarray],
    areas: np.ndarray,
) -> list[tuple[np.ndarray, list[int], str, float]]:
    """Decide the cards: (quad, indexes of its text regions, method, confidence) each."""
    total = float(areas.sum())
    if not regions:
        backed = [o for o in (score_quad(edges, q) for q in quads) if o.trusted]
        if backed:
            best = max(backed, key=lambda o: o.score)
            return [(best.quad, [], "quad", 0.5)]
        return []
    line_height = float(np.median([_short_side(r) for r in regions]))
    tolerance = 0.5 * line_height
    holds = [[i for i, r in enumerate(regions) if holds_region(q, r, tolerance)] for q in quads]

    # Several separate quads backed by edges, each with real text: several cards.
    chosen: list[tuple[np.ndarray, list[int]]] = []
    for quad, members in zip(quads, holds, strict=True):
        if len(members) < 3 or areas[members].sum() < 0.15 * total:
            continue
        if any(iou(quad, other) > 0 or overlaps(quad, other) for other, _ in chosen):
            continue
        if not score_quad(edges, quad).trusted:
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
            found.append(best_outline(edges, quads, regions, everything, [], line_height))
        return found[0]

    clusters, apart = _text_clusters(regions, areas, line_height)
    if len(clusters) >= 2 and apart and _one_card(edges, regions, clusters, whole(), line_height):
        clusters = []
    outlines = [
        best_outline(edges, quads, regions, c, _others(regions, clusters, c), line_height)
        for c in clusters
    ]
    if len(clusters) >= 2 and not apart:
        # Groups of text close together are two cards only when each has an outline of
        # its own (two cards side by side), never on the gap alone (columns of one card),
        # nor when one card holds them on its own ground (a rule printed across a card
        # gives each half an outline).
        if not _separate(outlines) or _one_card(edges, regions, clusters, whole(), line_height):
            clusters = []
    if len(clusters) < 2:
        clusters, outlines = [everything], [whole()]
    cards = []
    for members, outline in zip(clusters, outlines, strict=True):
        if outline is not None:
            confidence = 0.9 if outline.borders == 0 else 0.8
            cards.append((outline.quad, members, "quad", confidence))
        else:
            points = np.concatenate([regions[i] for i in members])
            cards.append((text_rect(points, line_height, edges.image.shape), members, "text", 0.6))
    return cards


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
    """True when groups of text lie on one card (set in columns, or parted by a printed rule).

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


def _others(
    regions: list[np.ndarray], clusters: list[list[int]], members: list[int]
) -> list[np.ndarray]:
    """The text of the clusters other than ``members`` (the card's outline must keep clear)."""
    return [np.concatenate([regions[i] for i in c]) for c in clusters if c is not members]


def _separate(outlines: list[Outline | None]) -> bool:
    """True when every group of text has its own outline, none overlapping another."""
    found = [o for o in outlines if o is not None]
    if len(found) < len(outlines) or len(found) < 2:
        return False
    return not any(overlaps(a.quad, b.quad) for i, a in enumerate(found) for b in found[i + 1 :])


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
