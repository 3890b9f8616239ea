"""Render labelled business cards and "photograph" them: cardscan's own test images.

Usage:
    python sample_cards/generate.py --out sample_cards --count 20 --seed 1
    python sample_cards/generate.py --out sample_cards --only 07        # one card again
    python sample_cards/generate.py --out /tmp/gen --count 200 --seed 7  # held-out bench set

Each card ``i`` draws from its own random generator seeded by ``(seed, i)``, so a card can be
regenerated alone and comes out the same. The first cards follow ``PLAN`` so that a small set
covers every layout and photo condition; later ones mix them at random. Writes
``OUT/images/<stem>.jpg`` (one ``.heic``) and ``OUT/labels/<stem>.json`` in the label format of
the real photos (see README.md). Needs Pillow, numpy, OpenCV, segno, pillow-heif and the
Debian fonts-dejavu-core and fonts-liberation packages.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno
import segno.helpers
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cjk_cards  # noqa: E402
from content import (  # noqa: E402
    CULTURES,
    GENERIC_MAILBOX,
    PHONE_LABELS,
    TAGLINES,
    Content,
    Line,
    Person,
    make_content,
    make_phone,
    make_tax_id,
    make_title,
)

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

QR_LAYOUTS = ("classic", "centred", "two_column")  # the layouts that place a QR code
LAYOUTS = ("classic", "centred", "two_column", "name_bottom", "logo_band", "vertical_strip", "tiny")
BACKGROUNDS = ("wood", "grey_table", "white_paper", "dark", "desk_mat")

# One entry per committed sample: the case it exists for. Keys override the random choices.
PLAN: list[dict[str, Any]] = [
    dict(
        case="classic_pt",
        bend=0.015,
        culture="pt",
        layout="classic",
        bg="wood",
        exif=6,
        tagline=True,
        tax=True,
    ),
    dict(case="centred_fr", decor="rings", culture="fr", layout="centred", bg="grey_table"),
    dict(
        case="two_column_de",
        icons=True,
        culture="de",
        layout="two_column",
        bg="white_paper",
        shadow=True,
        tax=True,
        fax=True,
    ),
    dict(case="name_bottom_scan_us", culture="us", layout="name_bottom", mode="scan"),
    dict(
        case="logo_band_nl",
        bend=0.02,
        culture="nl",
        layout="logo_band",
        bg="dark",
        exif=8,
        tax=True,
    ),
    dict(case="vertical_strip_hr", culture="hr", layout="vertical_strip", bg="desk_mat", tax=True),
    dict(
        case="dark_card_logo_only_es",
        culture="es",
        layout="classic",
        bg="white_paper",
        palette="dark",
        company="logo_only",
    ),
    dict(
        case="coloured_rot90_it",
        culture="it",
        layout="two_column",
        bg="wood",
        palette="colour",
        rotate=90,
    ),
    dict(case="tiny_print_scan_uk", culture="uk", layout="tiny", mode="scan", fax=True, tax=True),
    dict(
        case="qr_vcard_tr",
        icons=True,
        decor="rings",
        culture="tr",
        layout="classic",
        bg="grey_table",
        qr="vcard",
        exif=6,
    ),
    dict(
        case="qr_mecard_es",
        glare=True,
        culture="es",
        layout="two_column",
        bg="wood",
        qr="mecard",
        shadow=True,
    ),
    dict(
        case="qr_url_logo_only_de",
        culture="de",
        layout="centred",
        bg="desk_mat",
        qr="url",
        company="mark_only",
    ),
    dict(
        case="two_person_pt",
        decor="wave",
        culture="pt",
        layout="two_person",
        bg="grey_table",
        people=2,
    ),
    dict(case="two_cards_nl_fr", culture="nl", layout="classic", bg="wood", two_cards=True),
    dict(case="heic_photo_fr", culture="fr", layout="logo_band", bg="white_paper", fmt="heic"),
    dict(
        case="upside_down_hr",
        bend=0.025,
        icons=True,
        culture="hr",
        layout="classic",
        bg="grey_table",
        rotate=180,
    ),
    dict(
        case="exif3_two_line_title_uk",
        decor="bars",
        culture="uk",
        layout="centred",
        bg="wood",
        exif=3,
        two_line_title=True,
    ),
    dict(
        case="strong_shadow_blur_it",
        name_case="lower",
        culture="it",
        layout="name_bottom",
        bg="white_paper",
        shadow=True,
        blur=2.0,
    ),
    dict(
        case="wordmark_generic_email_us",
        icons=True,
        culture="us",
        layout="logo_band",
        bg="dark",
        company="logo_only",
        palette="colour",
    ),
    dict(
        case="serif_scan_rot270_pt",
        culture="pt",
        layout="two_column",
        mode="scan",
        font="liberation_serif",
        rotate=270,
        two_line_title=True,
    ),
]


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


# ---------------------------------------------------------------------------------------------
# Card design


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


def display_name(spec: CardSpec, person: Person) -> str:
    """The name as printed (caps or lower case per style)."""
    if spec.style.caps_name:
        return person.name.upper()
    if spec.style.lower_name:
        return person.name.lower()
    return person.name


def display_title(spec: CardSpec, person: Person) -> tuple[str, ...]:
    """The title lines as printed."""
    return tuple(t.upper() for t in person.title) if spec.style.caps_title else person.title


def contact_lines(spec: CardSpec) -> list[Line]:
    """All contact lines of a one-person card, in print order (tax id excluded)."""
    lines = list(spec.content.people[0].lines) + [
        ln for ln in spec.content.shared if ln.kind != "tax"
    ]
    order = {"office": 0, "mobile": 1, "fax": 2, "email": 3, "web": 4, "social": 5}
    return sorted(lines, key=lambda ln: order[ln.kind])


def draw_lines(
    cv: Canvas,
    x: float,
    y: float,
    lines: list[Line],
    size: float,
    anchor: str = "la",
    max_w: float | None = None,
) -> float:
    """Draw labelled contact lines; labels in the accent colour. Returns the y below them."""
    for ln in lines:
        lab = f"{ln.label} " if ln.label else ""
        full = lab + ln.value
        fnt = cv.fit(full, size, max_w or cv.w) if max_w else cv.f(size)
        bold = cv.px(fnt.size, True)
        if anchor == "la" and cv.st.icons and ln.kind != "tax":
            draw_icon(cv, ln.kind, x, y + fnt.size * 0.1, fnt.size * 0.95)
            cv.put((x + fnt.size * 1.6, y), ln.value, fnt, cv.st.ink, "la")
        elif anchor == "la" and lab:
            cv.put((x, y), lab.strip(), bold, cv.st.accent, "la")
            cv.put((x + cv.draw.textlength(lab, font=bold), y), ln.value, fnt, cv.st.ink, "la")
        elif anchor == "ra" and lab:
            vw = cv.draw.textlength(ln.value, font=fnt)
            cv.put((x, y), ln.value, fnt, cv.st.ink, "ra")
            cv.put((x - vw, y), lab, bold, cv.st.accent, "ra")
        else:
            cv.put((x, y), full, fnt, cv.st.ink, anchor)
        y += fnt.size * 1.38
    return y


def draw_icon(cv: Canvas, kind: str, x: float, y: float, s: float) -> None:
    """A small drawn pictogram for a contact line: handset, phone, printer, envelope, globe."""
    d, c = cv.draw, cv.st.accent
    lw = max(1, round(s / 9))
    if kind == "office":
        d.rounded_rectangle(
            [x, y + s * 0.15, x + s, y + s * 0.85], radius=s * 0.3, outline=c, width=lw
        )
        d.rectangle([x + s * 0.35, y + s * 0.35, x + s * 0.65, y + s * 0.65], fill=c)
    elif kind == "mobile":
        d.rounded_rectangle(
            [x + s * 0.22, y, x + s * 0.78, y + s], radius=s * 0.12, outline=c, width=lw
        )
        d.ellipse([x + s * 0.44, y + s * 0.8, x + s * 0.56, y + s * 0.92], fill=c)
    elif kind == "fax":
        d.rectangle([x + s * 0.2, y, x + s * 0.8, y + s * 0.4], outline=c, width=lw)
        d.rectangle([x, y + s * 0.35, x + s, y + s * 0.85], fill=c)
    elif kind == "email":
        d.rectangle([x, y + s * 0.2, x + s, y + s * 0.85], outline=c, width=lw)
        d.line([x, y + s * 0.2, x + s / 2, y + s * 0.55, x + s, y + s * 0.2], fill=c, width=lw)
    elif kind == "web":
        d.ellipse([x, y, x + s, y + s], outline=c, width=lw)
        d.ellipse([x + s * 0.3, y, x + s * 0.7, y + s], outline=c, width=lw)
        d.line([x, y + s / 2, x + s, y + s / 2], fill=c, width=lw)
    else:  # social: a filled rounded square
        d.rounded_rectangle([x, y, x + s, y + s], radius=s * 0.2, fill=c)
        d.ellipse([x + s * 0.3, y + s * 0.3, x + s * 0.7, y + s * 0.7], fill=cv.st.paper)
    cv.reserve((x, y, x + s, y + s), f"icon {kind}")


def draw_decor(cv: Canvas) -> None:
    """Background graphics behind the text, in a colour close to the paper."""
    st, d, w, h = cv.st, cv.draw, cv.w, cv.h
    tint = tuple(round(p * 0.78 + a * 0.22) for p, a in zip(st.paper, st.accent, strict=True))
    if st.decor == "corner":
        d.polygon([(w * 0.8, 0), (w, 0), (w, h * 0.32)], fill=tint)
        d.line([(w * 0.75, 0), (w, h * 0.4)], fill=st.accent, width=max(2, round(4 * cv.scale)))
        cv.reserve((w * 0.75, 0, w, h * 0.4), "graphic: corner")
    elif st.decor == "wave":
        pts = [
            (x, h * 0.86 + math.sin(x / w * 2 * math.pi) * h * 0.04) for x in range(0, w + 10, 10)
        ]
        d.polygon([*pts, (w, h), (0, h)], fill=tint)
    elif st.decor == "rings":
        for r in (0.5, 0.38, 0.26):
            d.ellipse(
                [w * 0.85 - r * h, h * 0.9 - r * h, w * 0.85 + r * h, h * 0.9 + r * h],
                outline=tint,
                width=max(3, round(10 * cv.scale)),
            )
    elif st.decor == "bars":
        d.rectangle([0, h - 14 * cv.scale, w, h], fill=st.accent)
        d.rectangle([0, h - 22 * cv.scale, w * 0.4, h - 14 * cv.scale], fill=tint)
        cv.reserve(
            (8 * cv.scale, h - 22 * cv.scale, w - 8 * cv.scale, h - 8 * cv.scale), "graphic: bars"
        )


def draw_logo(cv: Canvas, x: float, y: float, height: float, on_band: bool = False) -> float:
    """Draw the brand's logo (a shape and a stylised wordmark) with its top-left at x, y.

    Returns its width. The wordmark is the brand word only, never the legal company name.
    """
    rng, st = cv.rng, cv.st
    colour = (255, 255, 255) if on_band else st.accent
    kind = rng.randrange(3)
    h = height
    d = cv.draw
    if kind == 0:  # circle with initial
        d.ellipse([x, y, x + h, y + h], fill=colour)
        fnt = cv.px(h * 0.62, True)
        d.text(
            (x + h / 2, y + h / 2),
            cv.spec.content.brand[0],
            font=fnt,
            fill=st.paper if not on_band else st.accent,
            anchor="mm",
        )
    elif kind == 1:  # three bars
        for i in range(3):
            d.rectangle(
                [x + i * h * 0.36, y + h * (0.5 - 0.25 * i), x + i * h * 0.36 + h * 0.26, y + h],
                fill=colour,
            )
    else:  # diamond
        d.polygon(
            [(x + h / 2, y), (x + h, y + h / 2), (x + h / 2, y + h), (x, y + h / 2)], fill=colour
        )
        d.polygon(
            [
                (x + h / 2, y + h * 0.28),
                (x + h * 0.72, y + h / 2),
                (x + h / 2, y + h * 0.72),
                (x + h * 0.28, y + h / 2),
            ],
            fill=st.paper if not on_band else st.accent,
        )
    word = cv.spec.content.brand.lower()
    word = " ".join(word) if rng.random() < 0.35 else word
    fnt = cv.px(h * 0.75, True, FAMILIES[rng.choice(["dejavu_sans", "liberation_sans"])][1])
    if cv.spec.company_mode == "mark_only":  # a symbol without a wordmark (e.g. an initial)
        cv.reserve((x, y, x + h, y + h), "logo mark")
        return h
    d.text((x + h * 1.25, y + h * 0.5), word, font=fnt, fill=colour, anchor="lm")
    width = h * 1.25 + d.textlength(word, font=fnt)
    cv.reserve((x, y, x + width, y + h), f"logo {word}")
    return width


def draw_company(
    cv: Canvas,
    x: float,
    y: float,
    size: float,
    anchor: str = "la",
    on_band: bool = False,
    max_w: float | None = None,
) -> float:
    """Draw the company block (logo and/or printed name, per the spec). Returns y below it."""
    spec, content = cv.spec, cv.spec.content
    if spec.company_mode in ("logo_only", "logo_and_printed", "mark_only"):
        h = size * 1.5 * cv.scale
        word = cv.draw.textlength(content.brand.lower(), font=cv.px(h * 0.75, True))
        width = h if spec.company_mode == "mark_only" else h * 1.25 + word
        lx = x if anchor == "la" else x - width / 2
        draw_logo(cv, lx, y, h, on_band)
        y += h * 1.3
    if spec.company_mode in ("printed", "logo_and_printed") and content.company:
        fill = (
            (255, 255, 255)
            if on_band
            else (cv.st.accent if spec.company_mode == "printed" else cv.st.soft)
        )
        sz = size if spec.company_mode == "printed" else size * 0.6
        fnt = cv.fit(content.company, sz, max_w or cv.w * 0.8, bold=spec.company_mode == "printed")
        y = cv.text(x, y, content.company, fnt, fill, anchor)
    return y


def company_label(spec: CardSpec) -> str | None:
    """The company as a person labels it: the printed name, else the logo's wordmark."""
    if spec.company_mode in ("printed", "logo_and_printed"):
        return spec.content.company or None
    if spec.company_mode == "logo_only":
        return spec.content.brand.lower()
    return None


