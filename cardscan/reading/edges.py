"""Where a photo has edges, and how well a quadrilateral's sides lie on them.

``Edges`` holds the colour edges of a photo (shrunk to ``OUTLINE_SIDE``); ``score_quad``
scores any quadrilateral on them: how much of each side runs along an edge (a colour change
across the line stronger there than a few pixels to one side), less how far the edge goes on
past the corners, less a little for size, a side on the photo's border counting only as far as
the sides beside it run up to it. Outlines found any way (``outline``'s lines, a contour, a
colour segment) compete on these same terms. ``refine`` fits the chosen outline's sides to
the edges of the full-size photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cardscan.reading.geometry import intersect

#: Long edge of the image the lines are searched on (card edges stay clear at this size).
OUTLINE_SIDE = 640


#: Smallest colour gradient across an edge (Lab units per pixel; colour counts double).
EDGE_STEP = 2.0


#: How much stronger an edge's gradient is than the gradient a few pixels to one side.
EDGE_PEAK = 1.3


#: Most support a side lying on the photo's border gets (when the card runs off the frame:
#: the sides beside it run right up to the border).
BORDER_SUPPORT = 0.6


#: Share of a side, at each end, that says whether it runs into the border there.
END_SHARE = 0.15


#: Weight of edges going on past a quad's corners: a card's side ends at its corners, the
#: lines of a grid, a table or a shadow go on.
BEYOND_WEIGHT = 0.5


#: How far past a corner that is looked at: this share of the side, at least REACH_MIN px.
REACH = 0.06


REACH_MIN = 8.0


#: Weight of a quad's area (as a share of the photo): of two good outlines, the tighter wins.
AREA_WEIGHT = 0.25


#: Least share of any side (not on the photo's border) that must run along an edge for an
#: outline to be trusted.
SIDE_SUPPORT = 0.45
#: Least mean share over the sides not on the photo's border.
MEAN_SUPPORT = 0.65
#: Least score of a side on the photo's border (see ``BORDER_SUPPORT``, the most it gets).
LEAST_BORDER_SUPPORT = 0.3


@dataclass(frozen=True)
class Outline:
    """A card-shaped quadrilateral and how well the photo's edges back it."""

    quad: np.ndarray  # corners tl, tr, br, bl in photo pixels (relative to the text's axis)
    support: tuple[float, ...]  # share of each side (top, right, bottom, left) on an edge
    beyond: tuple[float, ...]  # share of the side's line on an edge past its corners
    on_border: tuple[bool, ...]  # whether each side lies on the photo's border
    score: float  # mean support, less the edges going on past the corners, less size

    @property
    def borders(self) -> int:
        """How many sides lie on the photo's border."""
        return sum(self.on_border)

    @property
    def trusted(self) -> bool:
        """Whether the sides are backed well enough by edges in the photo.

        At most two sides may lie on the photo's border (a card running off the frame); every
        other side must run along an edge for a good share of its length.
        """
        inner = [s for s, b in zip(self.support, self.on_border, strict=True) if not b]
        edge = [s for s, b in zip(self.support, self.on_border, strict=True) if b]
        if len(inner) < 2 or min(edge, default=1.0) < LEAST_BORDER_SUPPORT:
            return False
        return min(inner) >= SIDE_SUPPORT and float(np.mean(inner)) >= MEAN_SUPPORT


