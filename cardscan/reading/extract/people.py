"""The person's name and job title: layout, nameparser and agreement with the e-mail address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nameparser import HumanName
from rapidfuzz import fuzz

from cardscan.reading.extract.layout import TextLine, body_height, gap_below, is_lower, same_column
from cardscan.reading.extract.lexicon import (
    department_hits,
    fold,
    is_honorific,
    legal_suffix,
    org_hits,
    title_hits,
)
from cardscan.reading.extract.places import address_label, find_country, street_hits

#: Small words that appear in slogans and sentences but not in names.
_STOPWORDS = set(
    """
    a of the and for to your by our we an in on at with is are you since from que para por com
    con avec pour und fur mit per et os as los las el il het een voor met not all more do
    no new best only just every this that our
    office hours appointment appointments thank thanks welcome open daily free delivery quality
    monday tuesday wednesday thursday friday saturday sunday closed call visit us follow
    tel phone fax email mobile website address www
    au aux sur par dans chez qui plus tout votre notre ao aos na nas um uma sin nel nella
    wir ist im zum zur ons onze jouw
    """.split()
)
#: Particles inside names (Maria do Carmo, van der Berg, Puig i Serra, bin Said).
_PARTICLES = set("do da dos das de di du del della der den van von zu e y i bin al la le".split())

#: Degrees and credentials printed after a name (MS., D.Sc., PhD, MBA, Jr.).
_CREDENTIAL = re.compile(
    r"^(?:PhD|Ph\.D\.?|MBA|MD|MSc|BSc|CPA|CFA|PMP|Esq\.?|Jr\.?|Sr\.?|II|III|IV"
    r"|[A-Z][A-Za-z]{0,5}\.(?:[A-Za-z]{1,4}\.?)*|[A-Z]{2,7})$"
)
#: Letters of a name: Latin with its marks (Vietnamese too), and Cyrillic.
_NAME_TOKEN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žƠơƯưȘ-ț\u1ea0-\u1ef9\u0400-\u04ff'’\-.]+$")
_INITIAL = re.compile(r"^(?:[A-Z]\.)+[A-Za-zÀ-ÿ]|(?:^|\s)[A-Z]\.\s?[A-Z]")


@dataclass
class NameCandidate:
    """A line (or the start of a line) that may be the person's name, and its score."""

    line: TextLine
    text: str
    score: float = 0.0
    source: str = "line"  # "line", "stacked" or "phone"
    person: bool = False  # evidence beyond shape: e-mail, initials, title, phone
    extra_line: int | None = None  # the second line of a name set on two lines


def split_postnominals(text: str) -> tuple[str, list[str]]:
    """Split trailing degrees and credentials off a name: ``"Ana Lima, PhD"`` -> Ana Lima, [PhD]."""
    head, _, tail = text.partition(",")
    credentials: list[str] = []
    tail_tokens = [t for t in re.split(r"[\s,]+", tail) if t]
    if tail_tokens and all(_CREDENTIAL.match(t) for t in tail_tokens):
        credentials = tail_tokens
    else:
        head = text
    tokens = head.split()
    # Dotted degrees printed without a comma ("Ana Lima MS.") close the name too.
    while (
        len(tokens) > 2
        and re.fullmatch(r"[A-Za-z]{1,6}\.(?:[A-Za-z]{1,4}\.?)*,?", tokens[-1])
        and not re.fullmatch(r"[A-Za-z]\.,?", tokens[-1])  # a middle initial, not a degree
    ):
        credentials.insert(0, tokens.pop().rstrip(","))
    return " ".join(tokens).strip(" ,"), credentials


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s.]+", text) if t]


def looks_like_name(text: str) -> bool:
    """True when a short text could be a person's name (letters, 1 to 5 words, no slogan words)."""
    name, _ = split_postnominals(text)
    # A nickname in quotes ("Sam") does not make a line less of a name.
    name = re.sub(r"\s[\"“”'‘’][^\"“”'‘’]{1,20}[\"“”'‘’](?=\s)", "", name)
    if not name or len(name) > 60 or any(c.isdigit() for c in name):
        return False
    if re.search(r"[:;|+@/&!?()\[\]{}<>=$%#*_]", name):
        return False
    words = name.split()
    particles = [w for w in words if fold(w) in _PARTICLES]
    if not 1 <= len(words) - len(particles) <= 5 or len(words) > 8:
        return False
    if not all(_NAME_TOKEN.match(w) for w in words):
        return False
    folded = [fold(w).strip(".,") for w in words]
    if any(w in _STOPWORDS and w not in _PARTICLES for w in folded):
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2:
        return False
    # Specks read as lone letters ("N a a ela"): a name has at most one bare single letter.
    bare = [w for w in words if len(w) == 1 and fold(w) not in _PARTICLES]
    if len(bare) > 1 or (bare and len(words) <= 2):
        return False
    if title_hits(name) or org_hits(name) or department_hits(name) or legal_suffix(name):
        return False
    # Street words alone ("Floor", "Court" are first names too) need a number or a pair.
    if (street_hits(name) >= 2) or address_label(name + ":"):
        return False
    country = find_country(name)
    return not (country and len(words) <= 2)


