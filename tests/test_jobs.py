"""The durable OCR queue: restart resumes, failures end 'failed', one bad photo blocks none."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest

from cardscan.jobs import WorkerPool, import_photos, read_one
from cardscan.models import Contact
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.support.fake_reader import FakeReader

DEAD = f"{socket.gethostname()}:999999999:1"  # a worker in a process long gone


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def settings(data):
    return load_settings({"data": str(data)}, environ={})


@pytest.fixture
def user(data):
    with Store.open(data) as store:
        store.users.password_cost = 2**10
        return store.users.add("ana", "correct horse battery")


def add(data, user, photo: bytes, **kwargs):
    with Store.open(data) as store:
        return store.cards.add(user.id, photo, **kwargs)[0]


def test_a_queued_card_is_read_into_a_contact_with_a_meeting_and_its_reasons(data, settings, user):
    with Store.open(data) as store:
        event = store.events.add(user.id, "Expo", date(2026, 5, 1))
        card, _ = store.cards.add(
            user.id,
            b"FAKE|Ana Ruiz|Acme|ana@acme.example",
            event_id=event.id,
            reasons=[("send deck", "deck"), ("coffee", "meeting", "2026-06-01")],
        )
    WorkerPool(data, settings, reader=FakeReader()).run_until_idle()
    with Store.open(data) as store:
        card = store.cards.get(user.id, card.id)
        assert card.status == "done" and card.tries == 1 and card.engine == "fake"
        assert [w.text for w in card.ocr.lines[0].words] == [
            "Ana",
            "Ruiz",
            "Acme",
            "ana@acme.example",
        ]
        contact = store.contacts.get(user.id, card.contact_id)
        assert contact.contact.name == "Ana Ruiz" and contact.contact.confidence["name"] == 0.8
        assert [(m.event_id, m.card_id) for m in contact.meetings] == [(event.id, card.id)]
        assert [(r.text, r.due) for r in contact.reasons] == [
            ("send deck", None),
            ("coffee", date(2026, 6, 1)),
        ]


def test_a_photo_of_two_cards_gives_two_contacts(data, settings, user):
    card = add(data, user, b"FAKE|Ana Ruiz|Acme|ana@acme.example||Bo Li|Initech|bo@initech.example")
    WorkerPool(data, settings, reader=FakeReader()).run_until_idle()
    with Store.open(data) as store:
        names = [c.contact.name for c in store.cards.contacts(user.id, card.id)]
        assert names == ["Ana Ruiz", "Bo Li"]
        assert len(store.cards.readings(user.id, card.id)) == 2


def test_restart_resumes_queued_and_interrupted_cards(data, settings, user):
    first = add(data, user, b"FAKE|Ana|A|a@a.example")
    second = add(data, user, b"FAKE|Bo|B|b@b.example")
    with Store.open(data) as store:
        claimed = store.cards.claim_next(worker=DEAD)
        assert claimed.id == first.id and claimed.status == "reading"
    # "restart": a new pool finds one card interrupted mid-reading and one never started
    WorkerPool(data, settings, reader=FakeReader()).run_until_idle()
    with Store.open(data) as store:
        assert [store.cards.get(user.id, c.id).status for c in (first, second)] == ["done", "done"]
        assert len(store.contacts.all(user.id)) == 2


def test_a_claim_by_a_live_process_is_not_taken_over(data, settings, user):
    card = add(data, user, b"FAKE|Ana|A|a@a.example")
    with Store.open(data) as store:
        live = f"{socket.gethostname()}:{os.getppid()}:1"  # our parent is alive
        store.cards.claim_next(worker=live)
        assert store.cards.requeue_interrupted() == 0
        assert store.cards.get(user.id, card.id).status == "reading"


def test_a_photo_that_keeps_failing_ends_failed_and_blocks_no_one(data, settings, user):
    bad = add(data, user, b"CRASH")
    good = [add(data, user, f"FAKE|Person {i}|Co {i}|p{i}@x.example".encode()) for i in range(3)]
    reader = FakeReader()
    order = []
    WorkerPool(data, settings, reader=reader, on_card=lambda c: order.append(c.id)).run_until_idle()
    with Store.open(data) as store:
        failed = store.cards.get(user.id, bad.id)
        assert failed.status == "failed" and failed.tries == settings.ocr_max_tries == 3
        assert failed.error == "RuntimeError: the OCR engine crashed"
        assert all(store.cards.get(user.id, c.id).status == "done" for c in good)
    assert reader.calls[b"CRASH"] == 3
    # the good cards were read before the bad one's second try
    assert order.index(good[-1].id) < len(order) - 2


def test_a_transient_failure_is_retried(data, settings, user):
    card = add(data, user, b"FLAKY:2|Ana Ruiz|Acme|ana@acme.example")
    WorkerPool(data, settings, reader=FakeReader()).run_until_idle()
    with Store.open(data) as store:
        card = store.cards.get(user.id, card.id)
        assert card.status == "done" and card.tries == 3 and card.error is None


def test_a_card_that_crashed_the_process_too_often_ends_failed(data, settings, user):
    card = add(data, user, b"FAKE|Ana|A|a@a.example")
    with Store.open(data) as store:
        for _ in range(3):  # three workers died while reading it
            store.cards.claim_next(worker=DEAD)
            assert store.cards.requeue_interrupted(max_tries=99) == 1
        assert store.cards.requeue_interrupted(max_tries=3) == 0  # nothing 'reading' now
        store.cards.claim_next(worker=DEAD)
        assert store.cards.requeue_interrupted(max_tries=3) == 1
        card = store.cards.get(user.id, card.id)
        assert card.status == "failed" and "interrupted 4 times" in card.error


def test_finishing_a_card_twice_creates_nothing_new(data, user):
    card = add(data, user, b"FAKE|Ana|A|a@a.example")
    reader = FakeReader()
    with Store.open(data) as store:
        claimed = store.cards.claim_next()
        readings = reader(b"FAKE|Ana|A|a@a.example", None)
        first = store.cards.finish(claimed.id, readings)
        again = store.cards.finish(claimed.id, readings)
        assert first == again and len(store.contacts.all(user.id)) == 1
        assert store.cards.get(user.id, card.id).status == "done"


def test_a_running_pool_reads_cards_as_they_are_queued(data, settings, user):
    pool = WorkerPool(data, settings, reader=FakeReader(), workers=2)
    pool.start()
    try:
        card = add(data, user, b"FAKE|Ana|A|a@a.example")
        pool.queue.submit([(card.id, card.turn)])  # as the upload does after its commit
        deadline = time.monotonic() + 10
        with Store.open(data) as store:
            while store.cards.get(user.id, card.id).status != "done":
                assert time.monotonic() < deadline, "the running pool did not read the card"
                time.sleep(0.02)
    finally:
        pool.stop(timeout=10)


def test_read_one_on_an_empty_queue(store):
    assert read_one(store, FakeReader(), max_tries=3) is None


def test_import_photos_stores_all_then_reads_and_is_idempotent(data, settings, user, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"FAKE|Ana Ruiz|Acme|ana@acme.example")
    (folder / "sub" / "b.png").write_bytes(b"FAKE|Ana Ruiz|Acme Inc|ana@acme.example")
    (folder / "c.jpg").write_bytes(b"CRASH")
    (folder / "notes.txt").write_text("not a photo")
    (folder / "empty.jpg").write_bytes(b"")
    seen = []
    summary = import_photos(
        data,
        user.id,
        [folder],
        settings,
        reader=FakeReader(),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert (summary.files, summary.added, summary.read, summary.failed) == (4, 3, 2, 2)
    assert summary.duplicates == 1  # the second Ana is offered as a duplicate of the first
    assert summary.errors == {
        "c.jpg": "RuntimeError: the OCR engine crashed",
        "empty.jpg": "the front photo is empty: take or choose the photo again.",
    }
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    again = import_photos(data, user.id, [folder], settings, reader=FakeReader())
    assert (again.added, again.already, again.failed) == (0, 3, 2)
    assert (summary.read_now, again.read_now) == (2, 0)
    with Store.open(data) as store:
        assert len(store.cards.all(user.id)) == 3 and len(store.contacts.all(user.id)) == 2


def test_uploads_and_edits_while_workers_read_never_hit_database_is_locked(data, settings, user):
    """Several connections writing at once: every write waits its turn, none fails."""
    with Store.open(data) as store:
        contact = store.contacts.add(user.id, Contact(name="X"))
    errors: list[BaseException] = []

    def uploader(n: int) -> None:
        try:
            with Store.open(data) as own:
                for i in range(10):
                    own.cards.add(user.id, f"FAKE|U{n} {i}|Co|u{n}.{i}@x.example".encode())
                    own.reasons.add(user.id, contact.id, f"reason {n}.{i}")
                    own.contacts.update(user.id, contact.id, {"title": f"t{n}.{i}"})
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    pool = WorkerPool(data, settings, reader=FakeReader(), workers=2, poll_seconds=0.05)
    pool.start()
    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool.stop(timeout=30)
    WorkerPool(data, settings, reader=FakeReader()).run_until_idle()
    assert errors == []
    with Store.open(data) as store:
        assert store.cards.queue_counts(user.id) == {
            "queued": 0,
            "reading": 0,
            "done": 40,
            "failed": 0,
        }


def test_a_claim_by_a_live_thread_of_this_process_is_not_taken_over(data, settings, user):
    card = add(data, user, b"FAKE|Ana|A|a@a.example")
    with Store.open(data) as store:
        store.cards.claim_next()  # this (live) thread
        assert store.cards.requeue_interrupted() == 0
        gone = threading.Thread(target=lambda: None)
        gone.start()
        gone.join()
        store.db.execute(
            "update cards set claimed_by = ? where id = ?",
            [f"{socket.gethostname()}:{os.getpid()}:{gone.ident}", card.id],
        )
        if gone.ident not in {t.ident for t in threading.enumerate()}:
            assert store.cards.requeue_interrupted() == 1


def test_claims_of_killed_unreaped_or_reused_processes_count_as_dead():
    from cardscan.workers import claim_is_dead as _claim_is_dead
    from cardscan.workers import process_start as _process_start

    host = socket.gethostname()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    claim = f"{host}:{child.pid}:{_process_start(child.pid)}:1"
    assert not _claim_is_dead(claim)
    child.kill()
    time.sleep(0.3)  # killed but not yet reaped: a zombie
    assert _claim_is_dead(claim)
    child.wait()
    assert _claim_is_dead(claim)
    parent = os.getppid()  # alive, but not the process that started at tick 1
    assert _claim_is_dead(f"{host}:{parent}:1:1")
    assert not _claim_is_dead(f"{host}:{parent}:{_process_start(parent)}:1")


# --- follow-ups planned when a card is read (before any triage) ---------------------------------


def _open_touches(store, user):
    return [(t.contact_id, t.kind, t.title, t.when) for t in store.touches.all(user.id)]


def test_a_read_card_gets_its_follow_ups_without_triage_and_only_once(data, user):
    today = date(2026, 11, 8)
    with Store.open(data) as store:
        event = store.events.add(user.id, "Expo", date(2026, 11, 6), date(2026, 11, 7))
        card, _ = store.cards.add(
            user.id,
            b"FLAKY:1|Ana Ruiz|Acme|ana@acme.example",
            event_id=event.id,
            reasons=[("send deck", "deck", date(2026, 11, 14))],  # "next week" at capture
        )
        blank, _ = store.cards.add(user.id, b"FAKE", event_id=event.id)
        reader = FakeReader()
        for _ in range(3):  # the first read of Ana's card fails, the retry reads it
            read_one(store, reader, max_tries=3, today=today)
        contact_id = store.cards.get(user.id, card.id).contact_id
        assert store.cards.get(user.id, blank.id).status == "done"
        expected = [  # the thank-you on the plan's day; "send deck" a promise of its own
            (contact_id, "thank_you", "thank you", date(2026, 11, 8)),
            (contact_id, "reason", "send deck", date(2026, 11, 14)),
            (contact_id, "check_in", "check in", date(2026, 11, 28)),
            (contact_id, "keep_in_touch", "keep in touch", date(2027, 2, 5)),
        ]
        # The blank photo's empty contact waits for triage: no "(no name)" in the calendar.
        assert _open_touches(store, user) == expected
        assert store.contacts.get(user.id, contact_id).plan_id is None  # provisional
        # Reading the same card again (a worker that died after storing it) adds nothing.
        readings = reader(b"FAKE|Ana Ruiz|Acme|ana@acme.example", None)
        assert store.cards.finish(card.id, readings)[0].id == contact_id
        from cardscan.followups import FollowUps

        assert FollowUps(store, user.id, today).plan_read_card([contact_id]) == []
        assert _open_touches(store, user) == expected


def test_cards_read_by_the_pool_are_planned(data, settings, user):
    with Store.open(data) as store:
        yesterday = date.today() - timedelta(days=1)  # its plan's steps are all ahead
        event = store.events.add(user.id, "Expo", yesterday - timedelta(days=1), yesterday)
        card, _ = store.cards.add(user.id, b"FAKE|Bo Li|Initech", event_id=event.id)
    WorkerPool(data, settings, reader=FakeReader(), workers=2).run_until_idle()
    with Store.open(data) as store:
        contact_id = store.cards.get(user.id, card.id).contact_id
        kinds = [t.kind for t in store.touches.all(user.id, contact_id=contact_id)]
    assert kinds == ["thank_you", "check_in", "keep_in_touch"]
