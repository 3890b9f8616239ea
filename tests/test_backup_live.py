"""Backups: ``cardscan backup`` while the server runs and uploads arrive gives a consistent
copy, and the documented restore (copy it in place of the data directory) serves it."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
import uuid

import pytest

from scripts.loadtest import distinct_photo
from tests.support import hardening as h

#: A backup while a live server takes uploads (slow: left out of make test-fast).
pytestmark = pytest.mark.slow


def _check_backup(out) -> list[dict]:
    """The backup opens, passes integrity_check, and every card's photo file is there."""
    conn = sqlite3.connect(out / "cardscan.db")
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        cards = [dict(r) for r in conn.execute("select * from cards")]
    finally:
        conn.close()
    for card in cards:
        for digest in (card["front_photo"], card["back_photo"]):
            if digest:
                assert (out / "photos" / digest[:2] / f"{digest}.jpg").is_file(), digest
    return cards


def test_backup_during_uploads_is_consistent_and_restores(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    photos = h.sample_photos(6)
    acked: list[str] = []
    stop = threading.Event()

    def phone(url: str) -> None:
        n = 0
        while not stop.is_set() and n < 12:
            client_uuid = str(uuid.uuid4())
            photo = distinct_photo(photos[n % len(photos)], client_uuid)
            if h.upload(url, token, photo, client_uuid=client_uuid) == 202:
                acked.append(client_uuid)
            n += 1

    with h.serving(data, fake_seconds=0.2) as server:
        uploader = threading.Thread(target=phone, args=(server.url,))
        uploader.start()
        try:
            backups = []
            for i in range(2):
                while len(acked) < 4 * (i + 1):
                    time.sleep(0.05)
                acked_before = list(acked)
                out = tmp_path / f"backup-{i}"
                printed = h.cli(data, "backup", str(out))
                assert "Backed up" in printed
                backups.append((out, acked_before))
        finally:
            stop.set()
            uploader.join(timeout=60)

    for out, acked_before in backups:
        cards = _check_backup(out)
        in_backup = {c["client_uuid"] for c in cards}
        missing = [u for u in acked_before if u not in in_backup]
        assert missing == [], f"{len(missing)} uploads acknowledged before the backup are missing"
    # Taken while writes went on, the second copy holds more than the first.
    assert len(_check_backup(backups[1][0])) > len(backups[0][1])

    # Restore as the README says: the backup directory becomes the data directory.
    out, acked_before = backups[1]
    restored = tmp_path / "restored"
    shutil.copytree(out, restored)
    listed = h.cli(restored, "contacts", "--user", "ana")
    with h.serving(restored, fake_seconds=0.05) as server:
        cards = h.get_json(server.url, "/api/cards", token)["cards"]
        assert {c["uuid"] for c in cards} >= set(acked_before)
        final = h.wait_until_read(server.url, token, {c["id"] for c in cards}, timeout=90)
        assert all(c["status"] == "done" for c in final.values())
        contacts = h.get_json(server.url, "/api/contacts", token)["contacts"]
        assert len(contacts) >= len(acked_before)
        photo = h.request(server.url, "GET", cards[0]["photo"], token=token)
        assert photo[0] == 200 and len(photo[1]) > 1000
    assert listed.count("\n") <= len(contacts)
