"""The follow-ups over the store: schedule a contact's touches, move them, list them.

Each function reads what it needs, calls the pure functions in ``plans`` and writes the
result back through the store's plans/touches methods, inside one transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from cardscan.followups.plans import (
    DATE_KINDS,
    REASON_KIND,
    _date_title,
    _new_touch,
    _order,
    date_touch,
    log_contact,
    mark_done,
    move,
    next_yearly,
    replan,
    schedule,
    skip,
    snooze,
    split_reasons,
    touch_summary,
)
from cardscan.models import ContactRecord, Event, Plan, Touch

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store


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
        undated, dated = split_reasons(record.reasons, base, today)
        changed: list[Touch] = []
        new: list[Touch] = []
        reason_touches = [t for t in existing if t.kind == REASON_KIND and t.step is None]
        covered: set[str] = set()  # reason texts some touch already stands for
        for touch in existing:
            if touch.step == 0 or touch in reason_touches:
                covered.update({touch.title, *touch.title.split("; ")})
        first = next((t for t in existing if t.step == 0 and t.is_open), None)
        if first is not None:
            plan = _plan_for(store, user_id, record)
            label = plan.steps[0].label if plan.steps else first.title
            want = "; ".join(undated) or label
            if first.title != want:
                changed.append(store.update_touch(user_id, first.id, title=want, updated=now))
        elif uncovered := [text for text in undated if text not in covered]:
            # The first touch is already closed: a new reason gets a touch of its own, today.
            new.append(_new_touch(record, REASON_KIND, "; ".join(uncovered), today, now, None))
        current = set(undated) | set(dated)
        for touch in reason_touches:
            if touch.is_open and not ({touch.title, *touch.title.split("; ")} & current):
                changed.append(_save(store, user_id, skip(touch, now), now))  # reason deleted
        titles = {t.title for t in reason_touches}
        new += [
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
