"""Follow-up plans become dated touches; touches move when they are done, snoozed or skipped.

Everything here is pure: records in, new records out. The store saves what these return
(``cardscan/store/touches.py``) and :func:`plan_contact` ties the two together.

A touch's ``title`` holds the *why* ("send deck", "check in"); :func:`touch_summary` makes the
calendar line ("Follow up: Ana Ruiz — send deck") from it and the contact's current name, so a
name corrected in triage shows up in the calendar without rescheduling anything.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from cardscan.errors import ValidationError
from cardscan.models import (
    Contact,
    ContactRecord,
    Event,
    ImportantDate,
    Plan,
    PlanStep,
    Reason,
    Touch,
)
from cardscan.store.touches import DEFAULT_PLAN_NAME, DEFAULT_PLAN_STEPS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

#: The plan every user starts with: thank-you +1 day, check-in +3 weeks, keep-in-touch +90 days.
DEFAULT_STEPS: tuple[PlanStep, ...] = DEFAULT_PLAN_STEPS

#: Touch kinds that do not come from a plan step.
REASON_KIND = "reason"
DATE_KINDS = ("birthday", "anniversary", "other")

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


# Line breaks of every kind become "\n"; other control characters (C0 but tab, DEL, C1) go:
# iCalendar and vCard forbid them in text, and parsers split lines on some of them.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def clean_text(text: str | None) -> str:
    """The text with every line break made "\n" and other control characters removed."""
    if not text:
        return ""
    if text.isprintable() or text.replace("\n", "").isprintable():  # the common cases
        return text
    return _CONTROLS.sub("", _NEWLINES.sub("\n", text or ""))


def one_line(text: str | None) -> str:
    """The text cleaned, with runs of whitespace (newlines too) made single spaces."""
    return " ".join(clean_text(text).split())


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


def display_name(contact: Contact) -> str:
    """The contact's name, else the company, else the first e-mail, else "(no name)"."""
    for value in (contact.name, contact.company, *contact.emails):
        if one_line(value):
            return one_line(value)
    return "(no name)"


def touch_why(touch: Touch, company: str | None) -> str:
    """The "why" half of a summary: the title; keep-in-touch asks "still at <company>?"."""
    why = one_line(touch.title) or touch.kind.replace("_", " ")
    if touch.kind == "keep_in_touch" and one_line(company):
        why = f"{why}: still at {one_line(company)}?"
    return why


def touch_summary(touch: Touch, contact: Contact) -> str:
    """The calendar line: "Follow up: Ana Ruiz — send deck"; keep-in-touch asks after the job."""
    return summary_line(display_name(contact), touch_why(touch, contact.company))


def summary_line(name: str, why: str) -> str:
    """ "Follow up: <name> — <why>" (the one place that format is written)."""
    return f"Follow up: {name} — {why}"


def default_plan(user_id: int = 0) -> Plan:
    """The built-in plan (not yet stored: ``id`` 0)."""
    return Plan(id=0, user_id=user_id, name=DEFAULT_PLAN_NAME, steps=DEFAULT_STEPS, is_default=True)


def validate_steps(steps: Sequence[PlanStep]) -> tuple[PlanStep, ...]:
    """Check a plan's steps: at least one, kinds and labels given, offsets 0..3650 days.

    Raises:
        ValidationError: naming the bad step and how to fix it.
    """
    if not steps:
        raise ValidationError("a plan needs at least one step, e.g. 'thank you' after 1 day.")
    for index, step in enumerate(steps, 1):
        if not step.kind.strip() or not step.label.strip():
            raise ValidationError(f"plan step {index} needs a kind and a label, got {step!r}.")
        if not 0 <= step.offset_days <= 3650:
            raise ValidationError(
                f"plan step {index} ({step.label!r}) is {step.offset_days} days after the event:"
                " use 0 to 3650 days."
            )
    return tuple(steps)


def reason_due(reason: Reason, reference: date) -> date | None:
    """A reason's own due date: the stored one, else one parsed from its text."""
    return reason.due or parse_when(reason.text, reference)


def _new_touch(
    contact: ContactRecord, kind: str, title: str, due: date, now: datetime, step: int | None
) -> Touch:
    return Touch(
        id=0,
        user_id=contact.user_id,
        contact_id=contact.id,
        kind=kind,
        title=title,
        due=due,
        created=now,
        updated=now,
        step=step,
    )


