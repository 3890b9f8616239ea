"""Drafted messages: one template per kind of touch, filled from the contact (pure).

A touch's kind picks a template (:func:`template_kind`, the one place that mapping lives);
the template is filled with what is known about the person and why to write
(:func:`draft_context`, in the words of ``phrases``); the result is a :class:`Draft` with a
``mailto:`` link.

Templates are Jinja text rendered in a sandbox (``jinja2.sandbox``, made for templates
written by users), so a user's own template can use ``{{ first_name }}`` and
``{% if event %}…{% endif %}`` but can reach nothing else. Blank lines left by empty
sections are tidied afterwards, so templates read as the message they make.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from cardscan.errors import ValidationError
from cardscan.followups.text import clean_text, one_line
from cardscan.followups.wording import is_promise
from cardscan.models import ContactRecord, Event, Reason, Touch
from cardscan.outreach.phrases import (
    company_in_prose,
    first_name,
    personal_detail,
    promise_words,
    reason_list,
    reason_sentences,
)
from cardscan.outreach.words import ago_in_words


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
            memo["promise"] = promise_words(reasons(), promise_text(), met)
        return memo["promise"]  # type: ignore[no-any-return]

    fill: dict[str, Callable[[], str]] = {
        "first_name": lambda: first_name(contact.name) or "there",
        "name": lambda: one_line(contact.name),
        "company": lambda: company_in_prose(contact.company),
        "job_title": lambda: one_line(contact.title),
        "event": lambda: event_name,
        "place": lambda: one_line(event.place) if event else "",
        "met_when": lambda: ago_in_words(event.end, today) if event else "",
        "reasons": lambda: reason_sentences(reasons()),
        "reason_list": lambda: reason_list(reasons()),
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
    subject = _fill(template.subject, "subject", context, kind)
    body = _fill(template.body, "body", context, kind)
    return Draft(kind=kind, to=to, subject=one_line(subject), body=_tidy_body(body))


def _fill(text: str, what: str, context: Mapping[str, str], kind: str) -> str:
    """The subject or body ``text`` of ``kind``'s template, filled from ``context``."""
    try:
        return _compile(text, what).render(context)
    except TemplateError as e:
        raise ValidationError(f"the {kind} template cannot be filled in: {e}.") from e


def _template_for(touch: Touch, templates: Mapping[str, Template] | None) -> tuple[str, Template]:
    """The kind of template a touch is drafted from, and that template: the user's own, else
    the default."""
    kind = template_kind(touch)
    return kind, (templates or {}).get(kind) or DEFAULT_TEMPLATES[kind]


@functools.lru_cache(maxsize=256)
def _placeholders_in(text: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_ENV.parse(text)))


@dataclass(frozen=True)
class Drafter:
    """One user's drafts on one day: who writes (``sender``), the day they are written on
    (for "yesterday", "last week") and the user's own ``templates`` by kind (missing kinds
    use the defaults)."""

    sender: Sender
    today: date
    templates: Mapping[str, Template] = field(default_factory=dict)

    def message(self, record: ContactRecord, touch: Touch, event: Event | None) -> Draft:
        """The drafted message for a touch: its kind's template (the user's own, else the
        default) filled from the contact, the latest event where you met (or None) and the
        sender, addressed to the contact's first e-mail address (None without one).

        Raises:
            ValidationError: the template cannot be filled (a user's broken template).
        """
        kind, template = _template_for(touch, self.templates)
        to = next((one_line(e) for e in record.contact.emails if one_line(e)), None)
        context = draft_context(record, touch, event, self.sender, self.today)
        return render(template, context, kind, to)

    def subject(
        self,
        record: ContactRecord,
        touch: Touch,
        event: Event | None,
        *,
        cache: dict[tuple[str, tuple[tuple[str, str], ...]], str] | None = None,
    ) -> str:
        """The subject line :meth:`message` would give, working out only what the subject
        uses; ``cache`` (a dict kept by the caller) renders each distinct one once.

        Raises:
            ValidationError: the template cannot be filled (a user's broken template).
        """
        kind, template = _template_for(touch, self.templates)
        text = template.subject
        only = _placeholders_in(text)
        context = draft_context(record, touch, event, self.sender, self.today, only=only)
        key = (text, tuple(sorted(context.items())))
        if cache is not None and key in cache:
            return cache[key]
        subject = one_line(_fill(text, "subject", context, kind))
        if cache is not None:
            cache[key] = subject
        return subject


def as_text(draft: Draft) -> str:
    """The draft as the CLI prints it: To, Subject, a blank line, the body."""
    head = f"To: {draft.to}\n" if draft.to else "To: (no e-mail address on the card)\n"
    return f"{head}Subject: {draft.subject}\n\n{draft.body}"