def draw_qr(cv: Canvas, x: float, y: float, size: float) -> None:
    """Draw the card's QR code (vCard, MeCard or URL) with its top-left at x, y."""
    spec, c = cv.spec, cv.spec.content
    p = c.people[0]
    office = [ln.value for ln in contact_lines(spec) if ln.kind == "office"]
    mobile = [ln.value for ln in contact_lines(spec) if ln.kind == "mobile"]
    phones = office + mobile
    emails = [ln.value for ln in p.lines if ln.kind == "email"]
    url = f"https://{c.domain}"
    first, _, last = p.name.partition(" ")
    if spec.qr == "vcard":
        qr = segno.helpers.make_vcard(
            name=f"{last};{first}",
            displayname=p.name,
            email=emails,
            workphone=office or None,
            cellphone=mobile or None,
            url=url,
            org=c.company or None,
            title=", ".join(p.title),
        )
    elif spec.qr == "mecard":
        qr = segno.helpers.make_mecard(name=f"{last},{first}", email=emails, phone=phones, url=url)
    else:
        qr = segno.make(url, error="m")
    matrix = np.array([list(row) for row in qr.matrix], dtype=np.uint8)
    n = matrix.shape[0] + 4
    mod = size / n
    d = cv.draw
    d.rectangle([x, y, x + size, y + size], fill=(255, 255, 255))
    cv.reserve((x, y, x + size, y + size), "QR code")
    for r, c_ in zip(*np.nonzero(matrix), strict=True):
        d.rectangle(
            [
                x + (c_ + 2) * mod,
                y + (r + 2) * mod,
                x + (c_ + 3) * mod - 0.5,
                y + (r + 3) * mod - 0.5,
            ],
            fill=(10, 10, 10),
        )


