"""The ``Store`` opened once per request in ``g`` and closed on teardown (flaskr ``db.py``),
and the OCR queue, opened once per app."""

from __future__ import annotations

import time

from flask import Flask, current_app, g

from cardscan.models import Card
from cardscan.ocrqueue import CardQueue, Handoff
from cardscan.settings import Settings
from cardscan.store import Store
from web import timing


def get_store() -> Store:
    """The request's store, opened on first use."""
    if "store" not in g:
        # The schema was brought up to date once in init_app; requests skip the check.
        g.store = Store.open(current_app.config["DATA_DIR"], migrate=False)
    return g.store


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
    """Close the request's store, if one was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    """Create or migrate the database once, keep it open, and register the teardown.

    The app holds one connection for its whole life, unused: when the last connection to a
    database in WAL mode closes, SQLite checkpoints the log into the database file and
    deletes it (writes and fsyncs), which each request's own connection would otherwise do
    on a quiet server, about 10 ms an upload. With this one open, checkpoints happen as the
    log grows (every 1000 pages), a share of one commit in hundreds.
    """
    app.extensions["cardscan_store"] = Store.open(app.config["DATA_DIR"])
    settings = app.config["CARDSCAN_SETTINGS"]
    app.extensions["cardscan_handoff"] = Handoff(lambda: CardQueue.open(settings))
    app.teardown_appcontext(close_store)
