"""Promises over a real store: dates found in words are kept, logging contact keeps them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cardscan.followups import FollowUps
from cardscan.models import Contact

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _met(store):
    ana = store.users.add("ana", "correct horse battery")
    event = store.events.add(ana.id, "Web Summit", date(2026, 12, 1), date(2026, 12, 4))
    record = store.contacts.add(
        ana.id, Contact(name="Rui Costa", company="Acme"), event_id=event.id
    )
    return ana, record


def _open(store, user_id, contact_id):
    return sorted(
        (t.kind, t.title, t.due) for t in store.touches.all(user_id, contact_id=contact_id)
    )


def test_a_date_in_the_words_is_kept_as_the_reasons_date_and_planned_as_a_promise(store):
    ana, rui = _met(store)
    ana_today = FollowUps(store, ana.id, TODAY, NOW)
    ana_today.add_reason(rui.id, text="coffee in March")
    ana_today.add_reason(rui.id, text="send deck")
    [coffee, deck] = store.contacts.get(ana.id, rui.id).reasons
    assert (coffee.due, deck.due) == (date(2027, 3, 1), None)
    assert _open(store, ana.id, rui.id) == [
        ("check_in", "check in", date(2026, 12, 25)),
        ("keep_in_touch", "keep in touch", date(2027, 3, 4)),
        ("reason", "coffee in March", date(2027, 3, 1)),
        ("thank_you", "send deck", date(2026, 12, 7)),
    ]
    # Planning again days later: "in March" was said in December, it stays this March.
    FollowUps(store, ana.id, date(2027, 2, 1), NOW).plan_contact(rui.id)
    assert store.contacts.get(ana.id, rui.id).reasons[0].due == date(2027, 3, 1)


def test_logging_contact_moves_the_cadence_and_keeps_the_promise(store):
    ana, rui = _met(store)
    ana_today = FollowUps(store, ana.id, TODAY, NOW)
    ana_today.add_reason(rui.id, text="partnership", due=date(2027, 3, 10))
    ana_today.add_reason(rui.id, text="meeting", due=date(2027, 3, 10))
    changed = ana_today.record_contact(rui.id)
    assert [(t.kind, t.status) for t in changed][0] == ("thank_you", "done")
    kinds = [(t.kind, t.title, t.due) for t in store.touches.all(ana.id, contact_id=rui.id)]
    assert ("reason", "partnership", date(2027, 3, 10)) in kinds
    assert ("reason", "meeting", date(2027, 3, 10)) in kinds
    # Nothing of the cadence left open: logging again closes nothing, the promises stay.
    for touch in store.touches.all(ana.id, contact_id=rui.id):
        if touch.step is not None:
            store.touches.update(ana.id, touch.id, status="done")
    assert ana_today.record_contact(rui.id) == []
    assert len(store.touches.all(ana.id, contact_id=rui.id)) == 2
