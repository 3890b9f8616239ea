"""The ``Store`` opened once per request in ``g`` and closed on teardown (flaskr ``db.py``)."""

from __future__ import annotations

from flask import Flask, current_app, g

from cardscan.settings import Settings
from cardscan.store import Store


def get_store() -> Store:
    """The request's store, opened on first use."""
    if "store" not in g:
        # The schema was brought up to date once in init_app; requests skip the check.
        g.store = Store.open(current_app.config["DATA_DIR"], migrate=False)
    return g.store


def get_settings() -> Settings:
    """The app's settings."""
    return current_app.config["CARDSCAN_SETTINGS"]


def close_store(_exc: BaseException | None = None) -> None:
    """Close the request's store, if one was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    """Create or migrate the database once, and register the teardown."""
    Store.open(app.config["DATA_DIR"]).close()
    app.teardown_appcontext(close_store)
