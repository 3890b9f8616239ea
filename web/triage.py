"""The triage page: an event's cards one at a time, least certain first."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from web.auth import login_required, user_id
from web.db import get_store

bp = Blueprint("triage", __name__)


@bp.get("/events/<int:event_id>/triage")
@login_required
def triage(event_id: int) -> Any:
    """The triage shell; the script walks the queue from ``/api/triage``."""
    store = get_store()
    event = store.events.get(user_id(), event_id)
    return render_template("triage.html", event=event, plans=store.plans.all(user_id()))
