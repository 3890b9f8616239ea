"""The JSON API through the Flask test client: shapes, idempotent upload, errors, auth."""

from __future__ import annotations

import fcntl
import io
import json
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from cardscan.errors import ValidationError
from cardscan.jobs import pipeline_reader, read_one
from cardscan.models import Contact
from cardscan.ocrqueue import CardQueue
from cardscan.settings import load_settings
from cardscan.store import Store
from cardscan.store.reasons import check_reason
from scripts.loadtest import server_timing
from tests.support.bad_inputs import png_bomb
from tests.support.fake_engine import NAME as FAKE_ENGINE
from tests.support.fake_engine import register as register_fake_engine
from web import create_app

UUID = "0b8e5a8e-6d0f-4a55-9f6e-2a3f1d6c7e01"


def error_shape(response, status):
    body = response.get_json()
    assert response.status_code == status, response.get_data(as_text=True)
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    return body["error"]


@pytest.mark.parametrize("raw", [False, True], ids=["form", "body"])
def test_upload_is_acknowledged_and_idempotent_by_uuid(ana, make_card, post_card, raw):
    first = post_card(ana, make_card("Ana Ruiz"), uuid=UUID, raw=raw)
    assert first.status_code == 202
    assert first.get_json()["status"] == "queued"
    card_id = first.get_json()["id"]
    # A retry of the same capture (same uuid, even re-encoded bytes) is the same card.
    again = post_card(ana, make_card("Ana Ruiz, re-encoded"), uuid=UUID, raw=not raw)
    assert again.status_code == 200
    assert again.get_json()["id"] == card_id
    listed = ana.get("/api/cards").get_json()["cards"]
    assert [c["id"] for c in listed] == [card_id]


def test_a_photo_sent_as_the_body_keeps_every_field(ana, make_card, post_card):
    # The app's uploader sends the photo itself (no form to parse): the fields ride in the
    # query string, the reasons (any script) in a percent-encoded header.
    event = ana.post("/api/events", json={"name": "Expo"}, headers={"X-CSRFToken": ana.csrf})
    event_id = event.get_json()["id"]
    snapped = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    reasons = json.dumps([{"text": "envoyer le deck à Zoë", "kind": "deck"}], ensure_ascii=False)
    sent = post_card(
        ana,
        make_card(),
        raw=True,
        uuid=UUID,
        event=str(event_id),
        taken=snapped.isoformat(),
        reasons=reasons,
    )
    assert sent.status_code == 202, sent.get_data(as_text=True)
    card = ana.get(f"/api/cards/{sent.get_json()['id']}").get_json()
    assert card["event"] == event_id
    assert datetime.fromisoformat(card["created"]) == snapped
    with Store.open(ana.application.config["DATA_DIR"]) as store:
        given = list(store.db.query("select text, kind from reasons"))
    assert given == [{"text": "envoyer le deck à Zoë", "kind": "deck"}]


def test_a_capture_that_waited_is_the_card_of_its_snap(ana, make_card, post_card):
    snapped = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=20)
    taken = snapped.isoformat().replace("+00:00", "Z")  # as the phone's toISOString says it
    card_id = post_card(ana, make_card(), taken=taken).get_json()["id"]
    card = ana.get(f"/api/cards/{card_id}").get_json()
    assert datetime.fromisoformat(card["created"]) == snapped


