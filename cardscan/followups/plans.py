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
from cardscan.followups.when import add_months, next_occurrence, parse_when
from cardscan.followups.wording import PROMISE_KIND, touch_words
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

#: Touch kinds that do not come from a plan step: a promise (a reason with a date) and
#: important dates.
REASON_KIND = PROMISE_KIND
DATE_KINDS = ("birthday", "anniversary", "other")


def display_name(contact: Contact) -> str:
    """The contact's name, else the company, else the first e-mail, else "(no name)"."""
    for value in (contact.name, contact.company, *contact.emails):
        if one_line(value):
            return one_line(value)
    return "(no name)"


def touch_why(touch: Touch, contact: Contact) -> str:
    """The "why" half of a summary, as a person says it (see ``wording.touch_words``)."""
    return touch_words(touch, contact)


def touch_summary(touch: Touch, contact: Contact) -> str:
    """The calendar line: "Follow up: Ana Ruiz — you said: send deck"; keep-in-touch asks
    "still at Acme as CTO?"."""
    return summary_line(display_name(contact), touch_why(touch, contact))


def summary_line(name: str, why: str) -> str:
    """ "Follow up: <name> — <why>" (the one place that format is written)."""
    return f"Follow up: {name} — {why}"


def is_provisional(touch: Touch, contact: ContactRecord) -> bool:
    """True for a plan step of a contact with no plan chosen yet: it follows the user's
    default plan until one is chosen (in triage, or on the contact's page)."""
    return contact.plan_id is None and touch.step is not None


def default_plan(user_id: int = 0) -> Plan:
    """The built-in plan (not yet stored: ``id`` 0)."""
    return Plan(id=0, user_id=user_id, name=DEFAULT_PLAN_NAME, steps=DEFAULT_STEPS, is_default=True)


#: Units a plan step's distance is given in, and the kinds a step can be.
STEP_UNITS = ("days", "weeks", "months")
STEP_KINDS = ("thank_you", "check_in", "keep_in_touch")


def plan_step(kind: str, label: str, amount: int | str, unit: str) -> PlanStep:
    """A plan step from what the editor gives: "check in", 3, "weeks".

    Raises:
        ValidationError: an unknown kind or unit, no title, or a distance that is not a whole
            number from 0 to 10 years.
    """
    label = one_line(label)
    if not label:
        raise ValidationError("each step needs a title, e.g. 'check in'.")
    if kind not in STEP_KINDS:
        raise ValidationError(f"step kind {kind[:30]!r} is unknown: use {', '.join(STEP_KINDS)}.")
    if unit not in STEP_UNITS:
        raise ValidationError(f"step {label!r}: {unit[:20]!r} is not days, weeks or months.")
    try:
        count = int(str(amount).strip())
    except ValueError:
        raise ValidationError(
            f"step {label!r}: {str(amount)[:20]!r} is not a whole number of {unit}."
        ) from None
    limit = {"days": 3650, "weeks": 520, "months": 120}[unit]
    if not 0 <= count <= limit:
        raise ValidationError(f"step {label!r}: use 0 to {limit} {unit}, not {count}.")
    if unit == "months":
        return PlanStep(kind, label, 0, months=count)
    return PlanStep(kind, label, count * (7 if unit == "weeks" else 1))


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
    """Reasons as (undated texts, {text: own due date, never before today}), each text once
    (in the undated list when it is given both with and without a date)."""
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
    # The same text given with and without a date is one reason: the first touch carries it.
    return undated, {text: due for text, due in dated.items() if text not in undated}


def lead_reasons(reasons: Iterable[Reason], base: date, today: date) -> tuple[str, dict[str, date]]:
    """What the cadence's first touch names, and the promises: ``(title, {text: day})``.

    Reasons without a date title the first touch ("send deck; intro"). A reason with a date
    (given, picked in When, or found in its words) is a promise: a touch of its own on that
    day, beside the cadence, never the cadence's first step. No reasons: ``("", {})``.
    """
    undated, dated = split_reasons(reasons, base, today)
    return "; ".join(undated), dated


def step_day(step: PlanStep, base: date) -> date:
    """A step's day as the plan has it: its distance (days, weeks or months) from the base."""
    return add_months(base, step.months) + timedelta(days=step.offset_days)


def step_days(steps: Sequence[PlanStep], base: date, today: date) -> list[date]:
    """Each step's day: its distance from the event's last day, never before today."""
    return [max(step_day(step, base), today) for step in steps]


def planned_days(steps: Sequence[PlanStep], base: date, today: date) -> list[date | None]:
    """The day of each step that gets a touch, ``None`` for a step folded into a later one.

    As :func:`step_days`, except that steps already past do not all pile up on today: when
    two or more steps fall on or before today and one of them is past (the cards of an old
    event imported, or captured into it, long after it ended), only the latest of them gets
    a touch, on the first step's day or today, whichever is later; the earlier ones get
    none. Steps still ahead keep their days, and a single past step simply falls on today.
    """
    if not steps:
        return []
    days: list[date | None] = list(step_days(steps, base, today))
    dates = [step_day(step, base) for step in steps]
    past = [index for index, day in enumerate(dates) if day <= today]
    if len(past) < 2 or all(dates[index] == today for index in past):
        return days
    latest = max(past, key=lambda index: (dates[index], index))
    collapsed = days[0]
    for index in past:
        days[index] = collapsed if index == latest else None
    return days


