"""Pages: capture (snap, reasons, the upload queue), the events list and one event's cards."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for

from cardscan.preferences import DEFAULT_CHIPS, reason_chips
from web.auth import current_user, login_required, user_id, user_today
from web.db import get_store

bp = Blueprint("capture", __name__)


def index() -> Any:
    """The start page: capture when logged in, else the login page."""
    if current_user() is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for("capture.capture"))


@bp.get("/capture")
@login_required
def capture() -> Any:
    """The capture page; ``?event=ID`` makes that event the current one."""
    store = get_store()
    events = sorted(store.events.all(user_id()), key=lambda e: (e.start, e.id), reverse=True)
    chosen = request.args.get("event", type=int)
    if chosen is not None and any(e.id == chosen for e in events):
        session["event_id"] = chosen
    current = session.get("event_id")
    running = store.events.running(user_id(), user_today())
    if current not in {e.id for e in events}:
        # The event running today, else the latest.
        current = running.id if running else (events[0].id if events else None)
    return render_template(
        "capture.html",
        events=events,
        current_event=current,
        running_event=running.id if running else None,
        plans=store.plans.all(user_id()),
        chips=reason_chips(store, user_id()),
    )


@bp.get("/capture/shell")
def shell() -> Any:
    """The capture page with no one signed in: what the service worker keeps for offline use
    after a logout or when the session ends. No events, no cards, nothing personal: captures
    wait on the phone until the next sign-in. Rendered as signed out even when the service
    worker fetches it with a session (``user=None``): no name, no tabs, no owner for captures.
    """
    return render_template(
        "capture.html", events=[], current_event=None, chips=DEFAULT_CHIPS, shell=True, user=None
    )


@bp.get("/offline")
def offline() -> Any:
    """Shown by the service worker for a page that needs the network while there is none."""
    return render_template("offline.html")


@bp.get("/events")
@login_required
def events() -> Any:
    """Every event with its number of cards."""
    store = get_store()
    items = sorted(store.events.all(user_id()), key=lambda e: (e.start, e.id), reverse=True)
    counts = Counter(card.event_id for card in store.cards.all(user_id()))
    return render_template(
        "events.html", events=items, counts=counts, plans=store.plans.all(user_id())
    )


@bp.get("/events/<int:event_id>")
@login_required
def event(event_id: int) -> Any:
    """One event's cards, with live status (the page polls the API)."""
    store = get_store()
    event = store.events.get(user_id(), event_id)
    plans = store.plans.all(user_id())
    return render_template(
        "event.html",
        event=event,
        plans=plans,
        plan_names={p.id: p.name for p in plans},
        cards=len(store.cards.all(user_id(), event_id=event_id)),
    )
