"""The API's triage: the queue of cards still to check, Done for one card read, and the
event's triage in numbers for the end of the queue."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from cardscan.triage import finish_triage, triage_queue
from cardscan.triage import triage_summary as triage_summary_of
from web.api.blueprint import bp
from web.api.cards import card_index, card_with_contact
from web.auth import login_required, user_followups, user_id
from web.db import get_store
from web.forms import int_arg, json_body
from web.present import card_image_url, summary_json, thumb_url


@bp.get("/triage")
@login_required
def triage() -> Any:
    """The event's cards still to triage, least certain first."""
    event_id = int_arg(request.args.get("event"), "event")
    queue = triage_queue(get_store(), user_id(), event_id)
    return jsonify(
        {
            "total": queue.total,
            "left": queue.left,
            "waiting": queue.waiting,
            "cards": [
                {
                    "id": i.card.id,
                    "index": i.index,
                    "contact_id": i.record.id if i.record else None,
                    "certainty": round(i.certainty, 3),
                    "status": i.card.status,
                    "thumb": thumb_url(i.card, i.index),
                    "card_image": card_image_url(i.card, i.index),
                }
                for i in queue.items
            ],
        }
    )


@bp.get("/triage/summary")
@login_required
def triage_summary() -> Any:
    """The event's triage in numbers, for the end of the queue."""
    event_id = int_arg(request.args.get("event"), "event")
    return jsonify(summary_json(triage_summary_of(get_store(), user_id(), event_id)))


@bp.post("/cards/<int:card_id>/triaged")
@login_required
def card_triaged(card_id: int) -> Any:
    """Triage's Done for card ``index`` of the photo (every card read from it when no index
    is given): confirms the reasons, plans the follow-ups ({"triaged": false} to undo)."""
    body = json_body()
    triaged = body.get("triaged", True) not in (False, "false", "0", 0)
    plan_id = int_arg(body.get("plan"), "plan")
    index = card_index(body["index"]) if body.get("index") not in (None, "") else None
    finish_triage(user_followups(), card_id, index=index, plan_id=plan_id, triaged=triaged)
    return jsonify(card_with_contact(card_id, index=index))
