"""Japanese, Chinese and Korean cards for the generator: which samples are CJK, their two
layouts (horizontal, and vertical in columns read right to left) and their labels.

A sample is CJK when a draw from its own random stream (seeded by seed and index, apart from
the Latin cards' stream) says so, so adding these cards changed no Latin card of any seed.
Fonts are Debian's ``fonts-noto-cjk`` (Noto Sans/Serif CJK, one .ttc per weight).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from content_cjk import CjkContent, make_cjk_content
from PIL import ImageFont

NOTO = Path("/usr/share/fonts/opentype/noto")
#: (regular, bold) font files; the face index in each .ttc picks the regional glyph forms.
CJK_FAMILIES = {
    "sans": (NOTO / "NotoSansCJK-Regular.ttc", NOTO / "NotoSansCJK-Bold.ttc"),
    "serif": (NOTO / "NotoSerifCJK-Regular.ttc", NOTO / "NotoSerifCJK-Bold.ttc"),
}
#: Face index inside the .ttc collections: JP, KR, SC, TC (Noto CJK's order).
FACE = {"ja": 0, "ko": 1, "zh_cn": 2, "zh_tw": 3}
#: Share of random samples (past the fixed plan) that are CJK cards.
SHARE = 0.25
CULTURES = ("ja", "zh_tw", "zh_cn", "ko")


def cjk_case(seed: int, index: int, plan_length: int) -> dict[str, Any] | None:
    """The CJK case for sample ``index``, or None when it is a Latin card."""
    rng = random.Random(f"cardscan-cjk-{seed}-{index}")
    if index <= plan_length or rng.random() >= SHARE:
        return None
    culture = rng.choice(CULTURES)
    vertical = culture in ("ja", "zh_tw") and rng.random() < 0.35
    case = {
        "culture": culture,
        "layout": "cjk_vertical" if vertical else "cjk_horizontal",
        "bg": rng.choice(["wood", "grey_table", "white_paper", "dark", "desk_mat"]),
        "mode": "scan" if rng.random() < 0.2 else "photo",
        "palette": rng.choice(["light", "light", "light", "colour"]),
        "shadow": rng.random() < 0.4,
        "glare": rng.random() < 0.1,
        "bend": rng.choice([0.0, 0.0, rng.uniform(0.01, 0.03)]),
        "family": rng.choice(["sans", "sans", "serif"]),
        "spaced_name": rng.random() < 0.4,
        "romanised": rng.random() < 0.5,
        "english_company": rng.random() < 0.3,
        "seed": f"{seed}-{index}",
    }
    r = rng.random()
    if r < 0.3:
        case["exif"] = rng.choice([6, 8, 3])
    elif r < 0.4:
        case["rotate"] = rng.choice([90, 180, 270])
    case["case"] = f"{case['layout']}_{culture}"
    return case


def cjk_font(case: dict[str, Any], pixels: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The card's CJK font at ``pixels`` pixels."""
    path = CJK_FAMILIES[case["family"]][int(bold)]
    return ImageFont.truetype(str(path), max(9, round(pixels)), index=FACE[case["culture"]])


def content_for(case: dict[str, Any]) -> CjkContent:
    """The card's invented content (from its own stream, so it does not shift the layout's)."""
    return make_cjk_content(random.Random(f"cardscan-cjk-content-{case['seed']}"), case["culture"])


def drawer(case: dict[str, Any]) -> Any:
    """How the card is drawn: in vertical columns or horizontally."""
    return draw_vertical if case["layout"] == "cjk_vertical" else draw_horizontal


def printed_name(content: CjkContent, case: dict[str, Any]) -> str:
    """The name as printed: letter-spaced now and then, Japanese with a gap between the
    family and the given name."""
    family, given = content.name_parts
    if case["spaced_name"]:
        return " ".join(content.name)
    if content.culture == "ja":
        return f"{family} {given}"
    return content.name


def contact_texts(content: CjkContent) -> list[str]:
    """The contact lines as printed (label and value)."""
    out = [f"{label} {number}".strip() for label, number, _ in content.phones]
    if content.email[1]:
        out.append(f"{content.email[0]} {content.email[1]}".strip())
    if content.website:
        out.append(content.website)
    return out


