"""The company: legal suffixes, organisation words, agreement with the e-mail or web domain,
and prominent text that is not the person, the title, a slogan or a contact line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cardscan.reading.extract.layout import TextLine, body_height, gap_below, is_lower, same_column
from cardscan.reading.extract.lexicon import (
    FREE_MAIL_DOMAINS,
    SECOND_LEVEL_LABELS,
    fold,
    is_aside,
    legal_suffix,
    mend_legal_form,
    names_an_institution,
    org_hits,
    title_hits,
)
from cardscan.reading.extract.people import domain_agreement
from cardscan.reading.extract.places import address_label, has_postcode, street_hits

_SLOGAN_START = re.compile(
    r"^(?:a|an|member|part|since|by|your|our|we|powered|proud|est\.?|established|"
    r"founded|um|uma|un|una|ein|eine)\b",
    re.IGNORECASE,
)
_SLOGAN_WORDS = re.compile(
    r"\b(?:to|your|our|we|is|are|you|my|since|with|em|para|pour|fur|für|und|ihr|ihre|unser|"
    r"unsere|votre|notre|vostro|nostro|seu|sua|nuestro|uw|jouw|onze|ensemble)\b",
    re.IGNORECASE,
)
_CONTINUES = re.compile(r"^(?:and|&|und|et|e|y|ed|en|of|for|de|da|do|des|del|der|für)\b", re.I)


@dataclass
class CompanyChoice:
    """The chosen company text, the lines it came from, and the evidence score."""

    text: str
    lines: tuple[int, ...]
    score: float


#: A letter a company name is written in: Latin with its marks, Vietnamese, Cyrillic.
_LETTER = re.compile(r"[A-Za-zÀ-ÿĀ-žƠ-ư\u1ea0-\u1ef9\u0400-\u04ff]")


def domain_labels(emails: Sequence[str], websites: Sequence[str]) -> list[str]:
    """The name part of the card's company domains (``acmetools`` from ``www.acmetools.com``)."""
    labels: list[str] = []
    hosts = [e.rpartition("@")[2] for e in emails] + [w.split("/")[0] for w in websites]
    for host in hosts:
        parts = [p for p in host.lower().split(".") if p and p not in ("www", "www2")]
        if len(parts) < 2:
            continue
        # example.co.uk / example.com.br: skip the second-level public suffix.
        if len(parts) >= 3 and parts[-2] in SECOND_LEVEL_LABELS:
            label = parts[-3]
        else:
            label = parts[-2]
        if label in FREE_MAIL_DOMAINS or label in labels:
            continue
        labels.append(label)
    return labels


def _printed_twice(text: str, line: TextLine, lines: list[TextLine], rest: dict[int, str]) -> bool:
    """True when the text is printed again elsewhere (a logo repeated in the small print)."""
    folded = re.sub(r"[^a-z0-9 ]", "", fold(text)).strip()
    if len(folded) < 4:
        return False
    for other in lines:
        if other is line:
            continue
        other_text = re.sub(r"[^a-z0-9 ]", "", fold(rest.get(other.index, "") or other.text))
        if other_text and (folded in other_text or (len(other_text) >= 4 and other_text in folded)):
            return True
    return False


def is_slogan(text: str) -> bool:
    """True for taglines and sentences ("Your partner since 1990", "a Contoso brand")."""
    words = text.split()
    if _SLOGAN_START.match(text) and len(words) >= 2:
        return True
    if len(words) > 7 or text.endswith(("!", "?")):
        return True
    if len(words) >= 3 and _SLOGAN_WORDS.search(text):
        return True
    lower_words = [w for w in words if w.islower() and len(w) > 3]
    return len(words) >= 3 and len(lower_words) >= 2 and not legal_suffix(text)


def _join_spaced_letters(text: str) -> str:
    """A wordmark set in spaced capitals or letters (``n o k o``) as the word it spells."""
    if re.fullmatch(r"(?:[^\W\d_] ){2,}[^\W\d_]", text.strip()):
        return text.replace(" ", "").strip()
    return text


