"""Card outlines: the four straight edges around a photo's text.

The OCR engine says where the text is, and the card surely holds all of it, so the card's
sides are lines that pass outside the text on each of its four sides, roughly along and
across the lines of text. Candidate lines come from a Hough transform of the edges outside
the text, each moved onto the edge pixels along it; the photo's own border counts as a line
too, for a card that runs off the frame. Every choice of a top, right, bottom and left line
makes a quadrilateral, scored all at once by:

- how much of each side runs along an edge (a colour change across the line that is
  stronger there than a few pixels to one side, so wood grain, grass or a busy print do not
  pass for an edge; a thin line such as a white card's rim does);
- less how much the edge goes on past the corners (a card's side stops at its corners, the
  lines of a grid, a table's seam or a shadow go on);
- less a little for size (of two good outlines, the tighter: a card's drop shadow, a desk
  mat or a notebook lie outside it);
- a side on the photo's border is only as good as the sides beside it run up to it.

The edges and that score are in ``edges`` (``score_quad`` scores an outline found any other
way alike), with ``refine``, which fits the chosen one's sides to the full-size photo.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from cardscan.reading.edges import (
    AREA_WEIGHT,
    BEYOND_WEIGHT,
    END_SHARE,
    REACH,
    REACH_MIN,
    Edges,
    Outline,
    border_support,
    lies_on_border,
    refine,
    score_quad,
)
from cardscan.reading.geometry import holds_point, holds_region, intersect, text_skew

#: Least gap between the text and a side, in text line heights (the edge of left-aligned
#: text is a straight line too).
CLEARANCE = 0.15
#: Most Hough segments looked at (the longest), so a busy photo stays quick.
MAX_SEGMENTS = 300
#: Most lines looked at on each side of the text (the nearest), and how many are tried in
#: quads: the nearest good ones and the strongest of the others.
MAX_TRIED = 40
NEAREST = 5
STRONGEST = 4
#: Most a side may turn away from the text's direction (perspective), in degrees.
MAX_TURN = 20.0
#: Most two opposite sides may turn away from each other (perspective), in degrees.
MAX_SPREAD = 16.0
#: How far (in text line heights) a text region's corner may stick out of a card's outline
#: (the engine's boxes have some air around the letters).
TEXT_SLACK = 0.25
#: Most the text lines may turn from straight, on average, on a card flattened along an
#: outline (degrees; bowed cards and slightly skewed print stay well under it).
MAX_SKEW = 3.5


# --- the card around the text ------------------------------------------------------------------


def best_outline(
    edges: Edges,
    quads: list[np.ndarray],
    regions: list[np.ndarray],
    members: list[int],
    others: list[np.ndarray],
    line_height: float,
) -> Outline | None:
    """The best-backed outline holding all of ``members`` (indexes into the text ``regions``)
    and no other card's text (``others``), its sides fitted to the full-size photo.

    ``quads`` are outlines found otherwise (contours, colour segments), tried alike.
    """
    points = np.concatenate([regions[i] for i in members])
    axis = text_axis([regions[i] for i in members])
    found = outlines_around(edges, points, axis, line_height, others, quads)
    tolerance = TEXT_SLACK * line_height
    found = [
        o
        for o in found
        if o.trusted
        and all(holds_region(o.quad, regions[i], tolerance) for i in members)
        and not any(holds_point(o.quad, other.mean(axis=0)) for other in others)
        and text_skew(o.quad, [regions[i] for i in members]) <= MAX_SKEW
    ]
    # A card seen whole beats one running off the frame: a quad stretched to the border
    # along a table's seam or a shadow would otherwise often win.
    best = max(found, key=lambda o: (-o.borders, o.score), default=None)
    if best is None:
        return None
    return replace(best, quad=refine(edges, best.quad, points, line_height))


# --- lines around the text ----------------------------------------------------------------------


@dataclass
class _Line:
    point: np.ndarray  # a point on the line (shrunk pixels)
    direction: np.ndarray  # unit vector along it
    normal: np.ndarray  # unit vector towards the text
    distance: float  # how far it passes from the text
    border: bool = False
    length: float = 0.0  # length of the Hough segments along it
    start: float = 0.0  # parameter of the first profile sample
    profile: np.ndarray | None = None  # cumulative edge hits along the line, one per pixel


def text_axis(regions: list[np.ndarray]) -> float:
    """The direction the text runs in, in degrees modulo 90 (lines weighted by length)."""
    total = 0j
    for r in regions:
        along = r[1] - r[0]
        length = float(np.hypot(along[0], along[1]))
        total += length * np.exp(4j * np.arctan2(along[1], along[0]))
    return float(np.degrees(np.angle(total)) / 4) if total else 0.0


def outlines_around(
    edges: Edges,
    hull: np.ndarray,
    axis: float,
    line_height: float,
    avoid: list[np.ndarray] | None = None,
    extra: list[np.ndarray] | None = None,
) -> list[Outline]:
    """Quadrilaterals around the text ``hull`` (photo pixels), best first.

    Args:
        edges: the photo's edges.
        hull: points the card must hold (the text's corners), photo pixels.
        axis: the text's direction in degrees (modulo 90); the sides run along and across it.
        line_height: a typical text line height in photo pixels (how close a side may come).
        avoid: other cards' text, which no side may cut through and no outline may hold.
        extra: quads found otherwise (photo pixels), refined and scored the same way.

    Returns:
        Outlines, each side fitted to the edge in the full-size photo, best first.
    """
    scale = edges.scale
    inner = np.asarray(hull, np.float64).reshape(-1, 2) * scale
    others = [np.asarray(h, np.float64).reshape(-1, 2) * scale for h in (avoid or [])]
    tolerance = 0.3 * line_height * scale + 1
    clearance = CLEARANCE * line_height * scale
    found = [_snap(edges, np.asarray(q, np.float64).reshape(4, 2) * scale) for q in (extra or [])]
    sides = _candidate_lines(edges, inner, others, axis, tolerance, clearance)
    if all(sides):
        found += _best_quads(edges, sides, others)
    outlines = [score_quad(edges, quad / scale) for quad in found]
    outlines.sort(key=lambda o: -o.score)
    return outlines


def _snap(edges: Edges, quad: np.ndarray) -> np.ndarray:
    """``quad`` (shrunk pixels) with each side moved onto the edge pixels along it."""
    centre = quad.mean(axis=0)
    lines = []
    for k in range(4):
        a, b = quad[k], quad[(k + 1) % 4]
        length = float(np.linalg.norm(b - a))
        direction = (b - a) / max(length, 1e-9)
        normal = np.array([-direction[1], direction[0]])
        if (centre - a) @ normal < 0:
            normal = -normal
        line = _Line(a, direction, normal, 0.0)
        _fit(line, edges.canny, (0.1 * length, 0.9 * length), centre[None, :], 0.0)
        lines.append(line)
    corners = [
        intersect(lines[k - 1].point, lines[k - 1].direction, lines[k].point, lines[k].direction)
        for k in range(4)
    ]
    if any(c is None for c in corners):
        return quad
    snapped = np.array(corners)
    return snapped if np.abs(snapped - quad).max() <= 4 else quad


def _candidate_lines(
    edges: Edges,
    inner: np.ndarray,
    others: list[np.ndarray],
    axis: float,
    tolerance: float,
    clearance: float,
) -> list[list[_Line]]:
    """Lines on each side of the text (top, right, bottom, left), strongest first."""
    height, width = edges.shape
    mask = np.zeros((height, width), np.uint8)
    for points in [inner, *others]:
        hull = cv2.convexHull(points.astype(np.float32)).astype(np.int32)
        cv2.fillConvexPoly(mask, hull, 255)
    grow = max(3, int(tolerance))
    mask = cv2.dilate(mask, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    binary = edges.canny.copy()
    binary[mask > 0] = 0
    long_side = max(height, width)
    segments = cv2.HoughLinesP(
        binary,
        1,
        np.pi / 180,
        threshold=int(0.04 * long_side),
        minLineLength=int(0.05 * long_side),
        maxLineGap=int(0.01 * long_side) + 2,
    )
    found = np.zeros((0, 4)) if segments is None else segments.reshape(-1, 4).astype(np.float64)
    lengths = np.hypot(found[:, 2] - found[:, 0], found[:, 3] - found[:, 1])
    found = found[np.argsort(-lengths)][:MAX_SEGMENTS]
    # Point, vector, whether it is the photo's border. Edges along the border itself (a
    # frame around the picture, a scanner's lid) are the border, which is added as such.
    candidates = [
        (row[:2], row[2:] - row[:2], False)
        for row in found
        if not lies_on_border(row[:2], row[2:], width, height)
    ]
    corners = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], float)
    for k in range(4):
        candidates.append((corners[k], corners[(k + 1) % 4] - corners[k], True))

    sides: list[list[_Line]] = [[], [], [], []]
    span = _span(inner)
    for point, vector, border in candidates:
        direction = vector / max(float(np.linalg.norm(vector)), 1e-9)
        turn = (np.degrees(np.arctan2(direction[1], direction[0])) - axis + 45) % 90 - 45
        if abs(turn) > MAX_TURN:
            continue
        normal = np.array([-direction[1], direction[0]])
        distance = (inner - point) @ normal
        if distance.mean() < 0:
            normal, distance = -normal, -distance
        if distance.min() < (-tolerance if border else clearance):
            continue  # the line cuts through the text (the frame may cut a card's text)
        reach = (inner - point) @ direction
        reach_span = (reach.min() - 0.25 * span, reach.max() + 0.25 * span)
        if any(_cuts(points, point, direction, reach_span, tolerance) for points in others):
            continue
        facing = np.degrees(np.arctan2(normal[1], normal[0])) - axis
        side = (round(facing / 90) - 1) % 4  # normal down: the line is above the text (top)
        length = float(np.linalg.norm(vector))
        sides[side].append(_Line(point, direction, normal, float(distance.min()), border, length))

    for k in range(4):
        lines = _merged([ln for ln in sides[k] if not ln.border])
        # Try the lines nearest the text and the longest ones (texture near the text makes
        # many short lines, which must not crowd out the card's edge a little further out).
        by_distance = sorted(lines, key=lambda ln: ln.distance)[: MAX_TRIED // 2]
        by_length = sorted(lines, key=lambda ln: -ln.length)[: MAX_TRIED // 2]
        tried = sorted(
            {id(ln): ln for ln in by_distance + by_length}.values(), key=lambda ln: ln.distance
        )
        good: list[tuple[_Line, float]] = []
        for line in tried:
            t = (inner - line.point) @ line.direction
            _fit(line, binary, (t.min() - 0.15 * span, t.max() + 0.15 * span), inner, clearance)
            if any(_same(line, other) for other, _ in good):
                continue
            _profile(edges, line)
            window = _window(line, inner, span)
            if window >= 0.4:
                good.append((line, window))
        # The card's edge is the first good line outside the text (past it may lie a table
        # edge, a grid, a shadow), or else one of the strongest (texture on the card or the
        # table near the text makes weak lines too): keep both kinds.
        nearest = good[:NEAREST]
        strongest = sorted(good[NEAREST:], key=lambda g: -g[1])[:STRONGEST]
        borders = [ln for ln in sides[k] if ln.border]
        for line in borders:
            _profile(edges, line)
        sides[k] = [ln for ln, _ in nearest + strongest] + borders
    return sides


def _merged(lines: list[_Line]) -> list[_Line]:
    """``lines`` without near repeats, each keeping the total length of its repeats."""
    kept: list[_Line] = []
    for line in sorted(lines, key=lambda ln: -ln.length):
        for other in kept:
            if _same(line, other):
                other.length += line.length
                break
        else:
            kept.append(line)
    return kept


def _fit(
    line: _Line,
    binary: np.ndarray,
    stretch: tuple[float, float],
    inner: np.ndarray,
    clearance: float,
) -> None:
    """Move ``line`` onto the edge pixels within 2 pixels of it along ``stretch`` (a range of
    its parameter), unless it would then pass closer than ``clearance`` to the text: a
    Hough line or a contour's side is only roughly on the edge."""
    height, width = binary.shape
    along = np.arange(stretch[0], stretch[1], 1.0)
    across = np.arange(-2.0, 3.0, 1.0)
    points = (
        line.point + along[:, None, None] * line.direction + across[None, :, None] * line.normal
    ).reshape(-1, 2)
    x = np.rint(points[:, 0]).astype(np.int32)
    y = np.rint(points[:, 1]).astype(np.int32)
    inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
    x, y = x[inside], y[inside]
    on = binary[y, x] > 0
    if on.sum() < 20:
        return
    found = np.stack([x[on], y[on]], axis=1).astype(np.float64)
    point = found.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov((found - point).T))
    direction = vectors[:, 1]  # the principal axis of the edge pixels
    if direction @ line.direction < 0:
        direction = -direction
    normal = np.array([-direction[1], direction[0]])
    if normal @ line.normal < 0:
        normal = -normal
    if float(((inner - point) @ normal).min()) < clearance:
        return
    line.point, line.direction, line.normal = point, direction, normal


