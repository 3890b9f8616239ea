"""OCR worker faults: an engine that cannot even load must not leave cards queued for ever."""

from __future__ import annotations

import time

import cardscan.jobs
from cardscan.errors import MissingDependencyError
from cardscan.jobs import WorkerPool
from cardscan.store import Store


def test_an_engine_that_cannot_load_fails_cards_with_the_reason(tmp_path, settings, monkeypatch):
    def broken(_settings):
        raise MissingDependencyError("tesseract is not installed: apt-get install tesseract-ocr")

    monkeypatch.setattr(cardscan.jobs, "pipeline_reader", broken)
    data = settings.data_dir
    with Store.open(data) as store:
        store.users.password_cost = 2**10
        user = store.users.add("ana", "correct horse battery")
        card, _ = store.cards.add(user.id, b"a photo")
    pool = WorkerPool(data, settings, poll_seconds=0.05)
    pool.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with Store.open(data) as store:
                final = store.cards.get(user.id, card.id)
            if final.status == "failed":
                break
            time.sleep(0.05)
        # The pool is still alive for the next card (the engine may be installed meanwhile).
        assert any(t.is_alive() for t in pool._threads)
    finally:
        pool.stop(timeout=10)
    assert final.status == "failed", final
    assert "tesseract is not installed" in (final.error or "")