def _without_logo_letter(text: str, domains: Sequence[str]) -> str:
    """A wordmark with its logo's letter read in front (``R rameo`` beside ``rameo.fr``)."""
    match = re.fullmatch(r"[^\W\d_]\s+(\S.*)", text.strip())
    if match and re.sub(r"[^a-z0-9]", "", fold(match.group(1))) in domains:
        return match.group(1)
    return text


def _clean(text: str) -> str:
    return text.strip(" |·•-–,;:").rstrip(".") if not legal_suffix(text) else text.strip(" |·•-–,;")


def _continuation(lines: list[TextLine], line: TextLine, blocked: set[int], rest: dict[int, str]):
    """A line right under a company line that continues it (capitals, "and ...", or the
    legal form the name above lacks)."""
    for other in sorted(lines, key=lambda ln: ln.box.y):
        if other is line or not is_lower(line, other):
            continue
        if other.index in blocked or not same_column(line, other):
            continue
        gap = gap_below(line, other)
        if gap > 0.9 * max(line.height, other.height) or gap < -0.7 * line.height:
            continue
        text = rest.get(other.index, "")
        if not text or any(ch.isdigit() for ch in text) or len(text.split()) > 5:
            return None
        head = re.sub(r"[^a-z0-9]", "", fold(rest.get(line.index, "")))
        if head and head in re.sub(r"[^a-z0-9]", "", fold(text)):
            return None  # the same name again (logo, then legal name): not a continuation
        if (
            legal_suffix(text)
            and not legal_suffix(rest.get(line.index, ""))
            and len(text.split()) <= 3
        ):
            return other  # the legal form set on the next line ("OnlineMedia" / "Solutions Ltd")
        letters = [c for c in text if c.isalpha()]
        if _CONTINUES.match(text) or (letters and all(c.isupper() for c in letters)):
            if not is_slogan(text) or _CONTINUES.match(text):
                return other
        return None
    return None


def pick_company(
    lines: list[TextLine],
    rest: dict[int, str],
    *,
    blocked: set[int],
    domains: Sequence[str],
    name_text: str | None,
    split_only: frozenset[int] = frozenset(),
) -> CompanyChoice | None:
    """The company printed on the card, or None when only a logo or a domain shows it.

    Args:
        lines: the card's lines in reading order.
        rest: each line's text with contact items and labels taken out.
        blocked: lines already used by the name, title or contact details.
        domains: company domain labels from the e-mail addresses and websites.
        name_text: the person's name, never taken as the company.
        split_only: blocked lines (the title) whose comma-separated parts may still hold
            the company ("Teacher, Hillside School").
    """
    body = body_height(lines)
    free = [
        ln
        for ln in lines
        if ln.index not in blocked and len(_LETTER.findall(rest.get(ln.index, ""))) >= 2
    ]
    most_prominent = max(free, key=lambda ln: ln.height).index if free else -1
    choices: list[CompanyChoice] = []
    for line in lines:
        if line.index in blocked and line.index not in split_only:
            continue
        text = _without_logo_letter(_join_spaced_letters(rest.get(line.index, "")), domains)
        if not text or len(text) < 2 or not re.search(_LETTER.pattern + "{2}", text):
            continue
        if address_label(text) or (street_hits(text) and re.search(r"\d", text)):
            continue
        if re.match(r"^\s*[^\W\d_][\w .]{0,19}\s*:\s", text) and not legal_suffix(text):
            continue  # "Training : ...", "Services: ..." label a list, not the company
        if has_postcode(text) or is_aside(text):
            continue
        if name_text and fold(text) == fold(name_text):
            continue
        pieces = [] if line.index in split_only else [text]
        # "Teacher, Some School" or "Sales Lead | Acme Ltd": one line, two fields.
        for sep in (",", "|", " - ", "–"):
            if sep in text:
                pieces.extend(p.strip() for p in text.split(sep) if p.strip())
        for piece in pieces:
            choice = _score(piece, line, lines, rest, blocked, domains, body, most_prominent)
            if choice is not None:
                choices.append(choice)
    if not choices:
        return None
    best = max(choices, key=lambda c: c.score)
    if best.score < 0.45:
        return None
    # A logo wordmark and the legal name under it ("Acme" / "Acme Tools GmbH"): the legal
    # name is the fuller form of the same company.
    # So is a short name that starts with the wordmark's word, printed right by it
    # ("tami" / "Tami Analytics").
    key = re.sub(r"[^a-z0-9]", "", fold(best.text))
    by_index = {ln.index: ln for ln in lines}
    fuller = [
        c
        for c in choices
        if c is not best
        and len(key) >= 3
        and re.sub(r"[^a-z0-9]", "", fold(c.text)).startswith(key)
        and (
            ((legal_suffix(c.text) or org_hits(c.text)) and c.score >= 0.5)
            or (
                fold(c.text).split()[0].strip(".,") == fold(best.text).strip(".,")
                and 2 <= len(c.text.split()) <= 4
                and _beside(by_index[best.lines[0]], by_index[c.lines[0]])
            )
        )
    ]
    if fuller:
        return max(fuller, key=lambda c: c.score)
    # A wordmark that abbreviates the legal name printed too ("btnx" / "Beyond The Network
    # Ltd"): the legal name is the company.
    spelled = [
        c
        for c in choices
        if c is not best
        and legal_suffix(c.text)
        and c.score >= 0.5
        and _abbreviates(best.text, c.text)
    ]
    return max(spelled, key=lambda c: c.score) if spelled else best