def _date_title(item: ImportantDate) -> str:
    if one_line(item.label):
        return one_line(item.label)
    return item.kind.replace("_", " ")


def date_touch(contact: ContactRecord, item: ImportantDate, today: date, now: datetime) -> Touch:
    """The touch for the next occurrence of an important date (kind: the date's kind)."""
    due = next_occurrence(item.month, item.day, today)
    return _new_touch(contact, item.kind, _date_title(item), due, now, None)


def schedule(
    contact: ContactRecord,
    event: Event | None,
    plan: Plan | Sequence[PlanStep],
    reasons: Iterable[Reason],
    today: date,
    *,
    now: datetime | None = None,
) -> list[Touch]:
    """The touches a contact gets: the plan's steps, dated reasons and important dates.

    Steps count from the event's last day (today when there is no event); a step already in
    the past falls on today. Reasons without their own date title the first step ("send deck;
    intro"); a reason with a date ("coffee in March") becomes its own touch. Each important
    date gives a touch on its next occurrence. The touches are new (``id`` 0).

    Args:
        contact: the stored contact.
        event: where you met (its ``end`` is the base date), or ``None``.
        plan: a plan or its steps.
        reasons: why to follow up.
        today: the current day (steps are never scheduled before it).
        now: the creation timestamp (default: the current UTC time).

    Returns:
        The new touches, sorted by due date.
    """
    now = now or datetime.now(UTC)
    steps = plan.steps if isinstance(plan, Plan) else tuple(plan)
    base = event.end if event else today
    undated: list[str] = []
    touches: list[Touch] = []
    for reason in reasons:
        text = one_line(reason.text)
        if not text:
            continue
        due = reason_due(reason, base)
        if due is None:
            if text not in undated:
                undated.append(text)
        else:
            touches.append(_new_touch(contact, REASON_KIND, text, max(due, today), now, None))
    for index, step in enumerate(steps):
        title = step.label
        if index == 0 and undated:
            title = "; ".join(undated)
        due = max(base + timedelta(days=step.offset_days), today)
        touches.append(_new_touch(contact, step.kind, title, due, now, index))
    if not steps and undated:
        touches.append(_new_touch(contact, REASON_KIND, "; ".join(undated), today, now, None))
    for item in contact.dates:
        touches.append(date_touch(contact, item, today, now))
    return sorted(touches, key=lambda t: (t.due, t.step if t.step is not None else -1, t.title))


def _moved(touch: Touch, now: datetime, **changes: object) -> Touch:
    return replace(touch, sequence=touch.sequence + 1, updated=now, **changes)  # type: ignore[arg-type]


def _check_open(touch: Touch, action: str) -> None:
    if not touch.is_open:
        raise ValidationError(
            f"touch {touch.id} is already {touch.status}; only due or snoozed touches can be"
            f" {action}."
        )


def mark_done(touch: Touch, now: datetime) -> Touch:
    """The touch marked done (it leaves the feed).

    Raises:
        ValidationError: the touch is already closed.
    """
    _check_open(touch, "marked done")
    return _moved(touch, now, status="done")


def skip(touch: Touch, now: datetime) -> Touch:
    """The touch skipped (it leaves the feed).

    Raises:
        ValidationError: the touch is already closed.
    """
    _check_open(touch, "skipped")
    return _moved(touch, now, status="skipped")


def snooze(touch: Touch, until: date, today: date, now: datetime) -> Touch:
    """The touch snoozed until a later day (it moves there in the calendar).

    Raises:
        ValidationError: the touch is closed, or ``until`` is not after today.
    """
    _check_open(touch, "snoozed")
    if until <= today:
        raise ValidationError(
            f"snooze date {until.isoformat()} is not after today ({today.isoformat()}):"
            " give a later date, e.g. --until " + (today + timedelta(days=7)).isoformat() + "."
        )
    return _moved(touch, now, status="snoozed", snoozed_until=until)


def move(touch: Touch, due: date, now: datetime) -> Touch:
    """The touch moved to another day (a contact's own edit); it becomes due again.

    Raises:
        ValidationError: the touch is already closed.
    """
    _check_open(touch, "moved")
    return _moved(touch, now, due=due, status="due", snoozed_until=None)