def _span(points: np.ndarray) -> float:
    return float(np.linalg.norm(points.max(axis=0) - points.min(axis=0)))


def _window(line: _Line, inner: np.ndarray, span: float) -> float:
    """Share of ``line`` on an edge where it passes the text (plus a margin either side)."""
    t = (inner - line.point) @ line.direction
    a = line.point + (t.min() - 0.15 * span) * line.direction
    b = line.point + (t.max() + 0.15 * span) * line.direction
    return float(_support(line, a, b))


def _cuts(
    points: np.ndarray,
    point: np.ndarray,
    direction: np.ndarray,
    reach: tuple[float, float],
    tolerance: float,
) -> bool:
    """Whether the line cuts through ``points`` (another card's text) where it could be this
    card's side: within ``reach`` along it. Beyond, it runs on past the card's corner, where
    a card lying beside this one may have text across its line."""
    along = (points - point) @ direction
    near = points[(along >= reach[0]) & (along <= reach[1])]
    if len(near) == 0:
        return False
    distance = (near - point) @ np.array([-direction[1], direction[0]])
    return bool(distance.min() < -tolerance and distance.max() > tolerance)


def _same(line: _Line, other: _Line) -> bool:
    """Whether two lines nearly coincide (within 2 degrees and 2.5 pixels)."""
    if abs(float(line.direction @ other.normal)) > np.sin(np.radians(2)):
        return False
    return abs(float((line.point - other.point) @ other.normal)) <= 2.5


