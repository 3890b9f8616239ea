"""The CJK pass: a card written in Chinese, Japanese or Korean gets its name, title, company
and address in its own script; the romanised or English forms printed beside them go to notes.

Two steps of ``contact.extract_contact``'s passes: ``script_region`` (before the details are
read: numbers printed without a country code on a Korean, Japanese or mainland Chinese card
are that country's) and ``own_script`` (after the Latin rules, which keep the contact details
such cards print in Latin letters anyway). Fields a QR code fills are left alone: the code is
what the card's owner typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from cardscan.models import Contact, QrCode
from cardscan.reading.extract.cjk import dominant_script, is_cjk_card, read_cjk
from cardscan.reading.extract.details import CardDetails
from cardscan.reading.extract.qr_payload import parse_qr

_FIELDS = ("name", "title", "company", "address")
_SCRIPT_REGIONS = {"ko": "KR", "ja": "JP", "zh_cn": "CN"}


def is_own_script(card: CardDetails) -> bool:
    """Whether the card's free text is written (partly) in Chinese, Japanese or Korean."""
    return is_cjk_card(card.lines, card.rest)


def script_region(card: CardDetails) -> str:
    """The country a CJK card's script says its numbers are from ("" when it cannot tell).

    Hangul is written in Korea only, kana in Japan only, simplified characters in mainland
    China; traditional characters alone could be Taiwan or Hong Kong.
    """
    script = dominant_script(" ".join(card.rest.values()))
    return _SCRIPT_REGIONS.get(script, "")


def own_script(
    contact: Contact, card: CardDetails, qr_codes: Sequence[QrCode], conf: dict[str, float]
) -> None:
    """Name, title, company and address of a CJK card from the CJK rules (``cjk.read_cjk``)
    where they find them, in place; the Latin forms they replace go to ``notes``."""
    reading = read_cjk(card.lines, card.rest, card.contact_lines)
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
        conf[name] = reading.confidence.get(name, 0.5)
    if reading.romanised and reading.romanised not in printed:
        printed.insert(0, reading.romanised)
    if printed:
        note = "Also printed: " + "; ".join(printed)
        contact.notes = f"{note}\n{contact.notes}" if contact.notes else note
