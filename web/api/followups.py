"""The API's follow-ups: the date a text names, open touches, done/snooze/skip (kept for
undo), a touch's drafted message, and logging contact."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from cardscan import followups, outreach
from cardscan.store.reasons import MAX_REASON_CHARS
from web.api.blueprint import bp
from web.auth import login_required, user_followups, user_id, user_today
from web.db import get_store
from web.forms import date_arg, json_body
from web.present import touch_json


@bp.get("/when")
@login_required
def when() -> Any:
    """The date a text names (``?text=coffee in March``), counted from today or ``?from=``:
    {found, date, label ("Mon 1 Mar 2027"), phrase, language}. Shown back as you type."""
    text = request.args.get("text", "")[:MAX_REASON_CHARS]
    today = user_today()
    reference = date_arg(request.args.get("from"), "from") or today
    found = followups.find_when(text, reference)
    if found is None:
        return jsonify({"found": False, "date": None, "label": None})
    return jsonify(
        {
            "found": True,
            "date": found.day.isoformat(),
            "label": followups.day_label(found.day, today),
            "phrase": found.phrase,
            "language": found.language,
        }
    )


@bp.get("/touches")
@login_required
def touches() -> Any:
    """Open follow-ups, by day (``?before=2026-12-31`` to limit)."""
    before = date_arg(request.args.get("before"), "before")
    items = get_store().touches.all(user_id(), open_only=True, due_before=before)
    return jsonify({"touches": [touch_json(t) for t in items]})


@bp.post("/touches/<int:touch_id>/<action>")
@login_required
def touch_action(touch_id: int, action: str) -> Any:
    """done, skip, or snooze ({"until": "2026-12-01"}, default a week) one touch; the act is
    kept like the Today view's, so ``act_id`` can be undone."""
    until = date_arg(json_body().get("until"), "until") if action == "snooze" else None
    done = outreach.act(user_followups(), touch_id, action, until=until)
    return jsonify({**touch_json(get_store().touches.get(user_id(), touch_id)), "act_id": done.id})


@bp.post("/acts/<int:act_id>/undo")
@login_required
def undo_act(act_id: int) -> Any:
    """Undo a done, snooze or skip: the touch as it is again (409 once it changed since)."""
    return jsonify(touch_json(outreach.undo(get_store(), user_id(), act_id)))


@bp.get("/touches/<int:touch_id>/draft")
@login_required
def touch_draft(touch_id: int) -> Any:
    """The drafted message for a touch: {kind, to, subject, body, mailto}."""
    drafted = outreach.touch_draft(user_followups(), touch_id)
    return jsonify(
        {
            "kind": drafted.kind,
            "to": drafted.to,
            "subject": drafted.subject,
            "body": drafted.body,
            "mailto": drafted.mailto,
        }
    )


@bp.post("/contacts/<int:contact_id>/log-contact")
@login_required
def log_contact(contact_id: int) -> Any:
    """Log that you were in touch today: closes the current touch, moves the next ones."""
    changed = user_followups().record_contact(contact_id)
    return jsonify({"touches": [touch_json(t) for t in changed]})