class Edges:
    """A photo's colour gradient, shrunk to :data:`OUTLINE_SIDE`, to test lines against."""

    def __init__(self, image: np.ndarray) -> None:
        height, width = image.shape[:2]
        self.image = image
        self.scale = min(1.0, OUTLINE_SIDE / max(height, width))
        self.small = cv2.resize(
            image, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_AREA
        )
        self.shape = self.small.shape[:2]
        lab = lab_of(cv2.GaussianBlur(self.small, (3, 3), 0))
        self.gx = cv2.Sobel(lab, cv2.CV_32F, 1, 0, ksize=3) / 8
        self.gy = cv2.Sobel(lab, cv2.CV_32F, 0, 1, ksize=3) / 8
        # The colour gradient along a unit normal n, squared and summed over the channels,
        # is n.x**2 * xx + 2 * n.x * n.y * xy + n.y**2 * yy: three numbers per pixel.
        self.tensor = np.stack(
            [
                (self.gx * self.gx).sum(axis=2),
                (self.gx * self.gy).sum(axis=2),
                (self.gy * self.gy).sum(axis=2),
            ],
            axis=2,
        )
        self._canny: np.ndarray | None = None

    @property
    def canny(self) -> np.ndarray:
        """Thin edges of the shrunk photo (computed once)."""
        if self._canny is None:
            dx = np.clip(self.gx * 8, -32767, 32767).astype(np.int16)
            dy = np.clip(self.gy * 8, -32767, 32767).astype(np.int16)
            low = 8 * EDGE_STEP
            self._canny = cv2.Canny(dx, dy, low, 2.5 * low, L2gradient=True)
        return self._canny

    def hits(self, points: np.ndarray, normal: np.ndarray) -> np.ndarray:
        """Whether each point (shrunk pixels) lies on an edge running across ``normal``.

        The colour must change across the line (along ``normal``) by enough, and by more
        than it changes a few pixels further out on at least one side: wood grain, grass and
        busy prints change everywhere, a card's edge only at the edge (though a stripe
        printed along it, or its shadow, may run beside it on one side).
        """
        height, width = self.shape
        shifted = points[None, :, :] + _OFFSETS[:, None, None] * normal
        x = np.clip(np.rint(shifted[..., 0]).astype(np.int32), 0, width - 1)
        y = np.clip(np.rint(shifted[..., 1]).astype(np.int32), 0, height - 1)
        t = self.tensor[y, x]  # (offsets, n, 3)
        nx, ny = float(normal[0]), float(normal[1])
        across = t[..., 0] * (nx * nx) + t[..., 1] * (2 * nx * ny) + t[..., 2] * (ny * ny)
        across = np.sqrt(np.maximum(across, 0.0))  # (offsets, n)
        peak = across[:5].max(axis=0)
        beside = np.minimum(across[5:10].max(axis=0), across[10:].max(axis=0))
        return (peak >= EDGE_STEP) & (peak >= EDGE_PEAK * beside)


#: Offsets across a line where ``Edges.hits`` looks: on it (give or take 2 pixels), then
#: as many beside it on either side (so that texture has the same chances everywhere).
_OFFSETS = np.array([-2, -1, 0, 1, 2, -9, -8, -7, -6, -5, 5, 6, 7, 8, 9], np.float64)


def lab_of(image: np.ndarray) -> np.ndarray:
    """Lab as float (L 0..255), the colour channels doubled (a coloured card on a grey
    table); converted from float so that the colour channels are not quantised."""
    lab = cv2.cvtColor(image.astype(np.float32) / 255, cv2.COLOR_BGR2LAB)
    return lab * np.array([2.55, 2.0, 2.0], np.float32)


def score_quad(edges: Edges, quad: np.ndarray) -> Outline:
    """``quad`` (photo pixels) scored by the edges along its sides and past its corners.

    A side on the photo's border is scored by how well the sides beside it run into it.
    """
    small = np.asarray(quad, np.float64).reshape(4, 2) * edges.scale
    height, width = edges.shape
    rows: list[list[float]] = []  # support, beyond, near start, near end per side
    on_border = []
    for k in range(4):
        a, b = small[k], small[(k + 1) % 4]
        on_border.append(lies_on_border(a, b, width, height))
        length = float(np.linalg.norm(b - a))
        if on_border[-1] or length < 2:
            rows.append([0.0, 0.0, 0.0, 0.0])
            continue
        u = (b - a) / length
        reach = _reach(length)
        t = np.arange(-reach, length + reach, 1.0)
        points = a + t[:, None] * u
        inside = (
            (points[:, 0] >= 0)
            & (points[:, 0] <= width - 1)
            & (points[:, 1] >= 0)
            & (points[:, 1] <= height - 1)
        )
        hits = edges.hits(points, np.array([-u[1], u[0]])) & inside
        past = ((t < -3) | (t > length + 3)) & inside
        rows.append(
            [
                float(hits[(t >= 0) & (t < length)].mean()),
                float(hits[past].mean()) if past.any() else 0.0,
                float(hits[(t >= 0) & (t <= END_SHARE * length)].mean()),
                float(hits[(t >= (1 - END_SHARE) * length) & (t < length)].mean()),
            ]
        )
    table = np.array(rows).T  # (4 scores, 4 sides)
    flags = np.array(on_border)
    support = border_support(table[0], table[2], table[3], flags)
    return _scored(quad, small, list(support), list(table[1]), on_border, edges)


def _reach(length: float) -> float:
    """How far past a corner to look for an edge that goes on (a line, not a card's side)."""
    return max(REACH_MIN, REACH * length) + 3


def _scored(
    quad: np.ndarray,
    small: np.ndarray,
    support: list[float],
    beyond: list[float],
    on_border: list[bool],
    edges: Edges,
) -> Outline:
    height, width = edges.shape
    area = cv2.contourArea(small.astype(np.float32)) / float(width * height)
    score = float(np.mean(support)) - BEYOND_WEIGHT * float(np.mean(beyond)) - AREA_WEIGHT * area
    return Outline(
        np.asarray(quad, np.float32).reshape(4, 2),
        tuple(support),
        tuple(beyond),
        tuple(on_border),
        score,
    )


