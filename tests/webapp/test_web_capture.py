"""The capture page on a phone in headless Chromium against the real server (with its OCR
workers): the reason prompt, "already met", the same card twice, and offline signed out."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from cardscan.models import Contact
from cardscan.store import Store
from tests.webapp.conftest import PASSWORD, sign_in, wait_for

pytestmark = pytest.mark.browser

READ_TIMEOUT = 180_000  # ms: the real OCR on a shared machine


def _cards(data):
    with Store.open(data) as store:
        return store.cards.all(store.users.by_name("ana").id)


def _uncovered(page, selector) -> bool:
    """Whether the element is on screen and what is at its centre is the element itself."""
    return page.evaluate(
        """(sel) => {
          const node = document.querySelector(sel);
          const box = node.getBoundingClientRect();
          const off = box.top < 0 || box.left < 0;
          if (off || box.bottom > innerHeight || box.right > innerWidth) return false;
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return node === hit || node.contains(hit);
        }""",
        selector,
    )


def _controlled(page, cached: str) -> None:
    """Wait until the service worker controls the page and holds ``cached`` for offline use."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "(path) => caches.keys().then((k) => Promise.all(k.map((n) => caches.open(n)"
        ".then((c) => c.match(path))))).then((f) => f.some(Boolean))",
        arg=cached,
    )


@pytest.mark.parametrize("height", [667, 812])
def test_the_prompt_fits_one_screen_and_shows_the_card_and_its_name_once_read(
    page, live_server, card_png, height
):
    _, data = live_server
    page.goto("/capture")  # the start page is Today once there are follow-ups
    page.set_viewport_size({"width": 375, "height": height})
    name, fixed = {667: ("Ana Ruiz", "Ana Ruíz"), 812: ("Eva Moreno", "Eva Morena")}[height]
    photo = card_png(name, "Acme Logistics", f"{name.split()[0].lower()}@acme.example")
    page.set_input_files("#snap", str(photo))
    page.wait_for_selector("#reasons:not([hidden])")
    # Everything on one screen, Save at the bottom and not covered (by the tab bar or else).
    for selector in ("#reasons-save", "#reasons-skip", "#chips .chip:last-child", "#prompt-thumb"):
        assert _uncovered(page, selector), selector
    save = page.locator("#reasons-save").bounding_box()
    assert save["y"] + save["height"] > height * 0.75  # where the thumb is
    assert page.evaluate("document.getElementById('prompt-thumb').naturalWidth") > 0
    # As soon as the card is read: its name and company.
    expect(page.locator("#prompt-name")).to_contain_text(name, timeout=READ_TIMEOUT)
    expect(page.locator("#prompt-name")).to_contain_text("Acme")
    # One tap to fix the name.
    page.click("#prompt-fix")
    page.fill("#prompt-name-input", fixed)
    page.keyboard.press("Enter")
    expect(page.locator("#prompt-name")).to_contain_text(fixed)
    page.click("#chips button:has-text('intro')")
    page.click("#reasons-save")
    expect(page.locator("#reasons")).to_be_hidden()
    card = max(_cards(data), key=lambda c: c.id)

    def record():
        with Store.open(data) as store:
            return store.contacts.get(card.user_id, card.contact_id)

    assert record().contact.name == fixed
    # Given after the upload (and the reading): the reason follows the card to its contact.
    assert wait_for(lambda: [r.text for r in record().reasons]) == ["intro"]
    assert page.errors == []


def test_a_card_of_someone_met_before_adds_this_meeting_unless_told_otherwise(
    page, live_server, card_png
):
    _, data = live_server
    email = f"bo{int(time.time())}@initech.example"
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        summit = store.events.add(user.id, "Web Summit 2025", date(2025, 11, 10))
        met = store.contacts.add(
            user.id, Contact(name="Bo Li", company="Initech", emails=[email]), event_id=summit.id
        )
    page.goto("/capture")
    page.click("#new-event-toggle")
    page.fill("#new-event-name", "Fair 2026")
    page.click("#new-event button[type=submit]")
    page.set_input_files("#snap", str(card_png("Bo Li", "Initech", email)))
    expect(page.locator("#prompt-known")).to_contain_text(
        "already met at Web Summit 2025", timeout=READ_TIMEOUT
    )
    page.click("#reasons-save")
    expect(page.locator("#reasons")).to_be_hidden()

    def newest_read():
        with Store.open(data) as store:
            card = max(store.cards.all(user.id), key=lambda c: c.id)
            (read,) = store.cards.contacts(user.id, card.id)
            return read, len(store.contacts.get(user.id, met.id).meetings)

    # The prompt says so to the server as it closes: one person, met at both events.
    read, meetings = wait_for(lambda: (r := newest_read())[0].merged_into and r)
    assert read.merged_into == met.id and meetings == 2

    # A namesake at the same company: "not the same person" keeps them apart.
    page.set_input_files("#snap", str(card_png("Bo Li", "Initech", "b.li@initech.example")))
    page.click("#prompt-not-same", timeout=READ_TIMEOUT)
    expect(page.locator("#prompt-known")).to_be_hidden()
    page.click("#reasons-skip")
    with Store.open(data) as store:
        card = max(store.cards.all(user.id), key=lambda c: c.id)
        (read,) = store.cards.contacts(user.id, card.id)
        assert read.merged_into is None
        assert len(store.contacts.get(user.id, met.id).meetings) == meetings
    assert page.errors == []


def test_the_same_card_snapped_twice_is_told(page, live_server, card_png):
    _, data = live_server
    page.goto("/capture")
    photo = card_png("Cy Twice", f"cy{uuid.uuid4().hex[:6]}@example.org")
    page.set_input_files("#snap", str(photo))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons-skip")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    before = len(_cards(data))
    page.set_input_files("#snap", str(photo))
    expect(page.locator("#prompt-dup")).to_contain_text("You already have this card")
    page.click("#chips button:has-text('meeting')")
    page.click("#reasons-save")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    assert len(_cards(data)) == before  # kept once
    assert page.errors == []


def test_signed_out_and_offline_the_capture_waits_and_uploads_once_after_signing_in(
    page, live_server, card_png
):
    _, data = live_server
    _controlled(page, "/capture/shell")
    page.click("form.logout button")
    page.wait_for_url("**/login**")
    page.context.set_offline(True)
    page.goto("/capture")  # offline, signed out: the shell, not an error page
    expect(page.locator("#capture")).to_have_attribute("data-shell", "true")
    expect(page.locator(".recent-empty")).to_be_visible()  # nothing yet: a hint, no bare heading
    expect(page.locator("#recent-title")).to_be_hidden()
    before = len(_cards(data))
    page.set_input_files("#snap", str(card_png("Offline Olga", "olga@example.org")))
    page.wait_for_selector("#reasons:not([hidden])")
    expect(page.locator("#prompt-name")).to_contain_text("uploads when you sign in")
    page.click("#chips button:has-text('send deck')")
    page.fill("#reason-when-words", "in 2 weeks")  # no server to read it into a date: kept
    page.click("#reasons-save")
    expect(page.locator("#queue-count")).to_have_text(
        "1 waiting — it uploads when you're online and signed in"
    )
    waiting = page.locator("#waiting li.card")
    expect(waiting).to_have_count(1)
    expect(page.locator("#recent-title")).to_be_visible()
    expect(page.locator(".recent-empty")).to_be_hidden()
    page.reload()  # still there after a reload, with its thumbnail
    expect(waiting).to_have_count(1)
    expect(waiting.locator(".card-reasons")).to_have_text("Why: send deck, in 2 weeks")
    page.wait_for_function("document.querySelector('#waiting img')?.naturalWidth > 0")
    # A page that needs the network says so, instead of showing another page.
    page.goto("/contacts/")
    expect(page.locator("h1")).to_have_text("You are offline")
    expect(page.locator("#offline-what")).to_contain_text("/contacts/ needs a connection")
    assert len(_cards(data)) == before
    # Online again and signed in: it uploads by itself (from whichever page sign-in opens),
    # exactly once.
    page.goto("/capture")  # the shell again (the offline page would reload itself once online)
    time.sleep(1.1)
    snapped_before_sign_in = datetime.now(UTC).isoformat()
    page.context.set_offline(False)
    page.goto("/login")
    sign_in(page)
    wait_for(lambda: len(_cards(data)) == before + 1)
    time.sleep(1.5)  # no late second upload either
    cards = _cards(data)
    assert len(cards) == before + 1
    with Store.open(data) as store:
        reasons = store.db.query("select text from reasons where card_id = ?", [cards[-1].id])
        assert [r["text"] for r in reasons] == ["send deck, in 2 weeks"]
        (card,) = store.db.query("select created from cards where id = ?", [cards[-1].id])
        assert card["created"] < snapped_before_sign_in  # the card is of its snap
    # Refusals while signed out (401) and offline are what the page expects; nothing else.
    expected = ("ERR_INTERNET_DISCONNECTED", "401 (UNAUTHORIZED)")
    assert [e for e in page.errors if not any(x in e for x in expected)] == []


def test_the_offline_page_is_no_other_page(browser, live_server):
    url, _ = live_server
    context = browser.new_context(viewport={"width": 375, "height": 667}, base_url=url)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("#name", "ana")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/(capture|today)$"))
        page.goto("/capture")
        _controlled(page, "/offline")
        _controlled(page, "/capture")  # the signed-in page, kept at each visit
        context.set_offline(True)
        for path in ("/events", "/followups"):
            page.goto(path)
            expect(page.locator("h1")).to_have_text("You are offline")
        page.goto("/capture")  # signed in: the capture page itself, with its events
        assert page.locator("h1").first.inner_text() == "Capture cards", page.url
        expect(page.locator("#capture")).to_have_attribute("data-shell", "false")
        page.goto("/events")
        expect(page.locator("h1")).to_have_text("You are offline")
        context.set_offline(False)  # back online: the page that needed it opens by itself
        expect(page.locator("h1")).to_have_text("Events")
    finally:
        context.close()
