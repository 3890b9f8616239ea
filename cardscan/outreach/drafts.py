"""Drafted messages: one template per kind of touch, filled from the contact (pure).

A touch's kind picks a template (:func:`template_kind`, the one place that mapping lives);
the template is filled with what is known about the person and why to write
(:func:`draft_context`); the result is a :class:`Draft` with a ``mailto:`` link.

Templates are Jinja text rendered in a sandbox (``jinja2.sandbox``, made for templates
written by users), so a user's own template can use ``{{ first_name }}`` and
``{% if event %}…{% endif %}`` but can reach nothing else. Blank lines left by empty
sections are tidied afterwards, so templates read as the message they make.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment
from nameparser import HumanName
from nameparser.config import CONSTANTS

from cardscan.errors import ValidationError
from cardscan.followups.text import clean_text, one_line
from cardscan.followups.wording import is_promise
from cardscan.models import ContactRecord, Event, Reason, Touch
from cardscan.outreach.words import ago_in_words
from cardscan.reading.extract.lexicon import legal_suffix


@dataclass(frozen=True)
class Template:
    """A subject line and a body, as Jinja text."""

    subject: str
    body: str


@dataclass(frozen=True)
class Sender:
    """Who writes: the name under the message and the lines below it (title, phone)."""

    name: str
    signature: str = ""


@dataclass(frozen=True)
class Draft:
    """A message ready for the user's mail app."""

    kind: str  # the template used (a key of TEMPLATE_KINDS)
    to: str | None
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """The ``mailto:`` link (RFC 6068): address, subject and body percent-encoded as
        UTF-8, spaces as ``%20`` and line breaks as ``%0D%0A``."""
        return mailto_link(self.to, self.subject, self.body)


def mailto_link(to: str | None, subject: str, body: str) -> str:
    """``mailto:to?subject=…&body=…`` encoded as RFC 6068 asks (no ``+`` for spaces)."""
    address = quote(to or "", safe="@")
    crlf = "\r\n".join(body.splitlines())
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(crlf, safe='')}"


# --- which template a touch gets -------------------------------------------------------------

#: Every template, in the order settings shows them: key -> (label, what it is for).
TEMPLATE_KINDS: dict[str, str] = {
    "thank_you": "Thank you (the day after you met)",
    "promise": "A promise (the deck, an intro, a meeting)",
    "check_in": "Check in (a few weeks on)",
    "keep_in_touch": "Keep in touch (“still at {company}?”)",
    "birthday": "Birthday",
    "anniversary": "Anniversary or another date",
}

#: Touch kind -> template (a promise is followups.wording's is_promise). A plan step of the
#: user's own kind is a check-in.
_TOUCH_TEMPLATES = {
    "thank_you": "thank_you",
    "check_in": "check_in",
    "keep_in_touch": "keep_in_touch",
    "birthday": "birthday",
    "anniversary": "anniversary",
    "other": "anniversary",  # an important date of another kind
}


def template_kind(touch: Touch) -> str:
    """The template a touch is drafted from (``check_in`` for a plan's own kinds)."""
    if is_promise(touch):
        return "promise"
    return _TOUCH_TEMPLATES.get(touch.kind, "check_in")


# --- the default templates -------------------------------------------------------------------

_SIGN = """
Best,
{{ my_name }}
{{ signature }}
"""

_PS = """
{% if detail %}

P.S. {{ detail }}
{% endif %}
"""