def draw_person(
    cv: Canvas,
    person: Person,
    x: float,
    y: float,
    name_size: float,
    anchor: str = "la",
    max_w: float | None = None,
) -> float:
    """Draw name and title lines. Returns the y below them."""
    spec, st = cv.spec, cv.st
    name = display_name(spec, person)
    bold = cv.rng.random() < 0.7
    # Some names in a hairline weight (hard for OCR); chosen by a hash so the random stream,
    # and with it every other card of a set, stays as it was.
    hairline = zlib.crc32(name.encode()) % 6 == 0 and "serif" not in st.family
    path = LIGHT_FONT if hairline else None
    fnt = cv.fit(name, name_size * (1.1 if hairline else 1), max_w or cv.w * 0.6, bold, path)
    if hairline:
        spec.notes.append("Name in a hairline (extra-light) font.")
    y = cv.text(x, y, name, fnt, st.ink if cv.rng.random() < 0.6 else st.accent, anchor)
    for t in display_title(spec, person):
        y = cv.text(
            x,
            y - name_size * 0.05 * cv.scale,
            t,
            cv.fit(t, name_size * 0.58, max_w or cv.w * 0.6),
            st.soft,
            anchor,
        )
    return y


def draw_extras(
    cv: Canvas, x: float, y: float, size: float, anchor: str = "la", max_w: float | None = None
) -> float:
    """Draw the address lines and the tax id (small). Returns the y below them."""
    c = cv.spec.content
    for a in c.address:
        y = cv.text(x, y, a, cv.fit(a, size, max_w or cv.w * 0.9), cv.st.soft, anchor)
    for ln in c.shared:
        if ln.kind == "tax":
            y = cv.text(
                x, y + size * 0.2 * cv.scale, ln.value, cv.f(size * 0.82), cv.st.soft, anchor
            )
    return y