def lies_on_border(a: np.ndarray, b: np.ndarray, width: int, height: int) -> bool:
    """True when the segment ``a``-``b`` lies along one side of a ``width`` x ``height`` photo."""
    slack = 0.006 * max(width, height) + 1
    for axis, limit in ((0, 0.0), (0, width - 1.0), (1, 0.0), (1, height - 1.0)):
        if abs(a[axis] - limit) <= slack and abs(b[axis] - limit) <= slack:
            return True
    return False


def border_support(
    support: np.ndarray, near_start: np.ndarray, near_end: np.ndarray, border: np.ndarray
) -> np.ndarray:
    """Support (4, ...) with each side on the photo's border scored by how well the sides
    beside it run into the border: a card that runs off the frame has its edges go right
    up to it, a quad stretched to the frame over the table has not."""
    result = support.copy()
    for k in range(4):
        before, after = (k - 1) % 4, (k + 1) % 4
        total = np.where(border[before], 0.0, near_end[before])
        total = total + np.where(border[after], 0.0, near_start[after])
        count = (~border[before]).astype(float) + (~border[after])
        backed = BORDER_SUPPORT * total / np.maximum(count, 1.0)
        result[k] = np.where(border[k], backed, support[k])
    return result


def refine(edges: Edges, quad: np.ndarray, hull: np.ndarray, line_height: float) -> np.ndarray:
    """``quad`` (photo pixels) with each side fitted to the edge in the full-size photo, if
    it still holds ``hull`` (the text) after that; else ``quad`` as it was."""
    scale = edges.scale
    inner = np.asarray(hull, np.float64).reshape(-1, 2) * scale
    small = np.asarray(quad, np.float64).reshape(4, 2) * scale
    tolerance = 0.3 * line_height * scale + 1
    return (_refine(edges, small, inner, tolerance) / scale).astype(np.float32)


def _refine(edges: Edges, quad: np.ndarray, inner: np.ndarray, tolerance: float) -> np.ndarray:
    """``quad`` (shrunk pixels) with each side fitted to the edge in the full-size photo.

    Returns the refined quad in shrunk pixels.
    """
    scale = edges.scale
    height, width = edges.shape
    lines = []
    for k in range(4):
        a, b = quad[k], quad[(k + 1) % 4]
        if lies_on_border(a, b, width, height):
            lines.append((a, b - a))
            continue
        fitted = _fit_side(edges.image, a / scale, b / scale, 2.0 / scale)
        if fitted is None:
            lines.append((a, b - a))
        else:
            p, d = fitted
            lines.append((p * scale, d))
    corners = [intersect(*lines[(k - 1) % 4], *lines[k]) for k in range(4)]
    if any(c is None for c in corners):
        return quad
    result = np.array(corners)
    # Keep the refinement only if it still holds the text and moved the corners a little.
    contour = result.reshape(-1, 1, 2).astype(np.float32)
    if any(
        cv2.pointPolygonTest(contour, (float(x), float(y)), True) < -tolerance for x, y in inner
    ):
        return quad
    if np.abs(result - quad).max() > 4:
        return quad
    return result


def _fit_side(
    image: np.ndarray, a: np.ndarray, b: np.ndarray, reach: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """The straight edge nearest the segment ``a``-``b`` of ``image``, within ``reach`` px."""
    length = float(np.linalg.norm(b - a))
    if length < 20:
        return None
    u = (b - a) / length
    n = np.array([-u[1], u[0]])
    reach = max(3.0, reach)
    t = np.arange(0.1 * length, 0.9 * length, max(1.0, length / 300))
    offsets = np.arange(-reach, reach + 1.0, 1.0)
    points = a + t[:, None, None] * u + offsets[None, :, None] * n  # (along, across, 2)
    map_x = points[..., 0].astype(np.float32)
    map_y = points[..., 1].astype(np.float32)
    strip = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    lab = lab_of(cv2.GaussianBlur(strip, (1, 5), 0))
    step = np.sqrt((np.diff(lab, axis=1) ** 2).sum(axis=2))  # (along, across - 1)
    best = step.argmax(axis=1)
    peak = step[np.arange(len(t)), best]
    keep = peak >= max(1.0, 0.5 * float(np.median(peak)))  # on the edge, not in a gap of it
    if keep.sum() < 0.3 * len(t):
        return None
    across = offsets[best] + 0.5
    fit_points = (a + t[:, None] * u + across[:, None] * n)[keep].astype(np.float32)
    vx, vy, x0, y0 = cv2.fitLine(fit_points, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    direction = np.array([vx, vy], np.float64)
    if direction @ u < 0:
        direction = -direction
    return np.array([x0, y0], np.float64), direction
