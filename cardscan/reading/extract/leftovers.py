"""What a reading left unused on the card: the facts that say a field may be missing or cut.

A card's text lines either ended up in a field (the name, the title, the company, the
address, the contact details) or were left over. A left-over line that reads like a title, an
address or a company, digits that look like a phone number no phone holds, text glued to an
e-mail address: each says the reading may have missed a field or part of one. The confidence
model (``confidence``) weighs these facts, for filled fields and for fields left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from cardscan.models import Contact
from cardscan.reading.extract.address import line_score
from cardscan.reading.extract.cjk_words import CJK, HANGUL, address_units, corporate_form
from cardscan.reading.extract.cjk_words import title_words as cjk_title_words
from cardscan.reading.extract.company import is_slogan
from cardscan.reading.extract.details import CardDetails
from cardscan.reading.extract.layout import TextLine, gap_below, is_lower, same_column
from cardscan.reading.extract.lexicon import (
    department_hits,
    fold,
    is_not_phone_label,
    legal_suffix,
    org_hits,
)
from cardscan.reading.extract.lexicon import title_hits as latin_title_hits

#: Fields read from the card's free text (not the contact details).
TEXT_FIELDS = ("name", "title", "company", "address")

_DIGIT_RUN = re.compile(r"\+?\d[\d\s().\-/]{4,}\d")
_WEB = re.compile(r"(?i)\bwww\b|\.(?:com|net|org|edu|gov|co|io|[a-z]{2})(?:/|\b)(?!@)")


@dataclass
class Leftovers:
    """The card's lines no field took, and per field whether something of its kind is left."""

    unused: list[TextLine] = field(default_factory=list)
    left: dict[str, bool] = field(default_factory=dict)
    cjk: bool = False  # Chinese, Japanese or Korean text on the card
    hangul: bool = False  # Korean: the default recogniser misreads it most
    big: bool = False  # an unused line printed larger than most: a logo, a name, a heading
    ocr: float = 1.0  # the recogniser's mean confidence over the card's lines


def _norm(text: str) -> str:
    return re.sub(r"[\s,;]+", " ", fold(text)).strip()


def _title_like(text: str) -> bool:
    return bool(latin_title_hits(text) or department_hits(text) or cjk_title_words(text))


def _company_like(text: str) -> bool:
    return bool(legal_suffix(text) or org_hits(text) or corporate_form(text))


def _address_like(text: str) -> bool:
    return line_score(text) >= 0.45 or len(address_units(text)) >= 2


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find_leftovers(contact: Contact, card: CardDetails) -> Leftovers:
    """The unused lines of ``card`` once ``contact`` was read from it, and what they hint at.

    A line is used when the text left on it (the details taken out) is a part of a field's
    value; lines of fewer than three letters or digits are noise, not leftovers.
    """
    taken = [_norm(getattr(contact, n) or "") for n in TEXT_FIELDS] + [_norm(contact.notes or "")]
    taken = [t for t in taken if t]
    unused = []
    for line in card.lines:
        rest = card.rest.get(line.index, "")
        if sum(c.isalnum() for c in rest) < 3:
            continue
        text = _norm(rest)
        if any(text in t or fuzz.partial_ratio(text, t) >= 90 for t in taken):
            continue
        unused.append(line)
    texts = [card.rest.get(line.index, "") for line in unused]
    all_text = " ".join(line.text for line in card.lines)
    heights = sorted(line.height for line in card.lines)
    middle = heights[len(heights) // 2] if heights else 0.0
    found = Leftovers(
        unused=unused,
        cjk=bool(CJK.search(all_text)),
        hangul=bool(HANGUL.search(all_text)),
        big=any(line.height >= 1.3 * middle for line in unused),
        ocr=sum(line.confidence for line in card.lines) / max(1, len(card.lines)),
    )
    found.left = {
        "name": False,
        "title": any(_title_like(t) for t in texts) or _continues_below(contact, card, unused),
        "company": any(_company_like(t) for t in texts),
        "address": any(_address_like(t) for t in texts),
        "phones": _numbers_left(contact, card),
        "emails": _glued_to_email(card) or any("@" in t for t in texts),
        "websites": any(_WEB.search(t) for t in texts),
    }
    return found


def _continues_below(contact: Contact, card: CardDetails, unused: list[TextLine]) -> bool:
    """An unused line set right under the title's last line (or the name's, with no title):
    a title cut short, or one never read."""
    value = _norm(contact.title or contact.name or "")
    if not value or not unused:
        return False
    anchors = [ln for ln in card.lines if (t := _norm(card.rest.get(ln.index, ""))) and t in value]
    if not anchors:
        return False
    last = max(anchors, key=lambda ln: ln.box.y)
    for line in unused:
        text = card.rest.get(line.index, "")
        if is_slogan(text) or _tagline(text) or sum(c.isalpha() for c in text) < 4:
            continue
        if (
            is_lower(last, line)
            and same_column(last, line)
            and gap_below(last, line) <= 0.8 * max(last.height, line.height)
            and 0.5 <= line.height / max(last.height, 1) <= 1.3
            and not re.search(r"\d", text)
        ):
            return True
    return False


def _tagline(text: str) -> bool:
    """A phrase set in lower case after its first word ("Logistics, simplified"): a tagline
    under the company, not a line of a title."""
    words = [w for w in re.split(r"[\s,]+", text) if len(w) > 3]
    return any(w[0].islower() for w in words[1:]) and not department_hits(text)


def _numbers_left(contact: Contact, card: CardDetails) -> bool:
    """Digits that look like a phone number (six or more) that no phone holds, outside the
    address, the e-mail and web addresses and the numbers labelled as not phones (VAT, ID)."""
    held = [_digits(f"{p.number} {p.e164 or ''}") for p in contact.phones]
    held.append(_digits(contact.address or ""))
    for line in card.lines:
        text = card.rest.get(line.index, "") if line.index not in card.contact_lines else line.text
        text = re.sub(r"\S+@\S+|\S*www\.\S+|https?://\S+", " ", text)
        if line_score(text) >= 0.45:
            continue  # house numbers and postcodes
        for run in _DIGIT_RUN.finditer(text):
            digits = _digits(run.group())
            before = re.findall(r"[^\s:]+", text[: run.start()])[-2:]
            glued = text[run.end() : run.end() + 1].isalnum()  # a hex fingerprint, a code
            if len(digits) < 6 or glued or any(is_not_phone_label(w) for w in before):
                continue
            if not any(digits in h for h in held if h):
                return True
    return False


def _glued_to_email(card: CardDetails) -> bool:
    """Letters left on an e-mail's line right before where the address began: part of the
    address (an underscore read as a space), or an icon read as a letter."""
    for index, _, _ in card.emails:
        rest = card.rest.get(index, "")
        if re.search(r"[^\W_]{2,}\s*$", rest) and "@" not in rest:
            line = next((ln for ln in card.lines if ln.index == index), None)
            if line is not None and re.search(r"[^\W_]+[\s_.]\S*@", line.text):
                return True
    return False