def draw_horizontal(cv: Any, case: dict[str, Any], content: CjkContent) -> None:
    """Company top left, title over a large name, address and contacts below."""
    m, s = 64 * cv.scale, cv.scale * cv.st.type_scale
    ink, soft, accent = cv.st.ink, cv.st.soft, cv.st.accent
    y = m
    fnt = cv_fit(cv, case, content.company, 34 * s, cv.w * 0.8, bold=True)
    y = put(cv, m, y, content.company, fnt, accent)
    if case["english_company"]:
        y = put(cv, m, y, content.company_en, cv.f(17), soft)
    y = max(y + 26 * s, cv.h * 0.3)
    y = put(cv, m, y, content.title, cjk_font(case, 22 * s), soft)
    name = printed_name(content, case)
    y = put(cv, m, y, name, cjk_font(case, 50 * s, bold=True), ink)
    if case["romanised"]:
        y = put(cv, m, y - 4 * s, content.romanised, cv.f(18), soft)
    y += 14 * s
    for line in content.address:
        y = put(cv, m, y, line, cv_fit(cv, case, line, 19 * s, cv.w - 2 * m), soft)
    for line in contact_texts(content):
        y = put(cv, m, y, line, cv_fit(cv, case, line, 19 * s, cv.w - 2 * m), ink)


def draw_vertical(cv: Any, case: dict[str, Any], content: CjkContent) -> None:
    """Columns read from the right: company, title, name, address; contacts across the
    bottom left, as many Japanese and Taiwanese cards print them."""
    s = cv.scale * cv.st.type_scale
    x = cv.w - 70 * cv.scale
    top = 56 * cv.scale
    columns = [
        (content.company, cjk_font(case, 30 * s, bold=True), cv.st.accent),
        (content.title, cjk_font(case, 22 * s), cv.st.soft),
        (
            printed_name(content, case).replace(" ", "　"),
            cjk_font(case, 52 * s, bold=True),
            cv.st.ink,
        ),
    ]
    for text, fnt, fill in columns:
        x = column(cv, x, top, text, fnt, fill) - 26 * s
    small = cjk_font(case, 18 * s)
    for line in content.address:
        x = column(cv, x, top, line, small, cv.st.soft) - 12 * s
    y = cv.h - 60 * cv.scale - 26 * s * len(contact_texts(content))
    for line in contact_texts(content):
        y = put(cv, 60 * cv.scale, y, line, cv.f(17), cv.st.ink)


def column(cv: Any, x_right: float, top: float, text: str, fnt: Any, fill: Any) -> float:
    """Draw ``text`` top to bottom in a column whose right edge is ``x_right``; returns its
    left edge. A full-width space is a gap of one character."""
    size = fnt.size
    x = x_right - size
    y = top
    for ch in text:
        if ch not in (" ", "　"):
            cv.put((x + size / 2, y), ch, fnt, fill, "mt")
        y += size * 1.08
    return x


def put(cv: Any, x: float, y: float, text: str, fnt: Any, fill: Any) -> float:
    """Draw one line and return the y below it."""
    cv.put((x, y), text, fnt, fill, "la")
    return y + fnt.size * 1.38


def cv_fit(cv: Any, case: dict[str, Any], text: str, px: float, width: float, bold: bool = False):
    """The largest CJK font up to ``px`` pixels in which ``text`` fits ``width``."""
    while px > 10:
        fnt = cjk_font(case, px, bold)
        if cv.draw.textlength(text, font=fnt) <= width:
            return fnt
        px -= 1
    return cjk_font(case, px, bold)


def label_for(case: dict[str, Any], content: CjkContent) -> dict[str, Any]:
    """The label, in the real labels' conventions: own script, letter-spacing dropped."""
    notes = [
        f"Generated by sample_cards/generate.py: {content.culture} card, {case['layout']}.",
        "Phones: " + "; ".join(f"'{a} {b}' {c}" for a, b, c in content.phones) + ".",
    ]
    if case["spaced_name"]:
        notes.append("Name printed letter-spaced.")
    if case["romanised"]:
        notes.append(f"Romanised name printed: '{content.romanised}'.")
    if case["english_company"]:
        notes.append(f"English company name printed: '{content.company_en}'.")
    if case["layout"] == "cjk_vertical":
        notes.append("Company, title, name and address in vertical columns.")
    return {
        "name": content.name,
        "title": content.title,
        "company": content.company,
        "emails": [content.email[1]] if content.email[1] else [],
        "phones": [number for _, number, _ in content.phones],
        "websites": [content.website] if content.website else [],
        "address": ", ".join(content.address),
        "notes": " ".join(notes),
    }