def email_agreement(name: str, locals_: Sequence[str]) -> float:
    """How well a name agrees with e-mail local parts (0..1): ``jdoe`` ~ ``Jane Doe``."""
    core, _ = split_postnominals(name)
    tokens = [fold(t) for t in _tokens(core) if not is_honorific(t) and not is_honorific(t + ".")]
    tokens = [t for t in (re.sub(r"[^a-z]", "", t) for t in tokens) if t]
    # The surname with its particles, as Dutch and German addresses keep them
    # (``jvandenheuvel`` for Joost van den Heuvel).
    full_last = "".join(tokens[1:]) if any(t in _PARTICLES for t in tokens[1:-1]) else ""
    tokens = [t for t in tokens if t not in _PARTICLES]
    if not tokens:
        return 0.0
    first, last = tokens[0], tokens[-1]
    whole = "".join(tokens)
    variants = {
        whole: 1.0,
        first + last: 1.0,
        last + first: 1.0,
        first[0] + last: 1.0,
        first + last[0]: 1.0,
        "".join(t[0] for t in tokens[:-1]) + last: 1.0,
        last: 0.9,
        first: 0.9,
    }
    if len(tokens) >= 3:
        variants[first[0] + tokens[1]] = 1.0  # compound names: "mcarmo" for Maria Carmo Silva
        variants[first + tokens[1]] = 1.0
    if len(tokens) >= 2:
        variants["".join(t[0] for t in tokens)] = 0.85
    if full_last:
        variants.update({first[0] + full_last: 1.0, first + full_last: 1.0, full_last: 0.9})
    best = 0.0
    for local in locals_:
        loc = re.sub(r"[^a-z]", "", fold(local))
        if len(loc) < 2:
            continue
        for variant, weight in variants.items():
            if len(variant) < 2 or (len(variant) < 4 and variant != loc):
                continue
            best = max(best, fuzz.ratio(loc, variant) / 100 * weight)
    return best if best >= 0.75 else 0.0


def domain_agreement(text: str, domains: Sequence[str]) -> float:
    """How well a text agrees with a company domain label (0..1): ``ACME TOOLS`` ~ acmetools."""
    core = re.sub(r"[^a-z0-9]", "", fold(text))
    words = [re.sub(r"[^a-z0-9]", "", w) for w in fold(text).split()]
    words = [w for w in words if w]
    best = 0.0
    for domain in domains:
        if len(core) < 2 or len(domain) < 2:
            continue
        score = fuzz.ratio(core, domain) / 100
        if len(core) >= 3 and (core in domain or _at_a_word(domain, words)):
            score = max(score, 0.9 if min(len(core), len(domain)) >= 4 else 0.75)
        if words and len(words[0]) >= 3 and domain.startswith(words[0]):
            score = max(score, 0.8)
        if len(words) >= 2:
            initials = "".join(w[0] for w in words)
            if len(initials) >= 2 and domain.startswith(initials):
                score = max(score, 0.8)
            if len(domain) >= 3 and _prefix_abbreviation(domain, words):
                score = max(score, 0.85)
        best = max(best, score)
    return best


def _at_a_word(domain: str, words: Sequence[str]) -> bool:
    """Whether ``domain`` is spelled by the words from one of them on (``acmetools`` in
    THE ACME TOOLS), not inside a word (``rica`` in Latinoamérica)."""
    return any("".join(words[k:]).startswith(domain) for k in range(len(words)))


