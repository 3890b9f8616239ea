"""Crash safety: SIGKILL the real server while uploads and OCR are in flight; nothing is lost.

A ``cardscan serve`` subprocess (its OCR workers included) gets uploads from a phone-like
client through the JSON API with a Bearer token. It is killed with SIGKILL twice: once while
uploads arrive and OCR runs, once while it resumes the queue after the restart. The client
retries what was never acknowledged with the same upload UUID, as the app's queue does.
Every acknowledged upload must be there afterwards, once, and every card must end ``done``
or ``failed`` with its reason.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import pytest

from cardscan.photometa import strip_metadata
from tests.support import hardening as h

#: A real server killed and restarted mid-upload (slow: left out of make test-fast).
pytestmark = pytest.mark.slow

#: Kill the real OCR engine mid-card once the pipeline is there (a slow fake reader before).
REAL = h.pipeline_available()


def _status_counts(data_dir) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{data_dir / 'cardscan.db'}?mode=ro", uri=True, timeout=10)
    try:
        return dict(conn.execute("select status, count(*) from cards group by status"))
    finally:
        conn.close()


class Phone:
    """Uploads photos one after another, remembering which were acknowledged."""

    def __init__(self, photos: list[bytes]) -> None:
        self.todo = [(str(uuid.uuid4()), photo) for photo in photos]
        self.acked: dict[str, int] = {}  # upload uuid -> HTTP status of the acknowledgement
        self.errors: list[str] = []

    def run(self, url: str, token: str, stop: threading.Event, pause: float = 0.25) -> None:
        for client_uuid, photo in self.todo:
            if stop.is_set():
                return
            if client_uuid in self.acked:
                continue
            try:
                status = h.upload(url, token, photo, client_uuid=client_uuid)
            except OSError as e:  # the server died under us: this one stays queued on the phone
                self.errors.append(type(e).__name__)
                return
            if status in (200, 202):
                self.acked[client_uuid] = status
            else:
                self.errors.append(str(status))
            time.sleep(pause)


def test_sigkill_mid_upload_and_mid_ocr_loses_nothing(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    *photos, first = h.sample_photos(7)
    phone = Phone(photos)

    # 1. Uploads arrive while OCR runs; kill once a few cards are read and some still wait.
    server = h.start_server(data, fake_seconds=0.5, real_ocr=REAL)
    # The OCR worker process loads its engine before it takes a card: wait for that (one
    # card read), so the kill lands while cards are being read, not before.
    assert h.upload(server.url, token, first) == 202
    deadline = time.monotonic() + 120
    while _status_counts(data).get("done", 0) < 1:
        assert time.monotonic() < deadline, "the first card was never read"
        time.sleep(0.1)
    stop = threading.Event()
    uploader = threading.Thread(target=phone.run, args=(server.url, token, stop))
    uploader.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        counts = _status_counts(data)
        reading_or_read = counts.get("reading", 0) + counts.get("done", 0) - 1
        if reading_or_read >= 1 and len(phone.acked) >= 3:
            break
        time.sleep(0.1)
    at_first_kill = _status_counts(data)
    server.kill()
    stop.set()
    uploader.join(timeout=60)
    acked_before_kill = dict(phone.acked)
    assert 0 < len(acked_before_kill) < len(photos), "the kill must land mid-way"
    assert at_first_kill.get("queued", 0) + at_first_kill.get("reading", 0) > 0, at_first_kill

    # 2. Restart; the phone retries the rest (same UUIDs); kill again while the queue resumes.
    server = h.start_server(data, port=server.port, fake_seconds=0.5, real_ocr=REAL)
    phone.run(server.url, token, threading.Event(), pause=0)
    assert len(phone.acked) == len(photos), phone.errors
    deadline = time.monotonic() + 60
    while _status_counts(data).get("reading", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    at_second_kill = _status_counts(data)
    server.kill()

    # 3. Restart and let every card finish. The kills above hit the real engine mid-card;
    # finishing the queue is the queue's business, so a quick reader does it (suite time).
    with h.serving(data, port=server.port, fake_seconds=0.05) as server:
        cards = h.get_json(server.url, "/api/cards", token)["cards"]
        ids = {c["id"] for c in cards}
        final = h.wait_until_read(server.url, token, ids, timeout=120)
        by_uuid = {}
        stored = {strip_metadata(p) for p in (*photos, first)}
        for card in final.values():
            detail = h.get_json(server.url, f"/api/cards/{card['id']}", token)
            by_uuid[detail["uuid"]] = detail
            status, photo = h.request(
                server.url, "GET", f"/api/cards/{card['id']}/photo", token=token
            )
            assert status == 200 and photo in stored  # (stored without metadata)

    lost = [u for u in phone.acked if u not in by_uuid]
    print(
        f"\ncrash test ({'real OCR' if REAL else 'fake reader'}): {len(acked_before_kill)}"
        " acknowledged before the first SIGKILL"
        f" (statuses then {at_first_kill}), statuses at the second {at_second_kill};"
        f" {len(final)} cards after restart, lost {len(lost)}"
    )
    assert lost == [], f"{len(lost)} acknowledged uploads lost"
    assert len(final) == len(photos) + 1, "a retried upload was stored twice"
    for card in final.values():
        assert card["status"] in ("done", "failed"), card
        if card["status"] == "failed":
            assert card.get("error"), card
