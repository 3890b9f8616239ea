"""Triage on a phone (375x667 and 375x812) in headless Chromium against the real server."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from playwright.sync_api import expect

from cardscan.models import Contact, Phone
from cardscan.store import Store
from tests.support.read_cards import finish_read

pytestmark = pytest.mark.browser

FIELDS = ["name", "title", "company", "emails", "phones", "websites", "address"]


def _seed(data, make_card) -> int:
    """Two read cards of a new event: one the reading doubts (with its reasons), one sure."""
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        event = store.events.add(user.id, f"Phone Fair {time.time()}", date(2026, 11, 1))
        people = [
            ("Dana Doubt", 0.3, {"company": "read from a logo", "name": "two candidates"}),
            ("Sam Sure", 0.97, {}),
        ]
        for name, conf, doubts in people:
            card, _ = store.cards.add(user.id, make_card(f"{name} {event.id}"), event_id=event.id)
            contact = Contact(
                name=name,
                title="Head of Partnerships and Long Titles",
                company="ZEPHYRA",
                emails=[f"{name.split()[0].lower()}.{event.id}@example.org"],
                phones=[Phone("+1 555 0100"), Phone("+1 555 0101"), Phone("+1 555 0102")],
                websites=["example.org"],
                address="1 Long Street\nSpringfield\nUSA",
                confidence=dict.fromkeys(FIELDS, conf),
                doubts=doubts,
            )
            finish_read(store, card.id, contact)
        return event.id


def _box(page, selector):
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("height", [667, 812])
def test_triage_fits_a_phone(quiet_page, quiet_server, make_card, height):
    page = quiet_page
    _, data = quiet_server
    event_id = _seed(data, make_card)
    page.set_viewport_size({"width": 375, "height": height})
    page.goto(f"/events/{event_id}/triage")
    page.wait_for_selector("#progress-label:has-text('2 of 2 left')")
    expect(page.locator("#f-name")).to_have_value("Dana Doubt")

    # The photo, then the fields: no screen of anything between them.
    photo, first = _box(page, "#photo-scroll"), _box(page, "#f-name")
    assert first["y"] - (photo["y"] + photo["height"]) < height / 3
    # Done is in reach on the first screen, above the tab bar.
    done, tabs = _box(page, "#done"), _box(page, "nav.tabs")
    assert done["y"] + done["height"] <= tabs["y"] + 1 and done["y"] < height

    # Each marked field says why, where the reading knows.
    expect(page.locator("#mark-company")).to_have_text("check: read from a logo")
    expect(page.locator("#mark-name")).to_have_text("check: two candidates")
    expect(page.locator("#mark-title")).to_have_text("check: unsure reading")
    expect(page.locator("#card-status")).to_contain_text("7 fields to check")

    # Whatever field is being edited sits above the action bar and the tab bar.
    for name in [*FIELDS, "new-reason", "plan"]:
        selector = f"#f-{name}" if name in FIELDS else f"#{name}"
        page.locator(selector).click()
        page.wait_for_timeout(150)  # the reveal runs on the next frame
        field, bar = _box(page, selector), _box(page, "#fields .actions")
        assert field["y"] >= 0, name
        assert field["y"] + field["height"] <= bar["y"], (name, field, bar)
        assert bar["y"] + bar["height"] <= _box(page, "nav.tabs")["y"] + 1
        if name == "plan":
            page.keyboard.press("Escape")

    # The "words into" chips scroll sideways; the chosen one is brought into sight.
    chips = page.locator("#target-chips")
    assert chips.evaluate("(e) => e.scrollWidth > e.clientWidth")
    page.locator("#f-address").focus()
    address, row = _box(page, "[data-target=address]"), _box(page, "#target-chips")
    # Clear of the row's faded edges; scrolled, the left edge fades too (a chip cut off
    # there reads as more chips, not as stray letters).
    assert (
        row["x"] + 23 <= address["x"]
        and address["x"] + address["width"] <= row["x"] + row["width"] - 23
    )
    expect(chips).to_have_class(re.compile(r"\bscrolled\b"))
    expect(page.locator("[data-target=address]")).to_have_attribute("aria-pressed", "true")
    page.locator("#f-name").focus()
    expect(chips).not_to_have_class(re.compile(r"\bscrolled\b"))
    # A list field shows every item: three phones, three rows.
    assert page.locator("#f-phones").get_attribute("rows") == "3"

    # Fix the company, then Done twice: the end of the queue says what was done.
    page.fill("#f-company", "Zephyra Labs")
    page.click("#done")
    page.wait_for_selector("#progress-label:has-text('1 of 2 left')")
    expect(page.locator("#card-status")).to_contain_text("nothing marked")
    page.click("#done")
    page.wait_for_selector("#triage-end:not([hidden])")
    summary = page.locator("#summary")
    expect(summary).to_contain_text("2 cards checked")
    expect(summary).to_contain_text("1 field fixed by hand")
    expect(summary).to_contain_text("0 merges")
    expect(summary).to_contain_text("follow-ups planned")
    expect(page.locator("#triage-end a.primary")).to_have_attribute("href", "/today")
    expect(page.locator("#triage-end")).to_contain_text("Snap more cards")
    assert page.errors == []
