"""Today: who to contact and why, each with its drafted e-mail, call and profile one tap
away, and Done / Snooze / Skip with an Undo that stays a few seconds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from cardscan import followups as lib
from cardscan import outreach
from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import Touch, TouchAct
from cardscan.outreach.today import TodayItem
from cardscan.triage import TriageSpot, triage_spots
from web.auth import current_user, login_required, safe_next, user_followups, user_id, user_today
from web.db import get_store
from web.errors import wants_json
from web.forms import date_arg
from web.present import touch_json

bp = Blueprint("followups", __name__)


def _user() -> Any:
    user = current_user()
    assert user is not None
    return user


@bp.get("/today")
@login_required
def index() -> Any:
    """Overdue and today first, then this week and later; ``?act=ID`` shows that act's Undo
    (the page a form posted without JavaScript comes back to), and today's acts are listed
    at the foot, each with its Undo while it can still be undone."""
    store = get_store()
    now = datetime.now(UTC)
    prefs = store.outreach.prefs(user_id())
    local = outreach.prefs.local_now(prefs, now)
    today = local.date()
    items = outreach.today_items(lib.FollowUps(store, user_id(), today, now))
    act_id = request.args.get("act", type=int)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return render_template(
        "followups.html",
        groups=outreach.grouped(items),
        plan_links=_plan_links(items),
        undo=_undoable(act_id) if act_id is not None else None,
        today_label=lib.day_label(today, today),
        counts={
            "due": sum(i.group in ("overdue", "today") for i in items),
            "later": sum(i.group in ("week", "later") for i in items),
        },
        recent=_recent(midnight),
    )


def _recent(since: datetime) -> list[dict[str, Any]]:
    """Today's acts for the foot of the page (who, what, and an Undo while possible)."""
    store = get_store()
    lines = outreach.history(store, user_id(), since=since)
    names = {
        cid: lib.display_name(r.contact)
        for cid, r in store.contacts.many(user_id(), {line.contact_id for line in lines}).items()
    }
    return [
        {
            "message": line.text,
            "who": names.get(line.contact_id, ""),
            "undone": line.undone,
            "can_undo": line.can_undo,
            "undo": url_for("followups.undo", act_id=line.act_id),
        }
        for line in lines
    ]


def home() -> Any:
    """The start page: capture while an event is on (or before there is anything to follow
    up), Today in the weeks after; the login page for visitors."""
    if current_user() is None:
        return redirect(url_for("auth.login"))
    store = get_store()
    today = user_today()
    running = any(e.start <= today <= e.end for e in store.events.all(user_id()))
    if running or not store.touches.all(user_id(), open_only=True):
        return redirect(url_for("capture.capture"))
    return redirect(url_for("followups.index"))


@bp.get("/followups")
def old_address() -> Any:
    """The list's old address."""
    return redirect(url_for("followups.index"), code=301)


def _plan_links(items: list[TodayItem]) -> dict[int, dict[str, str]]:
    """Where each provisional touch's plan is chosen (triage, else the contact's page)."""
    provisional = [i for i in items if i.provisional]
    # Whole records: where a card waits in triage is not part of the rows' short ones.
    records = [
        get_store().contacts.get(user_id(), cid) for cid in {i.record.id for i in provisional}
    ]
    spots = triage_spots(get_store(), user_id(), records)
    return {i.touch.id: _plan_link(i.record.id, spots.get(i.record.id)) for i in provisional}


def _plan_link(contact_id: int, spot: TriageSpot | None) -> dict[str, str]:
    """Where a contact's plan is chosen: its card in triage, else its page's plan picker."""
    if spot is not None:
        url = url_for("triage.triage", event_id=spot.event_id, card=spot.card_id, index=spot.index)
        return {"url": url, "label": "choose a plan in triage"}
    url = url_for("contacts.show", contact_id=contact_id, _anchor="contact-plan")
    return {"url": url, "label": "choose a plan on the contact's page"}


def _undoable(act_id: int) -> dict[str, Any] | None:
    """An act just made, for the Undo banner (None once undone or not the user's)."""
    store = get_store()
    try:
        done = store.acts.get(user_id(), act_id)
        touch = store.touches.get(user_id(), done.touch_id)
    except NotFoundError:  # a stale or foreign ?act= shows no banner
        return None
    if done.undone is not None:
        return None
    return _act_json(done, touch)


def _act_json(done: TouchAct, touch: Touch) -> dict[str, Any]:
    record = get_store().contacts.get(user_id(), touch.contact_id)
    return {
        "id": done.id,
        "action": done.action,
        "message": outreach.acts.describe(done, touch, source=False),
        "who": lib.display_name(record.contact),
        "undo": url_for("followups.undo", act_id=done.id),
    }


def _next(default: str) -> str:
    return safe_next(request.form.get("next"), default)


def _until() -> date | None:
    raw = request.values.get("until") or (request.get_json(silent=True) or {}).get("until")
    return date_arg(raw, "snooze until")


@bp.post("/touches/<int:touch_id>/<action>")
@login_required
def touch_action(touch_id: int, action: str) -> Any:
    """Done, snooze (a week, or until ``until``) or skip one touch; the act can be undone."""
    done = outreach.act(user_followups(), touch_id, action, until=_until())
    touch = get_store().touches.get(user_id(), touch_id)
    if wants_json():
        return jsonify({**touch_json(touch), "act": _act_json(done, touch)})
    target = _next(url_for("followups.index"))
    joiner = "&" if "?" in target else "?"
    return redirect(f"{target}{joiner}act={done.id}")


@bp.post("/acts/<int:act_id>/undo")
@login_required
def undo(act_id: int) -> Any:
    """Undo a Done, Snooze or Skip: the touch is back as it was."""
    touch = outreach.undo(get_store(), user_id(), act_id)
    if wants_json():
        return jsonify(touch_json(touch))
    return redirect(_next(url_for("followups.index")))


@bp.post("/contacts/<int:contact_id>/log")
@login_required
def log_contact(contact_id: int) -> Any:
    """Log that you were in touch today: closes the current touch, re-bases the rest."""
    user_followups().record_contact(contact_id)
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/contacts/<int:contact_id>/plan")
@login_required
def switch_plan(contact_id: int) -> Any:
    """Give the contact another follow-up plan; its open touches move to the new rhythm."""
    plan_id = request.form.get("plan", type=int)
    if plan_id is None:
        raise ValidationError("choose a plan.")
    user_followups().switch_plan(contact_id, plan_id)
    return redirect(url_for("contacts.show", contact_id=contact_id))


def touch_item(touch: Touch) -> TodayItem | None:
    """The Today row of one touch, for pages that list touches themselves (a contact's)."""
    cache = g.setdefault("touch_items", {})
    if touch.contact_id not in cache:
        items = outreach.today_items(user_followups(), contact_id=touch.contact_id)
        cache[touch.contact_id] = {i.touch.id: i for i in items}
    return cache[touch.contact_id].get(touch.id)


def contact_history(contact_id: int) -> list[outreach.HistoryLine]:
    """A contact's acts for its page's History, newest first, in the user's time."""
    store = get_store()
    zone = outreach.prefs.zone(store.outreach.prefs(user_id()).timezone)
    lines = outreach.history(store, user_id(), contact_id=contact_id)
    return [replace(line, when=line.when.astimezone(zone)) for line in lines]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"touch_item": touch_item, "contact_history": contact_history}