def next_yearly(touch: Touch, dates: Sequence[ImportantDate], now: datetime) -> Touch | None:
    """After a date touch (birthday, anniversary) closes: next year's touch, else ``None``.

    The contact's dates are given so that a Feb 29 birthday shown on Feb 28 in a common year
    returns to Feb 29 in the next leap year.
    """
    if touch.kind not in DATE_KINDS or touch.step is not None or touch.is_open:
        return None
    month, day = touch.due.month, touch.due.day
    for item in dates:
        if item.kind == touch.kind and _date_title(item) == touch.title and item.month == month:
            day = item.day
            break
    following = next_occurrence(month, day, touch.due + timedelta(days=1))
    return replace(
        touch,
        id=0,
        status="due",
        snoozed_until=None,
        sequence=0,
        due=following,
        created=now,
        updated=now,
    )


def log_contact(touches: Sequence[Touch], today: date, now: datetime) -> list[Touch]:
    """Being in touch today: close the current touch and re-base the later plan touches.

    The current touch is the open plan touch earliest in the plan (else the earliest open
    touch showing by today). It is marked done; each open plan touch after it in the plan
    keeps its distance from it but counts from today (never before today), so the cadence
    restarts; a snoozed one is un-snoozed. Reason and date touches keep their days.

    Returns:
        The changed touches (the closed one first); empty when nothing was open.
    """
    open_plan = sorted(
        (t for t in touches if t.is_open and t.step is not None),
        key=lambda t: (t.step, t.due, t.id),
    )
    if not open_plan:
        due_now = sorted((t for t in touches if t.is_open and t.when <= today), key=_order)
        return [mark_done(due_now[0], now)] if due_now else []
    current = open_plan[0]
    changed = [mark_done(current, now)]
    for later in open_plan[1:]:
        new_due = max(today + (later.due - current.due), today)
        if new_due != later.due or later.status != "due":
            changed.append(_moved(later, now, due=new_due, status="due", snoozed_until=None))
    return changed


def _order(touch: Touch) -> tuple[date, int, int]:
    return (touch.when, touch.step if touch.step is not None else -1, touch.id)


def replan(
    contact: ContactRecord,
    touches: Sequence[Touch],
    event: Event | None,
    plan: Plan,
    today: date,
    now: datetime,
) -> tuple[list[Touch], list[Touch]]:
    """Switch a contact to another plan: its open plan touches follow the new steps.

    Step *i*'s open touch moves to the new step *i* (same UID, sequence raised); steps already
    done or skipped stay closed; open touches beyond the new plan are skipped; missing steps
    are created. Reason and date touches are left alone.

    Returns:
        ``(changed, new)``: stored touches that changed, and new touches to add.
    """
    base = event.end if event else today
    by_step: dict[int, Touch] = {}
    closed_steps: set[int] = set()
    changed: list[Touch] = []
    for touch in sorted(touches, key=_order):
        if touch.step is None:
            continue
        if not touch.is_open:
            closed_steps.add(touch.step)
        elif touch.step in by_step or touch.step >= len(plan.steps):
            changed.append(skip(touch, now))
        else:
            by_step[touch.step] = touch
    new: list[Touch] = []
    for index, step in enumerate(plan.steps):
        due = max(base + timedelta(days=step.offset_days), today)
        existing = by_step.get(index)
        if existing is not None:
            title = existing.title if index == 0 and existing.kind == step.kind else step.label
            if (existing.due, existing.kind, existing.title, existing.status) != (
                due,
                step.kind,
                title,
                "due",
            ):
                changed.append(
                    _moved(
                        existing,
                        now,
                        due=due,
                        kind=step.kind,
                        title=title,
                        status="due",
                        snoozed_until=None,
                    )
                )
        elif index not in closed_steps:
            new.append(_new_touch(contact, step.kind, step.label, due, now, index))
    return sorted(changed, key=lambda t: t.id), new


# --- tying the library to the store ---------------------------------------------------------


def _event_for(store: Store, user_id: int, contact: ContactRecord) -> Event | None:
    """The latest event the contact was met at (its last day is the plan's base)."""
    events = [store.get_event(user_id, m.event_id) for m in contact.meetings]
    return max(events, key=lambda e: (e.end, e.id)) if events else None


