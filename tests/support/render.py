"""Test helpers: render a simple business card and "photograph" it onto a textured table."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

LINES = (
    ("Northwind Traders Ltd", BOLD, 54),
    ("Ana Ruiz", BOLD, 64),
    ("Head of Partnerships", FONT, 40),
    ("ana.ruiz@northwind.example", FONT, 40),
    ("+44 20 7946 0321", FONT, 40),
    ("www.northwind.example", FONT, 40),
)


def render_card(lines=LINES, size=(1050, 600), colour=(250, 250, 246)) -> np.ndarray:
    """A flat card (BGR) with the given (text, font, size) lines, left-aligned."""
    card = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(card)
    for (text, font_path, points), (x, y) in zip(lines, _origins(lines), strict=True):
        draw.text((x, y), text, font=ImageFont.truetype(font_path, points), fill=(20, 20, 30))
    return cv2.cvtColor(np.asarray(card), cv2.COLOR_RGB2BGR)


def line_boxes(lines=LINES) -> list[tuple[int, int, int, int]]:
    """Where ``render_card`` draws each line: (x0, y0, x1, y1) in card pixels."""
    boxes = []
    for (text, font_path, points), (x, y) in zip(lines, _origins(lines), strict=True):
        x0, y0, x1, y1 = ImageFont.truetype(font_path, points).getbbox(text)
        boxes.append((x + x0, y + y0, x + x1, y + y1))
    return boxes


def _origins(lines) -> list[tuple[int, int]]:
    origins, y = [], 50
    for _text, _font, points in lines:
        origins.append((60, y))
        y += int(points * 1.45)
    return origins


def table(size=(1500, 2000), seed=0) -> np.ndarray:
    """A wood-like textured background (BGR), darker than a card."""
    rng = np.random.default_rng(seed)
    h, w = size
    base = np.zeros((h, w, 3), np.float32)
    stripes = np.sin(np.linspace(0, 60, w))[None, :] * 18
    base[:] = (60, 95, 140)
    base += stripes[..., None]
    base += rng.normal(0, 10, (h, w, 1))
    return np.clip(base, 0, 255).astype(np.uint8)


def card_corners(
    card_size: tuple[int, int],
    centre: tuple[float, float],
    width: float,
    tilt_degrees: float = 8.0,
    perspective: float = 0.06,
) -> np.ndarray:
    """Where ``place`` puts the corners (tl, tr, br, bl) of a card of ``card_size`` (w, h)."""
    w, h = card_size
    scale = width / w
    cx, cy = centre
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    corners *= scale
    angle = np.deg2rad(tilt_degrees)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = corners @ rot.T
    corners[0] += (perspective * width, 0)
    corners[1] -= (perspective * width, 0)
    return (corners + (cx, cy)).astype(np.float32)


def place(
    background: np.ndarray,
    card: np.ndarray,
    centre: tuple[float, float],
    width: float,
    tilt_degrees: float = 8.0,
    perspective: float = 0.06,
) -> np.ndarray:
    """Warp ``card`` onto ``background`` around ``centre``, tilted and in perspective."""
    size = (card.shape[1], card.shape[0])
    return place_at(background, card, card_corners(size, centre, width, tilt_degrees, perspective))


def place_at(background: np.ndarray, card: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Warp ``card`` onto ``background`` with its corners (tl, tr, br, bl) at ``corners``."""
    out = background.copy()
    size = (background.shape[1], background.shape[0])
    matrix = card_matrix(card.shape[:2], corners)
    warped = cv2.warpPerspective(card, matrix, size)
    h, w = card.shape[:2]
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size)
    out[mask > 0] = warped[mask > 0]
    return out


def card_matrix(card_shape: tuple[int, ...], corners: np.ndarray) -> np.ndarray:
    """The 3x3 map from a card image's pixels (its ``shape``) to ``corners`` in a photo."""
    h, w = card_shape[:2]
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    return cv2.getPerspectiveTransform(src, np.asarray(corners, np.float32))


def photo_of_card(rotation: int = 0, seed: int = 0) -> np.ndarray:
    """A card on a table, the whole photo turned clockwise by ``rotation`` degrees."""
    scene = place(table(seed=seed), render_card(), (1000, 760), 1300)
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(scene, turns[rotation]) if rotation else scene


def encode(image: np.ndarray, ext: str = ".jpg") -> bytes:
    """BGR array -> file bytes."""
    ok, buf = cv2.imencode(ext, image)
    assert ok
    return buf.tobytes()
