"""Follow-ups that reach the user and are one tap to do.

- ``words``: days in words ("tomorrow", "in 3 weeks", "2 days late");
- ``drafts``: drafted messages, one template per kind of touch, and their ``mailto:`` links;
- ``phrases``: what a draft says: first names, companies in prose, a P.S. from the notes,
  the words for each reason;
- ``prefs``: the user's choices (e-mail address, digest hour and time zone, name, signature,
  own templates), checked;
- ``today``: the rows of the Today view and the digest, each with its draft and acts;
- ``acts``: done, snooze and skip in one tap, kept so they can be undone and shown.
"""

from __future__ import annotations

from cardscan.outreach.acts import HistoryLine, act, history, undo
from cardscan.outreach.drafts import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    TEMPLATE_KINDS,
    Draft,
    Drafter,
    Sender,
    Template,
    as_text,
    check_template,
    mailto_link,
    template_kind,
)
from cardscan.outreach.phrases import first_name, personal_detail
from cardscan.outreach.prefs import (
    adopt_timezone,
    check_email,
    local_today,
    reset_template,
    save_prefs,
    save_template,
    sender,
    templates,
    time_zones,
)
from cardscan.outreach.today import GROUPS, TodayItem, grouped, today_items, touch_draft
from cardscan.outreach.words import ago_in_words, due_in_words

__all__ = [
    "DEFAULT_TEMPLATES",
    "GROUPS",
    "PLACEHOLDERS",
    "TEMPLATE_KINDS",
    "Draft",
    "Drafter",
    "HistoryLine",
    "Sender",
    "Template",
    "TodayItem",
    "act",
    "ago_in_words",
    "as_text",
    "check_email",
    "check_template",
    "due_in_words",
    "first_name",
    "grouped",
    "history",
    "local_today",
    "mailto_link",
    "personal_detail",
    "reset_template",
    "adopt_timezone",
    "save_prefs",
    "save_template",
    "sender",
    "template_kind",
    "templates",
    "time_zones",
    "today_items",
    "touch_draft",
    "undo",
]
