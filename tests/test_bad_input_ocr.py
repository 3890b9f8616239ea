"""The bad-input corpus read by the real OCR pipeline: each photo the upload accepted ends
``done`` (maybe an empty contact) or ``failed`` with a clear reason, quickly for a bomb, and
nothing stored before changes."""

from __future__ import annotations

import time

import pytest

from cardscan.store import Store
from tests.support import hardening as h
from tests.support.bad_inputs import corpus

#: Odd photos through the real OCR pipeline (slow: left out of make test-fast).
pytestmark = pytest.mark.slow

CORPUS = corpus()


@pytest.fixture
def ana(data_dir):
    app = h.make_app(data_dir)
    app.ids = h.add_users(data_dir, "ana")
    client = h.logged_in(app, "ana")
    # Something stored before, which no bad input may touch.
    assert h.api_upload(client, CORPUS["CMYK JPEG"][0] + b"stored before").status_code == 202
    return client


@pytest.fixture(scope="module")
def pipeline_reader():
    pytest.importorskip("cardscan.reading.pipeline", reason="the OCR pipeline is not merged yet")
    from cardscan.jobs import pipeline_reader
    from cardscan.settings import load_settings

    return pipeline_reader(load_settings({}, environ={}))


@pytest.mark.parametrize("name", list(CORPUS))
def test_odd_photo_read_by_the_pipeline_ends_cleanly(ana, data_dir, name, pipeline_reader):
    from cardscan.jobs import read_one

    photo, expected = CORPUS[name]
    response = h.api_upload(ana, photo)
    if response.status_code != 202:
        return  # refused at upload (checked above)
    card_id = response.get_json()["id"]
    with Store.open(data_dir) as store:
        for queued in store.cards.all(ana.application.ids["ana"]):
            if queued.id != card_id and queued.status == "queued":
                store.cards.finish(queued.id, [])  # the card stored before: not what we test
        before = h.snapshot(data_dir)
        started = time.monotonic()
        while (card := read_one(store, pipeline_reader, max_tries=1)) is not None:
            if card.id == card_id:
                break
        seconds = time.monotonic() - started
    body = ana.get(f"/api/cards/{card_id}").get_json()
    outcome = body["status"]
    if outcome == "done" and not any(v for v in (body["contact"] or {}).values() if v):
        outcome = "empty"
    allowed = set(expected.split("|"))
    if "done" in allowed:
        allowed.add("empty")
    assert outcome in allowed, (name, body["status"], body["error"], body["contact"])
    if body["status"] == "failed":
        assert body["error"] and len(body["error"]) > 15, body["error"]
    if name == "PNG decompression bomb":
        assert seconds < 5 and ("large" in body["error"].lower() or "pixel" in body["error"])
    h.assert_kept(before, h.snapshot(data_dir))
    h.assert_alive(ana)
