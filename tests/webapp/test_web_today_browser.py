"""The Today view in headless Chromium at 375x812: dense enough to scan, a drafted e-mail
link with its subject and body, Done with Undo, and "Sent? Mark done"."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from cardscan.store import Store
from tests.support.outreach_data import seed_people

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(quiet_server):
    """Twelve people met at an event that ended yesterday, for ana: each one's thank-you
    (with the deck promised) is due today."""
    _, data = quiet_server
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
    return seed_people(data, ana.id, count=12, ended=1)


def _status(data, contact_id: int) -> list[str]:
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        return [t.status for t in store.touches.all(ana.id, contact_id=contact_id, open_only=False)]


def test_ten_or_more_follow_ups_fit_on_a_phone_screen(quiet_page, seeded):
    page = quiet_page
    page.goto("/today")
    assert page.viewport_size == {"width": 375, "height": 812}
    rows = page.locator("li.touch")
    expect(rows.first).to_contain_text("Ana Ruiz")
    expect(rows.first).to_contain_text("send deck")
    expect(rows.first.locator("time")).to_have_text("today")
    # Rows wholly on screen, above the tab bar.
    tabs_top = page.evaluate("document.querySelector('nav.tabs').getBoundingClientRect().top")
    boxes = page.eval_on_selector_all(
        "li.touch", "rows => rows.map(r => r.getBoundingClientRect().bottom)"
    )
    visible = [bottom for bottom in boxes if bottom <= tabs_top]
    assert len(visible) >= 10, (len(visible), tabs_top, boxes[:12])
    # Each row's quick acts are real tap targets.
    quick = rows.first.locator(".touch-quick a, .touch-quick button")
    assert quick.count() == 2  # E-mail and Done
    for box in [quick.nth(i).bounding_box() for i in range(quick.count())]:
        assert box["height"] >= 36 and box["width"] >= 44
    assert page.errors == []


def test_the_drafted_e_mail_link_carries_subject_and_body(quiet_page, seeded):
    page = quiet_page
    page.goto("/today")
    row = page.locator("li.touch", has_text="Ana Ruiz 3").first
    link = row.locator(".touch-quick a.act-email")
    expect(link).to_have_accessible_name("E-mail Ana Ruiz 3 — thank-you: send deck")
    href = link.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "ana3@acme.example"
    assert "+" not in parts.query  # spaces are %20 (RFC 6068)
    query = parse_qs(parts.query)
    assert query["subject"] == ["Great to meet you at Web Summit 1"]
    body = query["body"][0]
    assert body.startswith("Hi Ana,\r\n\r\nIt was great to meet you at Web Summit 1 yesterday")
    assert "As promised, here is our deck." in body
    assert body.endswith("Best,\r\nAna")  # the sender: the account's name until one is set
    # The row opens on the draft's subject, the call and the contact's page.
    row.locator("summary").click()
    expect(row.locator(".touch-draft")).to_contain_text("Great to meet you at Web Summit 1")
    expect(row.locator("a[href='tel:+351912345678']")).to_be_visible()


def test_done_hides_the_row_and_undo_brings_it_back(quiet_page, quiet_server, seeded):
    page = quiet_page
    _, data = quiet_server
    page.goto("/today")
    row = page.locator("li.touch", has_text="Ana Ruiz 5").first
    count = page.locator("#g-today .count")
    before = int(count.inner_text())
    row.locator(".done-button").click()
    expect(row).to_be_hidden()
    bar = page.locator("#undo-bar")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("Marked done: send deck — Ana Ruiz 5")
    expect(count).to_have_text(str(before - 1))
    assert "done" in _status(data, seeded[5])
    bar.get_by_role("button", name="Undo").click()
    expect(row).to_be_visible()
    expect(bar).to_contain_text("Undone.")
    expect(count).to_have_text(str(before))
    assert "done" not in _status(data, seeded[5])
    # The history at the foot of the page keeps both.
    page.reload()
    page.locator(".recent-acts summary").click()
    recent = page.locator(".recent-acts")
    expect(recent).to_contain_text("Marked done: send deck — Ana Ruiz 5 (undone)")
    assert page.errors == []


def test_after_the_mail_app_opens_the_row_asks_if_it_was_sent(quiet_page, quiet_server, seeded):
    page = quiet_page
    _, data = quiet_server
    page.goto("/today")
    row = page.locator("li.touch", has_text="Ana Ruiz 7").first
    # The mail app is outside the browser: keep the click from leaving the page.
    page.evaluate(
        "document.addEventListener('click', e => { if (e.target.closest('a.act-email'))"
        " e.preventDefault(); })"
    )
    row.locator(".touch-quick a.act-email").click()
    prompt = row.locator(".sent-prompt")
    expect(prompt).to_contain_text("Sent?")
    prompt.get_by_role("button", name="Mark done").click()
    expect(row).to_be_hidden()
    assert "done" in _status(data, seeded[7])
