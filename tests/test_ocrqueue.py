"""The OCR queue (huey on SQLite or Redis): users take turns, the sweep makes the queue agree
with the cards table, a failed commit never leaves a card 'reading'."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from cardscan.errors import BadConfigError
from cardscan.jobs import WorkerPool, read_one
from cardscan.ocrqueue import CardQueue, Handoff, sweep
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.support.fake_reader import FakeReader

DEAD = f"{socket.gethostname()}:999999999:1"  # a worker in a process long gone


@pytest.fixture(params=["sqlite", "redis"])
def settings(request, tmp_path):
    """Settings on a fresh data directory, with the queue in SQLite and in Redis."""
    values = {"data": str(tmp_path / "data")}
    if request.param == "redis":
        values["queue_url"] = request.getfixturevalue("redis_url")
    return load_settings(values, environ={})


def _users(settings, *names):
    with Store.open(settings.data_dir) as store:
        store.users.password_cost = 2**10
        return [store.users.add(name, "correct horse battery") for name in names]


def _add(settings, user, text: str, *, queue: CardQueue | None = None):
    with Store.open(settings.data_dir) as store:
        card, _ = store.cards.add(user.id, f"FAKE|{text}|Co|x@{text.lower()}.example".encode())
    if queue is not None:
        queue.submit([(card.id, card.turn)])
    return card


def test_a_user_with_thirty_photos_waiting_does_not_hold_back_anothers_one(settings):
    ana, bo = _users(settings, "ana", "bo")
    pool = WorkerPool(settings.data_dir, settings, reader=FakeReader(), workers=1)
    ana_cards = [_add(settings, ana, f"Ana{i}", queue=pool.queue) for i in range(30)]
    bo_card = _add(settings, bo, "Bo", queue=pool.queue)
    order = []
    pool.on_card = lambda card: order.append(card.id)
    pool.run_until_idle()
    assert len(order) == 31
    assert order.index(bo_card.id) <= 1, order  # Bo's card goes on Bo's first turn
    assert [i for i in order if i != bo_card.id] == [c.id for c in ana_cards]  # Ana's in order


def test_a_handoff_sends_its_cards_from_a_thread_that_ends_when_idle(settings):
    queue = CardQueue.open(settings)
    handoff = Handoff(lambda: CardQueue.open(settings))
    handoff.IDLE_SECONDS = 0.2
    handoff.put(1, 1)
    handoff.put(2, 1)
    deadline = time.monotonic() + 10
    while queue.pending_ids() != {1, 2}:
        assert time.monotonic() < deadline, queue.pending_ids()
        time.sleep(0.05)
    while handoff.running:
        assert time.monotonic() < deadline, "the idle thread did not end"
        time.sleep(0.05)
    handoff.put(3, 2)  # a new thread
    handoff.close()  # sends what is waiting before it returns
    assert queue.pending_ids() == {1, 2, 3}
    queue.close()


def test_users_take_turns_and_a_retry_goes_to_the_end_of_its_users_line(settings):
    ana, bo, cy = _users(settings, "ana", "bo", "cy")
    with Store.open(settings.data_dir) as store:
        a = [store.cards.add(ana.id, f"FAKE|A{i}".encode())[0] for i in range(3)]
        b = [store.cards.add(bo.id, f"FAKE|B{i}".encode())[0] for i in range(2)]
        assert [c.turn for c in a] == [0, 1, 2] and [c.turn for c in b] == [0, 1]
        order = [store.cards.claim_next(DEAD).id for _ in range(2)]
        assert order == [a[0].id, b[0].id]
        # a[0] fails: it goes after Ana's last card still waiting
        assert store.cards.fail(a[0].id, "transient", final=False).turn == 3
        rest = [store.cards.claim_next(DEAD).id for _ in range(4)]
        assert rest == [a[1].id, b[1].id, a[2].id, a[0].id]
        # a user with nothing waiting joins at the front of the queue, not at the back
        assert store.cards.add(cy.id, b"FAKE|C")[0].turn == 3  # the turn being read now
        assert store.cards.add(cy.id, b"FAKE|C2")[0].turn == 4


def test_the_sweep_queues_cards_without_a_task_and_those_of_dead_workers(settings):
    (ana,) = _users(settings, "ana")
    queue = CardQueue.open(settings)
    stored = [_add(settings, ana, f"P{i}") for i in range(3)]  # stored, never queued
    with Store.open(settings.data_dir) as store:
        dead = store.cards.claim(stored[0].id, DEAD)
        assert dead.status == "reading"
        assert sweep(store, queue) == (1, 3)
        assert queue.pending_ids() == {c.id for c in stored}
        assert sweep(store, queue) == (0, 0)  # nothing to do twice
        queue.clear()  # a lost queue (Redis flushed, queue.db deleted): all come back
        assert sweep(store, queue) == (0, 3)
    WorkerPool(settings.data_dir, settings, reader=FakeReader()).run_until_idle()
    with Store.open(settings.data_dir) as store:
        assert store.cards.queue_counts(ana.id)["done"] == 3


def test_a_card_read_already_or_taken_by_another_worker_is_not_read_again(settings):
    (ana,) = _users(settings, "ana")
    queue = CardQueue.open(settings)
    card = _add(settings, ana, "Ana", queue=queue)
    queue.submit([(card.id, card.turn)])  # a duplicate task, as a sweep may send
    reader = FakeReader()
    WorkerPool(settings.data_dir, settings, reader=reader, workers=2).run_until_idle()
    assert sum(reader.calls.values()) == 1
    assert queue.pending_count() == 0


def test_a_failed_commit_releases_the_card_instead_of_leaving_it_reading(settings):
    (ana,) = _users(settings, "ana")
    card = _add(settings, ana, "Ana")
    with Store.open(settings.data_dir) as store:
        # A real failing write: the database refuses the contact as a full disk would.
        store.db.execute(
            "create trigger full_disk before insert on contacts"
            " begin select raise(abort, 'database or disk is full'); end"
        )
        after = read_one(store, FakeReader(), max_tries=3)
        assert after is not None and after.status == "queued", after
        assert "storing the reading failed" in after.error
        assert "database or disk is full" in after.error
        assert store.contacts.all(ana.id) == []  # nothing half-stored
        store.db.execute("drop trigger full_disk")
        assert read_one(store, FakeReader(), max_tries=3).status == "done"
        assert store.cards.get(ana.id, card.id).tries == 2


def test_a_queue_url_that_is_not_redis_is_refused(tmp_path):
    settings = load_settings({"data": str(tmp_path), "queue_url": "amqp://x"}, environ={})
    with pytest.raises(BadConfigError, match="not a Redis URL"):
        CardQueue.open(settings)


def test_a_claim_from_another_machine_lasts_while_it_is_renewed(settings):
    (ana,) = _users(settings, "ana")
    card = _add(settings, ana, "Ana")
    remote = "other-box:4242:99:1"  # a worker on another machine: no pid to look at here
    with Store.open(settings.data_dir) as store:
        assert store.cards.claim(card.id, remote) is not None
        three_minutes_ago = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
        store.db.execute("update cards set claimed_at = ?", [three_minutes_ago])
        assert store.cards.renew(card.id, remote)  # the worker says it is still reading
        assert store.cards.requeue_interrupted() == 0
        assert not store.cards.renew(card.id, "someone-else:1:1:1")
        store.db.execute("update cards set claimed_at = ?", [three_minutes_ago])
        assert store.cards.requeue_interrupted() == 1  # silent too long: back in the queue
        assert store.cards.get(ana.id, card.id).status == "queued"
        assert not store.cards.renew(card.id, remote)  # too late: the claim is gone
