"""OCR worker faults: an engine that cannot even load must not leave cards queued for ever."""

from __future__ import annotations

import time

from cardscan.jobs import WorkerPool
from cardscan.settings import load_settings
from cardscan.store import Store


def test_an_engine_that_cannot_load_fails_cards_with_the_reason(tmp_path):
    # A real engine that cannot load: Tesseract asked for a language pack that is not there.
    settings = load_settings(
        {"data": str(tmp_path / "data"), "engine": "tesseract", "tesseract_languages": "zzz"},
        environ={},
    )
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
    assert "MissingDependencyError: Tesseract language pack(s) zzz" in (final.error or "")
