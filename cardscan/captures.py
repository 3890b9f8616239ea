"""Around a capture: reasons given after the upload, and a card of someone met before.

The capture page uploads a card at once and asks why to follow up while it is read, so the
reasons often arrive after the photo: :func:`add_capture_reasons` puts them where the
reasons sent with the photo would be. Once the card is read, :func:`known_contact` says
whether it is someone already in the contacts ("already met at Web Summit 2025");
:func:`keep_meeting` then adds this meeting to that contact (a merge: both meetings, every
reason), and :func:`not_the_same` records that they are different people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cardscan import followups
from cardscan.errors import ConflictError
from cardscan.models import Card, ContactRecord, Event
from cardscan.store import Store
from cardscan.triage import kept_contact

#: A duplicate score at or above this is the same person (``cardscan.dedupe``: the same
#: e-mail 0.97, the same phone 0.9, the same name and company 0.85; a name alone 0.55).
SAME_PERSON = 0.85


@dataclass(frozen=True)
class KnownContact:
    """The contact a card read matches: who, how alike (0..1) and where met before."""

    record: ContactRecord
    score: float
    events: tuple[Event, ...]


def add_capture_reasons(
    store: Store,
    user_id: int,
    card_id: int,
    reasons: Sequence[tuple[str, str, date | None]],
    today: date,
) -> Card:
    """Give a captured card its follow-up reasons, before or after it is read.

    Args:
        store: the open store.
        user_id: the owner.
        card_id: the card.
        reasons: (text, kind, due date or None) each.
        today: the current day (reasons of a read card are planned at once).

    Returns:
        The card.

    Raises:
        ValidationError: a bad reason.
        NotFoundError: the user has no such card.
    """
    if not reasons:
        return store.cards.get(user_id, card_id)
    try:
        store.cards.add_reasons(user_id, card_id, reasons)
    except ConflictError:
        # Read meanwhile: the reasons go to its first contact (or the one it was merged into).
        card = store.cards.get(user_id, card_id)
        if card.contact_id is None:  # unreachable: a card is read when it has a contact
            raise
        record = kept_contact(store, user_id, store.contacts.get(user_id, card.contact_id))
        contact_id = record.id
        known = {r.text.casefold() for r in record.reasons}
        with store.atomic():
            for text, kind, due in reasons:
                if text.casefold() in known:  # the same reason sent twice is one reason
                    continue
                # Kept with the card it was given for, as those sent with the photo are.
                store.reasons.add(
                    user_id, contact_id, text, kind, due, card_id=card.id, event_id=card.event_id
                )
            followups.FollowUps(store, user_id, today).plan_contact(contact_id)
    return store.cards.get(user_id, card_id)


def known_contact(store: Store, user_id: int, contact_id: int) -> KnownContact | None:
    """The contact already there that ``contact_id`` (a card just read) is, if any.

    Only a strong match counts (:data:`SAME_PERSON`); pairs the user said are different
    people are never offered again.

    Raises:
        NotFoundError: the user has no such contact.
    """
    for record, score in store.duplicates.candidates(user_id, contact_id):
        if score >= SAME_PERSON:
            events = {m.event_id: store.events.get(user_id, m.event_id) for m in record.meetings}
            ordered = sorted(events.values(), key=lambda e: (e.end, e.id), reverse=True)
            return KnownContact(record, score, tuple(ordered))
    return None


def keep_meeting(store: Store, user_id: int, contact_id: int, known_id: int) -> ContactRecord:
    """``contact_id`` (a card just read) is ``known_id``: add this meeting to it (a merge that
    keeps both meetings and every reason; undone by ``Store.unmerge``).

    Raises:
        ConflictError: either is merged into another contact already.
        NotFoundError: either is not this user's.
    """
    return store.duplicates.merge(user_id, known_id, contact_id)


def not_the_same(store: Store, user_id: int, contact_id: int, known_id: int) -> None:
    """``contact_id`` and ``known_id`` are different people: never offer them as one again.

    Raises:
        NotFoundError: either is not this user's.
    """
    store.duplicates.dismiss(user_id, contact_id, known_id)
