"""The API's events: list them, create, edit and delete one."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from cardscan import followups
from web.api.blueprint import bp
from web.auth import login_required, owned_store, user_followups, user_id, user_today
from web.db import get_store
from web.forms import json_body, parse_event
from web.present import event_json, touch_json


@bp.get("/events")
@login_required
def events() -> Any:
    """The user's events, newest first."""
    items = sorted(get_store().events.all(user_id()), key=lambda e: (e.start, e.id), reverse=True)
    return jsonify({"events": [event_json(e) for e in items]})


@bp.post("/events")
@login_required
def add_event() -> Any:
    """Create an event: {name, start?, end?, place?, plan?}; start and end default to today."""
    fields = parse_event(json_body(), user_today())
    event = get_store().events.add(user_id(), **fields)
    return jsonify(event_json(event)), 201


@bp.patch("/events/<int:event_id>")
@login_required
def edit_event(event_id: int) -> Any:
    """Change an event: {name, start, end, place?, plan?}; its contacts' follow-ups move."""
    owned_store("events", event_id)
    mine = user_followups()
    event, moved = mine.edit_event(event_id, **parse_event(json_body(), mine.today))
    return jsonify({**event_json(event), "moved": [touch_json(t) for t in moved]})


@bp.delete("/events/<int:event_id>")
@login_required
def delete_event(event_id: int) -> Any:
    """Delete an event; its cards stay without it, unless ``?cards=1`` deletes them (and
    the contacts read from them) too."""
    with_cards = request.args.get("cards") == "1"
    gone = followups.remove_event(get_store(), user_id(), event_id, with_cards=with_cards)
    return jsonify({"deleted": True, "contacts_deleted": gone})
