"""Triage in headless Chromium against the real server over HTTP: by keyboard, tapping the
words on a card read by the real pipeline, and each card of a two-card photo."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from cardscan.models import Box, CardReading, Contact, Line, OcrResult, PlanStep, Word
from cardscan.store import Store
from cardscan.triage import triage_queue
from tests.support.read_cards import finish_read
from tests.webapp.conftest import sign_in

pytestmark = pytest.mark.browser


def _seed_read_cards(data, make_card):
    """Three read cards of a new event, with different certainties (no OCR needed)."""
    people = [
        ("Cleo Sure", 0.95, "cleo@example.org"),
        ("Amy Unsure", 0.2, None),
        ("Bob Middle", 0.6, "bob@example.org"),
    ]
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        from datetime import date

        earlier = store.events.add(
            user.id, f"Earlier {time.time()}", date(2025, 5, 1), date(2025, 5, 1)
        )
        cleo = store.contacts.add(
            user.id, Contact(name="Cleo Sure", emails=["cleo@example.org"]), event_id=earlier.id
        )
        # Her plan was chosen back then: merging the new card into her keeps it.
        quick = store.plans.save(user.id, "Quick", [PlanStep("ping", "ping", 2)])
        store.contacts.update(user.id, cleo.id, {"plan_id": quick.id})
        event = store.events.add(
            user.id, f"Triage Fair {time.time()}", date(2026, 11, 1), date(2026, 11, 2)
        )
        for name, conf, email in people:
            card, _ = store.cards.add(user.id, make_card(name), event_id=event.id)
            contact = Contact(
                name=name,
                company="Example",
                emails=[email] if email else [],
                confidence={"name": conf, "company": conf, "emails": conf},
            )
            finish_read(store, card.id, contact, conf)
        return event.id


def test_triage_by_keyboard(quiet_page, quiet_server, make_card):
    page = quiet_page
    _, data = quiet_server
    event_id = _seed_read_cards(data, make_card)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/events/{event_id}/triage")
    page.wait_for_selector("#progress-label:has-text('3 of 3 left')")
    expect(page.locator("#f-name")).to_have_value("Amy Unsure")  # least certain first
    expect(page.locator(".field[data-field=name]")).to_have_class(re.compile(r"\blow\b"))
    # Letter keys can be turned off (WCAG 2.1.4: speech input types letters), and stay off on
    # this device; arrows still move.
    page.click("#help-toggle")
    page.uncheck("#letter-keys")
    page.keyboard.press("Escape")  # out of the checkbox
    page.keyboard.press("j")  # nothing
    page.keyboard.press("ArrowRight")
    expect(page.locator("#f-name")).to_have_value("Bob Middle")
    page.reload()
    page.wait_for_selector("#progress-label:has-text('3 of 3 left')")
    page.keyboard.press("?")  # nothing: the help stays closed
    expect(page.locator("#help")).to_be_hidden()
    expect(page.locator("#help-toggle")).to_have_text("Keys")
    page.click("#help-toggle")
    expect(page.locator("#letter-keys")).not_to_be_checked()
    page.check("#letter-keys")
    page.click("#help-toggle")
    expect(page.locator("#f-name")).to_have_value("Amy Unsure")
    page.keyboard.press("j")
    expect(page.locator("#f-name")).to_have_value("Bob Middle")
    page.keyboard.press("k")
    expect(page.locator("#f-name")).to_have_value("Amy Unsure")
    # Fix the name by tapping a word on the photo into the focused field.
    page.click("#f-name")
    page.fill("#f-name", "")
    page.click(".word[data-text='Amy']")  # a box on the photo (OCR read this very image)
    assert page.input_value("#f-name") == "Amy"
    page.click("#f-title")
    page.click("#words summary")  # or the list of words read, under the photo
    page.click("#word-list .word-chip[data-text='Unsure']")
    assert page.input_value("#f-title") == "Unsure"
    page.fill("#f-title", "")
    page.keyboard.press("Escape")
    page.keyboard.press("d")
    page.wait_for_selector("#progress-label:has-text('2 of 3 left')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#progress-label:has-text('1 of 3 left')")
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("?")
    # Cleo was met before: the duplicate is offered, and m merges (both meetings kept).
    expect(page.locator("#duplicate")).to_be_visible()
    expect(page.locator("#dup-name")).to_have_text("Cleo Sure")
    page.keyboard.press("m")
    page.wait_for_selector("#triage-end:not([hidden])")
    expect(page.locator("#summary")).to_contain_text("1 merge with people met before")
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        cards = store.cards.all(user.id, event_id=event_id)
        assert all(c.triaged for c in cards)
        records = [store.contacts.get(user.id, c.contact_id) for c in cards]
        names = sorted(r.contact.name for r in records)
        # The card now points at the earlier contact, which holds both meetings.
        cleo = next(r for r in records if r.contact.name == "Cleo Sure")
    assert names == ["Amy", "Bob Middle", "Cleo Sure"]
    assert cleo.merged_into is None and len(cleo.meetings) == 2
    with Store.open(data) as store:
        assert store.plans.get(user.id, cleo.plan_id).name == "Quick"  # not the default
    assert page.errors == []


def _tap_at(page, image, fx: float, fy: float):
    """Tap the image at fractions (fx, fy) of its width and height, scrolled to the middle of
    the screen first (a phone's bottom bars cover the lowest part of the page)."""
    box = image.bounding_box()
    y = box["y"] + fy * box["height"]
    page.evaluate("(y) => window.scrollBy(0, y - innerHeight / 2)", y)
    box = image.bounding_box()
    page.touchscreen.tap(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def test_tap_words_on_a_card_read_by_the_real_pipeline(
    browser, quiet_server, sample_cards, rapidocr_engine, make_card
):
    """At 375x812 with touch: a card photographed upside down, read by the real pipeline,
    shows flat and upright with its words as boxes; tapping where a word is puts it into the
    chosen field, on the card and on the whole photo (boxes mapped back through the card's
    outline). A card read before outlines were kept offers its words as a list."""
    from datetime import date

    from cardscan.models import CardOutline
    from cardscan.reading.geometry import box_to_photo
    from cardscan.reading.pipeline import scan_image
    from cardscan.settings import load_settings

    url, data = quiet_server
    photo = (sample_cards / "images" / "sample_16_upside_down_hr.jpg").read_bytes()
    settings = load_settings({"data": str(data)}, environ={})
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        day = date(2026, 11, 3)
        event = store.events.add(user.id, f"Tap Fair {time.time()}", day, day)
        # An old card: OCR boxes in a flattened crop's pixels, no outline kept.
        old, _ = store.cards.add(user.id, make_card("Old Card"), event_id=event.id)
        words = (Word("Olga", Box(40, 40, 120, 40), 0.3), Word("Older", Box(170, 40, 150, 40), 0.3))
        ocr = OcrResult((Line("Olga Older", Box(40, 40, 280, 40), 0.3, words),), "t", 700, 400)
        store.cards.claim_next()
        store.cards.finish(
            old.id, [CardReading(Contact(name="Olga", confidence={"name": 0.2}), ocr)]
        )
        card, _ = store.cards.add(user.id, photo, event_id=event.id)
        store.cards.claim_next()
        (reading,) = scan_image(photo, settings, engine=rapidocr_engine)
        store.cards.finish(card.id, [reading])
    assert reading.rotation == 180 and reading.detection == "quad"
    name_line = next(ln for ln in reading.ocr.lines if ln.text.casefold().startswith("dra"))
    first, last = name_line.words[0], name_line.words[-1]
    email_line = next(ln for ln in reading.ocr.lines if "@" in ln.text)
    email = next(w for w in email_line.words if "@" in w.text)
    width, height = reading.ocr.width, reading.ocr.height

    context = browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=url, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto("/login")
        sign_in(page)
        page.goto(f"/events/{event.id}/triage")
        page.wait_for_selector("#progress-label:has-text('2 of 2 left')")
        # The old card first (least certain): no boxes on its photo. On a phone the list of
        # its words stays closed (the fields follow the photo), one tap opens it.
        expect(page.locator("#f-name")).to_have_value("Olga")
        expect(page.locator("#words")).not_to_have_attribute("open", "")
        assert page.locator("#word-layer .word").count() == 0
        page.tap("#words summary")
        page.tap("#target-chips [data-target=title]")
        page.tap("#word-list .word-chip[data-text='Older']")
        assert page.input_value("#f-title") == "Older"
        page.fill("#f-title", "")
        page.keyboard.press("Escape")
        page.tap("#done")
        page.wait_for_selector("#progress-label:has-text('1 of 2 left')")

        # The real card: flat and upright, its words as boxes where the OCR read them.
        image = page.locator("#photo")
        expect(image).to_have_attribute("src", re.compile(r"/card\.jpg\?v="))
        page.wait_for_selector("#word-layer .word >> nth=10", state="attached")
        expect(page.locator("#word-shapes")).to_be_hidden()
        assert page.evaluate("document.getElementById('photo').naturalWidth") > 300
        page.tap("#target-chips [data-target=name]")
        page.fill("#f-name", "")
        page.keyboard.press("Escape")
        for word in (first, last):
            cx, cy = word.box.center
            _tap_at(page, image, cx / width, cy / height)
        assert page.input_value("#f-name").casefold() == f"{first.text} {last.text}".casefold()
        expect(page.locator("#target-preview")).to_contain_text(last.text)
        # Zoomed in, a word's box still takes the word.
        page.tap("#zoom-in")
        page.tap("#zoom-in")
        assert image.bounding_box()["width"] > 600
        page.tap("#target-chips [data-target=company]")
        page.fill("#f-company", "")
        page.keyboard.press("Escape")
        box = page.locator(f"#word-layer .word[data-text='{first.text}']").first
        box.scroll_into_view_if_needed()
        box.tap()
        assert page.input_value("#f-company") == first.text

        # The whole photo (upside down): the same words as boxes mapped back onto it.
        page.tap("#view-toggle")
        expect(image).to_have_attribute("src", re.compile(r"/photo$"))
        page.wait_for_selector("#word-shapes polygon >> nth=10", state="attached")
        expect(page.locator("#word-shapes")).to_be_visible()
        expect(page.locator("#word-layer")).to_be_hidden()
        outline = CardOutline(reading.quad, reading.photo_size, (width, height), 180)
        corners = box_to_photo(outline, email.box)
        px = sum(x for x, _ in corners) / 4 / reading.photo_size[0]
        py = sum(y for _, y in corners) / 4 / reading.photo_size[1]
        page.tap("#target-chips [data-target=emails]")
        page.fill("#f-emails", "")
        page.keyboard.press("Escape")
        image.scroll_into_view_if_needed()
        _tap_at(page, image, px, py)
        assert page.input_value("#f-emails") == email.text
        # "Line" mode: a tap takes the word's whole line, as a new item of a list field.
        page.tap("#line-mode")
        _tap_at(page, image, px, py)
        assert page.input_value("#f-emails") == f"{email.text}\n{email_line.text}"
        assert errors == []
    finally:
        context.close()


def test_each_card_of_a_two_card_photo_comes_up_in_triage(
    quiet_page, quiet_server, sample_cards, rapidocr_engine
):
    """A photo of two cards, read by the real pipeline: triage shows each card read on its
    own, with its own flattened image, and counts both in the progress. A plan chosen on the
    contact page is the one triage offers, so Done keeps it; the follow-ups page links the
    default plan's touches to their card in triage. Reasons get a "when" as at
    capture, and their dates can be changed, without losing fields typed but not saved."""
    from datetime import date, timedelta

    from cardscan import followups
    from cardscan.reading.pipeline import scan_image
    from cardscan.settings import load_settings

    page = quiet_page
    _, data = quiet_server
    photo = (sample_cards / "images" / "sample_14_two_cards_nl_fr.jpg").read_bytes()
    settings = load_settings({"data": str(data)}, environ={})
    yesterday = date.today() - timedelta(days=1)
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        event = store.events.add(user.id, f"Duo Fair {time.time()}", yesterday, yesterday)
        card, _ = store.cards.add(user.id, photo, event_id=event.id)
        assert store.cards.claim_next().id == card.id
        read = store.cards.finish(card.id, scan_image(photo, settings, engine=rapidocr_engine))
        followups.FollowUps(store, user.id, date.today()).plan_read_card([r.id for r in read])
        # The least certain card's contact got its own plan on the contact page.
        first, second = triage_queue(store, user.id, event.id).items
        quick = store.plans.save(user.id, f"Quick {time.time()}", [PlanStep("ping", "ping", 2)])
        followups.FollowUps(store, user.id, date.today()).switch_plan(first.record.id, quick.id)
        default = store.plans.default(user.id)
    names = {r.card_index: r.contact.name for r in read}
    plans = {first.index: quick.id, second.index: default.id}
    assert sorted(names) == [0, 1] and names[0] != names[1]

    # The Today view marks the other one's touches as the default plan's, with a link
    # that opens triage on its card (not on the least certain one), in each opened row.
    page.goto("/today")
    link = page.locator(f"a[href$='triage?card={card.id}&index={second.index}']")
    expect(link).to_have_count(3)  # thank you, check in, keep in touch
    expect(link.first).to_contain_text("default plan · change: choose a plan in triage")
    link.first.locator("xpath=ancestor::details[1]/summary").click()
    link.first.click()
    page.wait_for_selector("#progress-label:has-text('2 of 2 left')")
    expect(page.locator("#f-name")).to_have_value(names[second.index])
    seen = {}
    for left in (1, 0):
        status = page.locator("#card-status")
        expect(status).to_contain_text(re.compile(r"card \d of 2 in this photo"))
        index = int(re.search(r"card (\d) of 2", status.inner_text())[1]) - 1
        expect(page.locator("#f-name")).to_have_value(names[index])
        src = page.get_attribute("#photo", "src")
        assert "/card.jpg?" in src and (("index=1" in src) == (index == 1))
        seen[index] = src
        expect(page.locator("#plan")).to_have_value(str(plans[index]))
        if not seen.get("reasons"):
            seen["reasons"] = read[index].id
            _add_reasons_with_dates(page)
        page.click("#done")
        if left:
            page.wait_for_selector(f"#progress-label:has-text('{left} of 2 left')")
    page.wait_for_selector("#triage-end:not([hidden])")
    assert seen[0] != seen[1]
    # "Next month" counts months as the server does: Jan 31 + 1 month is Feb 28.
    month = "import('/static/js/when.js').then((m) => m.dueFor('month', '', new Date(2027, 0, 31)))"
    assert page.evaluate(month) == "2027-02-28"
    soon, later = date.today() + timedelta(days=3), date.today() + timedelta(days=20)
    with Store.open(data) as store:
        contact = store.contacts.get(user.id, seen["reasons"])
        assert contact.contact.title == "Chief Tester"  # typed before the reasons, then Done
        assert [(r.text, r.due) for r in contact.reasons] == [
            ("send deck", later),
            ("get in touch", soon),
        ]
        touches = {(t.title, t.due) for t in store.touches.all(user.id, contact_id=contact.id)}
        assert {("get in touch", soon), ("send deck", later)} <= touches
        assert store.cards.get(user.id, card.id).triaged
        done = store.cards.contacts(user.id, card.id)
    assert all(c.triaged for c in done)
    assert {c.card_index: c.plan_id for c in done} == plans  # Done kept the chosen plan
    assert page.errors == []


def _add_reasons_with_dates(page):
    """In triage: a reason for next week whose date is then changed, and a date alone."""
    from datetime import date, timedelta

    page.fill("#f-title", "Chief Tester")  # typed, not saved yet
    page.fill("#new-reason", "send deck")
    page.select_option("#new-reason-when", "week")
    page.click("#add-reason")
    due = page.locator("#reason-list input[type=date]").first
    expect(due).to_have_value((date.today() + timedelta(days=7)).isoformat())
    due.fill((date.today() + timedelta(days=20)).isoformat())  # changed: saved at once
    page.select_option("#new-reason-when", "date")
    page.fill("#new-reason-date", (date.today() + timedelta(days=3)).isoformat())
    page.click("#add-reason")  # no text: "get in touch" on that day, as at capture
    expect(page.locator("#reason-list .reason-text")).to_have_text(["send deck", "get in touch"])
    expect(page.locator("#f-title")).to_have_value("Chief Tester")
