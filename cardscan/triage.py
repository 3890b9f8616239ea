"""The triage queue: every card read at an event, least certain first, and Done.

A photo can hold several cards, and each card read from it (a contact, by its
``card_index``) is checked on its own: its own image, words, fields and plan. A photo that
could not be read is one item, to be set aside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cardscan import followups
from cardscan.errors import NotFoundError
from cardscan.models import Card, Contact, ContactRecord
from cardscan.store import Store

#: Fields a usable contact needs; a missing one counts as certainty 0.
KEY_FIELDS = ("name", "company", "emails", "phones")


@dataclass
class TriageItem:
    """One card read, to check: the photo, which card of it (``index``), the contact (the one
    it was merged into, if it was; None when reading failed), its certainty, and whether it
    is checked already."""

    card: Card
    index: int
    record: ContactRecord | None
    certainty: float
    triaged: bool = False


@dataclass
class TriageQueue:
    """An event's triage: the cards read still to check, and how far along it is."""

    items: list[TriageItem]  # least certain first
    total: int  # cards read (each card of a photo counts) plus photos still being read
    waiting: int  # photos not read yet (queued or being read)

    @property
    def left(self) -> int:
        """How many are left: those to check and those still being read."""
        return len(self.items) + self.waiting


def contact_certainty(contact: Contact | None) -> float:
    """How sure the reading is, 0..1: the mean confidence of the key fields, missing ones 0."""
    if contact is None:
        return 0.0
    scores = []
    for name in KEY_FIELDS:
        value = getattr(contact, name)
        scores.append(float(contact.confidence.get(name, 0.5)) if value else 0.0)
    return sum(scores) / len(scores)


def kept_contact(store: Store, user_id: int, record: ContactRecord) -> ContactRecord:
    """The contact a merged one lives on in (itself when not merged)."""
    seen = {record.id}
    while record.merged_into is not None and record.merged_into not in seen:
        record = store.contacts.get(user_id, record.merged_into)
        seen.add(record.id)
    return record


def card_items(store: Store, user_id: int, card: Card) -> list[TriageItem]:
    """Every card read from a photo, checked or not, in the photo's order; one item (index
    0, no contact) for a photo that was not read."""
    read = store.cards.contacts(user_id, card.id) if card.status == "done" else []
    if not read:
        return [TriageItem(card, 0, None, 0.0, card.triaged)]
    items = []
    for contact in read:
        record = kept_contact(store, user_id, contact)
        certainty = contact_certainty(record.contact)
        items.append(TriageItem(card, contact.card_index, record, certainty, contact.triaged))
    return items


def triage_item(store: Store, user_id: int, card_id: int, index: int) -> TriageItem:
    """Card ``index`` read from a photo, as triage shows it.

    Raises:
        NotFoundError: the user has no such card, or its photo has no card ``index``.
    """
    card = store.cards.get(user_id, card_id)
    for item in card_items(store, user_id, card):
        if item.index == index:
            return item
    raise NotFoundError(
        f"card {card_id} has no card {index} read from its photo: the triage queue lists each"
        " card read with its index."
    )


@dataclass(frozen=True)
class TriageSpot:
    """Where a contact waits in triage: card ``index`` of photo ``card_id`` at an event."""

    event_id: int
    card_id: int
    index: int


def triage_spots(
    store: Store, user_id: int, records: Iterable[ContactRecord]
) -> dict[int, TriageSpot]:
    """Where each of these contacts still waits in triage (contact id -> spot): the card it
    was read from, read and not checked yet, at an event (triage is per event). Contacts
    typed in, checked already, or read from a card of no event have none."""
    spots: dict[int, TriageSpot] = {}
    for record in records:
        if record.card_id is None or record.triaged or record.merged_into is not None:
            continue
        card = store.cards.get(user_id, record.card_id)
        if card.event_id is not None and card.status == "done":
            spots[record.id] = TriageSpot(card.event_id, card.id, record.card_index)
    return spots


