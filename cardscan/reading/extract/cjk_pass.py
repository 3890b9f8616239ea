"""The CJK pass: a card written in Chinese, Japanese or Korean gets its name, title, company
and address in its own script; the romanised or English forms printed beside them go to notes.

It runs after the Latin rules (``contact.extract_contact``) and keeps what they found for the
contact details (e-mails, phones, websites), which CJK cards print in Latin letters anyway.
Fields a QR code filled are left alone: the code is what the card's owner typed. Last, every
card's confidences become chances of being right (``confidence``).
"""

from __future__ import annotations

from collections.abc import Sequence

from cardscan.models import Contact, OcrResult, QrCode
from cardscan.reading.extract.cjk import dominant_script, is_cjk_card, read_cjk
from cardscan.reading.extract.confidence import calibrate
from cardscan.reading.extract.contact import extract_contact as extract_latin
from cardscan.reading.extract.details import read_details
from cardscan.reading.extract.layout import prepare_lines
from cardscan.reading.extract.qr_payload import parse_qr

_FIELDS = ("name", "title", "company", "address")
_SCRIPT_REGIONS = {"ko": "KR", "ja": "JP", "zh_cn": "CN"}


def extract_contact(
    ocr: OcrResult, qr_codes: Sequence[QrCode] = (), *, default_region: str = ""
) -> Contact:
    """Read a contact from a card's OCR lines and QR codes, in the card's own script.

    The same contract as :func:`cardscan.reading.extract.contact.extract_contact`, which reads
    Latin cards; on a Chinese, Japanese or Korean card the name, title, company and address
    come from the CJK rules (``cjk.read_cjk``) where they find them.
    """
    lines = prepare_lines(ocr)
    card, _ = read_details(lines, default_region)
    if not is_cjk_card(lines, card.rest):
        return calibrate(extract_latin(ocr, qr_codes, default_region=default_region))
    # Hangul is written in Korea only, kana in Japan only, simplified characters in mainland
    # China: numbers printed without a country code are theirs (traditional characters
    # alone could be Taiwan or Hong Kong).
    script = dominant_script(" ".join(card.rest.values()))
    region = default_region or _SCRIPT_REGIONS.get(script, "")
    contact = extract_latin(ocr, qr_codes, default_region=region)
    if region != default_region:
        card, _ = read_details(lines, region)  # the numbers as read with that region
    reading = read_cjk(lines, card.rest, card.contact_lines)
    from_qr = {name for code in qr_codes for name in _FIELDS if getattr(parse_qr(code), name)}
    printed: list[str] = []
    for name in _FIELDS:
        value = getattr(reading, name)
        if not value or name in from_qr:
            continue
        latin = getattr(contact, name)
        if latin and latin != value and name != "address":
            printed.append(latin)
        setattr(contact, name, value)
        contact.confidence[name] = reading.confidence.get(name, 0.5)
    if reading.romanised and reading.romanised not in printed:
        printed.insert(0, reading.romanised)
    if printed:
        note = "Also printed: " + "; ".join(printed)
        contact.notes = f"{note}\n{contact.notes}" if contact.notes else note
    return calibrate(contact)
