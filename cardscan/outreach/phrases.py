"""What a drafted message says about the person and why you write (pure).

A first name to greet by, a company as prose names it, a P.S. from the private notes, and
the sentences, lists and subjects for the reasons you gave (a picked kind, or the user's own
words turned round). ``drafts`` puts them into the templates' placeholders.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from nameparser import HumanName
from nameparser.config import CONSTANTS

from cardscan.followups.text import clean_text, one_line
from cardscan.models import Reason
from cardscan.reading.extract.lexicon import legal_suffix

# --- what is said about each kind of reason ---------------------------------------------------

#: Reason kind -> (a few words, a sentence for the thank-you, a subject, the promise's opening).
_REASON_WORDS: dict[str, tuple[str, str, str, str]] = {
    "deck": (
        "the deck",
        "As promised, here is our deck.",
        "Our deck, as promised",
        "As promised{met}, here is our deck.",
    ),
    "intro": (
        "the introduction",
        "I'll follow up shortly with the introduction we talked about.",
        "The introduction I promised",
        "As promised{met}, here is the introduction we talked about.",
    ),
    "meeting": (
        "meeting up",
        "Would you have time to meet in the next couple of weeks?",
        "Finding a time to meet",
        "As promised{met}, I'm writing to find a time to meet. Which days suit you?",
    ),
    "hiring": (
        "the role",
        "I'd love to continue our conversation about the role.",
        "The role we talked about",
        "As promised{met}, I'm following up about the role we talked about.",
    ),
    "partnership": (
        "working together",
        "I'd love to explore how we could work together.",
        "Working together",
        "As promised{met}, I'm following up on the idea of working together.",
    ),
}
#: Reason texts that name a kind though they were typed, not picked ("deck", "send deck").
_TEXT_KINDS = {
    "deck": "deck",
    "send deck": "deck",
    "send the deck": "deck",
    "intro": "intro",
    "introduction": "intro",
    "meeting": "meeting",
    "hiring": "hiring",
    "partnership": "partnership",
}


def _reason_kind(reason: Reason) -> str:
    if reason.kind in _REASON_WORDS:
        return reason.kind
    return _TEXT_KINDS.get(one_line(reason.text).lower(), "other")


def _and(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reason_sentences(reasons: Sequence[Reason]) -> str:
    """A sentence or two for the thank-you, one per kind of reason; the ones no sentence
    covers are named in a last one."""
    sentences: list[str] = []
    others: list[str] = []
    for reason in reasons:
        kind = _reason_kind(reason)
        own = _own_words(reason.text, "")
        sentence = own[2] if own else _REASON_WORDS[kind][1] if kind in _REASON_WORDS else ""
        if sentence and sentence not in sentences:
            sentences.append(sentence)
        elif not sentence and (text := one_line(reason.text)):
            others.append(text)
    if others and sentences:
        sentences.append(f"And I haven't forgotten: {_and(others)}.")
    elif others:
        sentences.append(f"I'm following up on what we discussed: {_and(others)}.")
    return " ".join(sentences)


def reason_list(reasons: Sequence[Reason]) -> str:
    """The reasons in a few words each, joined ("the deck and meeting up")."""
    words = []
    for reason in reasons:
        kind = _reason_kind(reason)
        words.append(_REASON_WORDS[kind][0] if kind in _REASON_WORDS else one_line(reason.text))
    return _and(list(dict.fromkeys(words)))


#: Reasons in the user's own words that read as a sentence once turned round:
#: (pattern, subject, the promise's opening, the thank-you's sentence), with {x} what was
#: promised and {met} where.
_OWN_WORDS: tuple[tuple[re.Pattern[str], str, str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), subject, opening, sentence)
    for pattern, subject, opening, sentence in (
        (
            r"^(?:send|share|forward|e-?mail)\s+(?:(?:him|her|them|over)\s+)?(?P<x>.+)$",
            "{X}, as promised",
            "As promised{met}, I'm sending over {x}.",
            "As promised, I'm sending over {x}.",
        ),
        (
            r"^intro(?:duce|duction)?\s+(?:(?:you|him|her|them)\s+)?to\s+(?P<x>.+)$",
            "An introduction to {x}",
            "As promised{met}, I'd like to introduce you to {x}.",
            "I'll introduce you to {x} shortly.",
        ),
        (
            r"^(?P<x>(?:coffee|lunch|dinner|drinks|a call|call|a demo|demo|a meeting)\b.*)$",
            "{X}?",
            "As promised{met}, I'm getting in touch about {x}: would that still suit you?",
            "How about {x}?",
        ),
    )
)
_DETERMINER = re.compile(r"^(?:the|our|my|a|an|some|this|these|those|his|her|their)\s", re.I)


def _own_words(text: str, met: str) -> tuple[str, str, str] | None:
    """(subject, the promise's opening, the thank-you's sentence) for a reason in the
    user's own words that reads as one, else None. A chip's bare word ("deck") is not."""
    text = one_line(text)
    if text.lower() in _TEXT_KINDS:
        return None
    for pattern, subject, opening, sentence in _OWN_WORDS:
        if match := pattern.match(text):
            thing = match["x"].strip().rstrip(".")
            if subject.startswith("{X}, as") and not _DETERMINER.match(thing):
                thing = f"the {thing}"  # "send API docs": "the API docs"
            big = thing[:1].upper() + thing[1:]
            return (
                subject.format(x=thing, X=big),
                opening.format(x=thing, met=met),
                sentence.format(x=thing),
            )
    return None


def promise_words(reasons: Sequence[Reason], text: str, met: str) -> tuple[str, str]:
    """(subject, opening sentence) for a promise touch."""
    if own := _own_words(text, met):
        return own[0], own[1]
    kinds = {_reason_kind(r) for r in reasons}
    if len(kinds) == 1 and (kind := kinds.pop()) in _REASON_WORDS:
        _, _, subject, sentence = _REASON_WORDS[kind]
        return subject, sentence.format(met=met)
    subject = f"Following up: {text}" if text else "Following up"
    return subject, f"As promised{met}, I'm following up on this: {text}."


def company_in_prose(company: str | None) -> str:
    """A company as a message names it: without its legal form, and not in capitals
    ("AVTEC SYSTEMS, INC." -> "Avtec Systems"; "BSES Rajdhani Power Limited" -> "BSES
    Rajdhani Power"). Short words in capitals stay so (IBM, BSES)."""
    name = one_line(company)
    suffix = legal_suffix(name)
    if suffix:
        pattern = r"[\s,]+" + re.escape(suffix.rstrip(".")).replace(r"\.", r"\.?") + r"\.?\s*$"
        name = re.sub(pattern, "", name, flags=re.IGNORECASE) or name
    if name.isupper() and any(len(w) > 3 for w in name.split()):
        name = " ".join(w.capitalize() if len(w) > 3 else w for w in name.split())
    return name


# --- names and notes -------------------------------------------------------------------------


def _has_cjk(text: str) -> bool:
    return any(
        unicodedata.name(ch, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))
        for ch in text
    )


