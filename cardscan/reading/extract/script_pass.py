"""The Thai, Devanagari and Arabic pass: name, title, company and address of a card written
in one of those scripts, found by the words each script's cards use.

The Latin rules lean on capitals, spaces and word lists these scripts do not share (Thai is
written without spaces, none of the three has capitals), so a card whose free lines are in
one of them is read by this pass after the Latin rules, as ``cjk_pass`` reads a CJK card:
the company by its legal form or company word (บริษัท ... จำกัด, प्राइवेट लिमिटेड, شركة
... ذ.م.م), the title by its job words (ผู้จัดการ, प्रबंधक, مدير), the address by its street
and place words or a postcode, joined with the line under it; the name is the largest line
left. The Latin forms it replaces go to ``notes``. Vietnamese and Cyrillic cards are read by
the Latin rules (their words are in ``lexicon`` and ``places``). Fields a QR code gives are
left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cardscan.models import Contact, QrCode
from cardscan.reading.extract.details import CardDetails
from cardscan.reading.extract.layout import TextLine, gap_below, is_lower, same_column
from cardscan.reading.extract.qr_payload import parse_qr


@dataclass(frozen=True)
class _Words:
    """What a script's cards print: its letters and the words that mark each field."""

    letters: re.Pattern[str]
    company: tuple[str, ...]  # legal forms first (three), then company words
    title: tuple[str, ...]
    address: tuple[str, ...]


SCRIPTS = {
    "thai": _Words(
        re.compile(r"[\u0e00-\u0e7f]"),
        ("จำกัด", "มหาชน", "ห้างหุ้นส่วน", "บริษัท", "ธนาคาร", "โรงแรม", "มหาวิทยาลัย"),
        ("ผู้จัดการ", "ผู้อำนวยการ", "กรรมการ", "วิศวกร", "ประธาน", "หัวหน้า", "เจ้าหน้าที่",
         "ที่ปรึกษา", "นักวิเคราะห์", "เลขานุการ", "ผู้ช่วย"),
        ("ถนน", "ถ.", "ซอย", "ซ.", "แขวง", "เขต", "ตำบล", "อำเภอ", "จังหวัด", "กรุงเทพ", "หมู่"),
    ),
    "devanagari": _Words(
        re.compile(r"[\u0900-\u097f]"),
        ("लिमिटेड", "प्राइवेट", "प्रा.", "कंपनी", "कम्पनी", "उद्योग", "संस्थान", "निगम", "बैंक",
         "ट्रेडर्स", "एंटरप्राइजेज"),
        ("प्रबंधक", "निदेशक", "अधिकारी", "अभियंता", "इंजीनियर", "अध्यक्ष", "सलाहकार", "प्रमुख",
         "सचिव", "मैनेजर", "संचालक", "प्रबन्धक"),
        ("मार्ग", "रोड", "नगर", "गली", "सेक्टर", "भवन", "कॉलोनी", "चौक", "बाजार", "बाज़ार", "पुर"),
    ),
    "arabic": _Words(
        re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
        ("ذ.م.م", "ش.م.م", "المحدودة", "شركة", "ش.م.ع", "مؤسسة", "مجموعة", "للتجارة", "بنك"),
        ("مدير", "مهندس", "رئيس", "مستشار", "مسؤول", "نائب", "مشرف", "محاسب", "أخصائي", "مدیر"),
        ("شارع", "طريق", "ص.ب", "مبنى", "برج", "حي", "الإمارات", "السعودية", "دبي", "الرياض",
         "أبوظبي", "الدوحة", "الكويت", "القاهرة", "مصر", "عمان", "المنامة"),
    ),
}  # fmt: skip
_FIELDS = ("name", "title", "company", "address")
#: A line opening with a house number (``20 ถบนสุขุมวิท``, ``140 شارع الشيخ زايد``).
_HOUSE_NUMBER = re.compile(r"^\s*\d{1,5}[\s,/-]+[^\d\s]")
#: A Latin value read at least this surely stays on a card printed in both scripts.
SURE_LATIN = 0.75


def card_script(card: CardDetails) -> str | None:
    """The script (``thai``, ``devanagari``, ``arabic``) the card's free lines are written
    in, when six or more of their letters are; None for any other card."""
    text = " ".join(card.rest.values())
    counts = {name: len(words.letters.findall(text)) for name, words in SCRIPTS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] >= 6 else None


def own_script(
    contact: Contact,
    card: CardDetails,
    qr_codes: Sequence[QrCode],
    conf: dict[str, float],
    script: str,
) -> None:
    """Name, title, company and address of a card in ``script``, in place, where found; the
    Latin values they replace go to ``notes``. On a card printed in both (a Gulf card with
    the name in English and in Arabic) a Latin value read surely stays, and the script's
    form goes to ``notes``."""
    found = read_fields(card, SCRIPTS[script])
    from_qr = {name for code in qr_codes for name in _FIELDS if getattr(parse_qr(code), name)}
    printed = []
    for name, (value, confidence) in found.items():
        if name in from_qr:
            continue
        latin = getattr(contact, name)
        if _sure_latin(name, latin, conf.get(name, 0.0)):
            printed.append(value)
            continue
        if latin and latin != value and name != "address":
            printed.append(latin)
        setattr(contact, name, value)
        conf[name] = confidence
    if printed:
        note = "Also printed: " + "; ".join(printed)
        contact.notes = f"{note}\n{contact.notes}" if contact.notes else note