def draw_tagline(cv: Canvas, x: float, y: float, size: float, anchor: str = "la") -> float:
    """Draw the tagline in italics. Returns the y below it."""
    t = cv.spec.content.tagline
    if not t:
        return y
    return cv.text(x, y, t, cv.f(size, path=ITALIC_FONT), cv.st.accent, anchor)


def layout_classic(cv: Canvas) -> None:
    """Logo/company top-left, name and title, contacts and address bottom-left."""
    m = 70 * cv.scale
    y = draw_company(cv, m, m, 34)
    y = draw_tagline(cv, m, y, 19)
    right = cv.w - m
    if cv.spec.qr:
        q = cv.h * (0.46 if cv.spec.qr == "vcard" else 0.36)  # a vCard is dense: print it bigger
        draw_qr(cv, right - q, m * 0.7, q)
    y = max(y + 30 * cv.scale, cv.h * 0.3)
    y = draw_person(cv, cv.spec.content.people[0], m, y, 44) + 18 * cv.scale
    lines = contact_lines(cv.spec)
    if len(lines) + len(cv.spec.content.address) > 6 and not cv.spec.qr:
        bottom = draw_lines(cv, m, y, lines, 22, max_w=cv.w * 0.5)
        draw_extras(cv, cv.w * 0.6, y, 20, max_w=cv.w * 0.36)
        del bottom
    else:
        y = draw_lines(cv, m, y, lines, 22, max_w=cv.w * 0.62)
        draw_extras(cv, m, y + 6 * cv.scale, 19, max_w=cv.w * 0.62 if cv.spec.qr else None)


def layout_centred(cv: Canvas) -> None:
    """Everything centred: logo, name, title, one line of contacts, address."""
    cx = cv.w / 2
    y = draw_company(cv, cx, 55 * cv.scale, 30, "ma")
    y = draw_person(cv, cv.spec.content.people[0], cx, y + 25 * cv.scale, 46, "ma", cv.w * 0.8)
    y = draw_tagline(cv, cx, y + 4 * cv.scale, 18, "ma") + 14 * cv.scale
    cv.draw.line(
        [cx - 120 * cv.scale, y, cx + 120 * cv.scale, y],
        fill=cv.st.accent,
        width=max(1, round(2 * cv.scale)),
    )
    y += 18 * cv.scale
    lines = contact_lines(cv.spec)
    phones = [ln for ln in lines if ln.kind in ("office", "mobile", "fax")]
    rest = [ln for ln in lines if ln not in phones]
    joined = "  |  ".join(f"{ln.label} {ln.value}".strip() for ln in phones)
    y = cv.text(cx, y, joined, cv.fit(joined, 22, cv.w * 0.9), cv.st.ink, "ma")
    y = draw_lines(cv, cx, y, rest, 22, "ma", cv.w * 0.9)
    addr = ", ".join(cv.spec.content.address)
    y = cv.text(cx, y + 4 * cv.scale, addr, cv.fit(addr, 19, cv.w * 0.92), cv.st.soft, "ma")
    for ln in cv.spec.content.shared:
        if ln.kind == "tax":
            cv.text(cx, y, ln.value, cv.f(16), cv.st.soft, "ma")
    if cv.spec.qr:
        q = cv.h * 0.26
        draw_qr(cv, cv.w - q - 30 * cv.scale, 30 * cv.scale, q)


