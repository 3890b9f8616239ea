"""The triage queue: an event's read cards, least certain first."""

from __future__ import annotations

from dataclasses import dataclass

from cardscan.models import CONTACT_FIELDS, Card, Contact, ContactRecord
from cardscan.store import Store

#: A field whose confidence is below this is marked for checking.
LOW_CONFIDENCE = 0.6

#: Fields a usable contact needs; a missing one counts as certainty 0.
KEY_FIELDS = ("name", "company", "emails", "phones")


@dataclass
class TriageItem:
    """One card to check: the card, its contact (None when reading failed) and its certainty."""

    card: Card
    record: ContactRecord | None
    certainty: float


def contact_certainty(contact: Contact | None) -> float:
    """How sure the reading is, 0..1: the mean confidence of the key fields, missing ones 0."""
    if contact is None:
        return 0.0
    scores = []
    for name in KEY_FIELDS:
        value = getattr(contact, name)
        scores.append(float(contact.confidence.get(name, 0.5)) if value else 0.0)
    return sum(scores) / len(scores)


def low_confidence_fields(contact: Contact) -> list[str]:
    """The filled fields whose confidence is below ``LOW_CONFIDENCE``, plus an empty name."""
    return [
        name
        for name in CONTACT_FIELDS
        if (name == "name" and not contact.name)
        or (getattr(contact, name) and contact.confidence.get(name, 1.0) < LOW_CONFIDENCE)
    ]


def triage_queue(store: Store, user_id: int, event_id: int | None) -> tuple[list[TriageItem], int]:
    """The event's cards still to triage, least certain first, and the event's card total.

    Args:
        store: the open store.
        user_id: whose cards.
        event_id: the event, or None for cards captured without one.

    Returns:
        The untriaged cards that finished reading (done or failed), ordered by certainty then
        capture order, and the number of cards of the event in all.

    Raises:
        NotFoundError: the event is not this user's.
    """
    if event_id is not None:
        store.get_event(user_id, event_id)
    cards = store.cards(user_id, event_id=event_id)
    if event_id is None:
        cards = [c for c in cards if c.event_id is None]
    items: list[TriageItem] = []
    for card in cards:
        if card.triaged or card.status not in ("done", "failed"):
            continue
        record = store.get_contact(user_id, card.contact_id) if card.contact_id else None
        items.append(
            TriageItem(card, record, contact_certainty(record.contact if record else None))
        )
    items.sort(key=lambda item: (item.certainty, item.card.id))
    return items, len(cards)
