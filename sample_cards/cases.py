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