def layout_two_column(cv: Canvas) -> None:
    """Company and person on the left, contacts right of a vertical rule."""
    m = 60 * cv.scale
    split = cv.w * 0.48
    y = draw_company(cv, m, m, 30, max_w=split - m * 1.5)
    draw_tagline(cv, m, y, 17)
    draw_person(cv, cv.spec.content.people[0], m, cv.h * 0.5, 40, max_w=split - m * 1.3)
    cv.draw.line([split, m, split, cv.h - m], fill=cv.st.accent, width=max(1, round(3 * cv.scale)))
    x = split + 35 * cv.scale
    maxw = cv.w - x - 40 * cv.scale
    y = m
    if cv.spec.qr:
        q = cv.h * 0.3
        draw_qr(cv, cv.w - q - 40 * cv.scale, cv.h - q - 40 * cv.scale, q)
    y = draw_lines(cv, x, y, contact_lines(cv.spec), 21, max_w=maxw)
    draw_extras(cv, x, y + 12 * cv.scale, 19, max_w=maxw * (0.62 if cv.spec.qr else 1))


def layout_name_bottom(cv: Canvas) -> None:
    """Company on top, contacts on the right, the name at the bottom-left."""
    m = 60 * cv.scale
    draw_company(cv, m, m, 30)
    x = cv.w * 0.55
    y = draw_lines(cv, x, m * 1.1, contact_lines(cv.spec), 20, max_w=cv.w - x - m * 0.6)
    draw_extras(cv, x, y + 8 * cv.scale, 18, max_w=cv.w - x - m * 0.6)
    person = cv.spec.content.people[0]
    n_title = len(person.title)
    y0 = cv.h - m - (46 + 30 * n_title) * cv.scale
    draw_person(cv, person, m, y0, 40, max_w=cv.w * 0.5)
    draw_tagline(cv, m, cv.h * 0.36, 17)


def layout_logo_band(cv: Canvas) -> None:
    """A coloured band across the top holding the logo; details below in two groups."""
    band = cv.h * 0.3
    cv.draw.rectangle([0, 0, cv.w, band], fill=cv.st.accent)
    m = 60 * cv.scale
    draw_company(cv, m, band * 0.25, 28, on_band=True, max_w=cv.w * 0.6)
    if cv.spec.content.tagline:
        t = cv.spec.content.tagline
        cv.text(cv.w - m, band * 0.4, t, cv.f(17, path=ITALIC_FONT), (255, 255, 255), "ra")
    y = draw_person(cv, cv.spec.content.people[0], m, band + 45 * cv.scale, 44, max_w=cv.w * 0.5)
    n_extra = len(cv.spec.content.address) + any(ln.kind == "tax" for ln in cv.spec.content.shared)
    draw_extras(
        cv,
        m,
        max(y + 14 * cv.scale, cv.h - m * 0.6 - n_extra * 26 * cv.scale),
        19,
        max_w=cv.w * 0.45,
    )
    x = cv.w * 0.55
    lines = contact_lines(cv.spec)
    draw_lines(
        cv,
        x,
        max(band + 45 * cv.scale, cv.h - m * 0.6 - len(lines) * 30.5 * cv.scale),
        lines,
        22,
        max_w=cv.w - x - m * 0.5,
    )


