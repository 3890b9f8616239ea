"""The blocks a generated card is drawn from: name and title, contact lines with their labels
or icons, the company's logo and name, the QR code, address, tagline and background graphics.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import segno
import segno.helpers
from content import Line, Person
from design import FAMILIES, ITALIC_FONT, LIGHT_FONT, Canvas, CardSpec


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
