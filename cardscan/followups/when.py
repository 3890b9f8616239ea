"""Due dates in free text ("coffee in March", "next week", "in 2 weeks", "2027-01-15")."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "few": 3,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE = re.compile(
    r"\bin\s+(\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\s+"
    r"(day|week|month|year)s?\b"
)
_NEXT = re.compile(r"\bnext\s+(week|month|year|" + "|".join(_WEEKDAYS) + r")\b")
# "in March", "by early May", "end of June": a preposition is required so that "may" the verb
# and "march" the verb do not become dates.
_PART = r"early|mid|late|the\s+end\s+of|end\s+of|the\s+start\s+of|start\s+of|beginning\s+of"
_IN_MONTH = re.compile(
    r"(?:\b(?:in|by|during|before|after|around|until|from|next)\s+(?:(" + _PART + r")[\s-]+)?"
    r"|\b(" + _PART + r")[\s-]+)"
    r"(" + _MONTH_RE + r")\b\.?(?:\s+(\d{4})\b)?(?!\s*\d)"
)
_MONTH_DAY = re.compile(r"\b(" + _MONTH_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!:)")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_RE + r")\b")
_WEEKDAY = re.compile(r"\b(?:on|this|by)\s+(" + "|".join(_WEEKDAYS) + r")\b")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (Jan 31 + 1 -> Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_date(month: int, day: int, reference: date) -> date:
    """The first ``month``/``day`` on or after the reference month; past months mean next year."""
    year = reference.year
    if month < reference.month:
        year += 1
    last = calendar.monthrange(year, month)[1]
    result = date(year, month, min(day, last))
    if result < reference and month == reference.month:
        # "in November", said in November: this month, not a year away.
        result = reference
    return result


def parse_when(text: str, reference: date) -> date | None:
    """Find a due date in free text ("coffee in March", "next week", "in 2 weeks", "2026-03-15").

    Args:
        text: a reason as typed or dictated.
        reference: the day relative phrases count from (the event's last day).

    Returns:
        The date, or ``None`` when the text names no date. A month already past this year
        means next year.
    """
    lowered = " ".join(text.lower().split())
    if m := _ISO.search(lowered):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    if re.search(r"\btomorrow\b", lowered):
        return reference + timedelta(days=1)
    if m := _RELATIVE.search(lowered):
        amount = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
        unit = m[2]
        if unit == "day":
            return reference + timedelta(days=amount)
        if unit == "week":
            return reference + timedelta(weeks=amount)
        return add_months(reference, amount * (12 if unit == "year" else 1))
    if m := _NEXT.search(lowered):
        unit = m[1]
        if unit == "week":
            return reference + timedelta(weeks=1)
        if unit == "month":
            return add_months(reference, 1)
        if unit == "year":
            return add_months(reference, 12)
        if unit not in _MONTHS:
            ahead = (_WEEKDAYS[unit] - reference.weekday()) % 7 or 7
            return reference + timedelta(days=ahead + 7 * (ahead < 2))
    if m := _MONTH_DAY.search(lowered):
        if 1 <= int(m[2]) <= 31:
            return _month_date(_MONTHS[m[1]], int(m[2]), reference)
    if m := _DAY_MONTH.search(lowered):
        if 1 <= int(m[1]) <= 31:
            return _month_date(_MONTHS[m[2]], int(m[1]), reference)
    if m := _IN_MONTH.search(lowered):
        month = _MONTHS[m[3]]
        part = (m[1] or m[2] or "").replace("the ", "")
        year = int(m[4]) if m[4] else reference.year + (month < reference.month)
        if part == "mid":
            day = 15
        elif part in ("late", "end of"):
            day = calendar.monthrange(year, month)[1]
        else:
            day = 1
        if m[4]:
            return max(date(year, month, day), reference)
        return _month_date(month, day, reference)
    if m := _WEEKDAY.search(lowered):
        ahead = (_WEEKDAYS[m[1]] - reference.weekday()) % 7 or 7
        return reference + timedelta(days=ahead)
    return None


def next_occurrence(month: int, day: int, today: date) -> date:
    """The next ``month``/``day`` on or after today; Feb 29 falls on Feb 28 in other years."""
    for year in (today.year, today.year + 1, today.year + 2):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(day, last))
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: a date recurs within two years")  # pragma: no cover
