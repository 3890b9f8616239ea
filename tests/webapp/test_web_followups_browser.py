"""Follow-ups you can trust, the whole way in a phone-sized Chromium (375x812) against the
real server with the real OCR worker pool: a card captured into an event made with dates,
with a promise and "coffee in March" (shown back before saving), the event edited, contact
logged, the contact deleted."""

from __future__ import annotations

import time
from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from cardscan.followups import day_label, find_when
from cardscan.store import Store

pytestmark = pytest.mark.browser


def _wait_for(predicate, timeout=120.0, step=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def _feed(page, data):
    with Store.open(data) as store:
        token = store.users.feed_token(store.users.by_name("ana").id)
    body = page.request.get(f"/calendar/{token}.ics").body()
    return {
        str(e["SUMMARY"]): e.decoded("DTSTART")
        for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }


def test_promises_dates_in_words_events_and_delete_in_the_browser(page, live_server, sample_cards):
    pytest.importorskip("cardscan.reading.pipeline", reason="the OCR pipeline has not landed yet")
    _, data = live_server
    today = date.today()
    # An event made on the capture page with its dates; it is the current one.
    page.click("#new-event-toggle")
    page.fill("#new-event-name", "Trust Summit")
    page.fill("#new-event-start", (today - timedelta(days=2)).isoformat())
    page.fill("#new-event-end", today.isoformat())
    page.fill("#new-event-place", "Lisbon")
    page.click("#new-event button[type=submit]")
    expect(page.locator("#event option:checked")).to_have_text("Trust Summit")

    # Snap a real card: "send deck" next week (a promise), and "coffee in March" typed,
    # its date shown back before saving.
    page.set_input_files("#snap", str(sample_cards / "images" / "sample_01_classic_pt.jpg"))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#chips button:has-text('send deck')")
    page.fill("#reason-when-words", "in 1 week")  # When, typed in words: shown back, then picked
    next_week = find_when("in 1 week", today).day
    assert next_week == today + timedelta(days=7)
    expect(page.locator("#reason-when-words-out")).to_have_text(f"→ {day_label(next_week, today)}")
    expect(page.locator("input[name=when][value=date]")).to_be_checked()
    page.fill("#reason-text", "coffee in March")
    march = find_when("coffee in March", today).day
    assert march.month == 3
    expect(page.locator("#reason-when")).to_have_text(f"→ {day_label(march, today)}")
    page.click("#reasons-save")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        card_id = max(c.id for c in store.cards.all(ana.id))
    contact_id = _wait_for(lambda: _read_contact(data, card_id))
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        photo = store.photos.path(store.cards.get(ana.id, card_id).front)
        event = store.events.get(ana.id, store.cards.get(ana.id, card_id).event_id)
    assert (event.start, event.end, event.place) == (today - timedelta(days=2), today, "Lisbon")

    # The follow-ups page: the thank-you tomorrow, and the promises on their own days.
    page.goto("/followups")
    body = page.locator("main").inner_text()
    assert "thank-you" in body
    assert f"you said: send deck — by {day_label(next_week, today)}" in body
    assert f"you said: coffee in March — by {day_label(march, today)}" in body

    # Log contact today: the cadence moves on; the promises stay, in the list and the feed.
    page.goto(f"/contacts/{contact_id}")
    page.click("button:has-text('Log contact today')")
    page.wait_for_url(f"**/contacts/{contact_id}")
    history = page.locator("#history-title + ul").inner_text()
    assert "· done ·" in history  # the thank-you, done: it exists, in the history
    page.goto("/followups")
    body = page.locator("main").inner_text()
    assert "you said: send deck" in body and "you said: coffee in March" in body
    feed = _feed(page, data)
    promised = {s.split(" — ", 1)[1]: d for s, d in feed.items()}
    assert promised["you said: send deck"] == next_week
    assert promised["you said: coffee in March"] == march  # lands in March

    # Edit the event's last day on its page: the plan's touches move with it.
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        check_in = next(
            t for t in store.touches.all(ana.id, contact_id=contact_id) if t.kind == "check_in"
        )
    page.goto(f"/events/{event.id}")
    page.click("#edit-event summary")
    page.fill("#ev-edit-end", (today + timedelta(days=5)).isoformat())
    page.click("#edit-event button[type=submit]")
    expect(page.locator("p.flash")).to_contain_text("2 follow-ups moved")
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        moved = store.touches.get(ana.id, check_in.id)
        promises = [t for t in store.touches.all(ana.id, contact_id=contact_id) if t.step is None]
    assert moved.due == check_in.due + timedelta(days=5) and moved.sequence > check_in.sequence
    assert sorted(t.due for t in promises) == sorted([next_week, march])  # promises stay

    # Delete the contact: it says what goes, then it is gone everywhere.
    page.goto(f"/contacts/{contact_id}")
    page.click("a:has-text('Delete contact')")
    expect(page.locator("main")).to_contain_text("1 card and 1 photo")
    page.click("button:has-text('for good')")
    page.wait_for_url("**/contacts/")
    assert page.request.get(f"/contacts/{contact_id}").status == 404
    assert page.request.get(f"/api/contacts/{contact_id}").status == 404
    page.goto("/followups")
    assert "you said: send deck" not in page.locator("main").inner_text()
    assert not any("send deck" in s or "coffee" in s for s in _feed(page, data))
    assert not photo.exists()
    assert page.errors == []


def _read_contact(data, card_id):
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        card = store.cards.get(ana.id, card_id)
        if card.status != "done" or card.contact_id is None:
            return None
        if not store.touches.all(ana.id, contact_id=card.contact_id):
            return None
        return card.contact_id