def _plan_for(store: Store, user_id: int, contact: ContactRecord) -> Plan:
    if contact.plan_id is not None:
        return store.get_plan(user_id, contact.plan_id)
    return store.default_plan(user_id)


def _save(store: Store, user_id: int, touch: Touch, now: datetime) -> Touch:
    """Write a touch changed by a pure function (the store raises its sequence once)."""
    return store.update_touch(
        user_id,
        touch.id,
        kind=touch.kind,
        title=touch.title,
        due=touch.due,
        status=touch.status,
        snoozed_until=touch.snoozed_until,
        step=touch.step,
        updated=now,
    )


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def plan_contact(
    store: Store, user_id: int, contact_id: int, today: date, *, now: datetime | None = None
) -> list[Touch]:
    """Schedule a contact's touches, or bring them up to date after its reasons changed.

    The first time: the contact's plan (or the user's default plan) from the last event
    where you met, plus dated reasons and important dates. Later calls are idempotent: the
    first open step's title follows the undated reasons, new dated reasons and dates get
    touches, and open touches of deleted reasons are skipped. Call it when a card is done
    (triaged) and whenever a contact's reasons or dates change.

    Args:
        store: the open store.
        user_id: the owner.
        contact_id: the contact.
        today: the current day.
        now: the timestamp to record (default: now, UTC).

    Returns:
        The touches added or changed.

    Raises:
        NotFoundError: the user has no such contact.
    """
    now = _now(now)
    record = store.get_contact(user_id, contact_id)
    event = _event_for(store, user_id, record)
    existing = store.touches(user_id, contact_id=contact_id, open_only=False)
    with store.atomic():
        if not any(t.step is not None for t in existing):
            plan = _plan_for(store, user_id, record)
            fresh = schedule(record, event, plan, record.reasons, today, now=now)
            have = {(t.kind, t.title) for t in existing if t.is_open or t.kind == REASON_KIND}
            return store.add_touches(user_id, [t for t in fresh if (t.kind, t.title) not in have])
        base = event.end if event else today
        undated: list[str] = []
        dated: dict[str, date] = {}
        for reason in record.reasons:
            text = one_line(reason.text)
            if not text:
                continue
            due = reason_due(reason, base)
            if due is None:
                if text not in undated:
                    undated.append(text)
            else:
                dated.setdefault(text, max(due, today))
        changed: list[Touch] = []
        first = next((t for t in existing if t.step == 0 and t.is_open), None)
        if first is not None:
            plan = _plan_for(store, user_id, record)
            label = plan.steps[0].label if plan.steps else first.title
            want = "; ".join(undated) or label
            if first.title != want:
                changed.append(store.update_touch(user_id, first.id, title=want, updated=now))
        reason_touches = [t for t in existing if t.kind == REASON_KIND and t.step is None]
        for touch in reason_touches:
            if touch.is_open and touch.title not in dated:
                changed.append(_save(store, user_id, skip(touch, now), now))
        titles = {t.title for t in reason_touches}
        new = [
            _new_touch(record, REASON_KIND, text, due, now, None)
            for text, due in dated.items()
            if text not in titles
        ]
        open_dates = {(t.kind, t.title) for t in existing if t.is_open and t.step is None}
        for item in record.dates:
            if (item.kind, _date_title(item)) not in open_dates:
                new.append(date_touch(record, item, today, now))
        return changed + store.add_touches(user_id, new)


def plan_contacts(
    store: Store,
    user_id: int,
    today: date,
    *,
    event_id: int | None = None,
    contact_id: int | None = None,
    now: datetime | None = None,
) -> list[Touch]:
    """:func:`plan_contact` for one contact, an event's contacts, or all of a user's.

    Raises:
        NotFoundError: no such event or contact for this user.
    """
    if contact_id is not None:
        ids = [store.get_contact(user_id, contact_id).id]
    else:
        if event_id is not None:
            store.get_event(user_id, event_id)
        ids = [r.id for r in store.contacts(user_id, event_id=event_id)]
    changed: list[Touch] = []
    for cid in ids:
        changed += plan_contact(store, user_id, cid, today, now=now)
    return changed


