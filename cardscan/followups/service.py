"""The follow-ups over the store: schedule a contact's touches, move them, list them.

:class:`FollowUps` is one user's follow-ups on their day: each method reads what it needs,
calls the pure functions in ``plans`` and writes the result back through the store's
plans/touches parts, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


#: How long a snooze lasts when no day is given.
SNOOZE_DAYS = 7


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FollowUps:
    """One user's follow-ups on their day: what the CLI, the web app, triage and the reading
    worker change them through.

    ``today`` is the user's own day (plans count from it; a snooze must end after it).
    ``now`` is the moment recorded on every touch changed through this object (default: when
    it is made, UTC), so one request or command writes one timestamp.
    """

    store: Store
    user_id: int
    today: date
    now: datetime = field(default_factory=_utc_now)

    def _event_for(self, contact: ContactRecord) -> Event | None:
        """The latest event the contact was met at (its last day is the plan's base)."""
        events = [self.store.events.get(self.user_id, m.event_id) for m in contact.meetings]
        return max(events, key=lambda e: (e.end, e.id)) if events else None

    def _plan_for(self, contact: ContactRecord, event: Event | None = None) -> Plan:
        """The contact's plan; until one is chosen, its event's default plan, else the user's."""
        plans = self.store.plans
        if contact.plan_id is not None:
            return plans.get(self.user_id, contact.plan_id)
        if event is not None and event.plan_id is not None:
            return plans.get(self.user_id, event.plan_id)
        return plans.default(self.user_id)

    def _save(self, touch: Touch) -> Touch:
        """Write a touch changed by a pure function (the store raises its sequence once)."""
        return self.store.touches.update(
            self.user_id,
            touch.id,
            kind=touch.kind,
            title=touch.title,
            due=touch.due,
            status=touch.status,
            snoozed_until=touch.snoozed_until,
            step=touch.step,
            closed_by=touch.closed_by,
            updated=self.now,
        )

    def _settle_dates(self, record: ContactRecord) -> bool:
        """Give each reason whose words name a date ("coffee in March") that date, once.

        The words count from when they were said: the card's capture time for a reason given
        at capture, else today (a reason typed on the contact page is planned as it is
        saved). The day is stored, so "in 2 weeks" does not drift as days pass, and shows as
        the reason's date everywhere. Returns True when a reason changed.
        """
        changed = False
        for reason in record.reasons:
            if reason.due is not None:
                continue
            reference: date | datetime = self.today
            if reason.card_id is not None:
                captured = self.store.cards.get(self.user_id, reason.card_id).created
                reference = captured or self.today
            if (found := find_when(reason.text, reference)) is not None:
                self.store.reasons.update(self.user_id, reason.id, due=found.day)
                changed = True
        return changed

    def plan_contact(self, contact_id: int) -> list[Touch]:
        """Schedule a contact's touches, or bring them up to date after its reasons changed.

        The first time: the contact's plan (or the user's default plan) from the last event
        where you met, plus dated reasons and important dates (:func:`plans.schedule`). Later
        calls are idempotent and keep what the user decided (:func:`plans.update_touches`):
        the first open step follows the reasons, new dated reasons and dates get touches,
        and open touches of deleted reasons are skipped. A date found in a reason's words is
        stored as its date first (:meth:`_settle_dates`). It runs when a card has been read
        (the default plan, provisionally), when a card is triaged Done, and whenever a
        contact's reasons or dates change. Everything is read and written in one
        transaction, so the OCR worker and a web request planning the same contact at once
        cannot both schedule it.

        Returns:
            The touches added or changed.

        Raises:
            NotFoundError: the user has no such contact.
        """
        store, user_id, today, now = self.store, self.user_id, self.today, self.now
        with store.atomic():
            record = store.contacts.get(user_id, contact_id)
            if self._settle_dates(record):
                record = store.contacts.get(user_id, contact_id)
            event = self._event_for(record)
            existing = store.touches.all(user_id, contact_id=contact_id, open_only=False)
            plan = self._plan_for(record, event)
            if not any(t.step is not None for t in existing):
                fresh = schedule(record, event, plan, record.reasons, today, now=now)
                have = {(t.kind, t.title) for t in existing if t.is_open or t.kind == REASON_KIND}
                return store.touches.add(
                    user_id, [t for t in fresh if (t.kind, t.title) not in have]
                )
            changed, new = update_touches(record, existing, event, plan, today, now)
            saved = [self._save(t) for t in changed]
            return saved + store.touches.add(user_id, new)

    def plan_read_card(self, contact_ids: Sequence[int]) -> list[Touch]:
        """Schedule follow-ups for the contacts just read from a card, before any triage.

        Each gets its plan (the user's default until one is chosen) as :meth:`plan_contact`
        gives it, so a card snapped with "send deck" reaches the calendar even if it is
        never triaged; triage confirms the reasons and may pick another plan, which replaces
        these touches (:meth:`switch_plan`). A contact with nothing read on it and no reason
        given (a blank or failed photo) is left for triage. Reading the same card again
        plans nothing twice.

        Returns:
            The touches added or changed.
        """
        changed: list[Touch] = []
        with self.store.atomic():
            for contact_id in contact_ids:
                record = self.store.contacts.get(self.user_id, contact_id)
                if record.merged_into is None and (record.reasons or not record.contact.is_empty()):
                    changed += self.plan_contact(contact_id)
        return changed

    def add_reason(
        self, contact_id: int, *, text: str, kind: str = "other", due: date | None = None
    ) -> Reason:
        """Add a reason to follow up, and bring the contact's touches up to date.

        Raises:
            ValidationError: empty text, an unknown kind or a bad date.
            NotFoundError: the user has no such contact.
        """
        with self.store.atomic():
            reason = self.store.reasons.add(self.user_id, contact_id, text, kind=kind, due=due)
            self.plan_contact(contact_id)
            return self.store.reasons.get(self.user_id, reason.id)  # with the date its words name

    def change_reason(self, reason_id: int, **changes: Any) -> Reason:
        """Change a reason's text, kind or due date (``due=None`` clears it) and re-plan.

        Raises:
            ValidationError: empty text, an unknown kind or a bad date.
            NotFoundError: the user has no such reason.
        """
        with self.store.atomic():
            reason = self.store.reasons.update(self.user_id, reason_id, **changes)
            if reason.contact_id is not None:
                self.plan_contact(reason.contact_id)
            return self.store.reasons.get(self.user_id, reason_id)  # with the date its words name

    def remove_reason(self, reason_id: int) -> None:
        """Delete a reason; the open touch that stood only for it is skipped.

        Raises:
            NotFoundError: the user has no such reason.
        """
        with self.store.atomic():
            reason = self.store.reasons.get(self.user_id, reason_id)
            self.store.reasons.delete(self.user_id, reason_id)
            if reason.contact_id is not None:
                self.plan_contact(reason.contact_id)

    def add_date(
        self,
        contact_id: int,
        kind: str,
        month: int,
        day: int,
        *,
        year: int | None = None,
        label: str | None = None,
    ) -> ImportantDate:
        """Add an important date (birthday, anniversary); it gets a touch on its next day.

        Raises:
            ValidationError: a bad kind or date.
            NotFoundError: the user has no such contact.
        """
        with self.store.atomic():
            item = self.store.dates.add(
                self.user_id, contact_id, kind, month, day, year=year, label=label
            )
            self.plan_contact(contact_id)
        return item

    def plan_contacts(
        self, *, event_id: int | None = None, contact_id: int | None = None
    ) -> list[Touch]:
        """:meth:`plan_contact` for one contact, an event's contacts, or all of a user's.

        Raises:
            NotFoundError: no such event or contact for this user.
        """
        store, user_id = self.store, self.user_id
        if contact_id is not None:
            ids = [store.contacts.get(user_id, contact_id).id]
        else:
            if event_id is not None:
                store.events.get(user_id, event_id)
            ids = [r.id for r in store.contacts.all(user_id, event_id=event_id)]
        changed: list[Touch] = []
        for cid in ids:
            changed += self.plan_contact(cid)
        return changed

    def switch_plan(self, contact_id: int, plan_id: int) -> list[Touch]:
        """Give a contact another plan and re-plan its open touches (see :func:`replan`).

        Returns:
            The touches changed or added.

        Raises:
            NotFoundError: no such contact or plan for this user.
        """
        store, user_id = self.store, self.user_id
        plan = store.plans.get(user_id, plan_id)
        with store.atomic():
            store.contacts.update(user_id, contact_id, {"plan_id": plan_id})
            record = store.contacts.get(user_id, contact_id)
            touches = store.touches.all(user_id, contact_id=contact_id, open_only=False)
            event = self._event_for(record)
            changed, new = replan(record, touches, event, plan, self.today, self.now)
            saved = [self._save(t) for t in changed]
            saved += store.touches.add(user_id, new)
            refreshed = self.plan_contact(contact_id)
        by_id = {t.id: t for t in saved}
        by_id.update({t.id: t for t in refreshed})
        return sorted(by_id.values(), key=_order)

    def _close(self, closed: Touch) -> Touch:
        saved = self._save(closed)
        if saved.kind in DATE_KINDS and saved.step is None:
            record = self.store.contacts.get(self.user_id, saved.contact_id)
            if (following := next_yearly(saved, record.dates, self.now)) is not None:
                self.store.touches.add(self.user_id, [following])
        return saved

    def _finish(self, touch_id: int, how: Callable[[Touch, datetime], Touch]) -> Touch:
        """Close one touch ``how`` (``mark_done`` or ``skip``), in one transaction."""
        with self.store.atomic():
            return self._close(how(self.store.touches.get(self.user_id, touch_id), self.now))

    def done_touch(self, touch_id: int) -> Touch:
        """Mark a touch done (a birthday or anniversary touch then makes next year's).

        Raises:
            NotFoundError: the user has no such touch.
            ValidationError: the touch is already closed.
        """
        return self._finish(touch_id, mark_done)

    def skip_touch(self, touch_id: int) -> Touch:
        """Skip a touch (a birthday or anniversary touch then makes next year's).

        Raises:
            NotFoundError: the user has no such touch.
            ValidationError: the touch is already closed.
        """
        return self._finish(touch_id, skip)

    def snooze_touch(self, touch_id: int, until: date) -> Touch:
        """Snooze a touch until a later day.

        Raises:
            NotFoundError: the user has no such touch.
            ValidationError: the touch is closed or the day is not after today.
        """
        with self.store.atomic():
            touch = self.store.touches.get(self.user_id, touch_id)
            return self._save(snooze(touch, until, self.today, self.now))

    def act_on_touch(self, touch_id: int, action: str, *, until: date | None = None) -> Touch:
        """Done, snooze (until ``until``, default a week from today) or skip one touch.

        Raises:
            ValidationError: an unknown action, or what the action itself refuses.
            NotFoundError: the user has no such touch.
        """
        if action == "done":
            return self.done_touch(touch_id)
        if action == "skip":
            return self.skip_touch(touch_id)
        if action == "snooze":
            return self.snooze_touch(touch_id, until or self.today + timedelta(days=SNOOZE_DAYS))
        raise ValidationError(f"unknown action {action[:20]!r}: use done, snooze or skip.")

    def move_touch(self, touch_id: int, due: date) -> Touch:
        """Move a touch to another day (a contact's own edit).

        Raises:
            NotFoundError: the user has no such touch.
            ValidationError: the touch is closed.
        """
        with self.store.atomic():
            touch = self.store.touches.get(self.user_id, touch_id)
            return self._save(move(touch, due, self.now))

    def record_contact(self, contact_id: int) -> list[Touch]:
        """Log that you were in touch today: close the current touch, re-base the later ones.

        Returns:
            The changed touches (the closed one first); empty when nothing was open.

        Raises:
            NotFoundError: the user has no such contact.
        """
        store, user_id = self.store, self.user_id
        store.contacts.get(user_id, contact_id)
        with store.atomic():
            touches = store.touches.all(user_id, contact_id=contact_id, open_only=True)
            changed = log_contact(touches, self.today, self.now)
            return [self._close(t) if not t.is_open else self._save(t) for t in changed]

    def edit_event(self, event_id: int, **changes: Any) -> tuple[Event, list[Touch]]:
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
        store, user_id, today, now = self.store, self.user_id, self.today, self.now
        moved: list[Touch] = []
        with store.atomic():
            before = store.events.get(user_id, event_id)
            event = store.events.update(user_id, event_id, **changes)
            days = (event.end - before.end).days
            for record in store.contacts.all(user_id, event_id=event_id):
                base = self._event_for(record)
                if base is None or base.id != event_id:
                    continue  # its plan counts from a later event
                if not any(
                    t.step is not None for t in store.touches.all(user_id, contact_id=record.id)
                ):
                    continue  # not planned yet (waiting for its reading or for triage)
                touches = store.touches.all(user_id, contact_id=record.id, open_only=False)
                if record.plan_id is None and event.plan_id != before.plan_id:
                    plan = self._plan_for(record, event)
                    changed, new = replan(record, touches, event, plan, today, now)
                else:
                    changed, new = shift_plan(touches, days, today, now), []
                moved += [self._save(t) for t in changed]
                moved += store.touches.add(user_id, new)
        return event, moved


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