DEFAULT_TEMPLATES: dict[str, Template] = {
    "thank_you": Template(
        "Great to meet you{% if event %} at {{ event }}{% endif %}",
        """Hi {{ first_name }},

It was great to meet you{% if event %} at {{ event }}{% endif %} {{ met_when }}\
{% if company %} and to hear about your work at {{ company }}{% endif %}.

{{ reasons }}

Let's stay in touch.
"""
        + _SIGN
        + _PS,
    ),
    "promise": Template(
        "{{ promise_subject }}",
        """Hi {{ first_name }},

{{ promise_sentence }}

Let me know if you have any questions.
"""
        + _SIGN
        + _PS,
    ),
    "check_in": Template(
        "{% if event %}Following up from {{ event }}{% else %}Checking in{% endif %}",
        """Hi {{ first_name }},

I hope all is well{% if company %} at {{ company }}{% endif %}. I wanted to check in\
{% if event %} since we met at {{ event }}{% endif %}\
{% if reason_list %} about {{ reason_list }}{% endif %}.

Would you have time for a short call in the next couple of weeks?
"""
        + _SIGN
        + _PS,
    ),
    "keep_in_touch": Template(
        "{% if company %}Still at {{ company }}?{% else %}Catching up{% endif %}",
        """Hi {{ first_name }},

It has been a while since {% if event %}{{ event }}{% else %}we last spoke{% endif %}, \
so I wanted to say hello.{% if company %} Are you still at {{ company }}\
{% if job_title %} as {{ job_title }}{% endif %}?{% endif %}

I'd love to hear what you are working on these days.
"""
        + _SIGN
        + _PS,
    ),
    "birthday": Template(
        "Happy birthday, {{ first_name }}!",
        """Hi {{ first_name }},

Happy birthday! I hope you have a wonderful day and a great year ahead.
"""
        + _SIGN,
    ),
    "anniversary": Template(
        "Congratulations, {{ first_name }}!",
        """Hi {{ first_name }},

Congratulations on your {{ occasion }}! I hope it is a good day.
"""
        + _SIGN,
    ),
}

#: What a template can use, with what it holds (shown in settings beside the editor).
PLACEHOLDERS: dict[str, str] = {
    "first_name": "their first name (“there” when the card has none)",
    "name": "their full name",
    "company": "their company, as you would write it (“Acme”, not “ACME, INC.”)",
    "job_title": "their job title",
    "event": "the event where you met",
    "place": "where the event was",
    "met_when": "when you met, in words (“yesterday”, “last week”, “in March”)",
    "reasons": "why you write, as sentences (“As promised, here is our deck.”)",
    "reason_list": "why you write, in a few words (“the deck and the intro”)",
    "promise": "the promise as you noted it (“send deck”)",
    "promise_subject": "a subject line for the promise (“Our deck, as promised”)",
    "promise_sentence": "the promise as an opening sentence",
    "occasion": "the date's name (“birthday”, “work anniversary”)",
    "detail": "a personal detail from your notes, where one fits",
    "my_name": "your name",
    "signature": "your signature lines",
}

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


def _reason_sentences(reasons: Sequence[Reason]) -> str:
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


def _reason_list(reasons: Sequence[Reason]) -> str:
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


def _promise(reasons: Sequence[Reason], text: str, met: str) -> tuple[str, str]:
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


# --- filling a template ----------------------------------------------------------------------


def draft_context(
    record: ContactRecord,
    touch: Touch,
    event: Event | None,
    sender: Sender,
    today: date,
    *,
    only: Collection[str] | None = None,
) -> dict[str, str]:
    """What a template may use (see :data:`PLACEHOLDERS`), as plain text; with ``only``,
    just those names (a subject line needs one or two: the calendar drafts thousands)."""
    contact = record.contact
    event_name = one_line(event.name) if event else ""

    memo: dict[str, Any] = {}  # worked out once, only when a placeholder asks

    def reasons() -> list[Reason]:
        if "reasons" not in memo:
            parts = {p.strip() for p in touch.title.split(";")}
            memo["reasons"] = [r for r in record.reasons if one_line(r.text) in parts]
        return memo["reasons"]  # type: ignore[no-any-return]

    def promise_text() -> str:
        return one_line(touch.title) if template_kind(touch) == "promise" else ""

    def promise() -> tuple[str, str]:
        if "promise" not in memo:
            met = f" when we met at {event_name}" if event_name else ""
            memo["promise"] = _promise(reasons(), promise_text(), met)
        return memo["promise"]  # type: ignore[no-any-return]

    fill: dict[str, Callable[[], str]] = {
        "first_name": lambda: first_name(contact.name) or "there",
        "name": lambda: one_line(contact.name),
        "company": lambda: company_in_prose(contact.company),
        "job_title": lambda: one_line(contact.title),
        "event": lambda: event_name,
        "place": lambda: one_line(event.place) if event else "",
        "met_when": lambda: ago_in_words(event.end, today) if event else "",
        "reasons": lambda: _reason_sentences(reasons()),
        "reason_list": lambda: _reason_list(reasons()),
        "promise": promise_text,
        "promise_subject": lambda: promise()[0],
        "promise_sentence": lambda: promise()[1],
        "occasion": lambda: one_line(touch.title).lower() or touch.kind.replace("_", " "),
        "detail": lambda: personal_detail(record.private_notes),
        "my_name": lambda: one_line(sender.name),
        "signature": lambda: clean_text(sender.signature).strip(),
    }
    return {name: get() for name, get in fill.items() if only is None or name in only}