def layout_vertical_strip(cv: Canvas) -> None:
    """A strip down the left edge with the website printed vertically; content to its right."""
    strip = cv.w * 0.12
    cv.draw.rectangle([0, 0, strip, cv.h], fill=cv.st.accent)
    web = next(ln.value for ln in cv.spec.content.shared if ln.kind == "web")
    fnt = cv.f(26, True)
    tw = int(cv.draw.textlength(web, font=fnt)) + 10
    tile = Image.new("RGBA", (tw, int(fnt.size * 1.4)), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((5, 2), web, font=fnt, fill=(255, 255, 255))
    tile = tile.rotate(90, expand=True)
    at = (int(strip / 2 - tile.width / 2), int(cv.h / 2 - tile.height / 2))
    cv.img.paste(tile, at, tile)
    cv.reserve((at[0], at[1], at[0] + tile.width, at[1] + tile.height), web)
    cv.spec.notes.append(f"Website '{web}' printed vertically in the left strip (and only there).")
    m = strip + 45 * cv.scale
    y = draw_company(cv, m, 50 * cv.scale, 28)
    y = draw_tagline(cv, m, y, 17)
    y = draw_person(cv, cv.spec.content.people[0], m, max(y + 20 * cv.scale, cv.h * 0.3), 40)
    lines = [ln for ln in contact_lines(cv.spec) if ln.kind != "web"]
    x2 = cv.w * 0.58
    draw_lines(cv, m, y + 14 * cv.scale, lines, 20, max_w=x2 - m - 10 * cv.scale)
    draw_extras(cv, x2, y + 14 * cv.scale, 18, max_w=cv.w - x2 - 30 * cv.scale)


def layout_tiny(cv: Canvas) -> None:
    """Dense small print: name top-left, company top-right, contacts and address in small type."""
    m = 50 * cv.scale
    y = draw_person(cv, cv.spec.content.people[0], m, m, 30, max_w=cv.w * 0.5) + 10 * cv.scale
    draw_tagline(cv, m, y, 14)
    c = cv.spec.content
    if cv.spec.company_mode == "printed" and c.company:
        cv.text(
            cv.w - m, m, c.company, cv.fit(c.company, 20, cv.w * 0.4, bold=True), cv.st.accent, "ra"
        )
    else:
        draw_company(cv, cv.w * 0.58, m, 20, max_w=cv.w * 0.38)
    half = cv.w * 0.5
    y0 = max(y + 40 * cv.scale, cv.h * 0.42)
    draw_lines(cv, m, y0, contact_lines(cv.spec), 15, max_w=half - m)
    draw_extras(cv, half + 20 * cv.scale, y0, 14.5, max_w=half - m)


def layout_two_person(cv: Canvas) -> None:
    """Two people side by side under a shared company header; shared lines at the bottom."""
    m = 55 * cv.scale
    y = draw_company(cv, m, m * 0.8, 28)
    y = draw_tagline(cv, m, y, 16)
    y = max(y + 20 * cv.scale, cv.h * 0.28)
    for i, person in enumerate(cv.spec.content.people[:2]):
        x = m + i * cv.w * 0.5
        yy = draw_person(cv, person, x, y, 38, max_w=cv.w * 0.45 - m * 0.5)
        draw_lines(cv, x, yy + 8 * cv.scale, person.lines, 21, max_w=cv.w * 0.46 - m * 0.5)
    shared = [ln for ln in cv.spec.content.shared if ln.kind not in ("tax", "social")]
    yb = cv.h - m - 2 * 25 * cv.scale
    cv.draw.line([m, yb - 12 * cv.scale, cv.w - m, yb - 12 * cv.scale], fill=cv.st.accent, width=2)
    text = "   ".join(f"{ln.label} {ln.value}".strip() for ln in shared)
    cv.text(m, yb, text, cv.fit(text, 20, cv.w - 2 * m), cv.st.ink)
    addr = ", ".join(
        cv.spec.content.address + [ln.value for ln in cv.spec.content.shared if ln.kind == "tax"]
    )
    cv.text(m, yb + 27 * cv.scale, addr, cv.fit(addr, 19, cv.w - 2 * m), cv.st.soft)


LAYOUT_FUNCS = {
    "classic": layout_classic,
    "centred": layout_centred,
    "two_column": layout_two_column,
    "name_bottom": layout_name_bottom,
    "logo_band": layout_logo_band,
    "vertical_strip": layout_vertical_strip,
    "tiny": layout_tiny,
    "two_person": layout_two_person,
}


def render_card(spec: CardSpec, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """Draw the card flat, at print resolution, with a faint paper texture; and its problems."""
    cv = Canvas(spec, rng)
    draw_decor(cv)
    LAYOUT_FUNCS[spec.layout](cv)
    problems = cv.problems()
    arr = np.asarray(cv.img).astype(np.float32)
    nrng = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(nrng.normal(0, 3.0, arr.shape[:2]).astype(np.float32), (0, 0), 0.8)
    arr += grain[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), problems


def design_card(
    rng: random.Random, case: dict[str, Any], culture: str | None = None
) -> tuple[CardSpec, Image.Image]:
    """Invent and draw a card for ``case``, trying again until all its text fits cleanly.

    A label is only true if everything it lists is printed legibly on the card, so a design
    whose text runs off the card or into other text is thrown away (deterministically).
    """
    problems: list[str] = []
    for _ in range(12):
        spec = build_spec(rng, case, culture)
        card, problems = render_card(spec, rng)
        if not problems:
            return spec, card
    raise RuntimeError(f"no clean layout for {case}: {problems[:3]}")


def make_label(spec: CardSpec) -> dict[str, Any]:
    """The label of one card, in the format of the real photos' labels."""
    c = spec.content
    p = c.people[0]
    lines = list(p.lines) + c.shared
    if spec.layout == "vertical_strip":
        pass  # the website is still printed, vertically
    if spec.layout == "two_person":
        lines = list(p.lines) + [ln for ln in c.shared if ln.kind not in ("social",)]
    # Two-person cards print the second person's lines too: collect them in print order.
    others = c.people[1:]
    for o in others:
        lines += o.lines
    phones = [ln for ln in lines if ln.kind in ("office", "mobile", "fax")]
    printed_title = display_title(spec, p)
    label: dict[str, Any] = {
        "name": display_name(spec, p),
        "title": ", ".join(printed_title),
        "company": company_label(spec),
        "emails": [ln.value for ln in lines if ln.kind == "email"],
        "phones": [ln.value for ln in phones],
        "websites": [ln.value for ln in lines if ln.kind in ("web", "social")],
        "address": ", ".join(c.address),
        "notes": "",
    }
    notes = ["Generated by sample_cards/generate.py."]
    kinds = {"office": "office", "mobile": "mobile", "fax": "fax"}
    notes.append(
        "Phones: "
        + "; ".join(
            f"'{(ln.label + ' ') if ln.label else ''}{ln.value}' {kinds[ln.kind]}" for ln in phones
        )
        + "."
    )
    for ln in c.shared:
        if ln.kind == "tax":
            notes.append(f"'{ln.value}' is a tax/registry number, not a phone.")
    if c.tagline:
        notes.append(f"Tagline '{c.tagline}' is not a title.")
    if spec.company_mode == "logo_only":
        notes.append(
            f"Company only as a logo wordmark '{c.brand.lower()}' beside a shape (printed text,"
            " so it is the company, as in the real labels)."
        )
    elif spec.company_mode == "mark_only":
        notes.append("Logo is a symbol only, no wordmark; company not printed: company null.")
    elif spec.company_mode == "logo_and_printed":
        notes.append(f"Logo wordmark '{c.brand.lower()}' plus printed company name.")
    if len(printed_title) > 1:
        notes.append("Title printed on two lines.")
    for o in others:
        notes.append(
            f"Second person: {display_name(spec, o)}, {', '.join(display_title(spec, o))}, "
            + ", ".join(ln.value for ln in o.lines)
            + "."
        )
    notes += list(dict.fromkeys(spec.notes))
    label["_notes"] = notes
    if spec.qr:
        label["qr"] = True
    return label


# ---------------------------------------------------------------------------------------------
# Photographing


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


# ---------------------------------------------------------------------------------------------
# Putting a sample together


def case_for(index: int, rng: random.Random) -> dict[str, Any]:
    """The plan entry for ``index`` (1-based), or a random mix of options past the plan."""
    if index <= len(PLAN):
        return dict(PLAN[index - 1])
    people = 2 if rng.random() < 0.08 else 1
    c: dict[str, Any] = dict(
        culture=rng.choice(CULTURES),
        layout="two_person" if people == 2 else rng.choice(LAYOUTS),
        bg=rng.choice(BACKGROUNDS),
        mode="scan" if rng.random() < 0.2 else "photo",
        people=people,
        palette=rng.choice(["light", "light", "light", "dark", "colour"]),
        company=rng.choice(["printed", "printed", "logo_and_printed", "logo_only", "mark_only"]),
        qr=rng.choice([None] * 6 + ["vcard", "mecard", "url"]),
        shadow=rng.random() < 0.4,
        two_cards=rng.random() < 0.05,
        glare=rng.random() < 0.12,
        bend=rng.choice([0.0, 0.0, 0.0, rng.uniform(0.01, 0.03)]),
    )
    if c["qr"] and c["layout"] not in QR_LAYOUTS:
        if people == 2:
            c["qr"] = None  # the two-person layout has no room for a code
        else:
            c["layout"] = rng.choice(QR_LAYOUTS)
    if c["two_cards"]:
        c["mode"] = "photo"  # the scanner takes one card
    # Hard shots stay legible to a person: never with tiny print or a dark card.
    legible = c["layout"] != "tiny" and c["palette"] != "dark"
    c["hard"] = c["mode"] == "photo" and not c["two_cards"] and legible and rng.random() < 0.3
    r = rng.random()
    if r < 0.4:
        c["exif"] = rng.choice([6, 6, 8, 3])
    elif r < 0.55:
        c["rotate"] = rng.choice([90, 180, 270])
    c["case"] = f"{c['layout']}_{c['culture']}"
    return c


def build_spec(rng: random.Random, case: dict[str, Any], culture: str | None = None) -> CardSpec:
    """Invent a card's content and design for ``case``."""
    culture = culture or case["culture"]
    mode = case.get("company") or rng.choice(["printed", "printed", "logo_and_printed"])
    content = make_content(
        rng,
        culture,
        people=case.get("people", 1),
        company_printed=mode not in ("logo_only", "mark_only"),
    )
    if case.get("tagline") and not content.tagline:
        content.tagline = rng.choice(TAGLINES[culture])
    if case.get("tax") and not any(ln.kind == "tax" for ln in content.shared):
        content.shared.append(Line("", make_tax_id(rng, culture), "tax"))
    if case.get("fax") and not any(ln.kind == "fax" for ln in content.shared):
        content.shared.insert(
            0, Line(PHONE_LABELS[culture][2][0], make_phone(rng, culture, "office"), "fax")
        )
    if case.get("two_line_title"):
        p = content.people[0]
        p.title = make_title(rng, culture, p.female, two_lines=True)
    if mode in ("logo_only", "mark_only"):
        # Logo-only cards carry a generic mailbox, so the domain alone hints at the company.
        if not any(
            ln.value.startswith(("info@", "hello@", "kontakt@", "geral@", "contacto@", "bonjour@"))
            for ln in content.shared
        ):
            mailbox = GENERIC_MAILBOX[culture]
            content.shared.insert(0, Line("", f"{mailbox}@{content.domain}", "email"))
    layout = case.get("layout") or rng.choice(LAYOUTS)
    style = make_style(
        rng, case.get("palette", rng.choice(["light", "light", "colour"])), case.get("font")
    )
    if layout == "tiny":
        style.caps_name = False
    style.icons = case.get("icons", rng.random() < 0.25) and layout not in ("centred", "two_person")
    style.decor = case.get("decor", rng.choice(["", "", "", "corner", "wave", "rings", "bars"]))
    if layout in ("logo_band", "vertical_strip"):
        style.decor = ""
    style.type_scale = 0.92 if layout == "tiny" else rng.uniform(1.0, 1.22)
    if case.get("name_case") == "lower":
        style.lower_name, style.caps_name = True, False
    elif case.get("name_case") == "upper":
        style.lower_name, style.caps_name = False, True
    if style.icons:
        for ln in content.shared + [ln for p in content.people for ln in p.lines]:
            ln.label = "" if ln.kind != "tax" else ln.label
    if case.get("qr") and layout not in QR_LAYOUTS:
        raise ValueError(f"layout {layout!r} has no place for a QR code; use one of {QR_LAYOUTS}")
    ratio = rng.choice([1.75, 1.75, 1.545])  # US 3.5x2 in, or EU 85x55 mm
    spec = CardSpec(content, layout, style, mode, case.get("qr"), (1050, round(1050 / ratio)))
    if case.get("palette") == "dark":
        spec.notes.append("Dark card with light text.")
    elif case.get("palette") == "colour":
        spec.notes.append("Coloured card stock.")
    if layout == "tiny":
        spec.notes.append("Tiny print: contact lines and address in small type.")
    if style.icons:
        spec.notes.append("Contact lines start with drawn icons instead of text labels.")
    if spec.qr:
        what = {
            "vcard": "vCard: name, title, company, phones, e-mail, url",
            "mecard": "MeCard: name, phones, e-mail, url",
            "url": "URL",
        }[spec.qr]
        spec.notes.append(f"QR code ({what} https://{spec.content.domain}); agrees with the print.")
    return spec


def build_sample(seed: int, index: int) -> tuple[str, bytes, dict[str, Any], str]:
    """Make sample ``index``: returns (stem, image bytes, label, file extension)."""
    nrng = np.random.default_rng([seed, index])
    cjk = cjk_cards.cjk_case(seed, index, len(PLAN))
    if cjk is not None:
        return build_cjk_sample(cjk, index, nrng)
    rng = random.Random(f"cardscan-sample-{seed}-{index}")
    case = case_for(index, rng)
    spec, card = design_card(rng, case)
    cards = [(card, rng.random() < 0.3)]
    label = make_label(spec)
    other_labels = []
    if case.get("two_cards"):
        spec2, card2 = design_card(
            rng,
            dict(case, layout="centred", palette="colour"),
            culture=rng.choice([c for c in CULTURES if c != case["culture"]]),
        )
        cards.append((card2, False))
        other_labels.append(make_label(spec2))
    exif = case.get("exif", 1)
    shot = Shot(
        mode=case.get("mode", "photo"),
        bg=case.get("bg", "grey_table"),
        rotate=case.get("rotate", 0),
        exif=exif,
        shadow=case.get("shadow", False),
        blur=case.get("blur", 0.0),
        fmt=case.get("fmt", "jpg"),
        portrait=exif in (6, 8) or rng.random() < 0.15,
        glare=case.get("glare", False),
        bend=case.get("bend", 0.0),
        hard=case.get("hard", False),
    )
    upright, photo_notes = photograph(cards, shot, nrng)
    data, enc_notes = encode(upright, shot)
    label_notes = label.pop("_notes")
    for o in other_labels:
        o["notes"] = " ".join(o.pop("_notes"))
    label["notes"] = " ".join(label_notes[:1] + photo_notes + enc_notes + label_notes[1:])
    if len(cards) > 1:
        label["cards"] = len(cards)
        label["other_cards"] = other_labels
    stem = f"sample_{index:02d}_{case['case']}"
    return stem, data, label, shot.fmt


def build_cjk_sample(
    case: dict[str, Any], index: int, nrng: np.random.Generator
) -> tuple[str, bytes, dict[str, Any], str]:
    """Make a Japanese, Chinese or Korean sample (see ``cjk_cards``)."""
    rng = random.Random(f"cardscan-cjk-layout-{case['seed']}")
    content = cjk_cards.content_for(case)
    draw = (
        cjk_cards.draw_vertical if case["layout"] == "cjk_vertical" else cjk_cards.draw_horizontal
    )
    problems: list[str] = []
    for _ in range(12):
        style = make_style(rng, case["palette"], None)
        style.type_scale = rng.uniform(0.92, 1.08)
        ratio = rng.choice([1.75, 1.65])  # 3.5 x 2 in, or Japan's 91 x 55 mm
        size = (1050, round(1050 / ratio))
        spec = CardSpec(None, case["layout"], style, "printed", None, size)  # type: ignore[arg-type]
        cv = Canvas(spec, rng)
        draw(cv, case, content)
        problems = cv.problems()
        if not problems:
            break
    else:
        raise RuntimeError(f"no clean layout for {case['case']}: {problems[:3]}")
    arr = np.asarray(cv.img).astype(np.float32)
    arr += nrng.normal(0, 3.0, arr.shape[:2]).astype(np.float32)[..., None]
    card = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    exif = case.get("exif", 1)
    shot = Shot(
        mode=case["mode"],
        bg=case["bg"],
        rotate=case.get("rotate", 0),
        exif=exif,
        shadow=case["shadow"],
        blur=0.0,
        fmt="jpg",
        portrait=exif in (6, 8),
        glare=case["glare"],
        bend=case["bend"],
    )
    upright, photo_notes = photograph([(card, False)], shot, nrng)
    data, enc_notes = encode(upright, shot)
    label = cjk_cards.label_for(case, content)
    label["notes"] = " ".join([label["notes"], *photo_notes, *enc_notes])
    return f"sample_{index:02d}_{case['case']}", data, label, shot.fmt


def write_sample(out: Path, seed: int, index: int) -> Path:
    """Write sample ``index`` (image and label) under ``out``; returns the image path."""
    stem, data, label, ext = build_sample(seed, index)
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    path = out / "images" / f"{stem}.{ext}"
    path.write_bytes(data)
    (out / "labels" / f"{stem}.json").write_text(
        json.dumps(label, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: render ``--count`` samples (or ``--only`` one) into ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", type=Path, required=True, help="output folder (gets images/ and labels/)"
    )
    ap.add_argument(
        "--count", type=int, default=len(PLAN), help=f"how many samples (default {len(PLAN)})"
    )
    ap.add_argument("--seed", type=int, default=1, help="seed of the whole set (default 1)")
    ap.add_argument(
        "--only", help="regenerate one sample: its number or file stem (e.g. 07 or sample_07_...)"
    )
    args = ap.parse_args(argv)
    check_fonts()
    if args.only:
        token = args.only.removeprefix("sample_").split("_")[0]
        if not token.isdigit():
            ap.error(f"--only {args.only!r}: give a sample number or a stem like sample_07_name")
        indexes = [int(token)]
    else:
        indexes = list(range(1, args.count + 1))
    for i in indexes:
        path = write_sample(args.out, args.seed, i)
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
