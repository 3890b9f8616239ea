"""Around a capture (cardscan.captures): late reasons, and a card of someone met before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cardscan.captures import add_capture_reasons, keep_meeting, known_contact, not_the_same
from cardscan.errors import ValidationError
from cardscan.jobs import read_one
from cardscan.models import Contact
from tests.support.fake_reader import FakeReader

TODAY = date(2026, 11, 8)


def _capture(store, ana, photo: bytes, event=None):
    card, _ = store.cards.add(ana.id, photo, event_id=event.id if event else None)
    return card


def test_reasons_before_the_reading_wait_on_the_card_and_after_it_go_to_the_contact(store, ana):
    card = _capture(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example")
    add_capture_reasons(store, ana.id, card.id, [("send deck", "deck", None)], TODAY)
    read_one(store, FakeReader(), max_tries=3, today=TODAY)
    (contact,) = store.cards.contacts(ana.id, card.id)
    assert [r.text for r in contact.reasons] == ["send deck"]
    # Read already: the same reason again is one reason; a new one is added and planned.
    add_capture_reasons(
        store, ana.id, card.id, [("Send deck", "deck", None), ("coffee", "other", TODAY)], TODAY
    )
    contact = store.contacts.get(ana.id, contact.id)
    assert [r.text for r in contact.reasons] == ["send deck", "coffee"]
    assert any(t.due == TODAY for t in store.touches.all(ana.id, contact_id=contact.id))
    with pytest.raises(ValidationError):
        add_capture_reasons(store, ana.id, card.id, [("", "other", None)], TODAY)


def test_only_a_strong_match_is_someone_met_before(store, ana):
    summit = store.events.add(ana.id, "Web Summit 2025", date(2025, 11, 10))
    met = store.contacts.add(
        ana.id, Contact(name="Ana Ruiz", emails=["ana@acme.example"]), event_id=summit.id
    )
    store.contacts.add(ana.id, Contact(name="Bo Li", company="Initech"))
    fair = store.events.add(ana.id, "Fair", date(2026, 11, 6))
    same = _capture(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", fair)
    namesake = _capture(store, ana, b"FAKE|Bo Li|Globex|bo@globex.example", fair)
    for _ in range(2):
        read_one(store, FakeReader(), max_tries=3, today=TODAY)
    (read,) = store.cards.contacts(ana.id, same.id)
    known = known_contact(store, ana.id, read.id)
    assert known is not None and known.record.id == met.id and known.score >= 0.85
    assert [e.name for e in known.events] == ["Web Summit 2025"]
    (bo,) = store.cards.contacts(ana.id, namesake.id)
    assert known_contact(store, ana.id, bo.id) is None  # a name alone is a question
    kept = keep_meeting(store, ana.id, read.id, met.id)
    assert sorted(m.event_id for m in kept.meetings) == sorted([summit.id, fair.id])


def test_not_the_same_person_is_not_offered_again(store, ana):
    met = store.contacts.add(ana.id, Contact(name="Ana Ruiz", emails=["ana@acme.example"]))
    card = _capture(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example")
    read_one(store, FakeReader(), max_tries=3, today=TODAY)
    (read,) = store.cards.contacts(ana.id, card.id)
    not_the_same(store, ana.id, read.id, met.id)
    assert known_contact(store, ana.id, read.id) is None


def test_a_capture_that_waited_offline_is_the_card_of_its_snap_and_its_words_count_from_then(
    store, ana
):
    upload = datetime.now(UTC)
    snapped = upload - timedelta(days=3)
    card, _ = store.cards.add(
        ana.id,
        b"FAKE|Ana Ruiz|Acme|ana@acme.example",
        taken=snapped,
        reasons=[("call her tomorrow", "other", None)],
    )
    assert card.created == snapped
    read_one(store, FakeReader(), max_tries=3, today=upload.date())
    (contact,) = store.cards.contacts(ana.id, card.id)
    (reason,) = contact.reasons
    assert reason.due == snapped.date() + timedelta(days=1)  # said three days ago: overdue now
    # A phone clock in the future, or far in the past, is not believed: the upload's time.
    for wrong in (upload + timedelta(hours=2), upload - timedelta(days=400)):
        later, _ = store.cards.add(ana.id, f"FAKE|{wrong}|X|x@x.example".encode(), taken=wrong)
        assert upload <= later.created <= datetime.now(UTC)
