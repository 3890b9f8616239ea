"""A card's design for the generator: the fonts it draws with, its style, and the canvas.

Fonts are Debian's ``fonts-dejavu-core`` and ``fonts-liberation``; ``check_fonts`` says what
to install when they are missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from content import Content
from PIL import Image, ImageDraw, ImageFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
FAMILIES = {  # name: (regular, bold)
    "dejavu_sans": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
    "dejavu_condensed": (
        DEJAVU / "DejaVuSansCondensed.ttf",
        DEJAVU / "DejaVuSansCondensed-Bold.ttf",
    ),
    "dejavu_serif": (DEJAVU / "DejaVuSerif.ttf", DEJAVU / "DejaVuSerif-Bold.ttf"),
    "liberation_sans": (
        LIBERATION / "LiberationSans-Regular.ttf",
        LIBERATION / "LiberationSans-Bold.ttf",
    ),
    "liberation_serif": (
        LIBERATION / "LiberationSerif-Regular.ttf",
        LIBERATION / "LiberationSerif-Bold.ttf",
    ),
    "liberation_narrow": (
        LIBERATION / "LiberationSansNarrow-Regular.ttf",
        LIBERATION / "LiberationSansNarrow-Bold.ttf",
    ),
}
LIGHT_FONT = DEJAVU / "DejaVuSans-ExtraLight.ttf"
ITALIC_FONT = LIBERATION / "LiberationSans-Italic.ttf"


class FontsMissing(SystemExit):
    """The Debian font packages this generator draws with are not installed."""


def check_fonts() -> None:
    """Exit with a clear message when the DejaVu or Liberation fonts are missing."""
    paths = [p for pair in FAMILIES.values() for p in pair] + [LIGHT_FONT, ITALIC_FONT]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FontsMissing(
            f"generate.py: font files missing: {', '.join(missing[:3])}... "
            "Install them with: sudo apt-get install fonts-dejavu-core fonts-liberation"
        )


_font_cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A cached TrueType font."""
    key = (str(path), size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(path), size)
    return _font_cache[key]


@dataclass
class Style:
    """Colours and fonts of one card."""

    paper: tuple[int, int, int]
    ink: tuple[int, int, int]
    accent: tuple[int, int, int]
    soft: tuple[int, int, int]  # secondary text
    family: str
    caps_name: bool = False
    caps_title: bool = False
    lower_name: bool = False
    icons: bool = False  # drawn icons instead of "T:"/"E-mail:" labels
    decor: str = ""  # background graphic: corner, wave, rings, bars or none
    type_scale: float = 1.0  # all type a little larger or smaller than the layout's base sizes


@dataclass
class CardSpec:
    """One card to draw: content, layout, style and what the label must say."""

    content: Content
    layout: str
    style: Style
    company_mode: str  # printed, logo_and_printed, logo_only (mark + wordmark), mark_only
    qr: str | None
    size: tuple[int, int]
    notes: list[str] = field(default_factory=list)


def make_style(rng: random.Random, palette: str, family: str | None) -> Style:
    """Pick card colours: light (white/cream), dark (light text) or coloured paper."""
    accents = [
        (20, 70, 140),
        (180, 40, 40),
        (0, 120, 110),
        (120, 60, 150),
        (200, 110, 0),
        (40, 40, 40),
    ]
    accent = rng.choice(accents)
    family = family or rng.choice(list(FAMILIES))
    caps_name = rng.random() < 0.2
    if palette == "dark":
        paper = rng.choice([(22, 32, 58), (25, 25, 28), (18, 60, 50), (70, 20, 30)])
        return Style(
            paper,
            (240, 240, 236),
            rng.choice([(120, 200, 240), (230, 190, 90), (150, 220, 170)]),
            (200, 205, 210),
            family,
            caps_name,
        )
    if palette == "colour":
        paper = rng.choice(
            [(214, 232, 244), (246, 236, 210), (226, 240, 222), (246, 222, 214), (250, 215, 90)]
        )
        return Style(paper, (25, 30, 40), accent, (70, 75, 85), family, caps_name)
    paper = rng.choice([(250, 250, 248), (246, 244, 236), (252, 252, 252), (240, 240, 238)])
    lower = not caps_name and rng.random() < 0.08
    return Style(
        paper, (30, 30, 34), accent, (90, 92, 98), family, caps_name, rng.random() < 0.15, lower
    )


class Canvas:
    """A card being drawn; tracks fonts and colours of its style."""

    def __init__(self, spec: CardSpec, rng: random.Random) -> None:
        self.spec, self.rng, self.st = spec, rng, spec.style
        self.w, self.h = spec.size
        self.img = Image.new("RGB", spec.size, spec.style.paper)
        self.draw = ImageDraw.Draw(self.img)
        self.scale = self.w / 1050
        self.boxes: list[tuple[float, float, float, float, str]] = []

    def put(
        self,
        xy: tuple[float, float],
        s: str,
        fnt: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int],
        anchor: str = "la",
    ) -> None:
        """Draw text and remember where it went (for the layout check)."""
        self.draw.text(xy, s, font=fnt, fill=fill, anchor=anchor)
        self.reserve(self.draw.textbbox(xy, s, font=fnt, anchor=anchor), s)

    def reserve(self, box: tuple[float, float, float, float], what: str) -> None:
        """Remember that ``box`` holds something (text, logo, QR code)."""
        self.boxes.append((box[0], box[1], box[2], box[3], what))

    def problems(self) -> list[str]:
        """Text that leaves the card (or its safe margin) or overlaps other text or graphics."""
        out = []
        margin = 6 * self.scale
        for i, (x0, y0, x1, y1, what) in enumerate(self.boxes):
            inside = (
                margin <= x0 and margin <= y0 and x1 <= self.w - margin and y1 <= self.h - margin
            )
            if not inside and not what.startswith("graphic:"):
                out.append(f"off the card: {what!r}")
            for a0, b0, a1, b1, other in self.boxes[i + 1 :]:
                if min(x1, a1) - max(x0, a0) > 2 and min(y1, b1) - max(y0, b0) > 2:
                    out.append(f"overlap: {what!r} / {other!r}")
        return out

    def f(
        self, size: float, bold: bool = False, path: Path | None = None
    ) -> ImageFont.FreeTypeFont:
        """A font of this card's family at ``size`` (in units of a 1050 px wide card)."""
        px = round(size * self.scale * self.st.type_scale)
        return font(path or FAMILIES[self.st.family][int(bold)], max(9, px))

    def px(
        self, pixels: float, bold: bool = False, path: Path | None = None
    ) -> ImageFont.FreeTypeFont:
        """A font of this card's family at exactly ``pixels`` pixels."""
        return font(path or FAMILIES[self.st.family][int(bold)], max(9, round(pixels)))

    def fit(
        self, text: str, size: float, max_w: float, bold: bool = False, path: Path | None = None
    ) -> ImageFont.FreeTypeFont:
        """The largest font up to ``size`` in which ``text`` fits into ``max_w`` pixels."""
        while size > 10:
            fnt = self.f(size, bold, path)
            if self.draw.textlength(text, font=fnt) <= max_w:
                return fnt
            size -= 1
        return self.f(size, bold, path)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        fnt: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int],
        anchor: str = "la",
    ) -> float:
        """Draw ``s`` and return the y below it (line height 1.3)."""
        self.put((x, y), s, fnt, fill, anchor)
        return y + fnt.size * 1.32