def _sure_latin(field: str, value: str | None, confidence: float) -> bool:
    """Whether the Latin rules read ``field`` surely (a name of two words or more)."""
    if not value or confidence < SURE_LATIN:
        return False
    return field != "name" or len(re.findall(r"[A-Za-zÀ-ÿ]{2,}", value)) >= 2


def read_fields(card: CardDetails, words: _Words) -> dict[str, tuple[str, float]]:
    """Field -> (value, confidence) for the fields the script's words find on the card."""
    lines = [
        ln
        for ln in card.lines
        if ln.index not in card.contact_lines
        and len(words.letters.findall(card.rest.get(ln.index, ""))) >= 2
    ]
    text = {ln.index: _clean(card.rest[ln.index]) for ln in lines}
    out: dict[str, tuple[str, float]] = {}
    used: set[int] = set()
    # A line with a job word is the title even when it names the company too ("manager of
    # the company's branches").
    titled = {
        ln.index
        for ln in lines
        if _hits(text[ln.index], words.title) and not _hits(text[ln.index], words.company[:3])
    }
    company = _best(lines, text, words.company, used | titled)
    if company is not None:
        out["company"] = (text[company.index], 0.9)
        used.add(company.index)
    title = _best(lines, text, words.title, used)
    if title is not None:
        out["title"] = (text[title.index], 0.85)
        used.add(title.index)
    address = _address(lines, text, words, used, card)
    if address:
        out["address"] = (", ".join(card.rest[ln.index].strip(" ,") for ln in address), 0.8)
        used |= {ln.index for ln in address}
    names = [
        ln
        for ln in lines
        if ln.index not in used
        and not re.search(r"\d", text[ln.index])
        and len(text[ln.index].split()) <= 4
    ]
    if names:
        name = max(names, key=lambda ln: ln.height)
        out["name"] = (text[name.index], 0.7)
    return out


def _clean(text: str) -> str:
    """A line as printed, its stray edge marks dropped."""
    return text.strip(" ,;:|-–·•")


#: A space between two Thai letters: Thai is written without spaces between words, and
#: Tesseract cuts a word where its letters are set apart (``ผู้จัดกา รโครงการ``).
_THAI_SPACE = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")


def _norm(text: str) -> str:
    """The form words are looked for in: compatibility form (Thai's sara am is printed, and
    read, two ways), without the spaces OCR puts inside Thai words."""
    return _THAI_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _hits(text: str, marks: Sequence[str]) -> int:
    normal = _norm(text)
    return sum(_norm(mark) in normal for mark in marks)


def _best(
    lines: list[TextLine], text: dict[int, str], marks: Sequence[str], used: set[int]
) -> TextLine | None:
    """The first line holding the most of ``marks``, if any holds one."""
    scored = [(ln, _hits(text[ln.index], marks)) for ln in lines if ln.index not in used]
    scored = [(ln, hits) for ln, hits in scored if hits]
    return max(scored, key=lambda pair: pair[1])[0] if scored else None


def _address(
    lines: list[TextLine], text: dict[int, str], words: _Words, used: set[int], card: CardDetails
) -> list[TextLine]:
    """The first line with an address word or a postcode, a house number and street line
    right above it, and up to two lines under it in its column that carry it on (another
    address line, or a place with a postcode)."""
    free = [ln for ln in card.lines if ln.index not in used and ln.index not in card.contact_lines]

    def is_address(ln: TextLine) -> bool:
        rest = card.rest.get(ln.index, "")
        return _hits(rest, words.address) > 0 or bool(re.search(r"\b\d{5,6}\b", rest))

    starts = [ln for ln in lines if ln.index not in used and is_address(ln)]
    if not starts:
        # No street or place word read (``140 شهارع الشيخ زايد``): a line that opens with a
        # house number before the script's words opens it (no name, title or company does).
        starts = [
            ln
            for ln in lines
            if ln.index not in used and _HOUSE_NUMBER.match(card.rest.get(ln.index, ""))
        ]
    if not starts:
        return []
    block = [min(starts, key=lambda ln: (ln.box.y, ln.box.x))]
    # The house number and street right above, its street word misread (``20 ถบนสุขุมวิท``).
    above = [
        ln
        for ln in free
        if is_lower(ln, block[0])
        and same_column(ln, block[0])
        and gap_below(ln, block[0]) <= 0.9 * max(ln.height, block[0].height)
    ]
    top = max(above, key=lambda ln: ln.box.y) if above else None
    if top is not None and _HOUSE_NUMBER.match(card.rest.get(top.index, "")):
        if words.letters.search(card.rest.get(top.index, "")):
            block.insert(0, top)
    while len(block) < 4:
        last = block[-1]
        below = [
            ln
            for ln in card.lines
            if ln not in block
            and is_lower(last, ln)
            and same_column(last, ln)
            and gap_below(last, ln) <= 0.9 * max(last.height, ln.height)
        ]
        nxt = min(below, key=lambda ln: ln.box.y) if below else None
        # The block ends at a line some other field took (a title under it, then a name).
        if nxt is None or nxt not in free:
            break
        if not (is_address(nxt) or words.letters.search(card.rest.get(nxt.index, ""))):
            break
        block.append(nxt)
    return block
