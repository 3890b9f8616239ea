"""The postal address: street words, postcodes, states and countries, read as a block of lines
in one column and joined with ", " in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardscan.reading.extract.layout import TextLine, gap_below, is_lower, same_column
from cardscan.reading.extract.lexicon import department_hits, fold, is_aside, legal_suffix, org_hits
from cardscan.reading.extract.places import (
    HEAD_OFFICE,
    HOME_ADDRESS,
    address_label,
    find_country,
    find_us_state,
    has_postcode,
    street_hits,
)

_LABELLED = re.compile(r"^\s*[^\W\d_][\w .]{1,19}(?<![Nn]o)(?<![Nn]r)(?<!N[º°])\s*:\s*\S")
#: Company-registry and tax lines printed near the address: never part of it.
_REGISTRY = re.compile(
    r"\b(?:company\s+no|reg(?:istration|istered)?\.?\s*(?:no|nr|number|in)|vat|tva|tax|kvk|hrb|hra|"
    r"nif|nipc|cif|siret|siren|rcs|oib|p\.?\s?iva|ust|mwst|btw|cnpj|gstin|gst|abn|ein|"
    r"handelsregister|amtsgericht|registro|uid|vergi|vkn|mersis|nip|regon|krs|steuernummer|"
    r"steuer-nr|codice\s+fiscale)\b",
    re.IGNORECASE,
)
_UNIT = re.compile(
    r"\b(?:suite|ste|apt|floor|fl|room|rm|unit|building|bldg|andar|sala|piso|planta|etage|geb|"
    r"stock|po box|p\.o\. box|caixa postal|cx\.? postal|no[.:]|nr\.|n[º°o]\.?)\s*\d",
    re.IGNORECASE,
)


@dataclass
class AddressChoice:
    """The address text, the lines it came from, its score and the country it names."""

    text: str
    lines: tuple[int, ...]
    score: float
    region: str | None


def cut_registry(text: str) -> str:
    """The line without a registry or tax number printed after the address ("..., NIPC 5...")."""
    match = _REGISTRY.search(text)
    return text[: match.start()].rstrip(" ,;|-–") if match else text


def line_score(text: str) -> float:
    """How much a single line looks like part of a postal address (0 = not at all)."""
    text = cut_registry(text)
    if not text or "@" in text or is_aside(text):
        return 0.0
    parts = [p.strip() for p in re.split(r"[|/•·]", text) if p.strip()]
    if len(parts) >= 3 and all(len(p) <= 4 for p in parts):
        return 0.0  # a list of markets ("UK | DE | PT"), not an address
    score = 0.0
    has_digit = bool(re.search(r"\d", text))
    streets = street_hits(text)
    if streets and has_digit:
        score += 0.55
    elif streets:
        score += 0.2
    if _UNIT.search(text):
        score += 0.3
    if find_us_state(text):
        score += 0.6
    elif has_postcode(text):
        score += 0.45
    words = text.split()
    if find_country(text) and len(words) <= 8:
        score += 0.4
    if re.match(r"^\s*(?:#\s*)?\d{1,5}[A-Za-z]?(?:[/-]\d+[A-Za-z]?)?[,\s]+[A-Za-zÀ-ÿ]", text):
        score += 0.15  # house number first: "12 Main Street", "27/13A, Park Road"
    elif re.search(r"[A-Za-zÀ-ÿ]\s+\d{1,5}[A-Za-z]?\s*,", text):
        score += 0.15  # house number after the street: "Neuer Wall 10, 20354 Hamburg"
    if address_label(text):
        score += 0.3
    return score


def _strip_label(text: str) -> str:
    label = address_label(text)
    if label:
        text = text[len(label) :]
    # Icons read as symbols in front of the line ("⌂ 12 Rua...", "© Calle...").
    return re.sub(r"^[^\w#(]+", "", text).strip()


def _join(parts: list[str]) -> str:
    cleaned = [p.strip().rstrip(",;") for p in parts if p.strip(" ,;")]
    return ", ".join(cleaned)


def pick_address(
    lines: list[TextLine],
    rest: dict[int, str],
    *,
    blocked: set[int],
    stops: set[int],
    company_like: set[int],
) -> AddressChoice | None:
    """The card's postal address, or None.

    Args:
        lines: the card's lines in reading order.
        rest: each line's text with contact items taken out ("" for pure contact lines).
        blocked: lines that cannot be part of an address (contact lines, name, title).
        stops: lines an address block never crosses (name, title, contact lines).
        company_like: lines that may sit inside an address block but never open it.
    """
    scores = {
        ln.index: line_score(rest.get(ln.index, "")) for ln in lines if ln.index not in blocked
    }
    anchors = [ln for ln in lines if scores.get(ln.index, 0.0) >= 0.4]
    blocks: list[list[TextLine]] = []
    used: set[int] = set()
    for anchor in anchors:
        if anchor.index in used:
            continue
        block = [anchor]
        # Grow downwards through address-like lines, then upwards through short filler lines.
        current = anchor
        while True:
            nxt = _adjacent(lines, current, below=True, exclude=stops | used)
            if nxt is not None and not cut_registry(rest.get(nxt.index, "")):
                break
            if nxt is not None and _LABELLED.match(rest.get(nxt.index, "")):
                break  # a second labelled address ("Agence : ...") starts its own block
            if nxt is None or scores.get(nxt.index, 0.0) < 0.2 and not _filler_ok(rest, nxt):
                break
            if scores.get(nxt.index, 0.0) < 0.2 and not _more_below(lines, nxt, scores, stops):
                break
            block.append(nxt)
            current = nxt
        current = anchor
        fillers = 0
        while fillers < 3:
            prev = _adjacent(lines, current, below=False, exclude=stops | used)
            if prev is None or _LABELLED.match(rest.get(current.index, "")):
                break
            if legal_suffix(rest.get(prev.index, "")):
                break  # the company's legal name closes the block from above
            if is_aside(rest.get(prev.index, "")):
                break  # the organisation's heading and its aside are above the address
            if scores.get(prev.index, 0.0) >= 0.2:
                block.insert(0, prev)
            elif _filler_ok(rest, prev):
                block.insert(0, prev)
                fillers += 1
            else:
                break
            current = prev
        # A block never opens with the company's own line ("ACME Ltd" above the street),
        # and the organisation lines under it (its hospital, its institute) go with it.
        popped = False
        while len(block) > 1 and block[0].index in company_like:
            block.pop(0)
            popped = True
        while (
            popped
            and len(block) > 1
            and scores.get(block[0].index, 0.0) < 0.2
            and org_hits(rest.get(block[0].index, ""))
        ):
            block.pop(0)
        used.update(ln.index for ln in block)
        blocks.append(block)
    if not blocks:
        return None
    choices, lone = [], []
    for block in blocks:
        texts = [_strip_label(cut_registry(rest[ln.index])) for ln in block]
        total = sum(scores.get(ln.index, 0.0) for ln in block)
        head = fold(rest[block[0].index])
        if any(re.match(r"^\s*" + re.escape(h) + r"\b", head) for h in HEAD_OFFICE):
            total += 1.0
        if any(re.match(r"^\s*" + re.escape(h) + r"\b\.?\s*:", head) for h in HOME_ADDRESS):
            total -= 1.0
        region = None
        for t in texts:
            region = region or find_country(t) or find_us_state(t)
        postcode = any(has_postcode(t) for t in texts)
        if total < 0.55 and not region and not (postcode and len(block) >= 2):
            if postcode and len(block) == 1:  # "Vijayawada - 520 007": a city and postcode
                lone.append(AddressChoice(texts[0], (block[0].index,), total, None))
            continue
        if region and total < 0.55 and len(block) == 1 and len(texts[0].split()) > 8:
            continue
        choices.append(AddressChoice(_join(texts), tuple(ln.index for ln in block), total, region))
    # A city and postcode alone is the address when the card prints no fuller one.
    choices = choices or lone
    if not choices:
        return None
    return max(choices, key=lambda c: c.score)


def _filler_ok(rest: dict[int, str], line: TextLine) -> bool:
    """A line that may join an address block without address words of its own: a building,
    department or organisation heading, or a line with a house or unit number."""
    text = rest.get(line.index, "")
    if not text or "@" in text or len(text) > 60 or not cut_registry(text):
        return False
    if re.search(r"\b\w+\s*:", text) and not address_label(text):
        return False
    if re.search(r"\s[•·|]\s", text):
        return False  # a list of services ("ISP  e-Business • Digital Studio")
    return bool(
        re.search(r"\d", text) or org_hits(text) or department_hits(text) or address_label(text)
    )


def _more_below(
    lines: list[TextLine], line: TextLine, scores: dict[int, float], stops: set[int]
) -> bool:
    nxt = _adjacent(lines, line, below=True, exclude=stops)
    return nxt is not None and scores.get(nxt.index, 0.0) >= 0.4


def _adjacent(
    lines: list[TextLine], line: TextLine, *, below: bool, exclude: set[int]
) -> TextLine | None:
    best: TextLine | None = None
    for other in lines:
        if other is line or not same_column(line, other):
            continue
        if below:
            if not is_lower(line, other):
                continue
            gap = gap_below(line, other)
        else:
            if not is_lower(other, line):
                continue
            gap = gap_below(other, line)
        if gap > 1.1 * max(line.height, other.height):
            continue
        if best is None or (other.box.y < best.box.y if below else other.box.y > best.box.y):
            best = other
    if best is not None and best.index in exclude:
        return None
    return best
