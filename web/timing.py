"""What a request cost the server, in its ``Server-Timing`` response header.

``app`` is the time from the first before-request hook to the response, ``cpu`` the CPU
time of the thread that handled it, ``lock`` the time its store waited for SQLite's write
lock (another writer, such as an OCR worker saving a card, held it), ``commit`` the time
its commits took (the fsync), ``queue`` the time spent handing a card to the OCR queue; in
milliseconds. Load on the machine stretches ``app`` but hardly ``cpu``, so ``cardscan
load-test`` reports both, and a browser's developer tools show them per request. Only
answers to a signed-in user (session or API token) carry it.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g


def add(name: str, seconds: float) -> None:
    """Count ``seconds`` under ``name`` for this request's header."""
    spent = g.setdefault("timings", {})
    spent[name] = spent.get(name, 0.0) + seconds


def _store_timings() -> dict[str, float]:
    """The request's share of its store's lock wait and commit time (``Store.timings``
    counts from when its thread opened it; ``web.db.get_store`` notes where it stood)."""
    store = g.get("store")
    if store is None:
        return {}
    before = g.get("store_timings", {})
    return {name: seconds - before.get(name, 0.0) for name, seconds in store.timings().items()}


def _start() -> None:
    g.started = (time.perf_counter(), time.thread_time())


def _stamp(response: Response) -> Response:
    started = g.get("started")
    if started is None or g.get("user") is None:
        # Flask answered before the hooks ran, or nobody is signed in: an anonymous client
        # learns nothing of the server's work (how long a password check took) from here.
        return response
    spent = {"app": time.perf_counter() - started[0], "cpu": time.thread_time() - started[1]}
    spent.update(_store_timings())
    for name, seconds in g.get("timings", {}).items():
        spent[name] = spent.get(name, 0.0) + seconds
    response.headers["Server-Timing"] = ", ".join(
        f"{name};dur={seconds * 1000:.1f}" for name, seconds in spent.items()
    )
    return response


def init_app(app: Flask) -> None:
    """Time every request (register before the other hooks, so theirs count too)."""
    app.before_request(_start)
    app.after_request(_stamp)