def triage_queue(store: Store, user_id: int, event_id: int | None) -> TriageQueue:
    """The event's cards read and still to check, least certain first.

    Args:
        store: the open store.
        user_id: whose cards.
        event_id: the event, or None for cards captured without one.

    Returns:
        The queue: each card read from a photo that finished reading (done or failed) and is
        not checked yet, ordered by certainty, then capture order, then place in the photo;
        with the totals for a progress bar.

    Raises:
        NotFoundError: the event is not this user's.
    """
    if event_id is not None:
        store.events.get(user_id, event_id)
    cards = store.cards.all(user_id, event_id=event_id)
    if event_id is None:
        cards = [c for c in cards if c.event_id is None]
    items: list[TriageItem] = []
    read = waiting = 0
    for card in cards:
        if card.status not in ("done", "failed"):
            waiting += 1
            continue
        for item in card_items(store, user_id, card):
            read += 1
            if not item.triaged:
                items.append(item)
    items.sort(key=lambda item: (item.certainty, item.card.id, item.index))
    return TriageQueue(items, read + waiting, waiting)


def finish_triage(
    mine: followups.FollowUps,
    card_id: int,
    *,
    index: int | None = None,
    plan_id: int | None = None,
    triaged: bool = True,
) -> Card:
    """Triage's Done for a card read: confirm its reasons, plan it, mark it checked.

    The contact's reasons are confirmed and its follow-ups planned: with ``plan_id`` (when it
    is not the contact's plan already) the chosen plan replaces the provisional one, keeping
    the same touches (``FollowUps.switch_plan``); otherwise the touches are brought up to
    date. A contact merged away (in triage, say) is planned on the one it was merged into.

    Args:
        mine: the owner's follow-ups on their day.
        card_id: the card (the photo).
        index: which card of the photo (default: every card read from it).
        plan_id: the follow-up plan chosen.
        triaged: False sends the card read back to triage (nothing else changes).

    Returns:
        The card (``triaged`` once every card read from its photo is).

    Raises:
        NotFoundError: no such card, card ``index`` or plan for this user.
    """
    store, user_id = mine.store, mine.user_id
    with store.atomic():
        if triaged:
            if index is None:
                items = card_items(store, user_id, store.cards.get(user_id, card_id))
            else:
                items = [triage_item(store, user_id, card_id, index)]
            planned: set[int] = set()
            for item in items:
                record = item.record
                if record is None or record.id in planned:
                    continue
                planned.add(record.id)
                for reason in record.reasons:
                    if not reason.confirmed:
                        store.reasons.update(user_id, reason.id, confirmed=True)
                if plan_id is not None and plan_id != record.plan_id:
                    mine.switch_plan(record.id, plan_id)
                else:
                    mine.plan_contact(record.id)
        return store.cards.mark_triaged(user_id, card_id, triaged, index=index)


@dataclass(frozen=True)
class TriageSummary:
    """Where an event's triage stands: what the end of the queue tells the user."""

    cards: int  # cards read (each card of a photo counts)
    checked: int  # of those, checked in triage
    waiting: int  # photos still being read
    fixes: int  # fields corrected by hand
    merges: int  # cards read that were merged into a contact met before
    followups: int  # open follow-ups of the contacts met here
    next_due: date | None  # the first of them


def triage_summary(store: Store, user_id: int, event_id: int | None) -> TriageSummary:
    """The event's triage in numbers: cards checked, fields fixed, merges, follow-ups planned.

    Raises:
        NotFoundError: the event is not this user's.
    """
    queue = triage_queue(store, user_id, event_id)
    cards = store.cards.all(user_id, event_id=event_id)
    if event_id is None:
        cards = [c for c in cards if c.event_id is None]
    fixes = merges = 0
    kept: set[int] = set()
    for card in cards:
        if card.status != "done":
            continue
        for read in store.cards.contacts(user_id, card.id):
            fixes += len({row["field"] for row in store.contacts.corrections(user_id, read.id)})
            merges += read.merged_into is not None
            kept.add(kept_contact(store, user_id, read).id)
    touches = [t for cid in sorted(kept) for t in store.touches.all(user_id, contact_id=cid)]
    return TriageSummary(
        cards=queue.total - queue.waiting,
        checked=queue.total - queue.left,
        waiting=queue.waiting,
        fixes=fixes,
        merges=merges,
        followups=len(touches),
        next_due=min((t.when for t in touches), default=None),
    )
