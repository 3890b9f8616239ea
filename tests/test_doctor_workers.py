"""cardscan doctor's OCR worker check: cores, memory, and cards waiting with nobody reading."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cardscan.doctor.workers import SERVER_MB, WORKER_MB, _memory_mb, check_workers
from cardscan.settings import Settings, load_settings
from cardscan.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "sample_cards" / "images"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _settings(data: Path, **values) -> Settings:
    return load_settings({"data": str(data), **values}, environ={})


def _messages(check) -> str:
    return " | ".join(f"{p.message} FIX {p.fix}" for p in check.problems)


def test_workers_that_fit(tmp_path):
    check = check_workers(_settings(tmp_path), full=True, cores=4, memory_mb=8000, now=NOW)
    assert check.ok, _messages(check)
    assert "serve starts 3 workers (one per core but one) on 4 cores" in check.found


def test_more_workers_than_cores(tmp_path):
    settings = _settings(tmp_path, ocr_workers=6)
    check = check_workers(settings, full=False, cores=2, memory_mb=64000)
    assert "ocr_workers = 6 is more than the 2 CPU core(s)" in _messages(check)
    assert "set ocr_workers = 0" in check.problems[0].fix


def test_too_little_memory_names_a_count_that_fits(tmp_path):
    settings = _settings(tmp_path, ocr_workers=3)
    memory = SERVER_MB + 2 * WORKER_MB + 100  # room for two workers, not three
    check = check_workers(settings, full=False, cores=4, memory_mb=memory)
    assert f"this machine has {memory} MB" in _messages(check)
    assert check.problems[0].fix.startswith("set ocr_workers = 2")


def test_one_worker_that_does_not_fit(tmp_path):
    check = check_workers(_settings(tmp_path), full=False, cores=1, memory_mb=512)
    assert "add swap" in check.problems[0].fix


def test_memory_is_read_from_proc(tmp_path):
    assert (_memory_mb() or 0) > 0
    (tmp_path / "meminfo").write_text("MemTotal:        2048000 kB\nMemFree: 1 kB\n")
    assert _memory_mb(tmp_path / "meminfo") == 2000
    assert _memory_mb(tmp_path / "missing") is None


def _store_with_cards(data: Path, *, waiting_since: datetime, last_read: datetime | None) -> None:
    photos = sorted(SAMPLE.glob("*.jpg"))[:2]
    with Store.open(data) as store:
        store.users.password_cost = 2**10
        user = store.users.add("ana", "a long password")
        ids = [store.cards.add(user.id, photo.read_bytes())[0].id for photo in photos]
    with sqlite3.connect(data / "cardscan.db") as conn:
        conn.execute(
            "update cards set created = ? where id = ?", [waiting_since.isoformat(), ids[0]]
        )
        if last_read is not None:
            conn.execute(
                "update cards set status = 'done', updated = ? where id = ?",
                [last_read.isoformat(), ids[1]],
            )
        else:
            conn.execute(
                "update cards set created = ? where id = ?", [waiting_since.isoformat(), ids[1]]
            )


def _check(data: Path):
    return check_workers(_settings(data), full=True, cores=4, memory_mb=8000, now=NOW)


def test_cards_waiting_with_nobody_reading(tmp_path):
    data = tmp_path / "data"
    _store_with_cards(data, waiting_since=NOW - timedelta(hours=2), last_read=None)
    check = _check(data)
    assert "2 card(s) wait to be read, the oldest since 2026-12-07 10:00 UTC" in _messages(check)
    assert "cardscan worker" in check.problems[0].fix
    # the quick check at serve's start does not look (its workers are not started yet)
    fast = check_workers(_settings(data), full=False, cores=4, memory_mb=8000, now=NOW)
    assert fast.ok


def test_a_long_queue_being_read_is_not_stuck(tmp_path):
    data = tmp_path / "data"
    _store_with_cards(
        data, waiting_since=NOW - timedelta(hours=2), last_read=NOW - timedelta(minutes=1)
    )
    assert _check(data).ok, _messages(_check(data))


def test_cards_just_uploaded_are_not_stuck(tmp_path):
    data = tmp_path / "data"
    _store_with_cards(data, waiting_since=NOW - timedelta(minutes=2), last_read=None)
    assert _check(data).ok
    _store_with_cards(tmp_path / "old", waiting_since=NOW - timedelta(minutes=11), last_read=None)
    assert not _check(tmp_path / "old").ok
