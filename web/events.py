"""Events you can manage: create (with dates, place and default plan), edit (its contacts'
follow-ups move with its dates) and delete (its cards stay unless asked)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from cardscan import followups
from web.auth import login_required, owned_store, user_followups, user_id, user_today
from web.db import get_store
from web.forms import parse_event

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.post("/new")
@login_required
def create() -> Any:
    """Create an event from the events page's form."""
    fields = parse_event(request.form.to_dict(), user_today())
    event = get_store().events.add(user_id(), **fields)
    flash(f"Event {event.name!r} created.", "ok")
    return redirect(url_for("capture.event", event_id=event.id))


@bp.post("/<int:event_id>/edit")
@login_required
def edit(event_id: int) -> Any:
    """Save the event's form; its contacts' follow-ups follow its new last day."""
    owned_store("events", event_id)
    mine = user_followups()
    event, moved = mine.edit_event(event_id, **parse_event(request.form.to_dict(), mine.today))
    moved_text = f" {len(moved)} follow-up{'' if len(moved) == 1 else 's'} moved." if moved else ""
    flash(f"Event {event.name!r} saved.{moved_text}", "ok")
    return redirect(url_for("capture.event", event_id=event_id))


@bp.post("/<int:event_id>/delete")
@login_required
def delete(event_id: int) -> Any:
    """Delete the event; with ``cards=1`` its cards and their contacts go too."""
    store = get_store()
    name = store.events.get(user_id(), event_id).name
    gone = followups.remove_event(
        store, user_id(), event_id, with_cards=request.form.get("cards") == "1"
    )
    extra = f" and {len(gone)} contact{'' if len(gone) == 1 else 's'}" if gone else ""
    flash(f"Event {name!r}{extra} deleted.", "ok")
    return redirect(url_for("capture.events"))
