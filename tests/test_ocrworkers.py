"""OCR workers as processes under a real ``cardscan serve``: kill -9 of a worker loses nothing,
a claim left by another dead server is found while running, workers run at a lower priority
and end with the server."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from cardscan.workers import reading_malloc_env
from tests.support import hardening as h

pytestmark = pytest.mark.slow


def _card(data_dir, card_id: int) -> dict:
    conn = sqlite3.connect(f"file:{data_dir / 'cardscan.db'}?mode=ro", uri=True, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("select * from cards where id = ?", [card_id]).fetchone())
    finally:
        conn.close()


def _threads(pid: int) -> list[int]:
    return [int(task) for task in os.listdir(f"/proc/{pid}/task")]


def _nice(tid: int) -> int | None:
    try:
        return os.getpriority(os.PRIO_PROCESS, tid)
    except ProcessLookupError:  # a thread that ended meanwhile
        return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_worker_killed_mid_card_leaves_the_card_to_another(tmp_path, queue, request):
    data = tmp_path / "data"
    token = h.make_account(data)
    env = {"CARDSCAN_SWEEP_SECONDS": "1"}
    if queue == "redis":
        env["CARDSCAN_QUEUE_URL"] = request.getfixturevalue("redis_url")
    server = h.start_server(data, workers=2, fake_seconds=2.0, env=env)
    try:
        workers = h.wait_for(
            lambda: server.ocr_workers() if len(server.ocr_workers()) == 2 else None
        )
        # OCR runs below the web server's priority (ocr_worker_nice = 10), every thread of
        # it (Linux's nice is a thread's own: threads started on import keep theirs) but the
        # main one, which takes cards and stores readings holding a writer turn that uploads
        # wait for: preempted at a low priority it held them up.
        same = os.getpriority(os.PRIO_PROCESS, server.proc.pid)
        lower = min(19, same + 10)
        others = lambda: {_nice(t) for pid in workers for t in _threads(pid) if t != pid}  # noqa: E731
        h.wait_for(lambda: others() - {None} == {lower})
        assert {_nice(pid) for pid in workers} == {same}

        assert h.upload(server.url, token, h.sample_photos(1)[0]) == 202
        claimed = h.wait_for(lambda: _card(data, 1)["claimed_by"])
        victim = int(claimed.split(":")[1])
        assert victim in workers
        os.kill(victim, signal.SIGKILL)  # mid-card: the fake read takes 2 s

        card = h.wait_for(lambda: (c := _card(data, 1))["status"] == "done" and c, timeout=60)
        assert card["tries"] == 2 and card["error"] is None
        # the supervisor started a new worker in the dead one's place
        h.wait_for(lambda: len(server.ocr_workers()) == 2 and victim not in server.ocr_workers())
        workers = server.ocr_workers()
    finally:
        server.kill()
    # the workers end with the server, even when it is killed
    h.wait_for(lambda: not any(_alive(pid) for pid in workers), timeout=10)


def test_a_claim_left_by_another_dead_server_is_put_back_while_running(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    # A second server on the same data directory claims the card, then dies while the
    # first one runs: the first must notice within a sweep, not at its next start.
    with h.serving(
        data, workers=1, fake_seconds=0.05, env={"CARDSCAN_SWEEP_SECONDS": "1"}
    ) as server:
        other = subprocess.Popen(
            [sys.executable, "-c", _SECOND_SERVER, str(data)],
            stdout=subprocess.PIPE,
            cwd=h.ROOT,
            env=h._env(),
        )
        try:
            assert other.stdout.readline().strip() == b"claimed"
            assert h.upload(server.url, token, h.sample_photos(2)[1]) == 202
            h.wait_for(lambda: _card(data, 2)["status"] == "done")  # the server is working
            time.sleep(1.5)  # a sweep or two
            assert _card(data, 1)["status"] == "reading"  # a live server's claim is respected
        finally:
            other.kill()
            other.wait()
        card = h.wait_for(lambda: (c := _card(data, 1))["status"] == "done" and c, timeout=30)
        assert card["tries"] == 2


def _has_open(pid: int, name: str) -> bool:
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}").endswith(name):
                    return True
    return False


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS:")).split()[1]) / 1024


def _environ(pid: int) -> bytes:
    with open(f"/proc/{pid}/environ", "rb") as f:
        return f.read()


def test_an_idle_worker_lets_go_of_its_engine_and_reads_the_next_card(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    photos = h.sample_photos(2)
    env = {"CARDSCAN_OCR_IDLE_SECONDS": "2"}
    with h.serving(data, workers=1, fake_seconds=0.1, env=env) as server:
        [worker] = h.wait_for(lambda: server.ocr_workers())
        # It reads with malloc tuned for photos (where glibc and huge pages are there).
        # (waited for: a child just forked shows serve's environment until its exec)
        tuned = reading_malloc_env({}).get("GLIBC_TUNABLES", "").split(":")
        h.wait_for(lambda: all(t.encode() in _environ(worker) for t in tuned), timeout=30)
        assert h.upload(server.url, token, photos[0]) == 202
        h.wait_for(lambda: _card(data, 1)["status"] == "done", timeout=120)
        loaded = _rss_mb(worker)
        # Two seconds with nothing to read: the same process starts afresh, without its
        # engine and the memory the photos left (the fake engine here holds no model and is
        # loaded again at start: a real worker goes from ~230 MB to ~60 MB).
        h.wait_for(lambda: "--afresh" in open(f"/proc/{worker}/cmdline").read(), timeout=30)
        h.wait_for(lambda: _has_open(worker, "queue.db"), timeout=30)  # up, waiting for a card
        assert _rss_mb(worker) < 0.8 * loaded  # e.g. 118 -> 80 MB with the fake engine
        assert server.ocr_workers() == {worker}  # no restart seen by serve
        same = os.getpriority(os.PRIO_PROCESS, server.proc.pid)
        lowered = {_nice(t) for t in _threads(worker) if t != worker} - {None}
        assert _nice(worker) == same and lowered <= {min(19, same + 10)}  # not lowered twice
        # The next card loads the engine again and is read.
        assert h.upload(server.url, token, photos[1]) == 202
        card = h.wait_for(lambda: (c := _card(data, 2))["status"] == "done" and c, timeout=120)
        assert card["tries"] == 1 and card["contact_id"]


#: A stand-in for a second ``cardscan serve``: stores a card, claims it, waits to be killed.
_SECOND_SERVER = """
import sys, time
from pathlib import Path
from cardscan.store import Store
from tests.support.hardening import sample_photos
with Store.open(Path(sys.argv[1])) as store, store.atomic():
    card, _ = store.cards.add(store.users.by_name("ana").id, sample_photos(1)[0])
    assert store.cards.claim(card.id).id == card.id
print("claimed", flush=True)
time.sleep(600)
"""
