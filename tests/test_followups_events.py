"""Events you can manage: editing dates moves its contacts' follow-ups; deleting keeps cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cardscan.errors import NotFoundError, ValidationError
from cardscan.followups import FollowUps, remove_event
from cardscan.models import Contact
from tests.support.fake_reader import FakeReader

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def _plan_days(store, user_id, contact_id):
    return sorted(
        (t.step, t.due)
        for t in store.touches.all(user_id, contact_id=contact_id)
        if t.step is not None
    )


def test_editing_an_events_dates_moves_its_contacts_follow_ups(store):
    ana = store.users.add("ana", "correct horse battery")
    nurture = next(p for p in store.plans.all(ana.id) if p.name == "Nurture")
    event = store.events.add(ana.id, "Expo", TODAY, TODAY + timedelta(days=1), plan_id=nurture.id)
    rui = store.contacts.add(ana.id, Contact(name="Rui Costa"), event_id=event.id)
    FollowUps(store, ana.id, TODAY, NOW).add_reason(
        rui.id, text="send deck", due=date(2026, 12, 20)
    )
    # The event's default plan: +1 day, +3 weeks, +3 months, +6 months from its last day.
    assert _plan_days(store, ana.id, rui.id) == [
        (0, date(2026, 12, 9)),
        (1, date(2026, 12, 29)),
        (2, date(2027, 3, 8)),
        (3, date(2027, 6, 8)),
    ]
    before = {t.id: t.sequence for t in store.touches.all(ana.id, contact_id=rui.id)}
    event, moved = FollowUps(store, ana.id, TODAY, NOW).edit_event(
        event.id,
        name="Expo 2026",
        start=date(2026, 12, 14),
        end=date(2026, 12, 16),
        place="Porto",
        plan_id=nurture.id,
    )
    assert (event.name, event.end, event.place) == ("Expo 2026", date(2026, 12, 16), "Porto")
    assert len(moved) == 4
    assert _plan_days(store, ana.id, rui.id) == [
        (0, date(2026, 12, 17)),
        (1, date(2027, 1, 6)),
        (2, date(2027, 3, 16)),
        (3, date(2027, 6, 16)),
    ]
    after = {t.id: t for t in store.touches.all(ana.id, contact_id=rui.id)}
    assert set(after) == set(before)  # the same UIDs, versions raised
    assert all(after[i].sequence > before[i] for i in after if after[i].step is not None)
    promise = next(t for t in after.values() if t.step is None)
    assert (promise.due, promise.sequence) == (date(2026, 12, 20), before[promise.id])
    with pytest.raises(ValidationError, match="before it starts"):
        FollowUps(store, ana.id, TODAY).edit_event(
            event.id, name="Expo", start=TODAY, end=TODAY - timedelta(1)
        )


def test_deleting_an_event_keeps_its_cards_unless_asked(store):
    ana = store.users.add("ana", "correct horse battery")
    keep = store.events.add(ana.id, "Keep cards", TODAY, TODAY)
    drop = store.events.add(ana.id, "Drop cards", TODAY, TODAY)
    cards = {}
    for event, text in (
        (keep, b"FAKE|Bea Lima|Initech|bea@x.example"),
        (drop, b"FAKE|Bo Li|Globex|bo@y.example"),
    ):
        card, _ = store.cards.add(ana.id, text, event_id=event.id)
        store.cards.finish(card.id, FakeReader()(text, None))
        FollowUps(store, ana.id, TODAY).plan_contact(store.cards.get(ana.id, card.id).contact_id)
        cards[event.id] = store.cards.get(ana.id, card.id)
    unread, _ = store.cards.add(ana.id, b"FAKE|never read", event_id=drop.id)
    assert remove_event(store, ana.id, keep.id) == []
    kept = store.cards.get(ana.id, cards[keep.id].id)
    assert kept.event_id is None and store.contacts.get(ana.id, kept.contact_id).meetings == []
    photo = store.photos.path(cards[drop.id].front)
    gone = remove_event(store, ana.id, drop.id, with_cards=True)
    assert gone == [cards[drop.id].contact_id] and not photo.exists()
    for card_id in (cards[drop.id].id, unread.id):
        with pytest.raises(NotFoundError):
            store.cards.get(ana.id, card_id)
    assert [e.name for e in store.events.all(ana.id)] == []


def test_the_running_event_is_found(store):
    ana = store.users.add("ana", "correct horse battery")
    store.events.add(ana.id, "Past", TODAY - timedelta(days=9), TODAY - timedelta(days=8))
    now_on = store.events.add(
        ana.id, "Now on", TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    )
    store.events.add(ana.id, "Later", TODAY + timedelta(days=5), TODAY + timedelta(days=6))
    assert store.events.running(ana.id, TODAY).id == now_on.id
    assert store.events.running(ana.id, TODAY + timedelta(days=3)) is None