def _lead_step(days: Sequence[date | None]) -> int | None:
    """The step that carries the reasons: the first one that gets a touch."""
    return next((index for index, day in enumerate(days) if day is not None), None)


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
    the past falls on today, and several past steps become one touch, the latest of them
    (:func:`planned_days`). Reasons without a date title the first step that gets a touch
    ("send deck; intro"); a reason with a date ("send deck" by Friday, "coffee in March")
    is a promise, a touch of its own on that day beside the cadence (:func:`lead_reasons`).
    Each important date gives a touch on its next occurrence. The touches are new (``id`` 0).

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
    lead, dated = lead_reasons(reasons, base, today)
    touches = [
        _new_touch(contact, REASON_KIND, text, due, now, None) for text, due in dated.items()
    ]
    days = planned_days(steps, base, today)
    lead_step = _lead_step(days)
    for index, (step, due) in enumerate(zip(steps, days, strict=True)):
        if due is None:
            continue  # an old event: folded into the latest past step
        title = lead if index == lead_step and lead else step.label
        touches.append(_new_touch(contact, step.kind, title, due, now, index))
    if not steps and lead:
        touches.append(_new_touch(contact, REASON_KIND, lead, today, now, None))
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


def skip(touch: Touch, now: datetime, *, by: str | None = None) -> Touch:
    """The touch skipped (it leaves the feed); ``by`` names the app's reason when the user
    did not skip it ("plan": a plan switched; "reason": its reason removed or carried).

    Raises:
        ValidationError: the touch is already closed.
    """
    _check_open(touch, "skipped")
    return _moved(touch, now, status="skipped", closed_by=by)


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
    """Being in touch today: close the cadence's current touch and re-base its later ones.

    The current touch is the open plan touch earliest in the plan. It is marked done; each
    open plan touch after it in the plan keeps its distance from it but counts from today
    (never before today), so the cadence restarts; a snoozed one is un-snoozed. Promises and
    important dates are not the cadence: they stay until done, skipped or moved.

    Returns:
        The changed touches (the closed one first); empty when no plan touch was open.
    """
    open_plan = sorted(
        (t for t in touches if t.is_open and t.step is not None),
        key=lambda t: (t.step, t.due, t.id),
    )
    if not open_plan:
        return []
    current = open_plan[0]
    changed = [mark_done(current, now)]
    for later in open_plan[1:]:
        new_due = max(today + (later.due - current.due), today)
        if new_due != later.due or later.status != "due":
            changed.append(_moved(later, now, due=new_due, status="due", snoozed_until=None))
    return changed


