"""The ``Store`` a request uses (``g.store``): one kept open by each of the server's threads
and lent to the request it answers; and the OCR queue, opened once per app."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g

from cardscan.models import Card
from cardscan.ocrqueue import CardQueue, Handoff
from cardscan.settings import Settings
from cardscan.store import DB_NAME, Store
from web import timing


def get_store() -> Store:
    """The request's store: its thread's, opened on the thread's first request.

    Opening a connection (setting it up, SQLite reading the schema on its first statement)
    and closing it cost about 2 ms of CPU, as much as the rest of an upload's SQL: each of
    the server's threads keeps its own store open instead (a connection is never used by
    two threads at once) and lends it to one request at a time. A database file written
    other than through SQLite's log since the thread last looked (a checkpoint, or a file
    replaced or damaged under the server) gets a fresh connection, as it did when every
    request opened its own.
    """
    if "store" not in g:
        kept = current_app.extensions["cardscan_threads"]
        store = getattr(kept, "store", None)
        seen = _file_state(current_app.config["DATA_DIR"])
        if store is not None and seen != kept.seen:
            store.close()
            store = None
        if store is None:
            # The schema was brought up to date once in init_app; requests skip the check.
            store = kept.store = Store.open(current_app.config["DATA_DIR"], migrate=False)
            kept.seen = seen
        g.store = store
        g.store_timings = store.timings()  # the request's own share is counted from here
    return g.store


def _file_state(data_dir: Path) -> tuple[int, ...] | None:
    """What tells that the database file was written or replaced: its device, inode, size
    and time of change (None when it is missing)."""
    try:
        stat = os.stat(Path(data_dir) / DB_NAME)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def get_settings() -> Settings:
    """The app's settings."""
    return current_app.config["CARDSCAN_SETTINGS"]


def get_queue() -> CardQueue:
    """The app's OCR queue, opened on first use (thread-safe; shared by requests)."""
    queue = current_app.extensions.get("cardscan_queue")
    if queue is None:
        queue = current_app.extensions["cardscan_queue"] = CardQueue.open(get_settings())
    return queue


def queue_for_reading(card: Card) -> None:
    """Hand a card stored (or retried) just now to the OCR queue, after its commit; the
    request goes on at once (``cardscan.ocrqueue.Handoff``)."""
    if card.status == "queued":
        started = time.perf_counter()
        current_app.extensions["cardscan_handoff"].put(card.id, card.turn)
        timing.add("queue", time.perf_counter() - started)


def close_store(_exc: BaseException | None = None) -> None:
    """End the request's use of its thread's store: a transaction left open (a request cut
    short) is rolled back, as closing the connection would."""
    store = g.pop("store", None)
    if store is not None and store.db.conn.in_transaction:
        store.db.conn.rollback()


def init_app(app: Flask) -> None:
    """Create or migrate the database once, keep it open, and register the teardown.

    The app holds one connection for its whole life, unused: when the last connection to a
    database in WAL mode closes, SQLite checkpoints the log into the database file and
    deletes it (writes and fsyncs), which each request's own connection would otherwise do
    on a quiet server, about 10 ms an upload. With this one open, checkpoints happen as the
    log grows (every 1000 pages), a share of one commit in hundreds.
    """
    app.extensions["cardscan_store"] = Store.open(app.config["DATA_DIR"])
    app.extensions["cardscan_threads"] = threading.local()
    settings = app.config["CARDSCAN_SETTINGS"]
    app.extensions["cardscan_handoff"] = Handoff(lambda: CardQueue.open(settings))
    app.teardown_appcontext(close_store)
