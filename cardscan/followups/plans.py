"""Plans become dated touches; touches move when they are done, snoozed or skipped (pure).

Records in, new records out: the store saves what these return (``cardscan/store/touches.py``)
and ``cardscan.followups.service`` ties the two together.

A touch's ``title`` holds the *why* ("send deck", "check in"); :func:`touch_summary` makes the
calendar line ("Follow up: Ana Ruiz — send deck") from it and the contact's current name, so a
name corrected in triage shows up in the calendar without rescheduling anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from cardscan.errors import ValidationError
from cardscan.followups.text import one_line
from cardscan.followups.when import next_occurrence, parse_when
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

#: The plan every user starts with: thank-you +1 day, check-in +3 weeks, keep-in-touch +90 days.
DEFAULT_STEPS: tuple[PlanStep, ...] = DEFAULT_PLAN_STEPS

#: Touch kinds that do not come from a plan step.
REASON_KIND = "reason"
DATE_KINDS = ("birthday", "anniversary", "other")


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


def split_reasons(
    reasons: Iterable[Reason], base: date, today: date
) -> tuple[list[str], dict[str, date]]:
    """Reasons as (undated texts, {text: own due date, never before today}), each text once."""
    undated: list[str] = []
    dated: dict[str, date] = {}
    for reason in reasons:
        text = one_line(reason.text)
        if not text:
            continue
        due = reason_due(reason, base)
        if due is None:
            if text not in undated:
                undated.append(text)
        else:
            dated.setdefault(text, max(due, today))
    return undated, dated


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
    undated, dated = split_reasons(reasons, base, today)
    touches = [
        _new_touch(contact, REASON_KIND, text, due, now, None) for text, due in dated.items()
    ]
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
