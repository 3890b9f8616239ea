"""Screenshots of every page at phone (375x667, 375x812) and laptop (1280x800) size.

    python -m scripts.screenshots --out screenshots/

Starts the app on a temporary data directory with demo data (the committed sample cards),
drives Debian's Chromium through Playwright and writes one PNG per page and size. When the
OCR pipeline is installed, the demo cards are read for real; otherwise their hand labels are
stored as the readings (with no word boxes).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cardscan import followups
from cardscan.models import CardReading, Contact, OcrResult, Phone
from cardscan.settings import load_settings
from cardscan.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_cards"
#: Debian's Chromium, and the flags for it headless in a container (the browser tests use them).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"phone-small": (375, 667), "phone": (375, 812), "laptop": (1280, 800)}
PASSWORD = "demo password"


def _label_contact(label: dict, index: int) -> Contact:
    confidence = 0.95 if index % 3 else 0.35
    return Contact(
        name=label.get("name"),
        title=label.get("title"),
        company=label.get("company"),
        emails=list(label.get("emails") or []),
        phones=[Phone(p) for p in label.get("phones") or []],
        websites=list(label.get("websites") or []),
        address=label.get("address"),
        confidence={
            "name": confidence,
            "title": 0.5,
            "company": 0.9,
            "emails": 0.97,
            "phones": 0.8,
            "websites": 0.9,
            "address": 0.45,
        },
    )


def seed(data: Path, *, real_ocr: bool) -> dict[str, int]:
    """A demo user with two events, read cards, reasons, plans and touches; returns ids."""
    images = sorted((SAMPLES / "images").glob("*.jpg"))[:8]
    today = date.today()
    settings = load_settings({"data": str(data)}, environ={})
    with Store.open(data) as store:
        user = store.users.add("demo", PASSWORD)
        past = store.events.add(
            user.id,
            "Lisbon Tech Week",
            today - timedelta(days=40),
            today - timedelta(days=38),
            "Lisbon",
        )
        event = store.events.add(
            user.id, "Web Summit", today - timedelta(days=2), today - timedelta(days=1), "Lisbon"
        )
        reasons = [
            ("send deck", "deck", today + timedelta(days=5)),  # "when" chosen at capture
            ("intro", "intro", None),
            ("meeting", "meeting", None),
            ("hiring", "hiring", None),
        ]
        card_ids = []
        for i, path in enumerate(images):
            ev = past.id if i < 2 else event.id
            card, _ = store.cards.add(
                user.id,
                path.read_bytes(),
                event_id=ev,
                reasons=[reasons[i % 4]] if i % 3 != 2 else [],
            )
            card_ids.append(card.id)
        # A photo of two cards (read for real only): triage checks each card on its own.
        two_cards = SAMPLES / "images" / "sample_14_two_cards_nl_fr.jpg"
        two, _ = store.cards.add(user.id, two_cards.read_bytes(), event_id=event.id)
        demo_today = followups.FollowUps(store, user.id, today)
        if real_ocr:
            from cardscan.jobs import WorkerPool

            WorkerPool(data, settings).run_until_idle()
        else:
            labels = SAMPLES / "labels"
            for i, path in enumerate(images):
                claimed = store.cards.claim_next()
                assert claimed is not None
                label = json.loads((labels / (path.stem + ".json")).read_text())
                empty = OcrResult((), "labels", 0, 0)
                [record] = store.cards.finish(
                    claimed.id, [CardReading(_label_contact(label, i), empty)]
                )
                demo_today.plan_read_card([record.id])  # as the worker does
        # One card still waiting, to show the live status.
        store.cards.add(user.id, images[-1].read_bytes()[:-10] + b"0123456789", event_id=event.id)
        for card_id in card_ids[:3]:
            card = store.cards.get(user.id, card_id)
            if card.contact_id:
                followups.FollowUps(store, user.id, today - timedelta(days=30)).plan_contact(
                    card.contact_id
                )
                store.cards.mark_triaged(user.id, card_id)
        contact_id = store.cards.get(user.id, card_ids[2]).contact_id or 1
        store.contacts.set_private_notes(
            user.id, contact_id, "Met at the booth; wants the Q1 deck."
        )
        demo_today.add_reason(contact_id, text="intro to Bea", kind="intro")
        demo_today.add_reason(contact_id, text="send the Q1 deck", due=today + timedelta(10))
        demo_today.add_date(contact_id, "birthday", 4, 23)
        store.users.create_api_token(user.id, "scanner script")
        return {"event": event.id, "past": past.id, "contact": contact_id, "two_cards": two.id}


@contextmanager
def demo_server(*, real_ocr: bool) -> Iterator[tuple[Any, dict[str, int]]]:
    """The app on freshly seeded demo data (a temporary data directory), served on loopback
    until the block ends: yields the server (its ``url``) and the demo's ids (see ``seed``)."""
    from web import create_app
    from web.server import make_server

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ids = seed(data, real_ocr=real_ocr)
        settings = load_settings({"data": str(data)}, environ={})
        server = make_server(create_app({"CARDSCAN_SETTINGS": settings}), "127.0.0.1", 0)
        server.start_in_thread()
        try:
            yield server, ids
        finally:
            server.stop()


