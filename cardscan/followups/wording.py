"""A touch said as a person would say it (pure; the one home for that wording).

The follow-ups list, the Today view, the digest, drafts and the calendar all say a touch the
same way:

- a promise (a reason with a date): "you said: send the deck — by Fri 12 Dec";
- the cadence's first touch: "thank-you", naming the undated reasons when there are some
  ("thank-you: send deck; intro");
- the keep-in-touch step asks the networking question: "still at Acme as CTO?";
- an important date: its label ("birthday");
- any other step: its title ("check in").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from cardscan.followups.text import one_line
from cardscan.models import Contact, Touch

#: The kind of a promise's touch (a reason with a date of its own).
PROMISE_KIND = "reason"
#: Titles a thank-you step has when no reason names it (the plan's own labels).
_THANKS = ("thank you", "thanks", "thank-you", "thank you note", "say thanks")


def day_label(day: date, today: date) -> str:
    """A day as people write it: "Fri 12 Dec", with the year when it is not this year's
    ("Tue 10 Mar 2027"). English names whatever the locale, so the output is stable."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_promise(touch: Touch) -> bool:
    """True for a promise: a touch of its own for a reason with a date (not a plan step)."""
    return touch.kind == PROMISE_KIND and touch.step is None


def job_question(contact: Contact) -> str:
    """The keep-in-touch question: "still at Acme as CTO?" (or the part that is known);
    "" when neither company nor title is known."""
    company, title = one_line(contact.company), one_line(contact.title)
    if company and title:
        return f"still at {company} as {title}?"
    if company:
        return f"still at {company}?"
    if title:
        return f"still {title}?"
    return ""


#: How a closed touch is said in a contact's history: the user's own acts, and the app's.
_CLOSED = {
    (None, "done"): "done",
    (None, "skipped"): "skipped",
    ("merge", "skipped"): "merged with a duplicate",
    ("plan", "skipped"): "replaced by a plan change",
    ("reason", "skipped"): "its reason changed",
}


def closed_words(touch: Touch) -> str:
    """How a closed touch ended, in a contact's history: "done", "skipped" (only when the
    user skipped it), "merged with a duplicate", "replaced by a plan change"."""
    return _CLOSED.get((touch.closed_by, touch.status), touch.status)


def job_history(
    corrections: Sequence[Mapping[str, Any]], contact: Contact
) -> list[tuple[str, str, str]]:
    """Earlier jobs from a contact's corrections: ``(title, company, until)``, newest first.

    Walking back from the contact as it is now, each change of title or company gives what
    was there before it and the day it changed, so the contact page shows "CTO at Acme,
    until 2027-03-01" instead of losing it.
    """
    jobs = [row for row in corrections if row.get("field") in ("title", "company")]
    state = {"title": contact.title or "", "company": contact.company or ""}
    earlier: list[tuple[str, str, str]] = []
    for index in range(len(jobs) - 1, -1, -1):
        row = jobs[index]
        name = str(row["field"])
        before = next(
            (r.get("final_value") for r in reversed(jobs[:index]) if r["field"] == name),
            row.get("ocr_value"),
        )
        state = {**state, name: str(before or "")}
        job = (state["title"], state["company"], str(row.get("corrected", ""))[:10])
        if (job[0] or job[1]) and job[:2] != (contact.title or "", contact.company or ""):
            earlier.append(job)
    return earlier


def touch_words(touch: Touch, contact: Contact, *, today: date | None = None) -> str:
    """What a touch is about, as a person says it.

    Args:
        touch: the touch.
        contact: the contact it is for (for the keep-in-touch question).
        today: when given, a promise says by when ("— by Fri 12 Dec"); the calendar leaves
            it out (the event is on that day already).

    Returns:
        "you said: send the deck — by Fri 12 Dec", "thank-you", "thank-you: send deck",
        "still at Acme as CTO?", "birthday", "check in", ...
    """
    title = one_line(touch.title) or touch.kind.replace("_", " ")
    if is_promise(touch):
        said = f"you said: {title}"
        return f"{said} — by {day_label(touch.due, today)}" if today is not None else said
    if touch.kind == "keep_in_touch":
        return job_question(contact) or title
    if touch.kind == "thank_you":
        if title.lower() in _THANKS:
            return "thank-you"
        return f"thank-you: {title}"
    return title
