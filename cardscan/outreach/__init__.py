"""Follow-ups that reach the user and are one tap to do.

- ``words``: days in words ("tomorrow", "in 3 weeks", "2 days late");
- ``drafts``: drafted messages, one template per kind of touch, and their ``mailto:`` links;
"""

from __future__ import annotations

from cardscan.outreach.drafts import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    TEMPLATE_KINDS,
    Draft,
    Sender,
    Template,
    as_text,
    check_template,
    draft_message,
    first_name,
    mailto_link,
    personal_detail,
    template_kind,
)
from cardscan.outreach.words import ago_in_words, day_label, due_in_words

__all__ = [
    "DEFAULT_TEMPLATES",
    "PLACEHOLDERS",
    "TEMPLATE_KINDS",
    "Draft",
    "Sender",
    "Template",
    "ago_in_words",
    "as_text",
    "check_template",
    "day_label",
    "draft_message",
    "due_in_words",
    "first_name",
    "mailto_link",
    "personal_detail",
    "template_kind",
]
