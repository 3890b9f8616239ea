"""The live viewfinder with Chromium's fake camera playing a card (a .y4m made at test time
from a rendered card), against the real server and its OCR workers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cardscan.store import Store
from tests.support.fake_camera import card_video
from tests.webapp.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in, wait_for

pytestmark = pytest.mark.browser

READ_TIMEOUT = 180_000  # ms: the real OCR on a shared machine


@pytest.fixture(scope="module")
def camera_browser(browser, tmp_path_factory, card_png):
    """A second Chromium (same Playwright) whose camera films a card on a desk."""
    photo = card_png("Vera Finder", "Lumen Optics", "vera@lumen.example")
    # 45 frames (3 s, looped): two shots are rarely the very same frame, which the server
    # would keep once as the same photo (a real camera never repeats a frame exactly).
    video = card_video(photo, tmp_path_factory.mktemp("camera") / "card.y4m", frames=45)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",  # the camera permission is granted
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield launched
    launched.close()


def _cards(data):
    with Store.open(data) as store:
        return store.cards.all(store.users.by_name("ana").id)


def _open_camera(browser, url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=url)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto("/login")
    sign_in(page)
    page.goto("/capture")  # the start page is Today once there are follow-ups
    page.click("#camera-open")  # there is a camera: the live viewfinder, not the file input
    expect(page.locator("#viewfinder")).to_be_visible()
    return context, page


def test_the_viewfinder_finds_the_card_takes_it_and_is_ready_again_at_once(
    camera_browser, live_server
):
    url, data = live_server
    before = len(_cards(data))
    context, page = _open_camera(camera_browser, url)
    try:
        # The card's outline is drawn once found (the fake camera films it on a desk).
        expect(page.locator("#viewfinder")).to_have_attribute(
            "data-found", "steady", timeout=20_000
        )
        shots = page.evaluate_handle(
            "(() => { const s = []; addEventListener('viewfinder-shot', (e) => s.push(e.detail));"
            " return s; })()"
        )
        page.locator("#viewfinder .vf-overlay").click()  # a tap anywhere on the picture takes it
        page.wait_for_function("(s) => s.length === 1", arg=shots)
        shot = page.evaluate("(s) => s[0]", shots)
        assert shot["how"] == "tap" and shot["outline"] is True
        assert shot["ms"] < 1000  # ready for the next card in under a second
        expect(page.locator("#vf-count")).to_contain_text("1 taken")
        # The counter follows it: uploaded, then read by the server's OCR.
        expect(page.locator("#vf-count")).to_contain_text("1 uploaded", timeout=30_000)
        expect(page.locator("#vf-count")).to_contain_text("1 read", timeout=READ_TIMEOUT)

        # Auto: the card is steady and sharp, so it takes itself, once (the same card
        # staying in view is not taken again).
        page.click(".vf-auto")
        page.wait_for_function("(s) => s.length === 2", arg=shots, timeout=20_000)
        assert page.evaluate("(s) => s[1].how", shots) == "auto"
        page.wait_for_timeout(2500)
        assert page.evaluate("(s) => s.length", shots) == 2
        page.click(".vf-auto")  # off again (remembered on this device)

        # Reasons for the last card, in the flow: the prompt over the camera, then back.
        page.click(".vf-last")
        page.wait_for_selector("#reasons:not([hidden])")
        page.click("#chips button:has-text('intro')")
        page.click("#reasons-save")
        expect(page.locator("#reasons")).to_be_hidden()
        expect(page.locator("#viewfinder")).to_be_visible()
        page.click(".vf-close")
        expect(page.locator("#viewfinder")).to_be_hidden()
        expect(page.locator("#tally")).to_contain_text("2 taken · 2 uploaded", timeout=30_000)
        cards = _cards(data)
        assert len(cards) == before + 2

        def reasons():
            with Store.open(data) as store:
                rows = store.db.query("select text from reasons where card_id = ?", [cards[-1].id])
                return [r["text"] for r in rows]

        # The reason follows the photo (sent as the prompt closes).
        assert wait_for(reasons) == ["intro"]
        assert page.errors == []
    finally:
        context.close()


def test_without_camera_permission_the_file_input_serves(browser, live_server):
    url, _ = live_server
    # A camera is there, but the permission is not given: the live camera cannot start.
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"]
    refusing = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = refusing.new_context(viewport={"width": 375, "height": 667}, base_url=url)
    page = context.new_page()
    try:
        page.goto("/login")
        sign_in(page)
        page.goto("/capture")
        expect(page.locator("#snap-alt")).to_be_visible()  # the camera app, one tap away
        page.click("#camera-open")
        expect(page.locator("#queue-notice")).to_contain_text("permission was refused")
        expect(page.locator("#viewfinder")).to_be_hidden()
        expect(page.locator("#snap-label")).to_be_visible()  # the file input serves
        expect(page.locator("#camera-open")).to_be_hidden()
    finally:
        context.close()
        refusing.close()


def test_without_a_camera_the_file_input_is_the_snap_button(page):
    page.goto("/capture")
    # A laptop with no camera (this test browser has none): no live camera offered.
    expect(page.locator("#snap-label")).to_be_visible()
    expect(page.locator("#camera-open")).to_be_hidden()
