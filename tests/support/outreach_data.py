"""People to follow up: Rui met at Web Summit in an open store, and people in a data
directory for the Today view, settings and browser tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cardscan import followups
from cardscan.models import Contact, ContactRecord, Event, Phone
from cardscan.store import Store
from tests.support.stores import open_store

#: The morning after Web Summit (4 to 7 November 2026, :func:`meet_rui`'s default dates).
NOW = datetime(2026, 11, 8, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def meet_rui(
    store: Store,
    user_id: int,
    start: date = date(2026, 11, 4),
    end: date = date(2026, 11, 7),
    place: str | None = "Lisbon",
    *,
    reason: str = "send deck",
    kind: str = "deck",
    **card: Any,
) -> tuple[Event, ContactRecord]:
    """The user met Rui Costa of Acme at Web Summit (``start`` to ``end``, in ``place``;
    by default 4 to 7 November 2026 in Lisbon) and noted a ``reason`` to follow up; ``card``
    adds to what his card says (title, e-mails...)."""
    event = store.events.add(user_id, "Web Summit", start, end, place)
    record = store.contacts.add(
        user_id, Contact(name="Rui Costa", company="Acme", **card), event_id=event.id
    )
    store.reasons.add(user_id, record.id, reason, kind)
    return event, record


def ana_met_rui_yesterday(
    directory: Path, days: int, place: str | None, *, plan: bool = False, **meet: Any
) -> None:
    """A data directory where Ana met Rui (:func:`meet_rui`, ``meet`` as there) at Web Summit,
    ``days`` long and ended yesterday, so its follow-ups are all ahead (the commands plan from
    today); ``plan`` plans Rui today."""
    with open_store(directory) as store:
        ana = store.users.add("ana", "correct horse battery")
        yesterday = date.today() - timedelta(days=1)
        _, rui = meet_rui(store, ana.id, yesterday - timedelta(days=days), yesterday, place, **meet)
        if plan:
            followups.FollowUps(store, ana.id, date.today()).plan_contact(rui.id)


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
            followups.FollowUps(store, user_id, today - timedelta(days=ended - 1)).plan_contact(
                record.id
            )
            ids.append(record.id)
    return ids
