"""Triage (cardscan.triage): certainty, the queue per card read, and Done."""

from __future__ import annotations

from datetime import date

import pytest

from cardscan.errors import NotFoundError
from cardscan.followups import DEFAULT_STEPS, FollowUps, planned_days
from cardscan.jobs import read_one
from cardscan.models import Contact, PlanStep
from cardscan.triage import (
    contact_certainty,
    finish_triage,
    triage_item,
    triage_queue,
    triage_summary,
)
from tests.support.clock import zone_on_another_day
from tests.support.fake_reader import FakeReader


def test_certainty_counts_missing_key_fields_as_zero():
    full = Contact(
        name="A",
        company="B",
        emails=["a@b.c"],
        phones=[],
        confidence={"name": 1, "company": 1, "emails": 1},
    )
    assert contact_certainty(full) == 0.75
    assert contact_certainty(Contact()) == 0.0
    assert contact_certainty(None) == 0.0


# --- the queue and Done, per card read, in a real store ----------------------------------------

TODAY = date(2026, 11, 8)
TWO = b"FAKE|Ana Ruiz|Acme|ana@acme.example||Bo Li|Initech|bo@initech.example"


@pytest.fixture
def ana(store):
    return store.users.add("ana", "correct horse battery")


@pytest.fixture
def expo(store, ana):
    return store.events.add(ana.id, "Expo", date(2026, 11, 6), date(2026, 11, 7))


def _read(store, user, photo, event, reasons=()):
    """Capture a photo and read it as the OCR worker does (contacts + provisional plans)."""
    card, _ = store.cards.add(user.id, photo, event_id=event.id, reasons=reasons)
    read_one(store, FakeReader(), max_tries=3, today=TODAY)
    return store.cards.get(user.id, card.id)


def test_a_card_read_by_the_worker_is_planned_from_its_owner_s_day(store, ana):
    from cardscan.outreach import save_prefs

    zone, their_day = zone_on_another_day()
    save_prefs(store, ana.id, timezone=zone)
    card, _ = store.cards.add(ana.id, TWO)
    read_one(store, FakeReader(), max_tries=3)
    [first, *_] = store.touches.all(ana.id, open_only=True)
    assert first.when == planned_days(DEFAULT_STEPS, their_day, their_day)[0]


def _queue(store, user, event):
    queue = triage_queue(store, user.id, event.id)
    return [(i.card.id, i.index, i.record.contact.name if i.record else None) for i in queue.items]


def test_each_card_of_a_two_card_photo_is_triaged_on_its_own(store, ana, expo):
    card = _read(store, ana, TWO, expo, [("send deck", "deck")])
    ana_ruiz, bo_li = store.cards.contacts(ana.id, card.id)
    queue = triage_queue(store, ana.id, expo.id)
    assert (queue.total, queue.left, queue.waiting) == (2, 2, 0)
    assert sorted(_queue(store, ana, expo)) == [(card.id, 0, "Ana Ruiz"), (card.id, 1, "Bo Li")]
    # The second card gets its own plan; the photo is not done until both are.
    quick = store.plans.save(ana.id, "Quick", [PlanStep("ping", "ping", 2)])
    after = finish_triage(FollowUps(store, ana.id, TODAY), card.id, index=1, plan_id=quick.id)
    assert not after.triaged
    assert _queue(store, ana, expo) == [(card.id, 0, "Ana Ruiz")]
    assert store.contacts.get(ana.id, bo_li.id).plan_id == quick.id
    assert [t.kind for t in store.touches.all(ana.id, contact_id=bo_li.id)] == ["ping"]
    assert store.contacts.get(ana.id, ana_ruiz.id).plan_id is None  # untouched
    queue = triage_queue(store, ana.id, expo.id)
    assert (queue.total, queue.left) == (2, 1)
    after = finish_triage(FollowUps(store, ana.id, TODAY), card.id, index=0)
    assert after.triaged and _queue(store, ana, expo) == []
    assert all(r.confirmed for r in store.contacts.get(ana.id, ana_ruiz.id).reasons)
    # Back to triage: only that card read.
    finish_triage(FollowUps(store, ana.id, TODAY), card.id, index=1, triaged=False)
    assert _queue(store, ana, expo) == [(card.id, 1, "Bo Li")]
    assert not store.cards.get(ana.id, card.id).triaged