def log_in(page: Any) -> None:
    """Sign in as the demo user from the login page that ``page`` shows."""
    page.fill("#name", "demo")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(capture|today)$"))


def shoot(out: Path) -> list[Path]:
    """Start the app, seed it, and save every page at both sizes; returns the files."""
    from playwright.sync_api import sync_playwright

    try:
        import cardscan.reading.pipeline  # noqa: F401

        real_ocr = True
    except ImportError:
        real_ocr = False
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with demo_server(real_ocr=real_ocr) as (server, ids):
        pages = [
            ("capture", "/capture"),
            ("events", "/events"),
            ("event", f"/events/{ids['event']}"),
            ("triage", f"/events/{ids['event']}/triage"),
            (
                "triage-second-card",
                f"/events/{ids['event']}/triage?card={ids['two_cards']}&index=1",
            ),
            ("triage-end", f"/events/{ids['past']}/triage"),
            ("offline", "/offline"),
            ("capture-shell", "/capture/shell"),
            ("contacts", "/contacts/"),
            ("contact", f"/contacts/{ids['contact']}"),
            ("today", "/today"),
            ("settings", "/settings/"),
            ("error-404", "/no-such-page"),
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, base_url=server.url
                )
                page = context.new_page()
                page.goto("/login")
                written.append(_save(page, out / f"login-{size}.png"))
                log_in(page)
                for name, path in pages:
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    if name.startswith("triage"):
                        page.wait_for_selector("#progress-label:not(:has-text('Loading'))")
                    if name == "triage-end":
                        page.wait_for_selector("#triage-end:not([hidden])")
                    written.append(_save(page, out / f"{name}-{size}.png"))
                    if name == "triage":  # the keys, and the switch that turns them off
                        page.click("#help-toggle")
                        written.append(_save(page, out / f"triage-keys-{size}.png"))
                        page.click("#help-toggle")
                    if name == "triage" and page.is_visible("#view-toggle"):
                        page.click("#view-toggle")  # the whole photo, words mapped onto it
                        page.wait_for_load_state("networkidle")
                        written.append(_save(page, out / f"triage-photo-{size}.png"))
                page.goto("/capture")
                page.set_input_files("#snap", str(sorted((SAMPLES / "images").glob("*.jpg"))[-1]))
                page.wait_for_selector("#reasons:not([hidden])")
                page.click("#chips .chip >> nth=0")
                written.append(_save(page, out / f"capture-reasons-{size}.png", full=False))
                page.click("#reasons-skip")
                # Reasons later, for a card read already: its name in the prompt.
                page.click("#recent li[data-status=done] button[data-open] >> nth=0")
                page.wait_for_selector("#prompt-name:not(:has-text('Reading'))")
                written.append(_save(page, out / f"capture-prompt-read-{size}.png", full=False))
                context.close()
            browser.close()
    return written


def _save(page, path: Path, *, full: bool = True) -> Path:
    """The page (``full``) or what the screen shows (a prompt over the page)."""
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=full)
    return path


def main() -> None:
    """Parse ``--out`` and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", help="Folder for the PNG files.")
    args = parser.parse_args()
    for path in shoot(Path(args.out)):
        print(path)


if __name__ == "__main__":
    main()