def shift_plan(touches: Sequence[Touch], days: int, today: date, now: datetime) -> list[Touch]:
    """An event's last day moved by ``days``: its contact's due plan touches move as much.

    The cadence keeps its shape, re-based or not (a contact logged since keeps counting
    from that day); nothing moves before today, an overdue touch that would still be past
    stays where it is, a snoozed one keeps the day it was snoozed to, and promises and
    important dates keep theirs.

    Returns:
        The touches that moved.
    """
    moved: list[Touch] = []
    for touch in touches:
        if touch.status != "due" or touch.step is None or not days:
            continue
        day = _follow(touch.due, max(touch.due + timedelta(days=days), today), today)
        if day != touch.due:
            moved.append(_moved(touch, now, due=day))
    return moved


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

    Step *i*'s due touch moves to the new step *i* (same UID, sequence raised); steps already
    done or skipped stay closed, a snoozed one stays where it was snoozed to (the user chose
    that day) and an overdue one is not slid to today; other open touches beyond the new
    plan, or a second open touch for the same step, are skipped; missing steps are created,
    except past ones that :func:`planned_days` folds into a later step (a contact of an old
    event keeps one touch for them). The first step carries the undated reasons as
    :func:`schedule` does. Promises and date touches are left alone.

    Returns:
        ``(changed, new)``: stored touches that changed, and new touches to add.
    """
    base = event.end if event else today
    lead, _ = lead_reasons(contact.reasons, base, today)
    days = step_days(plan.steps, base, today)
    wanted = planned_days(plan.steps, base, today)
    plan_touches = sorted((t for t in touches if t.step is not None), key=_order)
    settled = {t.step for t in plan_touches if t.status != "due"}  # done, skipped, snoozed
    snoozed = {t.step for t in plan_touches if t.status == "snoozed"}
    by_step: dict[int, Touch] = {}
    changed: list[Touch] = []
    for touch in plan_touches:
        if touch.status != "due":
            continue
        assert touch.step is not None
        if touch.step in by_step or touch.step in snoozed or touch.step >= len(plan.steps):
            changed.append(skip(touch, now, by="plan"))
        else:
            by_step[touch.step] = touch
    new: list[Touch] = []
    # The reasons go on the first step that has, or gets, a touch (past steps of an old
    # event get none, see planned_days).
    kept = set(by_step) | settled
    lead_step = min(
        (i for i in range(len(plan.steps)) if i in kept or wanted[i] is not None), default=0
    )
    for index, step in enumerate(plan.steps):
        title = lead if index == lead_step and lead else step.label
        due = wanted[index] or days[index]
        existing = by_step.get(index)
        if existing is not None:
            due = _follow(existing.due, due, today)  # an overdue touch is not slid to today
            if (existing.due, existing.kind, existing.title) != (due, step.kind, title):
                changed.append(_moved(existing, now, due=due, kind=step.kind, title=title))
        elif index not in settled and wanted[index] is not None:
            new.append(_new_touch(contact, step.kind, title, due, now, index))
    return sorted(changed, key=lambda t: t.id), new


def _follow(old: date, new: date, today: date) -> date:
    """A due touch's new day, except that an overdue touch stays put rather than sliding to
    today each time the contact is re-planned (days before today are clamped to today)."""
    return old if old <= today and new <= today else new


def _parts(title: str) -> set[str]:
    """The reason texts a touch title stands for ("send deck; intro" -> both)."""
    return {title, *title.split("; ")}


def update_touches(
    contact: ContactRecord,
    touches: Sequence[Touch],
    event: Event | None,
    plan: Plan,
    today: date,
    now: datetime,
) -> tuple[list[Touch], list[Touch]]:
    """Bring a scheduled contact's touches up to date after its reasons or dates changed.

    The open first step's title follows the undated reasons (:func:`lead_reasons`); a first
    step that an older version moved to a reason's date returns to the plan's day, and the
    later due steps keep their distances from it. A snoozed first step keeps its day, and an
    overdue touch is never slid to today. When the first step is closed, undated reasons no
    touch stands for yet get a touch of their own. New promises and important dates get
    touches, a promise's touch follows its changed date; open touches of deleted reasons are
    skipped, and so is a promise's touch once its reason lost its date and the first step
    carries it. Nothing changes when nothing needs to (idempotent).

    Returns:
        ``(changed, new)``: stored touches that changed, and new touches to add.
    """
    base = event.end if event else today
    lead, dated = lead_reasons(contact.reasons, base, today)
    lead_texts = set(lead.split("; ")) if lead else set()
    reason_touches = [t for t in touches if t.kind == REASON_KIND and t.step is None]
    # The first plan step the contact has a touch for carries the reasons: step 0, or for an
    # old event the step its past steps were folded into (see planned_days).
    lead_step = min((t.step for t in touches if t.step is not None), default=0)
    covered: set[str] = set()  # reason texts some touch already stands for
    for touch in touches:
        if touch.step == lead_step or touch in reason_touches:
            covered |= _parts(touch.title)
    changed: list[Touch] = []
    new: list[Touch] = []
    first = next(
        (t for t in sorted(touches, key=_order) if t.step == lead_step and t.is_open), None
    )
    if first is not None and lead_step < len(plan.steps):
        want = lead or plan.steps[lead_step].label
        days = step_days(plan.steps, base, today)
        day = first.due
        if first.status == "due" and first.due > days[0]:
            # Moved to a reason's date by an older version: the plan's day again.
            day = _follow(first.due, days[0], today)
        if (first.title, first.due) != (want, day):
            changed.append(_moved(first, now, title=want, due=day))
            # The later steps keep their distances from the first one.
            for later in touches:
                if (
                    later.status == "due"
                    and later.step is not None
                    and lead_step < later.step < len(days)
                ):
                    if (moved := _follow(later.due, days[later.step], today)) != later.due:
                        changed.append(_moved(later, now, due=moved))
    elif first is None and lead:
        if uncovered := [text for text in lead.split("; ") if text not in covered]:
            # The first touch is already closed: new reasons get a touch of their own.
            joined = "; ".join(uncovered)
            new.append(_new_touch(contact, REASON_KIND, joined, today, now, None))
    current = lead_texts | set(dated)
    for touch in reason_touches:
        texts = set(touch.title.split("; "))
        gone = not (_parts(touch.title) & current)  # its reasons were deleted
        carried = first is not None and texts <= lead_texts  # the first touch carries them
        if touch.is_open and (gone or carried):
            changed.append(skip(touch, now, by="reason"))
        elif touch.status == "due" and touch.title in dated:  # its due date was changed
            if (moved := _follow(touch.due, dated[touch.title], today)) != touch.due:
                changed.append(_moved(touch, now, due=moved))
    titles = {t.title for t in reason_touches}
    new += [
        _new_touch(contact, REASON_KIND, text, due, now, None)
        for text, due in dated.items()
        if text not in titles
    ]
    open_dates = {(t.kind, t.title) for t in touches if t.is_open and t.step is None}
    for item in contact.dates:
        if (item.kind, _date_title(item)) not in open_dates:
            new.append(date_touch(contact, item, today, now))
    return changed, new
