"""Which card each sample is: the fixed plan of the committed set, random cases past it, and
a case's content and design (the ``CardSpec`` that ``layouts`` draws).
"""

from __future__ import annotations

import random
from typing import Any

from camera import BACKGROUNDS
from content import (
    CULTURES,
    GENERIC_MAILBOX,
    PHONE_LABELS,
    TAGLINES,
    Line,
    make_content,
    make_phone,
    make_tax_id,
    make_title,
)
from design import CardSpec, make_style
from layouts import LAYOUTS, QR_LAYOUTS


def _case(
    case: str, culture: str, layout: str, bg: str | None = None, **keys: Any
) -> dict[str, Any]:
    """One planned sample: the case it exists for, its culture, layout and background (None:
    the generator's), and the other keys that override the random choices."""
    return dict(case=case, culture=culture, layout=layout, **({"bg": bg} if bg else {}), **keys)


# One entry per committed sample: the case it exists for.
PLAN: list[dict[str, Any]] = [
    _case("classic_pt", "pt", "classic", "wood", bend=0.015, exif=6, tagline=True, tax=True),
    _case("centred_fr", "fr", "centred", "grey_table", decor="rings"),
    _case(
        "two_column_de",
        "de",
        "two_column",
        "white_paper",
        icons=True,
        shadow=True,
        tax=True,
        fax=True,
    ),
    _case("name_bottom_scan_us", "us", "name_bottom", mode="scan"),
    _case("logo_band_nl", "nl", "logo_band", "dark", bend=0.02, exif=8, tax=True),
    _case("vertical_strip_hr", "hr", "vertical_strip", "desk_mat", tax=True),
    _case(
        "dark_card_logo_only_es",
        "es",
        "classic",
        "white_paper",
        palette="dark",
        company="logo_only",
    ),
    _case("coloured_rot90_it", "it", "two_column", "wood", palette="colour", rotate=90),
    _case("tiny_print_scan_uk", "uk", "tiny", mode="scan", fax=True, tax=True),
    _case(
        "qr_vcard_tr", "tr", "classic", "grey_table", icons=True, decor="rings", qr="vcard", exif=6
    ),
    _case("qr_mecard_es", "es", "two_column", "wood", glare=True, qr="mecard", shadow=True),
    _case("qr_url_logo_only_de", "de", "centred", "desk_mat", qr="url", company="mark_only"),
    _case("two_person_pt", "pt", "two_person", "grey_table", decor="wave", people=2),
    _case("two_cards_nl_fr", "nl", "classic", "wood", two_cards=True),
    _case("heic_photo_fr", "fr", "logo_band", "white_paper", fmt="heic"),
    _case("upside_down_hr", "hr", "classic", "grey_table", bend=0.025, icons=True, rotate=180),
    _case(
        "exif3_two_line_title_uk",
        "uk",
        "centred",
        "wood",
        decor="bars",
        exif=3,
        two_line_title=True,
    ),
    _case(
        "strong_shadow_blur_it",
        "it",
        "name_bottom",
        "white_paper",
        name_case="lower",
        shadow=True,
        blur=2.0,
    ),
    _case(
        "wordmark_generic_email_us",
        "us",
        "logo_band",
        "dark",
        icons=True,
        company="logo_only",
        palette="colour",
    ),
    _case(
        "serif_scan_rot270_pt",
        "pt",
        "two_column",
        mode="scan",
        font="liberation_serif",
        rotate=270,
        two_line_title=True,
    ),
]


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
