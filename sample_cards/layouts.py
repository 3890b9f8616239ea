"""Where the blocks go on a generated card: one function a layout, and the card drawn flat."""

from __future__ import annotations

import random

import cv2
import numpy as np
from blocks import (
    contact_lines,
    draw_company,
    draw_decor,
    draw_extras,
    draw_lines,
    draw_person,
    draw_qr,
    draw_tagline,
)
from design import ITALIC_FONT, Canvas, CardSpec
from PIL import Image, ImageDraw

QR_LAYOUTS = ("classic", "centred", "two_column")  # the layouts that place a QR code
LAYOUTS = ("classic", "centred", "two_column", "name_bottom", "logo_band", "vertical_strip", "tiny")


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
