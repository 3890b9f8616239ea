"""Follow-ups: overdue, today and this week, with done, snooze and skip one tap each."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from cardscan import followups as lib
from cardscan.errors import ValidationError
from cardscan.triage import TriageSpot, triage_spots
from web.auth import login_required, safe_next, user_id
from web.db import get_store
from web.errors import wants_json
from web.forms import date_arg
from web.present import touch_json

bp = Blueprint("followups", __name__)

ACTIONS = ("done", "snooze", "skip")


@bp.get("/followups")
@login_required
def index() -> Any:
    """Open touches grouped: overdue, today, this week, later; the steps of a default plan
    not chosen yet are marked, with a link to where the plan is chosen."""
    today = date.today()
    store = get_store()
    touches = store.touches.all(user_id(), open_only=True)
    records = {r.id: r for r in store.contacts.all(user_id())}
    names = {cid: r.contact.name for cid, r in records.items()}
    drafts = [t for t in touches if t.contact_id in records]
    drafts = [t for t in drafts if lib.is_provisional(t, records[t.contact_id])]
    spots = triage_spots(store, user_id(), [records[cid] for cid in {t.contact_id for t in drafts}])
    plan_links = {t.id: _plan_link(t.contact_id, spots.get(t.contact_id)) for t in drafts}
    groups: dict[str, list[Any]] = {"Overdue": [], "Today": [], "This week": [], "Later": []}
    for t in sorted(touches, key=lambda t: (t.when, t.id)):
        if t.when < today:
            groups["Overdue"].append(t)
        elif t.when == today:
            groups["Today"].append(t)
        elif t.when <= today + timedelta(days=7):
            groups["This week"].append(t)
        else:
            groups["Later"].append(t)
    words = {
        t.id: lib.touch_words(t, records[t.contact_id].contact, today=today)
        for t in touches
        if t.contact_id in records
    }
    return render_template(
        "followups.html", groups=groups, names=names, plan_links=plan_links, words=words
    )


def _plan_link(contact_id: int, spot: TriageSpot | None) -> dict[str, str]:
    """Where a contact's plan is chosen: its card in triage, else its page's plan picker."""
    if spot is not None:
        url = url_for("triage.triage", event_id=spot.event_id, card=spot.card_id, index=spot.index)
        return {"url": url, "label": "choose a plan in triage"}
    url = url_for("contacts.show", contact_id=contact_id, _anchor="contact-plan")
    return {"url": url, "label": "choose a plan on the contact's page"}


def _next(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@bp.post("/touches/<int:touch_id>/<action>")
@login_required
def touch_action(touch_id: int, action: str) -> Any:
    """Done, snooze (a week, or until ``until``) or skip one touch."""
    until = None
    if action == "snooze":
        raw = request.values.get("until") or (request.get_json(silent=True) or {}).get("until")
        until = date_arg(raw, "snooze until")
    touch = lib.act_on_touch(get_store(), user_id(), touch_id, action, date.today(), until=until)
    if wants_json():
        return jsonify(touch_json(touch))
    return redirect(_next(url_for("followups.index")))


@bp.post("/contacts/<int:contact_id>/log")
@login_required
def log_contact(contact_id: int) -> Any:
    """Log that you were in touch today: closes the current touch, re-bases the rest."""
    lib.record_contact(get_store(), user_id(), contact_id, date.today())
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/contacts/<int:contact_id>/plan")
@login_required
def switch_plan(contact_id: int) -> Any:
    """Give the contact another follow-up plan; its open touches move to the new rhythm."""
    plan_id = request.form.get("plan", type=int)
    if plan_id is None:
        raise ValidationError("choose a plan.")
    lib.switch_plan(get_store(), user_id(), contact_id, plan_id, date.today())
    return redirect(url_for("contacts.show", contact_id=contact_id))