def _prefix_abbreviation(domain: str, words: Sequence[str]) -> bool:
    """True when the domain is made of word prefixes, in order: ``nordfr`` from NORDic
    FReight, ``nts`` from National Transport and Storage (words may be skipped)."""
    words = [w for w in words if w]
    if not words or not domain.startswith(words[0][:1]):
        return False
    used_two = False

    def walk(pos: int, wi: int, pieces: int) -> bool:
        nonlocal used_two
        if pos == len(domain):
            return pieces >= 2
        for j in range(wi, len(words)):
            word = words[j]
            k = 0
            while k < len(word) and pos + k < len(domain) and word[k] == domain[pos + k]:
                k += 1
                if walk(pos + k, j + 1, pieces + 1):
                    return True
            if j == 0 and wi == 0:
                return False  # the first word must open the domain
        return False

    return walk(0, 0, 0)


def _stacked(lines: list[TextLine], line: TextLine) -> TextLine | None:
    """A one-word line right under a one-word line in the same type size (first/last name)."""
    for other in lines:
        if other is line or not is_lower(line, other):
            continue
        ratio = other.height / max(line.height, 1)
        if (
            0.6 <= ratio <= 1.6
            and same_column(line, other)
            and gap_below(line, other) <= 0.8 * max(line.height, other.height)
            and (
                len(other.text.split()) == 1
                or (len(other.text.split()) <= 3 and fold(other.text.split()[0]) in _PARTICLES)
            )
        ):
            return other
    return None


def name_candidates(
    lines: list[TextLine], rest: dict[int, str], phone_prefixes: dict[int, str]
) -> list[NameCandidate]:
    """Lines (and names printed before a phone number) that could be the person's name."""
    out: list[NameCandidate] = []
    for line in lines:
        text = _ocr_mend(rest.get(line.index, ""))
        if line.index in phone_prefixes:
            prefix = _ocr_mend(phone_prefixes[line.index])
            if looks_like_name(prefix):
                out.append(NameCandidate(line, prefix, source="phone"))
            continue
        if not text or not looks_like_name(text):
            continue
        out.append(NameCandidate(line, text))
        if len(text.split()) == 1:
            below = _stacked(lines, line)
            if below is not None and looks_like_name(f"{text} {rest.get(below.index, '')}"):
                joined = f"{text} {rest[below.index]}"
                out.append(NameCandidate(line, joined, source="stacked", extra_line=below.index))
    return out


def _ocr_mend(text: str) -> str:
    """Undo OCR slips that break a name: "Pau!" for Paul, a column bar read as "i"."""
    text = re.sub(r"(?<=[a-z]{2})!(?=\s|$)", "l", text)
    return re.sub(r"\s+[il|]$", "", text).strip()


def score_names(
    candidates: list[NameCandidate],
    lines: list[TextLine],
    *,
    email_locals: Sequence[str],
    domains: Sequence[str],
    title_lines: set[int],
    card_height: float,
) -> None:
    """Score each candidate in place: layout, name shape, e-mail and domain agreement."""
    body = body_height(lines)
    for rank, cand in enumerate(candidates):
        core, _ = split_postnominals(cand.text)
        words = core.split()
        tokens = [t for t in _tokens(core) if not is_honorific(t)]
        score = 0.2
        agree = email_agreement(core, email_locals)
        score += 0.5 * agree
        if _INITIAL.search(core) or any(is_honorific(t) for t in _tokens(core)[:1]):
            score += 0.25
        if len(tokens) >= 2:
            score += 0.1
            parsed = HumanName(core)
            if parsed.first and parsed.last:
                score += 0.05
        elif not agree and cand.source != "phone" and not is_honorific(_tokens(core)[0]):
            score -= 0.2
        if cand.source == "phone":
            score += 0.4
        if cand.source == "stacked":
            score += 0.1
        # Names are set larger than the small print; logos are larger still, so the
        # bonus saturates at one and a half times the body text.
        score += 0.2 * min(1.0, max(0.0, (cand.line.height / body - 1.0) / 0.5))
        beside_title = _next_to(cand.line, title_lines, lines)
        if beside_title:
            score += 0.25

        if card_height and cand.line.box.y < card_height * 0.5:
            score += 0.03
        if rank == 0:
            score += 0.03
        company_like = domain_agreement(core, domains)
        if company_like >= 0.75 and company_like > agree:
            # A logo is one word; a person the firm is named after has several.
            score -= 0.5 if len(tokens) <= 1 else 0.25
        # Evidence that this is a person and not just a line of name shape (a title nearby
        # is not enough: a slogan under the title sits beside it too).
        cand.person = company_like < 0.75 and bool(
            agree or cand.source == "phone" or _INITIAL.search(core)
        )
        if len(words) == 1 and core.isupper() and len(core) <= 3 and cand.source != "phone":
            score -= 0.3
        # Unsure readings (specks, textures) weigh less.
        cand.score = score * (0.5 + 0.5 * min(1.0, cand.line.confidence))