def test_done_without_an_index_is_every_card_read_and_a_bad_index_is_not_found(store, ana, expo):
    card = _read(store, ana, TWO, expo)
    with pytest.raises(NotFoundError, match="no card 2"):
        finish_triage(FollowUps(store, ana.id, TODAY), card.id, index=2)
    assert len(_queue(store, ana, expo)) == 2  # nothing marked by the refused call
    assert finish_triage(FollowUps(store, ana.id, TODAY), card.id).triaged
    assert _queue(store, ana, expo) == []
    assert all(c.triaged for c in store.cards.contacts(ana.id, card.id))


def test_photos_still_being_read_count_as_left_and_failed_ones_are_one_item(store, ana, expo):
    read = _read(store, ana, TWO, expo)
    failed, _ = store.cards.add(ana.id, b"CRASH", event_id=expo.id)
    for _ in range(3):
        read_one(store, FakeReader(), max_tries=3, today=TODAY)
    assert store.cards.get(ana.id, failed.id).status == "failed"
    store.cards.add(ana.id, b"FAKE|Cy Dee|Umbrella", event_id=expo.id)  # queued, not read yet
    queue = triage_queue(store, ana.id, expo.id)
    assert (queue.total, queue.left, queue.waiting) == (4, 4, 1)
    assert _queue(store, ana, expo)[0] == (failed.id, 0, None)  # least certain: nothing read
    assert finish_triage(FollowUps(store, ana.id, TODAY), failed.id, index=0).triaged
    finish_triage(FollowUps(store, ana.id, TODAY), read.id)
    queue = triage_queue(store, ana.id, expo.id)
    assert (queue.total, queue.left, queue.items) == (4, 1, [])


def test_a_card_read_and_merged_away_is_checked_on_the_contact_it_was_merged_into(store, ana, expo):
    earlier = store.events.add(ana.id, "Summit", date(2026, 5, 1), date(2026, 5, 2))
    bo = store.contacts.add(ana.id, Contact(name="Bo Li", company="Initech"), event_id=earlier.id)
    card = _read(store, ana, TWO, expo)
    _, read_bo = store.cards.contacts(ana.id, card.id)
    store.duplicates.merge(ana.id, bo.id, read_bo.id)
    item = triage_item(store, ana.id, card.id, 1)
    assert (item.index, item.record.id, item.triaged) == (1, bo.id, False)
    finish_triage(FollowUps(store, ana.id, TODAY), card.id, index=1)
    assert triage_item(store, ana.id, card.id, 1).triaged
    # Unmerged later, what was checked stays checked.
    store.duplicates.unmerge(ana.id, read_bo.id)
    assert triage_item(store, ana.id, card.id, 1).triaged


def test_the_summary_counts_cards_checked_fields_fixed_merges_and_follow_ups(store, ana, expo):
    earlier = store.events.add(ana.id, "Summit", date(2026, 5, 1), date(2026, 5, 2))
    bo = store.contacts.add(ana.id, Contact(name="Bo Li", company="Initech"), event_id=earlier.id)
    card = _read(store, ana, TWO, expo)
    store.cards.add(ana.id, b"FAKE|Cy Dee|Umbrella", event_id=expo.id)  # not read yet
    ana_ruiz, read_bo = store.cards.contacts(ana.id, card.id)
    empty = triage_summary(store, ana.id, expo.id)
    assert (empty.cards, empty.checked, empty.waiting, empty.fixes, empty.merges) == (2, 0, 1, 0, 0)
    store.contacts.update(ana.id, ana_ruiz.id, {"company": "Acme Ltd", "title": "CTO"})
    store.contacts.update(ana.id, ana_ruiz.id, {"company": "Acme Limited"})  # one field, twice
    store.duplicates.merge(ana.id, bo.id, read_bo.id)
    finish_triage(FollowUps(store, ana.id, TODAY), card.id)
    summary = triage_summary(store, ana.id, expo.id)
    assert (summary.cards, summary.checked, summary.waiting) == (2, 2, 1)
    assert (summary.fixes, summary.merges) == (2, 1)
    touches = store.touches.all(ana.id, contact_id=ana_ruiz.id) + store.touches.all(
        ana.id, contact_id=bo.id
    )
    assert summary.followups == len(touches) > 0
    assert summary.next_due == min(t.when for t in touches)