def test_an_upload_says_what_it_cost_the_server(ana, make_card, post_card, data_dir):
    # Another writer (an OCR worker saving a card) holds SQLite's write lock for a moment:
    # the upload waits for it, and its Server-Timing header says how long.
    other = sqlite3.connect(data_dir / "cardscan.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, other.execute, ["COMMIT"]).start()
    response = post_card(ana, make_card())
    other.close()
    assert response.status_code == 202
    spent = server_timing(response.headers["Server-Timing"])
    assert {"app", "cpu", "lock", "commit", "queue"} <= set(spent)
    assert 0.2 <= spent["lock"] <= spent["app"]  # most of the second it was held
    assert 0 < spent["cpu"] < spent["app"] and spent["commit"] > 0
    # Nobody signed in: nothing about the server's work (how long a password check took).
    assert "Server-Timing" not in ana.application.test_client().get("/login").headers


def test_a_thread_keeps_its_store_and_each_answer_says_its_own_cost(app, ana, make_card, post_card):
    # The thread's connection is opened once and lent to each request (opening one cost
    # about 2 ms of CPU a request); what an answer says it cost is that request's alone.
    assert post_card(ana, make_card("Ana Ruiz")).status_code == 202
    kept = app.extensions["cardscan_threads"].store
    listed = ana.get("/api/cards")
    assert server_timing(listed.headers["Server-Timing"])["commit"] == 0  # not the upload's
    assert post_card(ana, make_card("Ben Ong")).status_code == 202
    assert app.extensions["cardscan_threads"].store is kept
    assert kept.db.execute("select count(*) from cards").fetchone()[0] == 2  # still open


def test_a_request_cut_short_leaves_no_transaction_open(app, data_dir):
    from web.db import get_store

    with app.test_request_context("/api/cards"):
        store = get_store()
        store.db.conn.execute("BEGIN IMMEDIATE")
        store.db.conn.execute("update users set name = name")
    # Its thread's connection was rolled back at teardown, so another writer goes at once.
    assert not store.db.conn.in_transaction
    other = sqlite3.connect(data_dir / "cardscan.db", timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_an_upload_does_not_wait_for_the_ocr_queue(app, ana, make_card, post_card, data_dir):
    # An OCR worker taking its next card holds the queue file's writer turn (niced, it may
    # be preempted holding it): the upload is answered once its card is stored, and the
    # card reaches the queue when the turn is free.
    turn = os.open(data_dir / "queue.db-writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(turn, fcntl.LOCK_EX)
    threading.Timer(3.0, os.close, [turn]).start()  # closing the file ends the flock
    started = time.monotonic()
    response = post_card(ana, make_card())
    assert response.status_code == 202 and time.monotonic() - started < 2.0
    queue = CardQueue.open(app.config["CARDSCAN_SETTINGS"])
    try:
        deadline = time.monotonic() + 20
        while response.get_json()["id"] not in queue.pending_ids():
            assert time.monotonic() < deadline, "the card never reached the queue"
            time.sleep(0.1)
    finally:
        queue.close()


def test_card_json_shape(ana, make_card, post_card):
    card_id = post_card(ana, make_card()).get_json()["id"]
    body = ana.get(f"/api/cards/{card_id}").get_json()
    assert {"id", "status", "contact", "confidence"} <= set(body)
    assert body["id"] == card_id and body["status"] == "queued"
    assert body["contact"] is None and body["confidence"] == {}
    photo = ana.get(body["photo"])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_events_and_cards_by_event(ana, make_card, post_card):
    made = ana.post(
        "/api/events",
        json={"name": "Web Summit", "start": "2026-11-10", "end": "2026-11-12"},
        headers={"X-CSRFToken": ana.csrf},
    )
    assert made.status_code == 201
    event = made.get_json()
    assert event["name"] == "Web Summit" and event["end"] == "2026-11-12"
    assert ana.get("/api/events").get_json()["events"] == [event]
    in_event = post_card(ana, make_card("one"), event=str(event["id"])).get_json()["id"]
    post_card(ana, make_card("two"))
    listed = ana.get(f"/api/cards?event={event['id']}").get_json()["cards"]
    assert [c["id"] for c in listed] == [in_event]
    assert listed[0]["event"] == event["id"]


def test_reasons_are_validated(ana, make_card, post_card):
    ok = post_card(
        ana,
        make_card(),
        reasons=json.dumps([{"text": "send deck", "kind": "deck", "due": "2026-12-01"}, "intro"]),
    )
    assert ok.status_code == 202
    with Store.open(ana.application.config["DATA_DIR"]) as store:
        rows = [(r["text"], r["due"]) for r in store.db.query("select * from reasons order by id")]
    assert rows == [("send deck", "2026-12-01"), ("intro", None)]  # the date in its own field
    assert "JSON list" in error_shape(post_card(ana, make_card("x"), reasons="send deck"), 400)
    bad_kind = json.dumps([{"text": "x", "kind": "bribe"}])
    assert "'bribe'" in error_shape(post_card(ana, make_card("y"), reasons=bad_kind), 400)
    bad_due = json.dumps([{"text": "x", "due": "soon"}])
    assert "'soon'" in error_shape(post_card(ana, make_card("z"), reasons=bad_due), 400)


def test_the_api_says_what_the_library_says(ana, make_card, post_card):
    """Reasons, events and contact changes are validated once, by the library: the API
    answers with the library's own words."""
    long_reason = json.dumps([{"text": "x" * 201}])
    said = error_shape(post_card(ana, make_card("w"), reasons=long_reason), 400)
    with pytest.raises(ValidationError) as library:
        check_reason("x" * 201, "other")
    assert said == library.value.message
    csrf = {"X-CSRFToken": ana.csrf}
    said = error_shape(ana.post("/api/events", json={"name": "E" * 121}, headers=csrf), 400)
    assert said == "an event name is 121 characters long; keep it under 120."
    with Store.open(ana.application.config["DATA_DIR"]) as store:
        contact = store.contacts.add(store.users.by_name("ana").id, Contact(name="Ana"))
        reason = store.reasons.add(contact.user_id, contact.id, "send deck")
    # An empty text is refused (it used to be saved as "x").
    said = error_shape(ana.patch(f"/api/reasons/{reason.id}", json={"text": ""}, headers=csrf), 400)
    assert said == "a reason needs some text, e.g. 'send deck'."
    url = f"/api/contacts/{contact.id}"
    said = error_shape(ana.patch(url, json={"plan_id": 1}, headers=csrf), 400)
    assert said.startswith("'plan_id' is not a contact field: editable are name, title,")
    said = error_shape(ana.patch(url, json={"title": "t" * 2001}, headers=csrf), 400)
    assert said == "title: 2,001 characters is too long; keep it under 2,000."


@pytest.mark.parametrize(
    "fields, status, words",
    [
        ({"uuid": "not-a-uuid"}, 400, "not a UUID"),
        ({"event": "999"}, 404, "999"),
        ({"event": "abc"}, 400, "whole number"),
        ({"taken": "this morning"}, 400, "a time like 2026-03-31T09:30:00Z"),
    ],
)
@pytest.mark.parametrize("raw", [False, True], ids=["form", "body"])
def test_bad_upload_fields(ana, make_card, post_card, fields, status, words, raw):
    assert words in error_shape(post_card(ana, make_card(), raw=raw, **fields), status)
    assert ana.get("/api/cards").get_json()["cards"] == []


def test_missing_and_empty_photo(ana):
    headers = {"X-CSRFToken": ana.csrf}
    no_photo = ana.post("/api/cards", data={"uuid": UUID}, headers=headers)
    assert "'photo'" in error_shape(no_photo, 400)
    empty = ana.post("/api/cards", data={"photo": (io.BytesIO(b""), "a.jpg")}, headers=headers)
    assert "empty" in error_shape(empty, 415)
    text = ana.post(
        "/api/cards",
        data={"photo": (io.BytesIO(b"just some text, not a photo"), "card.jpg")},
        headers=headers,
    )
    assert "not an image" in error_shape(text, 415)
    # The same as the request body (the app's uploader), and a body that is no image at all.
    raw = {"headers": headers, "content_type": "image/jpeg"}
    assert "empty" in error_shape(ana.post("/api/cards", data=b"", **raw), 415)
    said = error_shape(ana.post("/api/cards", data=b"just some text", **raw), 415)
    assert "not an image" in said
    said = error_shape(ana.post("/api/cards", data=b"\xff\xd8", headers=headers), 400)
    assert "request body" in said and "'photo'" in said  # told both ways to send one
    assert ana.get("/api/cards").get_json()["cards"] == []


def test_upload_too_large_is_413(data_dir, users, log_in, post_card):
    settings = load_settings({"data": str(data_dir), "max_upload_mb": 1}, environ={})
    client = log_in(create_app({"CARDSCAN_SETTINGS": settings}).test_client())
    response = post_card(client, b"\xff\xd8" + b"0" * (2 * 1024 * 1024))
    assert "too large" in error_shape(response, 413)
    assert client.get("/api/cards").get_json()["cards"] == []


def test_another_users_card_is_404(client, users, make_card, log_in, data_dir):
    with Store.open(data_dir) as store:
        card, _ = store.cards.add(users["ben"], make_card("Ben's card"))
    log_in(client, "ana")
    error_shape(client.get(f"/api/cards/{card.id}"), 404)
    error_shape(client.get(f"/api/cards/{card.id}/photo"), 404)
    assert client.get("/api/cards").get_json()["cards"] == []


def test_anonymous_api_call_is_401_json(client, users, make_card):
    error_shape(client.get("/api/cards"), 401)
    # A phone whose session expired hears "log in" (401), not "bad token", and keeps the photo.
    upload = client.post("/api/cards", data={"photo": (io.BytesIO(make_card()), "a.jpg")})
    assert "log in" in error_shape(upload, 401)
    error_shape(client.get("/api/events", headers={"Accept": "application/json"}), 401)
    assert error_shape(client.get("/api/session"), 401) == "log in to upload."


def test_anonymous_page_redirects_to_login(client, users):
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert "/login?next=/contacts/" in response.headers["Location"]


def test_csrf_is_required_for_session_writes(ana, make_card):
    response = ana.post("/api/cards", data={"photo": (io.BytesIO(make_card()), "a.jpg")})
    assert "security token" in error_shape(response, 400)
    wrong = ana.post("/api/events", json={"name": "x"}, headers={"X-CSRFToken": "forged"})
    error_shape(wrong, 400)
    assert ana.get("/api/events").get_json()["events"] == []


def test_bearer_token_needs_no_csrf(client, users, data_dir, make_card):
    with Store.open(data_dir) as store:
        token = store.users.create_api_token(users["ana"], "script")
    headers = {"Authorization": f"Bearer {token}"}
    made = client.post(
        "/api/cards", data={"photo": (io.BytesIO(make_card()), "a.jpg")}, headers=headers
    )
    assert made.status_code == 202
    assert len(client.get("/api/cards", headers=headers).get_json()["cards"]) == 1
    wrong = client.get("/api/cards", headers={"Authorization": "Bearer nope"})
    assert "token" in error_shape(wrong, 401)


def test_html_errors_are_pages(client, users):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Nothing here" in response.get_data(as_text=True)


def test_api_404_and_405_are_json(ana):
    error_shape(ana.get("/api/nothing-here"), 404)
    error_shape(ana.put("/api/cards", headers={"X-CSRFToken": ana.csrf}), 405)
    error_shape(ana.get("/api/cards/12345"), 404)


def test_failed_card_can_be_retried(ana, users, data_dir, make_card, post_card):
    card_id = post_card(ana, make_card()).get_json()["id"]
    with Store.open(data_dir) as store:
        claimed = store.cards.claim_next()
        store.cards.fail(claimed.id, "InputImageError: not an image", final=True)
    failed = ana.get(f"/api/cards/{card_id}").get_json()
    assert failed["status"] == "failed" and "not an image" in failed["error"]
    again = ana.post(f"/api/cards/{card_id}/retry", headers={"X-CSRFToken": ana.csrf})
    assert again.get_json()["status"] == "queued"


def test_an_upload_is_acknowledged_without_decoding_its_pixels(ana, make_card, post_card, data_dir):
    # A photo cut off after half its pixels: its header is sound, only a decode would tell.
    # The upload reads the header alone, so it is acknowledged at once; the OCR worker's
    # decode finds the damage and the card says why (the capture prompt shows it).
    photo = make_card()
    response = post_card(ana, photo[: len(photo) // 2])
    assert response.status_code == 202
    card_id = response.get_json()["id"]
    register_fake_engine()
    settings = load_settings({"data": str(data_dir), "engine": FAKE_ENGINE}, environ={})
    with Store.open(data_dir) as store:
        read_one(store, pipeline_reader(settings), max_tries=settings.ocr_max_tries)
    failed = ana.get(f"/api/cards/{card_id}").get_json()
    assert failed["status"] == "failed" and "truncated or damaged" in failed["error"]


@pytest.mark.parametrize(
    "make, status, words",
    [
        (lambda card: png_bomb(60_000), 413, "megapixels|bomb"),
        (lambda card: b"GIF89a" + b"\x00" * 40, 415, "damaged|not an image|truncated"),
        (lambda card: b"\xff\xd8\xff\xe0" + card[4:600], 415, "damaged"),
    ],
)
@pytest.mark.parametrize("raw", [False, True], ids=["form", "body"])
def test_unreadable_images_are_refused_before_storing(
    ana, make_card, post_card, make, status, words, raw
):
    import re

    message = error_shape(post_card(ana, make(make_card()), raw=raw), status)
    assert re.search(words, message), message
    assert ana.get("/api/cards").get_json()["cards"] == []
