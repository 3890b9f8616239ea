"""The PWA in headless Chromium at 375x812 against the real server over HTTP (triage has
its own file, test_web_triage_browser.py)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from cardscan.store import Store
from tests.webapp.conftest import PASSWORD, sign_in, wait_for

pytestmark = pytest.mark.browser


HAS_OFFLINE_CAPTURE = """caches.keys()
  .then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.match('/capture')))))
  .then((found) => found.some(Boolean))"""


def _cards(data_dir):
    with Store.open(data_dir) as store:
        user = store.users.by_name("ana")
        return store.cards.all(user.id)


def test_snap_a_card_with_a_reason(page, live_server, card_png):
    _, data = live_server
    before = len(_cards(data))
    uploads: list[str] = []  # the content type of each photo upload the page sends
    page.on(
        "request",
        lambda r: (
            r.method == "POST"
            and re.search(r"/api/cards(\?|$)", r.url)
            and uploads.append(r.headers.get("content-type", ""))
        ),
    )
    page.click("#new-event-toggle")
    page.fill("#new-event-name", "Browser Summit")
    page.click("#new-event button[type=submit]")
    expect(page.locator("#event option:checked")).to_have_text("Browser Summit")
    page.set_input_files("#snap", str(card_png("Ana Ruiz", "CTO, Example Labs", "ana@example.org")))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#chips button:has-text('send deck')")
    page.click("#reasons-save")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    cards = wait_for(lambda: (c := _cards(data)) and len(c) == before + 1 and c)
    card = cards[-1]
    with Store.open(data) as store:
        event = store.events.get(card.user_id, card.event_id)
    assert event.name == "Browser Summit"
    assert uploads == ["image/jpeg"]  # the photo itself is the body: no form to parse
    # The photo went at once; its reason follows it (with the card it was given for).
    assert wait_for(lambda: _reasons_of(data, card.id)) == [("send deck", None)]
    # The card shows in the live list without a reload (status, then the contact once read).
    page.wait_for_selector(f"#recent li[data-card='{card.id}']")
    assert page.errors == []


def test_offline_captures_survive_a_reload(page, live_server, card_png):
    _, data = live_server
    # The service worker must control the page (it serves /capture when offline).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_for(lambda: page.evaluate("navigator.serviceWorker.controller !== null"))
    # ...and hold the offline copy of /capture (cached at install, refreshed on each visit).
    wait_for(lambda: page.evaluate(HAS_OFFLINE_CAPTURE))
    before = len(_cards(data))
    page.context.set_offline(True)
    page.set_input_files("#snap", str(card_png("Offline One", "one@example.org")))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons-skip")
    page.set_input_files("#snap", str(card_png("Offline Two", "two@example.org")))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons-skip")
    page.wait_for_selector("#queue-count:has-text('2 waiting')")
    page.reload()
    page.wait_for_selector("#queue-count:has-text('2 waiting')")
    assert len(_cards(data)) == before
    page.context.set_offline(False)
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')", timeout=30000)
    after = _cards(data)
    assert len(after) == before + 2
    time.sleep(1.0)  # no late duplicates either
    assert len(_cards(data)) == before + 2


def test_subscription_link_and_every_page_without_console_errors(page):
    for path in ("/capture", "/events", "/contacts/", "/today", "/settings/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/settings/")
    href = page.get_attribute("#webcal-link", "href")
    assert href.startswith("webcal://127.0.0.1:") and href.endswith(".ics")
    assert page.is_visible("img[alt^='QR code']")
    assert page.errors == []


def test_manifest_and_service_worker(page):
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope.endswith("/")
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["display"] == "standalone" and manifest["name"] == "cardscan"
    assert any(i["sizes"] == "512x512" for i in manifest["icons"])


def test_signing_in_on_a_phone_sets_its_time_zone(browser, live_server):
    url, data = live_server
    with Store.open(data) as store:
        kiri = store.users.add("kiri", PASSWORD)  # ana signed in before: her zone is set
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=url, timezone_id="Pacific/Kiritimati"
    )
    try:
        page = context.new_page()
        page.goto("/login")
        sign_in(page, "kiri")
        with Store.open(data) as store:
            assert store.outreach.prefs(kiri.id).timezone == "Pacific/Kiritimati"
    finally:
        context.close()


def test_logged_out_and_server_errors_keep_the_capture(browser, live_server, card_png):
    url, data = live_server
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=url, service_workers="block"
    )
    page = context.new_page()
    try:
        page.goto("/login")
        sign_in(page)
        before = len(_cards(data))
        # Logged out behind the page's back: the capture waits and says why.
        page.wait_for_load_state("networkidle")
        context.clear_cookies()
        page.set_input_files("#snap", str(card_png("Logged Out", "lo@example.org")))
        page.wait_for_selector("#reasons:not([hidden])")
        page.click("#reasons-skip")
        expect(page.locator("#queue-notice")).to_contain_text("Log in to upload")
        expect(page.locator("#queue-count")).to_have_text(
            "1 waiting — it uploads when you're online and signed in"
        )
        assert len(_cards(data)) == before
        # The server fails twice (503), then works: the capture is retried, never dropped.
        failures = {"left": 2}

        def flaky(route):
            if failures["left"] > 0:
                failures["left"] -= 1
                route.fulfill(status=503, content_type="application/json", body="{}")
            else:
                route.continue_()

        page.route(re.compile(r"/api/cards(\?|$)"), flaky)  # the photo's fields ride in ?...
        page.click("#queue-notice a")
        sign_in(page)
        expect(page.locator("#queue-count")).to_have_text("All captures uploaded", timeout=30000)
        assert failures["left"] == 0
        assert len(_cards(data)) == before + 1
    finally:
        context.close()


def test_snapped_card_is_read_by_real_ocr(page, live_server, sample_cards):
    """The whole way: snap a sample card, the server's worker pool reads it with the real
    OCR pipeline, and the contact appears in the live list without a reload."""
    pytest.importorskip("cardscan.reading.pipeline", reason="the OCR pipeline has not landed yet")
    import json

    _, data = live_server
    photo = sample_cards / "images" / "sample_01_classic_pt.jpg"
    label = json.loads((sample_cards / "labels" / "sample_01_classic_pt.json").read_text())
    page.set_input_files("#snap", str(photo))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#chips button:has-text('intro')")
    page.click("#reasons-save")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    card_id = max(c.id for c in _cards(data))
    done = page.wait_for_selector(
        f"#recent li[data-card='{card_id}'][data-status='done'] a.card-name", timeout=120_000
    )
    shown = done.inner_text()
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        card = store.cards.get(user.id, card_id)
        contact = store.contacts.get(user.id, card.contact_id)
    assert [r.text for r in contact.reasons] == ["intro"]
    email = label["emails"][0]
    assert email in contact.contact.emails  # read from the photo, not typed
    assert (contact.contact.name or email) in shown
    assert page.errors == []


def test_a_file_that_is_not_a_photo_is_refused_and_can_be_discarded(page, live_server, tmp_path):
    _, data = live_server
    before = len(_cards(data))
    fake = tmp_path / "card.jpg"
    fake.write_text("not a photo at all")
    page.set_input_files("#gallery", str(fake))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons-skip")
    expect(page.locator("#queue-notice")).to_contain_text("refused by the server")
    assert len(_cards(data)) == before
    page.click("#queue-notice button:has-text('Discard')")
    expect(page.locator("#queue-count")).to_have_text("All captures uploaded")
    assert [e for e in page.errors if "415" not in e] == []


def test_photos_are_downscaled_on_the_phone(page, live_server, tmp_path):
    from PIL import Image

    _, data = live_server
    big = tmp_path / "big.png"
    Image.new("RGB", (4000, 2500), (250, 250, 245)).save(big)
    page.set_input_files("#gallery", str(big))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons-skip")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    card = _cards(data)[-1]
    with Store.open(data) as store:
        path = store.photos.path(card.front)
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 2400 and stored.size[0] / stored.size[1] == pytest.approx(
            1.6, 0.01
        )


def _reasons_of(data, card_id):
    with Store.open(data) as store:
        rows = store.db.query("select text, due from reasons where card_id = ?", [card_id])
        return [(r["text"], r["due"]) for r in rows]


def test_the_when_chosen_at_capture_is_the_reasons_due_date_and_its_promise(
    page, live_server, card_png
):
    from datetime import date, timedelta

    _, data = live_server
    page.set_input_files("#snap", str(card_png("Dee Dated", "dee@example.org")))
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#chips button:has-text('send deck')")
    page.check("input[name=when][value=week]")
    page.click("#reasons-save")
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    card_id = max(c.id for c in _cards(data))
    next_week = (date.today() + timedelta(days=7)).isoformat()
    # The photo may be uploaded before Save: the reasons then follow it in a second request
    # ("All captures uploaded" counts photos), so wait for them.
    assert wait_for(lambda: _reasons_of(data, card_id)) == [("send deck", next_week)]
    # Read by the server's OCR workers: the follow-ups exist without any triage, the first
    # one on the chosen day.
    page.wait_for_selector(
        f"#recent li[data-card='{card_id}'][data-status='done']", timeout=120_000
    )
    expect(page.locator(f"#recent li[data-card='{card_id}'] .card-reasons")).to_have_text(
        f"Why: send deck (by {next_week})"
    )
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        contact_id = store.cards.get(user.id, card_id).contact_id
        touches = store.touches.all(user.id, contact_id=contact_id)
    # "send deck" next week is a promise of its own; the thank-you still comes.
    assert ("reason", "send deck", next_week) in [
        (t.kind, t.title, t.due.isoformat()) for t in touches
    ]
    assert any(t.kind == "thank_you" for t in touches)
    assert page.errors == []


def test_a_capture_queued_by_an_earlier_version_of_the_page_still_uploads(
    page, live_server, make_card
):
    _, data = live_server
    before = len(_cards(data))
    page.wait_for_load_state("networkidle")
    # An entry as earlier versions stored it: no owner, no back side, the date in `due`.
    page.evaluate(
        """(bytes) => new Promise((resolve, reject) => {
          const open = indexedDB.open('cardscan', 1);
          open.onsuccess = () => {
            const tx = open.result.transaction('captures', 'readwrite');
            tx.objectStore('captures').put({
              uuid: '0b7f7d8e-3c1a-4c55-9a55-2f7e1d7c6a01',
              event: null,
              reasons: [{ text: 'intro', kind: 'intro', due: '2027-01-15' }, 'coffee'],
              front: new Uint8Array(bytes).buffer,
              type: 'image/jpeg',
              created: Date.now(),
              holdUntil: 0,
            });
            tx.oncomplete = () => resolve(true);
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        })""",
        list(make_card("Old Queue Entry")),
    )
    page.reload()
    page.wait_for_selector("#queue-count:has-text('All captures uploaded')")
    cards = wait_for(lambda: (c := _cards(data)) and len(c) == before + 1 and c)
    assert cards[-1].client_uuid == "0b7f7d8e-3c1a-4c55-9a55-2f7e1d7c6a01"
    assert _reasons_of(data, cards[-1].id) == [("intro", "2027-01-15"), ("coffee", None)]
    assert page.errors == []
