"""Writers in different processes (the web processes, the OCR workers) take turns at the
database before asking SQLite, and a writer killed mid-transaction leaves the turn free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from cardscan.store import Store

_HOLDER = """
import sys, time
from cardscan.store import Store
store = Store.open(sys.argv[1], migrate=False)
with store.atomic():
    store.db.execute("create table held (x)")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    print(time.monotonic(), flush=True)
print("done", flush=True)
"""


def _holder(data, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(data), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _begins(store: Store) -> list[float]:
    began: list[float] = []
    store.db.conn.set_trace_callback(
        lambda sql: began.append(time.monotonic()) if sql.startswith("BEGIN") else None
    )
    return began


def test_a_writer_of_another_process_is_waited_for_before_asking_sqlite(tmp_path):
    Store.open(tmp_path / "data").close()
    holder = _holder(tmp_path / "data", 0.5)
    with Store.open(tmp_path / "data", migrate=False) as store:
        began = _begins(store)
        with store.atomic():
            pass
    assert holder.stdout is not None
    committing = float(holder.stdout.readline())
    holder.wait(10)
    assert began[0] >= committing  # it asked SQLite once the other process was done


def test_a_writer_killed_mid_transaction_leaves_the_turn_free(tmp_path):
    Store.open(tmp_path / "data").close()
    holder = _holder(tmp_path / "data", 60)
    with Store.open(tmp_path / "data", migrate=False) as store:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        started = time.monotonic()
        with store.atomic():
            store.db.execute("create table mine (x)")
        assert time.monotonic() - started < 10
        tables = set(store.db.table_names())
    assert "mine" in tables and "held" not in tables  # the killed writer's never committed