# No trim_blocks: a block tag's line becomes a blank line, and the tidy-up merges those.
_ENV = SandboxedEnvironment(lstrip_blocks=True, autoescape=False)


@functools.lru_cache(maxsize=256)
def _compile(text: str, what: str) -> JinjaTemplate:
    try:
        return _ENV.from_string(text)
    except TemplateError as e:
        raise ValidationError(f"the {what} template does not read: {e}. Check the {{ }}.") from e


def check_template(template: Template) -> Template:
    """A template whose subject and body parse and use only known placeholders.

    Raises:
        ValidationError: naming the unknown placeholder or the syntax error.
    """
    for text, what in ((template.subject, "subject"), (template.body, "body")):
        _compile(text, what)
        used = meta.find_undeclared_variables(_ENV.parse(text))
        if unknown := sorted(used - set(PLACEHOLDERS)):
            raise ValidationError(
                f"the {what} uses {{{{ {unknown[0]} }}}}, which is not a placeholder: use one of"
                f" {', '.join(PLACEHOLDERS)}."
            )
    if not one_line(template.subject) or not template.body.strip():
        raise ValidationError("a template needs a subject and a body.")
    return template


def _tidy_body(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(lines)
    text = re.sub(r" ([.,!?;:])", r"\1", text)
    text = re.sub(r"(?<=\w\.)\.(?!\.)", "", text)  # "Acme Inc.." (a name ending a sentence)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render(template: Template, context: Mapping[str, str], kind: str, to: str | None) -> Draft:
    """Fill a template.

    Raises:
        ValidationError: the template cannot be rendered (a user's broken template).
    """
    try:
        subject = _compile(template.subject, "subject").render(context)
        body = _compile(template.body, "body").render(context)
    except TemplateError as e:
        raise ValidationError(f"the {kind} template cannot be filled in: {e}.") from e
    return Draft(kind=kind, to=to, subject=one_line(subject), body=_tidy_body(body))


def draft_message(
    record: ContactRecord,
    touch: Touch,
    event: Event | None,
    sender: Sender,
    today: date,
    templates: Mapping[str, Template] | None = None,
) -> Draft:
    """The drafted message for a touch: its kind's template (the user's own, else the
    default) filled from the contact, the event where you met and the sender.

    Args:
        record: the contact.
        touch: the touch to write for.
        event: the latest event where you met, or None.
        sender: the user's name and signature.
        today: the day the message is written (for "yesterday", "last week").
        templates: the user's own templates by kind; missing kinds use the defaults.

    Returns:
        The draft, addressed to the contact's first e-mail address (None without one).
    """
    kind = template_kind(touch)
    template = (templates or {}).get(kind) or DEFAULT_TEMPLATES[kind]
    to = next((one_line(e) for e in record.contact.emails if one_line(e)), None)
    return render(template, draft_context(record, touch, event, sender, today), kind, to)


@functools.lru_cache(maxsize=256)
def _placeholders_in(text: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_ENV.parse(text)))


def draft_subject(
    record: ContactRecord,
    touch: Touch,
    event: Event | None,
    sender: Sender,
    today: date,
    templates: Mapping[str, Template] | None = None,
    *,
    cache: dict[tuple[str, tuple[tuple[str, str], ...]], str] | None = None,
) -> str:
    """The subject line :func:`draft_message` would give, working out only what the
    subject uses; ``cache`` (a dict kept by the caller) renders each distinct one once.

    Raises:
        ValidationError: the template cannot be filled (a user's broken template).
    """
    kind = template_kind(touch)
    text = ((templates or {}).get(kind) or DEFAULT_TEMPLATES[kind]).subject
    context = draft_context(record, touch, event, sender, today, only=_placeholders_in(text))
    key = (text, tuple(sorted(context.items())))
    if cache is not None and key in cache:
        return cache[key]
    try:
        subject = one_line(_compile(text, "subject").render(context))
    except TemplateError as e:
        raise ValidationError(f"the {kind} template cannot be filled in: {e}.") from e
    if cache is not None:
        cache[key] = subject
    return subject


def as_text(draft: Draft) -> str:
    """The draft as the CLI prints it: To, Subject, a blank line, the body."""
    head = f"To: {draft.to}\n" if draft.to else "To: (no e-mail address on the card)\n"
    return f"{head}Subject: {draft.subject}\n\n{draft.body}"
