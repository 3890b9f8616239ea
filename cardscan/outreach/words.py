"""Days said as a person says them: "tomorrow", "in 3 weeks", "2 days late", "last week".

The Today view, the digest and the drafts all speak of days this way; the rules live here
once (a day's own label, "Fri 12 Dec", is ``followups.wording.day_label``). The wording
is a product decision (what a list of follow-ups should say), so it is
written out rather than taken from a general "humanize" library, whose "3 weeks ago" and
"a month from now" do not say *late*.
"""

from __future__ import annotations

from datetime import date

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(amount: int, unit: str) -> str:
    return f"{amount} {unit}" + ("" if amount == 1 else "s")


def _span(days: int) -> str:
    """A distance of at least one day: "3 days", "2 weeks", "4 months", "1 year"."""
    if days < 14:
        return _count(days, "day")
    if days < 60:
        return _count(round(days / 7), "week")
    if days < 365:
        return _count(round(days / 30.44), "month")
    return _count(round(days / 365.25), "year")


def due_in_words(day: date, today: date) -> str:
    """When a touch is due, from today: "today", "tomorrow", "Thursday", "in 3 weeks",
    "1 day late", "2 weeks late".

    Days later this week are named ("Thursday"); further out they are counted ("in 9
    days", "in 3 weeks", "in 4 months"); days gone by are "late".
    """
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta < 0:
        return f"{_span(-delta)} late"
    if delta < 7 and day.weekday() > today.weekday():
        return f"{day:%A}"
    return f"in {_span(delta)}"


def ago_in_words(day: date, today: date) -> str:
    """When something happened, as a message would say it: "today", "yesterday", "on
    Tuesday", "last week", "a few weeks ago", "in March", "in March 2025".

    Meant to follow a clause: "great to meet you at Web Summit *yesterday*".
    """
    delta = (today - day).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta < 7 and day.weekday() < today.weekday():
        return f"on {day:%A}"
    if delta < 14:
        return "last week"
    if delta < 35:
        return "a few weeks ago"
    if day.year == today.year:
        return f"in {day:%B}"
    return f"in {day:%B} {day.year}"


def number_in_words(amount: int) -> str:
    """Small counts as words ("three follow-ups"), larger ones as digits."""
    return _NUMBERS[amount] if 0 <= amount < len(_NUMBERS) else str(amount)
