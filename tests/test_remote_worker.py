"""OCR workers on other machines: a worker token reaches only the worker API, and a worker
with its own (empty) data directory reads the server's cards through Redis and the API."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cardscan.errors import AuthError
from cardscan.models import Card, CardReading
from cardscan.reading.pipeline import scan_image
from cardscan.remote import card_from_json, card_json
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.support import hardening as h
from tests.support.fake_engine import FakeEngine, fake_photo


def test_a_reading_posted_by_a_worker_arrives_as_it_was_read():
    photo = fake_photo("FAKE|Ana Ruiz|Ruiz & Co|ana@ruiz.example")
    settings = load_settings({}, environ={})
    (reading,) = scan_image(photo, settings, engine=FakeEngine(), back=photo)
    assert reading.back_ocr is not None and reading.quad and reading.ocr.lines
    sent = json.loads(json.dumps(reading.to_dict()))  # what crosses the network
    assert CardReading.from_dict(sent) == reading


def test_a_claimed_card_reaches_the_worker_as_the_server_has_it():
    card = Card(7, 2, "reading", "ab" * 32, back="cd" * 32, error="blurred", tries=2, turn=5)
    sent = json.loads(json.dumps(card_json(card)))  # what the server's worker API answers
    assert card_from_json(sent) == card


def test_a_worker_token_reaches_only_the_worker_api_and_can_be_revoked(tmp_path):
    data = tmp_path / "data"
    ids = h.add_users(data, "ana")
    with Store.open(data) as store:
        card, _ = store.cards.add(ids["ana"], h.sample_photos(1)[0])
        worker_token = store.worker_tokens.create("box")
        user_token = store.users.create_api_token(ids["ana"], "phone")
    client = h.make_app(data).test_client()

    def call(path, token, body=None):
        return client.post(path, json=body or {}, headers={"Authorization": f"Bearer {token}"})

    worker = {"worker": "box:1:1:1"}
    # a user's token (or none) does not reach the worker API
    h.error_of(call(f"/api/worker/cards/{card.id}/claim", user_token, worker), 401)
    h.error_of(client.post(f"/api/worker/cards/{card.id}/claim", json=worker), 401)
    # the worker token does not reach a user's API
    h.error_of(client.get("/api/cards", headers={"Authorization": f"Bearer {worker_token}"}), 401)

    claimed = call(f"/api/worker/cards/{card.id}/claim", worker_token, worker)
    assert claimed.status_code == 200 and claimed.get_json()["card"]["tries"] == 1
    assert call(f"/api/worker/cards/{card.id}/claim", worker_token, worker).status_code == 409
    photo = client.get(
        f"/api/worker/cards/{card.id}/photo?worker=box:1:1:1",
        headers={"Authorization": f"Bearer {worker_token}"},
    )
    assert photo.status_code == 200 and photo.data == h.sample_photos(1)[0]
    # another worker cannot hand back a reading for a card it does not hold
    other = call(f"/api/worker/cards/{card.id}/failure", worker_token, {"worker": "x:2:2:2"})
    h.error_of(other, 409)
    failed = call(
        f"/api/worker/cards/{card.id}/failure",
        worker_token,
        {**worker, "error": "InputImageError: not a photo", "bad_input": True},
    )
    assert failed.get_json()["card"]["status"] == "failed"

    with Store.open(data) as store:
        token_id = store.worker_tokens.all()[0]["id"]
        store.worker_tokens.revoke(token_id)
        with pytest.raises(AuthError):
            store.worker_tokens.check(worker_token)
    h.error_of(call(f"/api/worker/cards/{card.id}/claim", worker_token, worker), 401)


@pytest.mark.slow
def test_a_worker_on_another_machine_reads_the_servers_cards(tmp_path, redis_url):
    data = tmp_path / "server"
    token = h.make_account(data)
    worker_token = h.cli(data, "worker-token", "create", "other-box").strip()
    env = {"CARDSCAN_QUEUE_URL": redis_url}
    with h.serving(data, fake_seconds=0.05, env=env, args=("--no-workers",)) as server:
        elsewhere = tmp_path / "elsewhere"  # the other machine's own, empty data directory
        worker = subprocess.Popen(
            [sys.executable, "-m", h.LAUNCHER, "--data", str(elsewhere), "worker",
             "--server", server.url],
            cwd=h.ROOT,
            env=h._env(
                CARDSCAN_QUEUE_URL=redis_url,
                CARDSCAN_WORKER_TOKEN=worker_token,
                CARDSCAN_TEST_READER="fake",
                CARDSCAN_FAKE_READ_SECONDS="0.05",
            ),
        )  # fmt: skip
        try:
            for photo in h.sample_photos(2):
                assert h.upload(server.url, token, photo) == 202
            cards = h.wait_until_read(server.url, token, {1, 2}, timeout=120)
            assert [cards[i]["status"] for i in (1, 2)] == ["done", "done"]
            detail = h.get_json(server.url, "/api/cards/1", token)
            assert detail["contact"]["name"].startswith("Person ")  # the fake engine's reading
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        assert not (elsewhere / "cardscan.db").exists()  # it never touched a database


def test_worker_tokens_from_the_cli_and_a_remote_worker_told_what_it_lacks(tmp_path):
    from click.testing import CliRunner

    from cardscan.cli import cli

    def run(*args, env=None):
        return CliRunner().invoke(cli, ["--data", str(tmp_path), *args], env=env or {})

    secret = run("worker-token", "create", "gpu-box").output.strip()
    listed = run("worker-token", "list").output
    assert "gpu-box" in listed and "never used" in listed and secret not in listed
    assert "revoked" in run("worker-token", "revoke", "1").output
    assert "revoked 20" in run("worker-token", "list").output
    assert run("worker-token", "revoke", "7").exit_code != 0

    no_token = run("worker", "--server", "http://127.0.0.1:9")
    assert no_token.exit_code != 0 and "worker-token create" in no_token.output
    no_redis = run("worker", "--server", "http://127.0.0.1:9", "--token", secret)
    assert no_redis.exit_code != 0 and "queue_url" in no_redis.output
    bad_url = run("worker", "--server", "cards.example.org", "--token", secret)
    assert bad_url.exit_code != 0 and "https://" in bad_url.output
