"""The follow-ups over the store: schedule a contact's touches, move them, list them.

Each function reads what it needs, calls the pure functions in ``plans`` and writes the
result back through the store's plans/touches methods, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cardscan.errors import NotFoundError, ValidationError
from cardscan.followups.plans import (
    DATE_KINDS,
    REASON_KIND,
    _order,
    is_provisional,
    log_contact,
    mark_done,
    move,
    next_yearly,
    replan,
    schedule,
    shift_plan,
    skip,
    snooze,
    touch_summary,
    update_touches,
)
from cardscan.followups.when import find_when
from cardscan.models import ContactRecord, Event, ImportantDate, Plan, Reason, Touch

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store


def _event_for(store: Store, user_id: int, contact: ContactRecord) -> Event | None:
    """The latest event the contact was met at (its last day is the plan's base)."""
    events = [store.events.get(user_id, m.event_id) for m in contact.meetings]
    return max(events, key=lambda e: (e.end, e.id)) if events else None


def _plan_for(
    store: Store, user_id: int, contact: ContactRecord, event: Event | None = None
) -> Plan:
    """The contact's plan; until one is chosen, its event's default plan, else the user's."""
    if contact.plan_id is not None:
        return store.plans.get(user_id, contact.plan_id)
    if event is not None and event.plan_id is not None:
        return store.plans.get(user_id, event.plan_id)
    return store.plans.default(user_id)


def _save(store: Store, user_id: int, touch: Touch, now: datetime) -> Touch:
    """Write a touch changed by a pure function (the store raises its sequence once)."""
    return store.touches.update(
        user_id,
        touch.id,
        kind=touch.kind,
        title=touch.title,
        due=touch.due,
        status=touch.status,
        snoozed_until=touch.snoozed_until,
        step=touch.step,
        closed_by=touch.closed_by,
        updated=now,
    )


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _settle_dates(store: Store, user_id: int, record: ContactRecord, today: date) -> bool:
    """Give each reason whose words name a date ("coffee in March") that date, once.

    The words count from when they were said: the card's capture time for a reason given at
    capture, else today (a reason typed on the contact page is planned as it is saved). The
    day is stored, so "in 2 weeks" does not drift as days pass, and shows as the reason's
    date everywhere. Returns True when a reason changed.
    """
    changed = False
    for reason in record.reasons:
        if reason.due is not None:
            continue
        reference: date | datetime = today
        if reason.card_id is not None:
            captured = store.cards.get(user_id, reason.card_id).created
            reference = captured or today
        if (found := find_when(reason.text, reference)) is not None:
            store.reasons.update(user_id, reason.id, due=found.day)
            changed = True
    return changed


def plan_contact(
    store: Store, user_id: int, contact_id: int, today: date, *, now: datetime | None = None
) -> list[Touch]:
    """Schedule a contact's touches, or bring them up to date after its reasons changed.

    The first time: the contact's plan (or the user's default plan) from the last event
    where you met, plus dated reasons and important dates (:func:`plans.schedule`). Later
    calls are idempotent and keep what the user decided (:func:`plans.update_touches`):
    the first open step follows the reasons, new dated reasons and dates get touches, and
    open touches of deleted reasons are skipped. A date found in a reason's words is stored
    as its date first (:func:`_settle_dates`). It runs when a card has been read (the
    default plan, provisionally), when a card is triaged Done, and whenever a contact's
    reasons or dates change. Everything is read and written in one transaction, so the OCR
    worker and a web request planning the same contact at once cannot both schedule it.

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
    with store.atomic():
        record = store.contacts.get(user_id, contact_id)
        if _settle_dates(store, user_id, record, today):
            record = store.contacts.get(user_id, contact_id)
        event = _event_for(store, user_id, record)
        existing = store.touches.all(user_id, contact_id=contact_id, open_only=False)
        plan = _plan_for(store, user_id, record, event)
        if not any(t.step is not None for t in existing):
            fresh = schedule(record, event, plan, record.reasons, today, now=now)
            have = {(t.kind, t.title) for t in existing if t.is_open or t.kind == REASON_KIND}
            return store.touches.add(user_id, [t for t in fresh if (t.kind, t.title) not in have])
        changed, new = update_touches(record, existing, event, plan, today, now)
        saved = [_save(store, user_id, t, now) for t in changed]
        return saved + store.touches.add(user_id, new)


def plan_read_card(
    store: Store,
    user_id: int,
    contact_ids: Sequence[int],
    today: date,
    *,
    now: datetime | None = None,
) -> list[Touch]:
    """Schedule follow-ups for the contacts just read from a card, before any triage.

    Each gets its plan (the user's default until one is chosen) as :func:`plan_contact`
    gives it, so a card snapped with "send deck" reaches the calendar even if it is never
    triaged; triage confirms the reasons and may pick another plan, which replaces these
    touches (:func:`switch_plan`). A contact with nothing read on it and no reason given
    (a blank or failed photo) is left for triage. Reading the same card again plans nothing
    twice.

    Returns:
        The touches added or changed.
    """
    changed: list[Touch] = []
    with store.atomic():
        for contact_id in contact_ids:
            record = store.contacts.get(user_id, contact_id)
            if record.merged_into is None and (record.reasons or not record.contact.is_empty()):
                changed += plan_contact(store, user_id, contact_id, today, now=now)
    return changed


def add_reason(
    store: Store,
    user_id: int,
    contact_id: int,
    today: date,
    *,
    text: str,
    kind: str = "other",
    due: date | None = None,
    now: datetime | None = None,
) -> Reason:
    """Add a reason to follow up, and bring the contact's touches up to date.

    Raises:
        ValidationError: empty text, an unknown kind or a bad date.
        NotFoundError: the user has no such contact.
    """
    with store.atomic():
        reason = store.reasons.add(user_id, contact_id, text, kind=kind, due=due)
        plan_contact(store, user_id, contact_id, today, now=now)
        return store.reasons.get(user_id, reason.id)  # with the date its words name


def change_reason(
    store: Store,
    user_id: int,
    reason_id: int,
    today: date,
    *,
    now: datetime | None = None,
    **changes: Any,
) -> Reason:
    """Change a reason's text, kind or due date (``due=None`` clears it) and re-plan.

    Raises:
        ValidationError: empty text, an unknown kind or a bad date.
        NotFoundError: the user has no such reason.
    """
    with store.atomic():
        reason = store.reasons.update(user_id, reason_id, **changes)
        if reason.contact_id is not None:
            plan_contact(store, user_id, reason.contact_id, today, now=now)
        return store.reasons.get(user_id, reason_id)  # with the date its words name


def remove_reason(
    store: Store, user_id: int, reason_id: int, today: date, *, now: datetime | None = None
) -> None:
    """Delete a reason; the open touch that stood only for it is skipped.

    Raises:
        NotFoundError: the user has no such reason.
    """
    with store.atomic():
        reason = store.reasons.get(user_id, reason_id)
        store.reasons.delete(user_id, reason_id)
        if reason.contact_id is not None:
            plan_contact(store, user_id, reason.contact_id, today, now=now)


def add_date(
    store: Store,
    user_id: int,
    contact_id: int,
    kind: str,
    month: int,
    day: int,
    today: date,
    *,
    year: int | None = None,
    label: str | None = None,
    now: datetime | None = None,
) -> ImportantDate:
    """Add an important date (birthday, anniversary); it gets a touch on its next day.

    Raises:
        ValidationError: a bad kind or date.
        NotFoundError: the user has no such contact.
    """
    with store.atomic():
        item = store.dates.add(user_id, contact_id, kind, month, day, year=year, label=label)
        plan_contact(store, user_id, contact_id, today, now=now)
    return item


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
        ids = [store.contacts.get(user_id, contact_id).id]
    else:
        if event_id is not None:
            store.events.get(user_id, event_id)
        ids = [r.id for r in store.contacts.all(user_id, event_id=event_id)]
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
    plan = store.plans.get(user_id, plan_id)
    with store.atomic():
        store.contacts.update(user_id, contact_id, {"plan_id": plan_id})
        record = store.contacts.get(user_id, contact_id)
        touches = store.touches.all(user_id, contact_id=contact_id, open_only=False)
        changed, new = replan(record, touches, _event_for(store, user_id, record), plan, today, now)
        saved = [_save(store, user_id, t, now) for t in changed]
        saved += store.touches.add(user_id, new)
        refreshed = plan_contact(store, user_id, contact_id, today, now=now)
    by_id = {t.id: t for t in saved}
    by_id.update({t.id: t for t in refreshed})
    return sorted(by_id.values(), key=_order)


def _close(store: Store, user_id: int, closed: Touch, now: datetime) -> Touch:
    saved = _save(store, user_id, closed, now)
    if saved.kind in DATE_KINDS and saved.step is None:
        record = store.contacts.get(user_id, saved.contact_id)
        if (following := next_yearly(saved, record.dates, now)) is not None:
            store.touches.add(user_id, [following])
    return saved


def _finish(
    store: Store,
    user_id: int,
    touch_id: int,
    how: Callable[[Touch, datetime], Touch],
    now: datetime | None,
) -> Touch:
    """Close one touch ``how`` (``mark_done`` or ``skip``), in one transaction."""
    now = _now(now)
    with store.atomic():
        return _close(store, user_id, how(store.touches.get(user_id, touch_id), now), now)


def done_touch(store: Store, user_id: int, touch_id: int, *, now: datetime | None = None) -> Touch:
    """Mark a touch done (a birthday or anniversary touch then makes next year's).

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is already closed.
    """
    return _finish(store, user_id, touch_id, mark_done, now)


def skip_touch(store: Store, user_id: int, touch_id: int, *, now: datetime | None = None) -> Touch:
    """Skip a touch (a birthday or anniversary touch then makes next year's).

    Raises:
        NotFoundError: the user has no such touch.
        ValidationError: the touch is already closed.
    """
    return _finish(store, user_id, touch_id, skip, now)


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
        touch = snooze(store.touches.get(user_id, touch_id), until, today, now)
        return _save(store, user_id, touch, now)


#: How long a snooze lasts when no day is given.
SNOOZE_DAYS = 7


def act_on_touch(
    store: Store,
    user_id: int,
    touch_id: int,
    action: str,
    today: date,
    *,
    until: date | None = None,
    now: datetime | None = None,
) -> Touch:
    """Done, snooze (until ``until``, default a week from today) or skip one touch.

    Raises:
        ValidationError: an unknown action, or what the action itself refuses.
        NotFoundError: the user has no such touch.
    """
    if action == "done":
        return done_touch(store, user_id, touch_id, now=now)
    if action == "skip":
        return skip_touch(store, user_id, touch_id, now=now)
    if action == "snooze":
        until = until or today + timedelta(days=SNOOZE_DAYS)
        return snooze_touch(store, user_id, touch_id, until, today, now=now)
    raise ValidationError(f"unknown action {action[:20]!r}: use done, snooze or skip.")


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
        return _save(store, user_id, move(store.touches.get(user_id, touch_id), due, now), now)


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
    store.contacts.get(user_id, contact_id)
    with store.atomic():
        touches = store.touches.all(user_id, contact_id=contact_id, open_only=True)
        changed = log_contact(touches, today, now)
        return [
            _close(store, user_id, t, now) if not t.is_open else _save(store, user_id, t, now)
            for t in changed
        ]


def followup_list(
    store: Store, user_id: int, *, due_before: date | None = None
) -> list[dict[str, object]]:
    """Open touches as JSON-ready rows: id, day, status, summary, contact id, kind, sequence,
    and ``provisional`` (a step of the default plan, until a plan is chosen for the contact)."""
    touches = store.touches.all(user_id, open_only=True, due_before=due_before)
    contacts: dict[int, ContactRecord] = {}
    rows: list[dict[str, object]] = []
    for touch in touches:
        if touch.contact_id not in contacts:
            contacts[touch.contact_id] = store.contacts.get(user_id, touch.contact_id)
        rows.append(
            {
                "id": touch.id,
                "when": touch.when.isoformat(),
                "status": touch.status,
                "summary": touch_summary(touch, contacts[touch.contact_id].contact),
                "contact_id": touch.contact_id,
                "kind": touch.kind,
                "sequence": touch.sequence,
                "provisional": is_provisional(touch, contacts[touch.contact_id]),
            }
        )
    return rows


def edit_event(
    store: Store,
    user_id: int,
    event_id: int,
    today: date,
    *,
    now: datetime | None = None,
    **changes: Any,
) -> tuple[Event, list[Touch]]:
    """Change an event (name, start, end, place, plan_id); its contacts' follow-ups move.

    Each contact whose plan counts from this event (the last event where you met) has its
    due plan touches moved as far as the last day moved (:func:`plans.shift_plan`: same
    UIDs, sequence raised; done, skipped and snoozed ones stay, nothing before today). A
    contact that follows the event's default plan switches to a new one
    (:func:`plans.replan`). Promises and important dates keep their days.

    Returns:
        The event, and the touches changed or added.

    Raises:
        NotFoundError: no such event or plan for this user.
        ValidationError: a bad name or dates.
    """
    now = _now(now)
    moved: list[Touch] = []
    with store.atomic():
        before = store.events.get(user_id, event_id)
        event = store.events.update(user_id, event_id, **changes)
        days = (event.end - before.end).days
        for record in store.contacts.all(user_id, event_id=event_id):
            base = _event_for(store, user_id, record)
            if base is None or base.id != event_id:
                continue  # its plan counts from a later event
            if not any(
                t.step is not None for t in store.touches.all(user_id, contact_id=record.id)
            ):
                continue  # not planned yet (waiting for its reading or for triage)
            touches = store.touches.all(user_id, contact_id=record.id, open_only=False)
            if record.plan_id is None and event.plan_id != before.plan_id:
                plan = _plan_for(store, user_id, record, event)
                changed, new = replan(record, touches, event, plan, today, now)
            else:
                changed, new = shift_plan(touches, days, today, now), []
            moved += [_save(store, user_id, t, now) for t in changed]
            moved += store.touches.add(user_id, new)
    return event, moved


def remove_event(
    store: Store, user_id: int, event_id: int, *, with_cards: bool = False
) -> list[int]:
    """Delete an event. Its cards and contacts stay, without it, unless ``with_cards``:
    then the contacts read from its cards are deleted for good (``Store.delete_contact``).

    Returns:
        The ids of the contacts deleted.

    Raises:
        NotFoundError: no such event for this user.
    """
    store.events.get(user_id, event_id)
    deleted: list[int] = []
    if with_cards:
        for card in store.cards.all(user_id, event_id=event_id):
            try:
                records = store.cards.contacts(user_id, card.id)
            except NotFoundError:
                continue  # went with a contact deleted just before (a photo of two cards)
            if not records:
                store.deletions.delete_card(user_id, card.id)  # never read: nothing else holds it
            for record in records:
                if record.id not in deleted:
                    deleted += store.deletions.delete_contact(user_id, record.id).contact_ids
    store.events.delete(user_id, event_id)
    return deleted
