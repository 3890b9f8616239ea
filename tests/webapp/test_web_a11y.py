"""Accessibility: axe-core on every page at phone size, and a visible keyboard focus.

axe-core runs in the real page (headless Chromium, the app over HTTP) through
``axe-playwright-python``, which ships ``axe.min.js`` itself: nothing is fetched. Serious
and critical violations fail the test with what axe says and where; moderate and minor
ones are printed (``pytest -s``) but do not fail it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cardscan import followups
from cardscan.models import Contact, Phone
from cardscan.store import Store
from tests.support.read_cards import finish_read
from tests.webapp.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser

FAILING_IMPACTS = ("serious", "critical")
PAGES = (
    "login",
    "capture",
    "capture-reasons",
    "events",
    "event",
    "triage",
    "contacts",
    "contact",
    "followups",
    "settings",
)


@pytest.fixture(scope="module")
def seeded(quiet_server, make_card_module):
    """An event with two read cards (reasons, a due date, planned follow-ups) and one that
    could not be read; returns the ids the pages need."""
    _, data = quiet_server
    today = date.today()
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        event = store.events.add(user.id, "Access Summit", today - timedelta(days=2), today)
        people = [
            ("Ana Ruiz", "ana@example.org", [("send deck", "deck", today + timedelta(days=7))]),
            ("Bo Li", "bo@example.org", [("intro", "intro")]),
        ]
        contact_ids = []
        for name, email, reasons in people:
            card, _ = store.cards.add(
                user.id, make_card_module(name), event_id=event.id, reasons=reasons
            )
            contact = Contact(
                name=name,
                title="CTO",
                company="Example",
                emails=[email],
                phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
                confidence={"name": 0.6, "company": 0.4, "emails": 0.95},
            )
            record = finish_read(store, card.id, contact, conf=0.6)
            followups.FollowUps(store, user.id, today).plan_read_card([record.id])
            contact_ids.append(record.id)
        store.dates.add(user.id, contact_ids[0], "birthday", 4, 23)
        failed, _ = store.cards.add(user.id, make_card_module("unreadable"), event_id=event.id)
        store.cards.claim_next()
        store.cards.fail(failed.id, "InputImageError: no text found", final=True)
        store.users.create_api_token(user.id, "scanner script")
    return {"event": event.id, "contact": contact_ids[0]}


@pytest.fixture(scope="module")
def make_card_module():
    from tests.webapp.conftest import card_jpeg

    return card_jpeg


def _open(browser, quiet_server, seeded, name):
    """A phone-sized page showing ``name``, logged in unless it is the login page."""
    url, _ = quiet_server
    context = browser.new_context(viewport=PHONE, base_url=url)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto("/login")
    if name != "login":
        sign_in(page)
    paths = {
        "capture": "/capture",
        "capture-reasons": "/capture",
        "events": "/events",
        "event": f"/events/{seeded['event']}",
        "triage": f"/events/{seeded['event']}/triage",
        "contacts": "/contacts/",
        "contact": f"/contacts/{seeded['contact']}",
        "followups": "/today",
        "settings": "/settings/",
    }
    if name in paths:
        page.goto(paths[name])
    page.wait_for_load_state("networkidle")
    if name == "triage":
        page.wait_for_selector("#progress-label:not(:has-text('Loading'))")
    if name == "capture-reasons":
        # The reasons panel as it shows right after a snap, with a chip pressed.
        page.eval_on_selector("#reasons", "f => { f.hidden = false; }")
        page.click("#chips .chip >> nth=0")
    return context, page


def _report(violations):
    lines = []
    for v in violations:
        targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])} at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violations(browser, quiet_server, seeded, name):
    from axe_playwright_python.sync_playwright import Axe

    context, page = _open(browser, quiet_server, seeded, name)
    try:
        violations = Axe().run(page).response["violations"]
        assert page.errors == []
    finally:
        context.close()
    if violations:
        print(f"\n{name}:\n{_report(violations)}")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{name}:\n{_report(failing)}"


FOCUS_STATE = """() => {
  const a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return null;
  // A file input hidden behind its label shows its focus on the label.
  const shown = a.matches('input.visually-hidden')
    ? document.querySelector(`label[for="${a.id}"]`) || a
    : a;
  const s = getComputedStyle(shown);
  const r = shown.getBoundingClientRect();
  return {
    what: `${a.tagName.toLowerCase()}#${a.id}.${a.className} ${(a.textContent || '').trim()}`,
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    visible: r.width > 0 && r.height > 0,
  };
}"""


@pytest.mark.parametrize("name", ["login", "capture", "triage", "contact", "followups", "settings"])
def test_keyboard_focus_is_always_visible(browser, quiet_server, seeded, name):
    context, page = _open(browser, quiet_server, seeded, name)
    seen = []
    try:
        if name == "triage":
            page.click("h1")  # start from the page, not from a field (keys are shortcuts)
        for _ in range(25):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state is None:
                continue
            seen.append(state)
            assert state["visible"] and state["outline"], f"{name}: focus not shown on {state}"
    finally:
        context.close()
    assert len(seen) >= 5, f"{name}: Tab reached only {seen}"


FOCUSED = "() => (document.activeElement.textContent || '').trim().split('\\n')[0]"


def test_tab_order_follows_the_page_and_the_skip_link_jumps_to_the_content(
    browser, quiet_server, seeded
):
    context, page = _open(browser, quiet_server, seeded, "followups")
    try:
        order = []
        for _ in range(8):
            page.keyboard.press("Tab")
            order.append(page.evaluate(FOCUSED))
        # Header, then the tabs (shown on top on a laptop, at the bottom on a phone), then
        # the page: the same order a screen reader reads.
        assert order == [
            "Skip to content",
            "cardscan",
            "Log out",
            "Capture",
            "Events",
            "Contacts",
            "Today",
            "Settings",
        ]
        page.reload()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        in_main = page.evaluate("() => document.activeElement.closest('main') !== null")
        assert in_main, page.evaluate(FOCUSED)
    finally:
        context.close()


def test_repeated_buttons_say_what_they_act_on(browser, quiet_server, seeded):
    context, page = _open(browser, quiet_server, seeded, "followups")
    try:
        names = page.eval_on_selector_all(
            ".touch-actions button", "bs => bs.map(b => b.textContent.trim())"
        )
    finally:
        context.close()
    assert names and len(names) == len(set(names))  # "Done: Ana Ruiz — you said: …", ...
    assert any(n.startswith("Done: Ana Ruiz — you said: send deck") for n in names)