def _next_to(line: TextLine, title_lines: set[int], lines: list[TextLine]) -> bool:
    by_index = {ln.index: ln for ln in lines}
    for idx in title_lines:
        other = by_index.get(idx)
        if other is None or other is line:
            continue
        if not same_column(line, other):
            continue
        if other.box.y > line.box.y:
            gap = gap_below(line, other)
        else:
            gap = gap_below(other, line)
        if -0.5 * line.height <= gap <= 1.6 * max(line.height, other.height):
            return True
    return False


def pick_name(candidates: list[NameCandidate]) -> tuple[NameCandidate | None, list[NameCandidate]]:
    """The person's name and the other people on the card (first or most prominent wins)."""
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
    if not ranked or ranked[0].score < 0.4:
        return None, []
    best = ranked[0]
    # Several people on one card: among strong person-like candidates, the tallest (and
    # those beside it), then the first printed, is the card's main person.
    people = [
        c
        for c in ranked
        if c.person
        and c.source != "stacked"
        and (c.score >= 0.6 or (c.source == "phone" and c.score >= 0.4))
    ]
    close = [c for c in people if c.score >= best.score - 0.45]
    if len(close) >= 2 and best in close:
        tallest = max(close, key=lambda c: c.line.height)
        height = tallest.line.height
        # People printed side by side are peers, whatever size each name was set at (a
        # long name is often set smaller to fit its half of the card).
        top = [
            c
            for c in close
            if c.line.height >= 0.75 * height
            or abs(c.line.box.center[1] - tallest.line.box.center[1]) <= 0.5 * height
        ]
        # First in reading order: the top row (centres within half a line), then leftmost.
        first_y = min(c.line.box.center[1] for c in top)
        row = [c for c in top if c.line.box.center[1] - first_y <= 1.0 * c.line.height]
        best = min(row, key=lambda c: c.line.box.x)
    others = []
    seen = {best.line.index}
    for c in sorted(people, key=lambda c: (c.line.box.y, c.line.box.x)):
        if c.line.index not in seen and c is not best:
            seen.add(c.line.index)
            others.append(c)
    return best, others


def mend_glued_name(name: str, email_locals: Sequence[str]) -> str:
    """Put back a space OCR lost between first and last name, using the e-mail local part.

    ``"JANEDOE"`` with ``jane.doe@`` becomes ``"JANE DOE"``.
    """
    words = name.split()
    if len(words) != 1 and not (len(words) == 2 and is_honorific(words[0])):
        return name
    head = "" if len(words) == 1 else words[0] + " "
    word = words[-1]
    if "." in word and is_honorific(word.split(".")[0]):
        head, word = word.split(".")[0] + ". ", word.split(".", 1)[1]
    for local in email_locals:
        parts = [p for p in re.split(r"[._-]+", fold(local)) if p]
        if len(parts) >= 2 and "".join(parts) == fold(word):
            out, pos = [], 0
            for part in parts:
                out.append(word[pos : pos + len(part)])
                pos += len(part)
            return head + " ".join(out)
    return name


def mend_capital_i(name: str) -> str:
    """A capital I that OCR read as a small l, where the glyphs are the same (``llaria
    Lombardi``, ``lvan Petrov``): in a capitalised name a word cannot start with a small l
    and a consonant.
    """
    words = name.split()
    if not any(w[:1].isupper() and not w.isupper() for w in words):
        return name
    out = [
        "I" + w[1:] if re.match(r"l[bcdfghjklmnpqrstvwxzß]", w) and len(w) >= 3 else w
        for w in words
    ]
    return " ".join(out)


def title_candidates(lines: list[TextLine], rest: dict[int, str]) -> list[TextLine]:
    """Lines that read as a job title (lexicon words, short, not a contact line)."""
    out = []
    for line in lines:
        text = rest.get(line.index, "")
        if not text or len(text) > 70 or legal_suffix(text):
            continue
        if sum(c.isdigit() for c in text) > 4:
            continue
        pieces = [p for p in re.split(r",|\s\|\s", text) if p.strip()]
        if any(
            title_hits(p) and len(p.split()) <= 6 and not (org_hits(p) and "&" in p) for p in pieces
        ):
            out.append(line)
    return out