def _abbreviates(mark: str, name: str) -> bool:
    """Whether one-word ``mark`` is, or starts with, the initials of ``name``'s words (its
    legal form left out; three or more of them, unless they are the whole mark), with or
    without its small words (the, of, and)."""
    if len(mark.split()) != 1:
        return False
    letters = re.sub(r"[^a-z0-9]", "", fold(mark))
    suffix = legal_suffix(name) or ""
    words = [w for w in re.split(r"[\s,.&+-]+", fold(name).replace(suffix, " ")) if w]
    for kept in (words, [w for w in words if w not in ("the", "of", "and", "for", "de", "la")]):
        initials = "".join(w[0] for w in kept if w[0].isalnum())
        if (len(initials) >= 3 and letters.startswith(initials)) or letters == initials:
            return True
    return False


def _beside(a: TextLine, b: TextLine) -> bool:
    """True when line ``b`` is printed right above or below line ``a``, in its column or
    overlapping it (a wordmark set beside its logo's letter stands off the name's column)."""
    overlap = min(a.box.right, b.box.right) - max(a.box.x, b.box.x)
    if not same_column(a, b) and overlap <= 0:
        return False
    upper, lower = (a, b) if is_lower(a, b) else (b, a)
    return gap_below(upper, lower) <= 1.2 * max(a.height, b.height)


def _score(
    text: str,
    line: TextLine,
    lines: list[TextLine],
    rest: dict[int, str],
    blocked: set[int],
    domains: Sequence[str],
    body: float,
    most_prominent: int,
) -> CompanyChoice | None:
    text = _clean(text)
    if len(text) < 2 or sum(c.isdigit() for c in text) > 2:
        return None
    legal = legal_suffix(text)
    if title_hits(text) and not legal and not org_hits(text):
        return None
    if is_slogan(text) and not legal:
        return None
    score = 0.0
    if legal:
        score += 0.7
    parts = [line.index]
    full = text
    below = _continuation(lines, line, blocked, rest) if text == _clean(rest[line.index]) else None
    while below is not None and len(parts) < 3:
        full = f"{full} {_clean(rest[below.index])}"
        parts.append(below.index)
        below = _continuation(lines, below, blocked, rest)
    if org_hits(full):
        score += 0.5
    if names_an_institution(full):
        score += 0.2  # an institution's own name, as sure a sign as a legal form
    agree = max(domain_agreement(text, domains), domain_agreement(full, domains))
    if agree >= 0.75:
        score += 0.6 * agree
    prominence = line.height / body
    if prominence >= 1.3:
        score += min(0.3, 0.2 * (prominence - 1.0))
    if prominence >= 1.8 and line.index == most_prominent and len(full.split()) <= 3:
        # The biggest text on a card that is not the person is usually the company.
        score += 0.3
    if _printed_twice(full, line, lines, rest):
        score += 0.3
    if len(full.split()) > 6 and not legal:
        score -= 0.2
    if sum(c.isdigit() for c in full) and not legal:
        score -= 0.2
    score *= 0.6 + 0.4 * line.confidence
    return CompanyChoice(mend_legal_form(full), tuple(parts), score)
