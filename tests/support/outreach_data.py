"""People to follow up, in a data directory: for the Today view, settings and browser tests."""

from __future__ import annotations

from datetime import date, timedelta

from cardscan import followups
from cardscan.models import Contact, Phone
from cardscan.store import Store


def seed_people(data_dir, user_id: int, *, count: int = 3, ended: int = 1) -> list[int]:
    """Contacts met at an event that ended ``ended`` days ago, each promised a deck."""
    today = date.today()
    with Store.open(data_dir) as store:
        event = store.events.add(
            user_id,
            f"Web Summit {ended}",
            today - timedelta(days=ended + 2),
            today - timedelta(days=ended),
            "Lisbon",
        )
        ids = []
        for i in range(count):
            record = store.contacts.add(
                user_id,
                Contact(
                    name=f"Ana Ruiz {i}" if i else "Ana Ruiz",
                    company="Acme",
                    title="CTO",
                    emails=[f"ana{i}@acme.example"],
                    phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
                ),
                event_id=event.id,
            )
            store.reasons.add(user_id, record.id, "send deck", "deck")
            # Planned the day after the event, as the cards were read then.
            followups.plan_contact(store, user_id, record.id, today - timedelta(days=ended - 1))
            ids.append(record.id)
    return ids
