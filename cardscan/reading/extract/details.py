"""The contact details on a card's lines: e-mails, websites, social profiles and phones.

Each is taken out of its line (masked), the label words left behind are dropped, and what
text remains per line (``CardDetails.rest``) is what the name, title, company and address
passes read. The region for numbers printed without a ``+`` code is decided here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardscan.reading.extract.emails import email_domain, find_emails
from cardscan.reading.extract.layout import TextLine
from cardscan.reading.extract.lexicon import fold, phone_label_kind
from cardscan.reading.extract.phones import (
    PhoneHit,
    find_phones,
    guess_region,
    kind_from_label,
    phone_candidates,
)
from cardscan.reading.extract.phones import region_from_numbers as plus_region
from cardscan.reading.extract.places import (
    find_country,
    find_us_state,
    has_postcode,
    street_regions,
)
from cardscan.reading.extract.web import find_web

#: Regional top-level domains and the country whose phone numbers they suggest.
_REGIONAL_TLDS = {"CAT": "ES", "EUS": "ES", "GAL": "ES", "BZH": "FR", "SCOT": "GB", "WALES": "GB",
                  "BAYERN": "DE", "BERLIN": "DE", "HAMBURG": "DE", "WIEN": "AT", "SWISS": "CH",
                  "QUEBEC": "CA", "NYC": "US", "LONDON": "GB", "PARIS": "FR", "AMSTERDAM": "NL",
                  "BARCELONA": "ES", "MADRID": "ES", "TOKYO": "JP"}  # fmt: skip

#: Words that label a contact detail and carry nothing else.
CONTACT_LABELS = {
    "email", "e-mail", "mail", "e", "website", "web", "site", "url", "www", "internet",
    "skype", "linkedin", "twitter", "instagram", "github", "facebook", "correo", "courriel",
    "sitio", "homepage", "w", "i",
}  # fmt: skip


@dataclass
class CardDetails:
    """A card's lines with the contact details taken out: each e-mail, website and social
    profile with its line, the phone hits, and the text left on each line (``rest``)."""

    lines: list[TextLine]
    emails: list[tuple[int, str, bool]] = field(default_factory=list)
    websites: list[tuple[int, str, bool]] = field(default_factory=list)
    socials: list[tuple[int, str]] = field(default_factory=list)
    phones: list[PhoneHit] = field(default_factory=list)
    rest: dict[int, str] = field(default_factory=dict)
    contact_lines: set[int] = field(default_factory=set)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def strip_labels(text: str) -> str:
    """Drop label words left behind once the detail they labelled was taken out."""
    kept = []
    for token in re.split(r"\s+", text):
        bare = fold(token).strip(" :.,;|-–/()#>")
        if not bare:
            continue
        if bare in CONTACT_LABELS or phone_label_kind(bare) or _fuzzy_label(bare):
            continue
        kept.append(token)
    return " ".join(kept).strip(" ,;:|-–·•/")


def _fuzzy_label(word: str) -> bool:
    """True for a phone label misread by one letter ("Cel1" for Cell, "Te1")."""
    return len(word) >= 3 and kind_from_label(word) is not None


def read_details(lines: list[TextLine], default_region: str) -> tuple[CardDetails, str | None]:
    """The contact details on the lines, and the region assumed for numbers without a +code."""
    card = CardDetails(lines)
    masked: dict[int, str] = {}
    for line in lines:
        spans: list[tuple[int, int]] = []
        for hit in find_emails(line.text):
            card.emails.append((line.index, hit.email, hit.mended))
            spans.append((hit.start, hit.end))
        text = _mask(line.text, spans)
        for web in find_web(text):
            if web.social:
                card.socials.append((line.index, web.url))
            else:
                explicit = bool(re.match(r"(?i)(https?://|www)", line.text[web.start : web.end]))
                card.websites.append((line.index, web.url, explicit))
            spans.append((web.start, web.end))
        masked[line.index] = _mask(line.text, spans)
        if spans:
            card.contact_lines.add(line.index)

    texts = [masked[ln.index] for ln in lines]
    region = _region(
        lines,
        texts,
        [e for _, e, _ in card.emails],
        [w for _, w, _ in card.websites],
        default_region,
    )
    address_lines = frozenset(
        ln.index for ln in lines if has_postcode(ln.text) or find_us_state(ln.text)
    )
    card.phones = find_phones(
        texts, region, address_lines=address_lines, row_labels=_row_labels(lines)
    )
    phone_spans: dict[int, list[tuple[int, int]]] = {}
    for phone_hit in card.phones:
        phone_spans.setdefault(phone_hit.line, []).append((phone_hit.start, phone_hit.end))
        card.contact_lines.add(phone_hit.line)
    for line in lines:
        text = _mask(masked[line.index], phone_spans.get(line.index, []))
        if line.index in card.contact_lines:
            text = strip_labels(text)
            if sum(c.isalpha() for c in text) < 2:
                text = ""
        elif phone_label_kind(line.text) or fold(line.text).strip(" :") in CONTACT_LABELS:
            card.contact_lines.add(line.index)
            text = ""
        card.rest[line.index] = re.sub(r"\s+", " ", text).strip(" ,;|")
    return card, region


def _region(
    lines: list[TextLine],
    texts: list[str],
    emails: list[str],
    websites: list[str],
    default_region: str,
) -> str | None:
    """The region for numbers without a +code: address, setting, other numbers, domain, guess."""
    for line in lines:
        if len(line.text.split()) <= 8 and not re.search(r"@|www|\.com", line.text, re.I):
            found = find_us_state(line.text) or (
                find_country(line.text)
                if ("," in line.text or has_postcode(line.text) or len(line.text.split()) <= 2)
                else None
            )
            if found:
                return found
    if default_region:
        return default_region.upper()
    found = plus_region(texts)
    if found:
        return found
    hints: list[str] = []
    for host in [email_domain(e) for e in emails] + [w.split("/")[0] for w in websites]:
        tld = host.rsplit(".", 1)[-1].upper()
        if tld in _REGIONAL_TLDS:
            return _REGIONAL_TLDS[tld]
        if len(tld) == 2 and tld not in ("IO", "AI", "CO", "TV", "ME", "FM", "LY", "GG", "IS"):
            return "GB" if tld == "UK" else tld
    for line in lines:
        hints.extend(r for r in street_regions(line.text) if r not in hints)
    candidates = [raw for text in texts for _, _, raw in phone_candidates(text)]
    return guess_region(candidates, hints)


def _row_labels(lines: list[TextLine]) -> dict[int, str]:
    """Phone labels printed as their own line, mapped to the line on their right."""
    out: dict[int, str] = {}
    for line in lines:
        label = line.text.strip(" :.")
        if not phone_label_kind(label):
            continue
        right = [
            o
            for o in lines
            if o.box.x > line.box.x + line.box.w * 0.5
            and abs(o.box.center[1] - line.box.center[1]) < 0.6 * max(o.box.h, line.box.h)
        ]
        if right:
            out[min(right, key=lambda o: o.box.x).index] = label
    return out
