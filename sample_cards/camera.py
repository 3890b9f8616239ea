"""Photographing a generated card: the surface it lies on, the perspective, light and lens, and
the file as a phone writes it (JPEG with an EXIF orientation, or HEIC).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

BACKGROUNDS = ("wood", "grey_table", "white_paper", "dark", "desk_mat")


def smooth_noise(nrng: np.random.Generator, h: int, w: int, cell: int) -> np.ndarray:
    """Smooth random field in 0..1 with features about ``cell`` pixels wide."""
    small = nrng.random((max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def make_background(kind: str, h: int, w: int, nrng: np.random.Generator) -> np.ndarray:
    """A procedural surface to lay the card on: wood, grey table, white paper, dark, desk mat."""
    if kind == "wood":
        base = np.array(nrng.choice([[150, 105, 65], [120, 80, 45], [185, 140, 95]]), np.float32)
        vertical = nrng.random() < 0.5
        hh, ww = (w, h) if vertical else (h, w)
        # Grain: streaks far longer than wide, gently bent; planks separated by dark seams.
        streaks = cv2.resize(
            nrng.random((hh // 3, max(2, ww // 160))).astype(np.float32),
            (ww, hh),
            interpolation=cv2.INTER_CUBIC,
        )
        yy = np.mgrid[0:hh, 0:ww][0].astype(np.float32)
        bend = smooth_noise(nrng, hh, ww, 260) * 40
        rings = 0.5 + 0.5 * np.sin((yy + bend) / nrng.uniform(5, 9))
        shade = 0.8 + 0.14 * streaks + 0.08 * rings + 0.12 * (smooth_noise(nrng, hh, ww, 300) - 0.5)
        plank = int(nrng.uniform(0.25, 0.4) * hh)
        offset = int(nrng.uniform(0, plank))
        for p in range(offset, hh, plank):
            shade[max(0, p - 2) : p + 2] *= 0.55
            shade[p : p + plank] *= nrng.uniform(0.92, 1.06)
        if vertical:
            shade = shade.T
        img = np.ascontiguousarray(shade)[..., None] * base
    elif kind == "grey_table":
        g = nrng.uniform(120, 175)
        img = np.full((h, w, 3), g, np.float32) * np.array([1.0, 1.0, 1.03], np.float32)
        img *= (0.92 + 0.12 * smooth_noise(nrng, h, w, 250))[..., None]
        img += cv2.GaussianBlur(nrng.normal(0, 5, (h, w)).astype(np.float32), (0, 0), 1.2)[
            ..., None
        ]
    elif kind == "white_paper":
        img = np.full((h, w, 3), nrng.uniform(215, 235), np.float32) * np.array(
            [1.0, 1.0, 0.98], np.float32
        )
        img *= (0.95 + 0.06 * smooth_noise(nrng, h, w, 200))[..., None]
    elif kind == "dark":
        img = np.full((h, w, 3), nrng.uniform(25, 45), np.float32)
        img += cv2.GaussianBlur(nrng.normal(0, 6, (h, w)).astype(np.float32), (0, 0), 1.5)[
            ..., None
        ]
    else:  # desk_mat: green cutting mat with a grid
        img = np.full((h, w, 3), [60, 110, 80], np.float32)
        img *= (0.9 + 0.15 * smooth_noise(nrng, h, w, 220))[..., None]
        step = int(nrng.uniform(55, 80))
        for k in range(step // 2, max(h, w), step):
            if k < h:
                img[k : k + 2] = img[k : k + 2] * 0.5 + 0.5 * np.array([190, 215, 200])
            if k < w:
                img[:, k : k + 2] = img[:, k : k + 2] * 0.5 + 0.5 * np.array([190, 215, 200])
    return img.clip(0, 255)


def card_quad(
    nrng: np.random.Generator,
    cw: float,
    ch: float,
    center: tuple[float, float],
    angle_deg: float,
    persp: float,
) -> np.ndarray:
    """Corners (tl, tr, br, bl) of a cw x ch card placed at ``center``, rotated and skewed."""
    pts = np.array(
        [[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]], np.float32
    )
    # Perspective: one edge shorter than the other, as when the phone is tilted.
    tilt = nrng.uniform(-persp, persp)
    side = nrng.uniform(-persp, persp) * 0.6
    pts[0, 0] += tilt * cw
    pts[1, 0] -= tilt * cw  # noqa: E702
    pts[0, 1] += side * ch
    pts[3, 1] -= side * ch  # noqa: E702
    pts += nrng.uniform(-persp * 0.3, persp * 0.3, pts.shape).astype(np.float32) * cw
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    return (pts @ rot.T + np.array(center, np.float32)).astype(np.float32)


def inside(quad: np.ndarray, w: int, h: int, margin: float = 0.03) -> np.ndarray:
    """Shrink ``quad`` about its centre until it lies inside the frame with a margin."""
    centre = quad.mean(axis=0)
    lo, hi = np.array([w, h]) * margin, np.array([w, h]) * (1 - margin)
    while (
        quad.min(axis=0)[0] < lo[0] or quad.min(axis=0)[1] < lo[1] or (quad.max(axis=0) > hi).any()
    ):
        quad = centre + (quad - centre) * 0.95
    return quad.astype(np.float32)


def place(
    photo: np.ndarray,
    card: Image.Image,
    quad: np.ndarray,
    nrng: np.random.Generator,
    rounded: bool,
    shadow: float = 0.35,
    bend: float = 0.0,
) -> None:
    """Warp ``card`` onto ``quad`` of ``photo`` (in place), with a soft drop shadow."""
    h, w = photo.shape[:2]
    src = np.array(card).astype(np.float32)
    ch, cw = src.shape[:2]
    mask = np.zeros((ch, cw), np.uint8)
    r = int(min(ch, cw) * (0.05 if rounded else 0.008))
    cv2.rectangle(mask, (r, 0), (cw - r, ch), 255, -1)
    cv2.rectangle(mask, (0, r), (cw, ch - r), 255, -1)
    for cx, cy in ((r, r), (cw - r - 1, r), (r, ch - r - 1), (cw - r - 1, ch - r - 1)):
        cv2.circle(mask, (cx, cy), r, 255, -1)
    if bend:
        # A bowed card: columns shift by a half sine, the bulge catches a little more light.
        xs = np.arange(cw, dtype=np.float32)
        dy = bend * ch * np.sin(np.pi * xs / cw)
        map_x = np.tile(xs, (ch, 1))
        map_y = (np.arange(ch, dtype=np.float32)[:, None] - dy[None, :]).astype(np.float32)
        src = cv2.remap(src, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        mask = cv2.remap(mask, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        src *= (0.94 + 0.08 * np.sin(np.pi * xs / cw))[None, :, None]
    srcq = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(srcq, quad)
    warped = cv2.warpPerspective(
        src, m, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT
    )
    alpha = cv2.warpPerspective(mask.astype(np.float32) / 255, m, (w, h), flags=cv2.INTER_LINEAR)
    if shadow:
        off = np.float32([[1, 0, nrng.uniform(4, 14)], [0, 1, nrng.uniform(6, 18)]])
        sh = cv2.warpAffine(alpha, off, (w, h))
        sh = cv2.GaussianBlur(sh, (0, 0), 9)
        photo *= (1 - shadow * sh)[..., None]
    # card edge: a thin darker rim, like the side of real card stock
    edge = alpha - cv2.erode(alpha, np.ones((3, 3), np.uint8))
    warped *= (1 - 0.25 * edge)[..., None]
    photo[:] = photo * (1 - alpha[..., None]) + warped * alpha[..., None]


def light_and_lens(
    photo: np.ndarray,
    nrng: np.random.Generator,
    *,
    shadow: bool,
    blur: float,
    noise: float,
    gradient: float = 0.25,
    glare: bool = False,
) -> np.ndarray:
    """Uneven light, an optional diagonal shadow, colour cast, blur and sensor noise."""
    h, w = photo.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = nrng.uniform(0, 2 * math.pi)
    ramp = ((xx - w / 2) * math.cos(a) + (yy - h / 2) * math.sin(a)) / max(h, w)
    light = 1 + gradient * ramp
    vig = 1 - 0.18 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2) * 2
    light *= vig
    if shadow:
        b = nrng.uniform(0.6, 1.2) + (math.pi if nrng.random() < 0.5 else 0)
        px, py = nrng.uniform(0.35, 0.65) * w, nrng.uniform(0.35, 0.65) * h
        dist = (xx - px) * math.cos(b) + (yy - py) * math.sin(b)
        soft = 1 / (1 + np.exp(-dist / nrng.uniform(8, 30)))
        light *= 1 - nrng.uniform(0.3, 0.45) * soft
    photo = photo * light[..., None]
    if glare:
        gx, gy = nrng.uniform(0.3, 0.7) * w, nrng.uniform(0.3, 0.7) * h
        r = nrng.uniform(0.08, 0.16) * max(h, w)
        spot = np.exp(-(((xx - gx) / (r * 1.8)) ** 2 + ((yy - gy) / r) ** 2))
        photo = photo + (255 - photo) * (nrng.uniform(0.55, 0.8) * spot)[..., None]
    photo *= np.array([nrng.uniform(0.94, 1.04), 1.0, nrng.uniform(0.9, 1.04)], np.float32)
    if blur > 0:
        photo = cv2.GaussianBlur(photo, (0, 0), blur)
    photo += nrng.normal(0, noise, photo.shape[:2]).astype(np.float32)[..., None]
    photo += nrng.normal(0, noise * 0.4, photo.shape).astype(np.float32)
    return photo.clip(0, 255)


@dataclass
class Shot:
    """How a card (or two) is photographed."""

    mode: str  # photo or scan
    bg: str
    rotate: int  # degrees, applied to the pixels (clockwise)
    exif: int  # EXIF orientation tag to write (1 = none); pixels are stored accordingly
    shadow: bool
    blur: float
    fmt: str  # jpg or heic
    portrait: bool
    glare: bool = False  # a bright reflection washing out part of the card
    bend: float = 0.0  # card bowed by this fraction of its height
    hard: bool = False  # small in the frame, blurred, dim and noisy


def photograph(
    cards: list[tuple[Image.Image, bool]], shot: Shot, nrng: np.random.Generator
) -> tuple[Image.Image, list[str]]:
    """Lay the cards on a surface and photograph (or scan) them: upright image and notes."""
    notes: list[str] = []
    if shot.mode == "scan":
        card, rounded = cards[0]
        cw = 1300
        ch = round(cw * card.height / card.width)
        card = card.resize((cw, ch), Image.Resampling.LANCZOS)
        pad_l, pad_t = int(nrng.uniform(10, 40)), int(nrng.uniform(10, 40))
        h, w = ch + pad_t + int(nrng.uniform(10, 40)), cw + pad_l + int(nrng.uniform(10, 40))
        photo = np.full((h, w, 3), nrng.uniform(236, 250), np.float32)
        ang = nrng.uniform(-0.8, 0.8)
        quad = card_quad(nrng, cw, ch, (pad_l + cw / 2, pad_t + ch / 2), ang, 0.0)
        place(photo, card, quad, nrng, rounded, shadow=0.08)
        speck = (nrng.random((h, w)) < 0.00025).astype(np.float32)
        photo -= cv2.GaussianBlur(speck, (0, 0), 1.0)[..., None] * 400
        photo = light_and_lens(
            photo, nrng, shadow=False, blur=shot.blur or 0.6, noise=2.0, gradient=0.04
        )
        notes.append(
            f"Flatbed-scan style: card fills the frame, nearly straight ({ang:+.1f}°), even light."
        )
    else:
        w, h = (1200, 1600) if shot.portrait else (1600, 1200)
        photo = make_background(shot.bg, h, w, nrng)
        if len(cards) == 1:
            card, rounded = cards[0]
            lo, hi = (
                ((0.42, 0.55) if shot.hard else (0.55, 0.7))
                if not shot.portrait
                else ((0.6, 0.72) if shot.hard else (0.72, 0.85))
            )
            cw = w * nrng.uniform(lo, hi)
            ch = cw * card.height / card.width
            ang = float(nrng.uniform(-9, 9))
            center = (w / 2 + nrng.uniform(-0.05, 0.05) * w, h / 2 + nrng.uniform(-0.05, 0.05) * h)
            quad = inside(card_quad(nrng, cw, ch, center, ang, 0.07), w, h)
            place(photo, card, quad, nrng, rounded, bend=shot.bend)
            if shot.bend:
                notes.append("Card slightly bowed.")
            notes.append(
                f"Phone photo on {shot.bg.replace('_', ' ')}, perspective, tilted {round(ang):+d}°."
            )
        else:
            for k, (card, rounded) in enumerate(cards):
                cw = w * 0.42
                ch = cw * card.height / card.width
                center = (w * (0.28 + 0.45 * k), h * (0.42 + 0.14 * k))
                place(
                    photo,
                    card,
                    inside(card_quad(nrng, cw, ch, center, float(nrng.uniform(-8, 8)), 0.05), w, h),
                    nrng,
                    rounded,
                )
            notes.append(
                f"Phone photo of TWO cards side by side on {shot.bg.replace('_', ' ')}; "
                "label fields are the left card, the right one is in other_cards."
            )
        photo = light_and_lens(
            photo,
            nrng,
            shadow=shot.shadow,
            blur=shot.blur or float(nrng.uniform(*((1.0, 1.5) if shot.hard else (0.5, 1.1)))),
            noise=float(nrng.uniform(*((4, 7) if shot.hard else (2, 4)))),
            glare=shot.glare,
        )
        if shot.hard:
            # Dim light: the phone brightens a dark, noisy exposure.
            photo = photo * nrng.uniform(0.65, 0.8) + nrng.normal(0, 3, photo.shape[:2])[..., None]
            photo = photo.clip(0, 255)
            notes.append("Hard shot: card small in the frame, blurred, dim and noisy.")
        if shot.shadow:
            notes.append("Diagonal shadow across the card.")
        if shot.glare:
            notes.append("Bright glare spot on the card.")
    img = Image.fromarray(photo.astype(np.uint8))
    if shot.blur >= 1.5:
        notes.append(f"Blurred (sigma {shot.blur:.1f}).")
    return img, notes


MAX_BYTES = 180_000
_EXIF_STORE = {  # EXIF orientation -> how to store upright pixels so that viewers undo it
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # viewer turns 90° clockwise
    8: Image.Transpose.ROTATE_270,
}


def encode(img: Image.Image, shot: Shot) -> tuple[bytes, list[str]]:
    """Rotate pixels or write an EXIF orientation, then encode as JPEG (or HEIC)."""
    notes = []
    if shot.rotate:
        img = img.rotate(-shot.rotate, expand=True)  # PIL rotates counter-clockwise
        notes.append(f"Rotated {shot.rotate}° clockwise in the pixels (no EXIF orientation).")
    exif = Image.Exif()
    if shot.exif != 1:
        img = img.transpose(_EXIF_STORE[shot.exif])
        exif[0x0112] = shot.exif
        notes.append(
            f"EXIF orientation={shot.exif}: raw pixels are rotated, apply EXIF to view upright."
        )
    buf = io.BytesIO()
    if shot.fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        img.save(buf, format="HEIF", quality=40)
        notes.append("HEIC file.")
    else:
        # Keep committed files small: step the quality down until the file is under the budget.
        for quality in (80, 76, 72, 68, 64):
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=quality, exif=exif.tobytes(), optimize=True)
            if buf.tell() <= MAX_BYTES:
                break
    return buf.getvalue(), notes