def _profile(edges: Edges, line: _Line) -> None:
    """Cumulative edge hits, one sample per pixel, along the part of ``line`` in the photo."""
    height, width = edges.shape
    ts = []
    for axis, size in ((0, width), (1, height)):
        d = line.direction[axis]
        if abs(d) > 1e-9:
            ts += [(0 - line.point[axis]) / d, (size - 1 - line.point[axis]) / d]
    ts_arr = np.array(ts)
    points = line.point + ts_arr[:, None] * line.direction
    ok = (
        (points[:, 0] >= -0.5)
        & (points[:, 0] <= width - 0.5)
        & (points[:, 1] >= -0.5)
        & (points[:, 1] <= height - 0.5)
    )
    if not ok.any():
        line.start, line.profile = 0.0, np.zeros(1)
        return
    t0, t1 = float(ts_arr[ok].min()), float(ts_arr[ok].max())
    t = np.arange(t0, t1 + 1.0, 1.0)
    if line.border:
        hits = np.zeros(len(t))  # scored from the sides beside it instead
    else:
        hits = edges.hits(line.point + t[:, None] * line.direction, line.normal).astype(float)
    line.start = t0
    line.profile = np.concatenate([[0.0], np.cumsum(hits)])


def _support(line: _Line, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of the stretch of ``line`` between points ``a`` and ``b`` (arrays) on an edge."""
    assert line.profile is not None
    ta = (a - line.point) @ line.direction - line.start
    tb = (b - line.point) @ line.direction - line.start
    lo, hi = np.minimum(ta, tb), np.maximum(ta, tb)
    n = len(line.profile) - 1
    i0 = np.clip(np.rint(lo), 0, n).astype(int)
    i1 = np.clip(np.rint(hi), 0, n).astype(int)
    return (line.profile[i1] - line.profile[i0]) / np.maximum(hi - lo, 1.0)


def _meet(
    first: list[_Line], second: list[_Line], size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Where each line of ``first`` meets each of ``second``: points (n, m, 2) and whether
    they meet at all within the photo (give or take a little)."""
    p1 = np.array([ln.point for ln in first])[:, None, :]
    d1 = np.array([ln.direction for ln in first])[:, None, :]
    p2 = np.array([ln.point for ln in second])[None, :, :]
    d2 = np.array([ln.direction for ln in second])[None, :, :]
    cross = d1[..., 0] * d2[..., 1] - d1[..., 1] * d2[..., 0]
    diff = p2 - p1
    safe = np.where(np.abs(cross) < 1e-6, 1.0, cross)
    a = (diff[..., 0] * d2[..., 1] - diff[..., 1] * d2[..., 0]) / safe
    points = p1 + a[..., None] * d1
    height, width = size
    slack = 0.02 * max(height, width)
    ok = (
        (np.abs(cross) >= 1e-6)
        & (points[..., 0] >= -slack)
        & (points[..., 0] <= width - 1 + slack)
        & (points[..., 1] >= -slack)
        & (points[..., 1] <= height - 1 + slack)
    )
    return points, ok


def _side_scores(lines: list[_Line], start: np.ndarray, end: np.ndarray) -> list[np.ndarray]:
    """Scores of each line's stretch from ``start`` (n, p, 2) to ``end`` (n, q, 2), as arrays
    (n, p, q): its support, the edges beyond its corners, and its support near the start and
    near the end (which say whether the card runs into the photo's border there)."""
    point = np.array([ln.point for ln in lines])
    direction = np.array([ln.direction for ln in lines])
    origin = np.array([ln.start for ln in lines])
    cumulative = [ln.profile if ln.profile is not None else np.zeros(1) for ln in lines]
    profiles = np.zeros((len(lines), max(len(c) for c in cumulative)))
    for i, c in enumerate(cumulative):
        profiles[i, : len(c)] = c
        profiles[i, len(c) :] = c[-1]
    ends = np.array([len(c) - 1 for c in cumulative], np.float64)[:, None, None]
    t_start = ((start - point[:, None, :]) * direction[:, None, :]).sum(axis=2)
    t_end = ((end - point[:, None, :]) * direction[:, None, :]).sum(axis=2)
    a = t_start[:, :, None] - origin[:, None, None]
    b = t_end[:, None, :] - origin[:, None, None]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    rows = np.arange(len(lines))[:, None, None]

    def share(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = np.minimum(x, y), np.maximum(x, y)
        i0 = np.clip(np.rint(x), 0, ends).astype(int)
        i1 = np.clip(np.rint(y), 0, ends).astype(int)
        return (profiles[rows, i1] - profiles[rows, i0]) / np.maximum(y - x, 1.0)

    reach = np.maximum(REACH_MIN, REACH * (hi - lo)) + 3
    beyond = (share(lo - reach, lo - 3) + share(hi + 3, hi + reach)) / 2
    border = np.array([ln.border for ln in lines])[:, None, None]
    near_start = share(a, a + END_SHARE * (b - a))
    near_end = share(b - END_SHARE * (b - a), b)
    return [share(lo, hi), np.where(border, 0.0, beyond), near_start, near_end]


def _best_quads(
    edges: Edges, sides: list[list[_Line]], others: list[np.ndarray], keep: int = 3
) -> list[np.ndarray]:
    """The best-backed card-shaped quadrilaterals from one line per side (shrunk pixels):
    the best ``keep`` with no side on the photo's border, with one and with two.

    Every combination is scored at once: index [i, j, k, m] is top line i, right j,
    bottom k and left m.
    """
    height, width = edges.shape
    tl, tl_ok = _meet(sides[0], sides[3], edges.shape)  # (top, left)
    tr, tr_ok = _meet(sides[0], sides[1], edges.shape)  # (top, right)
    br, br_ok = _meet(sides[2], sides[1], edges.shape)  # (bottom, right)
    bl, bl_ok = _meet(sides[2], sides[3], edges.shape)  # (bottom, left)
    scores = [
        _side_scores(sides[0], tl, tr),  # (top, left, right)
        _side_scores(sides[1], tr.transpose(1, 0, 2), br.transpose(1, 0, 2)),  # (r, t, b)
        _side_scores(sides[2], br, bl),  # (bottom, right, left)
        _side_scores(sides[3], bl.transpose(1, 0, 2), tl.transpose(1, 0, 2)),  # (l, b, t)
    ]
    spread = (  # each side's (line, previous side's line, next side's line) to [t, r, b, l]
        lambda x: x.transpose(0, 2, 1)[:, :, None, :],
        lambda x: x.transpose(1, 0, 2)[:, :, :, None],
        lambda x: x.transpose(1, 0, 2)[None, :, :, :],
        lambda x: x.transpose(2, 1, 0)[:, None, :, :],
    )
    support, beyond, near_start, near_end = (
        np.stack(np.broadcast_arrays(*(spread[k](scores[k][n]) for k in range(4))))
        for n in range(4)
    )
    flags = [np.array([ln.border for ln in side]) for side in sides]
    border = np.stack(
        np.broadcast_arrays(
            flags[0][:, None, None, None],
            flags[1][None, :, None, None],
            flags[2][None, None, :, None],
            flags[3][None, None, None, :],
        )
    )
    support = border_support(support, near_start, near_end, border)
    corners = np.stack(
        np.broadcast_arrays(
            tl[:, None, None, :, :],
            tr[:, :, None, None, :],
            br.transpose(1, 0, 2)[None, :, :, None, :],
            bl[None, None, :, :, :],
        )
    )  # (4 corners, top, right, bottom, left, 2)
    ok = (
        tl_ok[:, None, None, :]
        & tr_ok[:, :, None, None]
        & br_ok.T[None, :, :, None]
        & bl_ok[None, None, :, :]
    )
    sides_vec = np.roll(corners, -1, axis=0) - corners
    cross = (
        sides_vec[..., 0] * np.roll(sides_vec, -1, axis=0)[..., 1]
        - sides_vec[..., 1] * np.roll(sides_vec, -1, axis=0)[..., 0]
    )
    ok &= (cross > 0).all(axis=0) | (cross < 0).all(axis=0)
    lengths = np.linalg.norm(sides_vec, axis=-1)
    ok &= lengths.min(axis=0) >= 8
    for a, b in ((0, 2), (1, 3)):
        ok &= np.maximum(lengths[a], lengths[b]) <= 2.0 * np.minimum(lengths[a], lengths[b])
    borders = border.sum(axis=0)
    across = lengths[0] + lengths[2]
    down = lengths[1] + lengths[3]
    ratio = np.maximum(across, down) / np.maximum(np.minimum(across, down), 1e-9)
    ok &= (ratio <= 2.4) | (borders > 0)
    ok &= borders <= 2
    for a, b in ((0, 2), (1, 3)):
        da = np.array([ln.direction for ln in sides[a]])
        db = np.array([ln.direction for ln in sides[b]])
        parallel = np.abs(da @ db.T) >= np.cos(np.radians(MAX_SPREAD))
        ok &= parallel[:, None, :, None] if a == 0 else parallel[None, :, None, :]
    ok &= support.min(axis=0) >= 0.3
    x, y = corners[..., 0], corners[..., 1]
    area = np.abs((x * np.roll(y, -1, axis=0) - np.roll(x, -1, axis=0) * y).sum(axis=0)) / 2
    score = support.mean(axis=0) - BEYOND_WEIGHT * beyond.mean(axis=0)
    score -= AREA_WEIGHT * area / float(width * height)
    score = np.where(ok, score, -np.inf)
    found: list[np.ndarray] = []
    count = dict.fromkeys(range(3), 0)  # the best few with 0, 1 and 2 sides on the border
    for flat in np.argsort(-score, axis=None):
        index = np.unravel_index(flat, score.shape)
        if not np.isfinite(score[index]):
            break
        if count[int(borders[index])] >= keep:
            continue
        quad = corners[(slice(None), *index)]
        if any(holds_point(quad, points.mean(axis=0)) for points in others):
            continue
        found.append(quad)
        count[int(borders[index])] += 1
    return found