@functools.lru_cache(maxsize=4096)
def first_name(name: str | None) -> str:
    """The first name to greet someone by ("Dr. Ana María Ruiz" -> "Ana"), else "".

    Names written in CJK scripts are greeted in full (a given name alone is too familiar);
    a name in capitals is given its usual case; an initial ("J. Robert Smith") is passed
    over for the middle name, or the full name when there is none. A plain "First Last"
    is split at once; anything else (titles, commas, initials) goes to nameparser, which
    takes about a millisecond a name.
    """
    name = one_line(name)
    if not name or _has_cjk(name):
        return name
    words = name.split()
    head = words[0]
    if (
        len(words) <= 3
        and "," not in name
        and len(head) > 1
        and head.replace("-", "").replace("'", "").isalpha()
        and head.lower() not in CONSTANTS.titles
    ):
        return head.capitalize() if name.isupper() else head
    parsed = HumanName(name)
    if name.isupper():
        parsed.capitalize(force=True)
    first = parsed.first
    if len(first.rstrip(".")) <= 1:
        middle = parsed.middle.split()[0] if parsed.middle else ""
        first = middle if len(middle.rstrip(".")) > 1 else str(parsed)
    return first


#: Note openings that say something personal, each with how a P.S. says it back.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), say)
    for pattern, say in (
        (r"^(?:is\s+)?(?:training for|preparing for|running)\s+(?P<x>.+)", "Good luck with {x}!"),
        (r"^(?:is\s+)?moving to\s+(?P<x>.+)", "Good luck with the move to {x}!"),
        (r"^(?:is\s+)?(?:going to|travelling to|traveling to|off to)\s+(?P<x>.+)", "Enjoy {x}!"),
        (r"^(?:we\s+)?(?:talked|chatted|spoke) about\s+(?P<x>.+)", "I enjoyed our chat about {x}."),
        (
            r"^(?:asked about|is interested in|interested in|wants to know about)\s+(?P<x>.+)",
            "You asked about {x}: happy to tell you more.",
        ),
        (r"^(?:is\s+)?(?:celebrating|just got|just had)\s+(?P<x>.+)", "Congratulations on {x}!"),
    )
)
_SUBJECT = re.compile(r"^(?:he|she|they)(?:'s|\s+is|\s+are|\s+was|\s+were)?\s+", re.IGNORECASE)


def personal_detail(notes: str | None) -> str:
    """A P.S. from the first note sentence that says something personal, else "".

    "Training for the Berlin marathon" gives "Good luck with the Berlin marathon!"; "we
    talked about sailing" gives "I enjoyed our chat about sailing."; notes that do not read
    as a personal detail (prices, reminders to yourself) give nothing: they stay private.
    """
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", clean_text(notes)):
        sentence = _SUBJECT.sub("", sentence.strip().rstrip(".!?;").strip())
        for pattern, say in _DETAILS:
            if (match := pattern.match(sentence)) and 2 <= len(match["x"]) <= 80:
                return say.format(x=match["x"].strip())
    return ""