def switch_plan(
    store: Store,
    user_id: int,
    contact_id: int,
    plan_id: int,
    today: date,
    *,
    now: datetime | None = None,
) -> list[Touch]:
    """Give a contact another plan and re-plan its open touches (see :func:`replan`).

    Returns:
        The touches changed or added.

    Raises:
        NotFoundError: no such contact or plan for this user.
    """
    now = _now(now)
    plan = store.get_plan(user_id, plan_id)
    with store.atomic():
        store.update_contact(user_id, contact_id, {"plan_id": plan_id})
        record = store.get_contact(user_id, contact_id)
        touches = store.touches(user_id, contact_id=contact_id, open_only=False)
        changed, new = replan(record, touches, _event_for(store, user_id, record), plan, today, now)
        saved = [_save(store, user_id, t, now) for t in changed]
        saved += store.add_touches(user_id, new)
        refreshed = plan_contact(store, user_id, contact_id, today, now=now)
    by_id = {t.id: t for t in saved}
    by_id.update({t.id: t for t in refreshed})
    return sorted(by_id.values(), key=_order)


def _close(store: Store, user_id: int, closed: Touch, now: datetime) -> Touch:
    saved = _save(store, user_id, closed, now)
    if saved.kind in DATE_KINDS and saved.step is None:
        record = store.get_contact(user_id, saved.contact_id)
        if (following := next_yearly(saved, record.dates, now)) is not None:
            store.add_touches(user_id, [following])
    return saved


def done_touch(store: Store, user_id: int, touch_id: int, *, now: datetime | None = None) -> Touch:
    """Mark a touch done (a birthday or anniversary touch then makes next year's).

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is already closed.
    """
    now = _now(now)
    with store.atomic():
        return _close(store, user_id, mark_done(store.get_touch(user_id, touch_id), now), now)


def skip_touch(store: Store, user_id: int, touch_id: int, *, now: datetime | None = None) -> Touch:
    """Skip a touch (a birthday or anniversary touch then makes next year's).

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is already closed.
    """
    now = _now(now)
    with store.atomic():
        return _close(store, user_id, skip(store.get_touch(user_id, touch_id), now), now)


def snooze_touch(
    store: Store,
    user_id: int,
    touch_id: int,
    until: date,
    today: date,
    *,
    now: datetime | None = None,
) -> Touch:
    """Snooze a touch until a later day.

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is closed or the day is not after today.
    """
    now = _now(now)
    with store.atomic():
        touch = snooze(store.get_touch(user_id, touch_id), until, today, now)
        return _save(store, user_id, touch, now)


def move_touch(
    store: Store, user_id: int, touch_id: int, due: date, *, now: datetime | None = None
) -> Touch:
    """Move a touch to another day (a contact's own edit).

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is closed.
    """
    now = _now(now)
    with store.atomic():
        return _save(store, user_id, move(store.get_touch(user_id, touch_id), due, now), now)


def record_contact(
    store: Store, user_id: int, contact_id: int, today: date, *, now: datetime | None = None
) -> list[Touch]:
    """Log that you were in touch today: close the current touch, re-base the later ones.

    Returns:
        The changed touches (the closed one first); empty when nothing was open.

    Raises:
        NotFoundError: the user has no such contact.
    """
    now = _now(now)
    store.get_contact(user_id, contact_id)
    with store.atomic():
        touches = store.touches(user_id, contact_id=contact_id, open_only=True)
        changed = log_contact(touches, today, now)
        return [
            _close(store, user_id, t, now) if not t.is_open else _save(store, user_id, t, now)
            for t in changed
        ]


def followup_list(
    store: Store, user_id: int, *, due_before: date | None = None
) -> list[dict[str, object]]:
    """Open touches as JSON-ready rows: id, day, status, summary, contact id, kind, sequence."""
    touches = store.touches(user_id, open_only=True, due_before=due_before)
    contacts: dict[int, ContactRecord] = {}
    rows: list[dict[str, object]] = []
    for touch in touches:
        if touch.contact_id not in contacts:
            contacts[touch.contact_id] = store.get_contact(user_id, touch.contact_id)
        rows.append(
            {
                "id": touch.id,
                "when": touch.when.isoformat(),
                "status": touch.status,
                "summary": touch_summary(touch, contacts[touch.contact_id].contact),
                "contact_id": touch.contact_id,
                "kind": touch.kind,
                "sequence": touch.sequence,
            }
        )
    return rows
