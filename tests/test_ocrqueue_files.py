"""The OCR queue's file in the data directory is private, like the rest of it."""

from __future__ import annotations

import os

from cardscan.ocrqueue import CardQueue
from cardscan.settings import load_settings


def test_the_queue_file_is_private_whatever_the_umask(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "queue.db").write_bytes(b"")  # left 0644 by an earlier version
    (data / "queue.db").chmod(0o644)
    old = os.umask(0o022)
    try:
        queue = CardQueue.open(load_settings({"data": str(data)}, environ={}))
        queue.submit([(1, 0)])
        modes = {f.name: oct(f.stat().st_mode & 0o777) for f in data.glob("queue.db*")}
        queue.close()
    finally:
        os.umask(old)
    assert "queue.db-wal" in modes  # the write-ahead log is there, as the database's mode
    assert modes == dict.fromkeys(modes, "0o600")


def test_the_queue_file_commits_without_an_fsync(tmp_path):
    # The cards table is the truth (an acknowledged upload survives a power cut: see
    # test_store); a queue task lost with one is queued again by the sweep.
    settings = load_settings({"data": str(tmp_path / "data")}, environ={})
    queue = CardQueue.open(settings)
    queue.submit([(1, 0)])
    synchronous, journal = (
        queue.huey.storage.conn.execute(f"pragma {name}").fetchone()[0]
        for name in ("synchronous", "journal_mode")
    )
    queue.close()
    assert (synchronous, journal) == (1, "wal")  # NORMAL: no fsync at commit, never corrupt
