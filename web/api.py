"""The JSON API: what scripts (with a Bearer token) and the app's own pages call."""

from __future__ import annotations

import json
import uuid as uuidlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from flask_wtf.csrf import generate_csrf

from cardscan import cardimages, followups, imaging
from cardscan.errors import ValidationError
from cardscan.models import CONTACT_FIELDS, REASON_KINDS
from cardscan.triage import finish_triage, triage_item, triage_queue
from cardscan.uploads import sniff_image
from web.auth import current_user, login_required, user_id
from web.db import get_settings, get_store, queue_for_reading
from web.present import (
    card_image_url,
    card_json,
    contact_json,
    event_json,
    reason_json,
    thumb_url,
    touch_json,
)

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_REASONS = 5
MAX_REASON_CHARS = 200
MAX_FIELD_CHARS = 500


def _json_body() -> dict[str, Any]:
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # json gives up on deep nesting ([[[[...) with this, not ValueError
            body = None
        if not isinstance(body, dict):
            raise ValidationError('the request body is not a JSON object: send {"field": value}.')
        return body
    return request.form.to_dict()


def _int(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"{name} must be a whole number, got {str(value)[:40]!r}.") from None
    if abs(number) > 2**63 - 1:  # SQLite's integers are 64-bit; the query would overflow
        raise ValidationError(f"{name} {str(value)[:40]!r} is too large to be an id.")
    return number


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            f"{name} must be a date like 2026-03-31, got {str(value)[:40]!r}."
        ) from None


def parse_reason(item: Any) -> dict[str, Any]:
    """One reason from a request: {text, kind, due}; kind defaults to "other".

    Raises:
        ValidationError: no text, text too long, unknown kind or a bad date.
    """
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise ValidationError('each reason must be an object like {"text": "send deck"}.')
    text = " ".join(str(item.get("text") or "").split())
    if not text:
        raise ValidationError('a reason needs a text, e.g. {"text": "send deck"}.')
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(
            f"a reason is {len(text)} characters long; keep it under {MAX_REASON_CHARS}."
        )
    kind = str(item.get("kind") or "other")
    if kind not in REASON_KINDS:
        raise ValidationError(f"reason kind {kind[:40]!r} is unknown; use one of {REASON_KINDS}.")
    return {"text": text, "kind": kind, "due": _date(item.get("due"), "reason due")}


def parse_reason_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Changes to a reason from a request: only the keys given of text, kind and due.

    Raises:
        ValidationError: an unknown key, or a bad text, kind or date.
    """
    unknown = set(body) - {"text", "kind", "due", "csrf_token"}
    if unknown:
        raise ValidationError(
            f"unknown reason field {sorted(unknown)[0][:40]!r}; send text, kind or due."
        )
    current = {"text": body.get("text") or "x", "kind": body.get("kind"), "due": body.get("due")}
    checked = parse_reason(current)
    return {key: checked[key] for key in ("text", "kind", "due") if key in body}


def parse_reasons(raw: str | None) -> list[dict[str, Any]]:
    """The ``reasons`` form field: a JSON list of reasons (at most ``MAX_REASONS``)."""
    if not raw:
        return []
    try:
        items = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValidationError(
            'reasons must be a JSON list like [{"text": "send deck", "kind": "deck"}].'
        ) from None
    if not isinstance(items, list):
        raise ValidationError("reasons must be a JSON list.")
    if len(items) > MAX_REASONS:
        raise ValidationError(f"{len(items)} reasons given; send at most {MAX_REASONS}.")
    return [parse_reason(item) for item in items]


def _check_photo(data: bytes, name: str) -> None:
    """Refuse what can never be read before storing it: not an image, a decompression bomb,
    too many pixels, a damaged file. A small draft decode keeps the acknowledgement fast;
    the OCR worker decodes in full later."""
    sniff_image(data, name=name)
    imaging.load_image(data, max_megapixels=get_settings().max_megapixels, max_side=256)


def _card_with_contact(
    card_id: int, *, with_ocr: bool = False, index: int | None = None
) -> dict[str, Any]:
    """A card as JSON: with its first contact, or with card ``index`` read from its photo."""
    store = get_store()
    if index is None:
        card = store.cards.get(user_id(), card_id)
        record = store.contacts.get(user_id(), card.contact_id) if card.contact_id else None
    else:
        item = triage_item(store, user_id(), card_id, index)
        card, record = item.card, item.record
    readings = store.cards.readings(user_id(), card_id) if with_ocr else None
    return card_json(card, record, readings=readings, index=index)


# --- session ---------------------------------------------------------------------------------


@bp.get("/session")
def session_info() -> Any:
    """Who is logged in, and a fresh CSRF token for scripts (401 when nobody)."""
    user = current_user()
    if user is None:
        return jsonify({"ok": False, "error": "log in to upload.", "status": 401}), 401
    return jsonify({"ok": True, "user": user.name, "csrf_token": generate_csrf()})


# --- dates in words ----------------------------------------------------------------------------


@bp.get("/when")
@login_required
def when() -> Any:
    """The date a text names (``?text=coffee in March``), counted from today or ``?from=``:
    {found, date, label ("Mon 1 Mar 2027"), phrase, language}. Shown back as you type."""
    text = request.args.get("text", "")[:MAX_REASON_CHARS]
    reference = _date(request.args.get("from"), "from") or date.today()
    found = followups.find_when(text, reference)
    if found is None:
        return jsonify({"found": False, "date": None, "label": None})
    return jsonify(
        {
            "found": True,
            "date": found.day.isoformat(),
            "label": followups.day_label(found.day, date.today()),
            "phrase": found.phrase,
            "language": found.language,
        }
    )


# --- events ----------------------------------------------------------------------------------


@bp.get("/events")
@login_required
def events() -> Any:
    """The user's events, newest first."""
    items = sorted(get_store().events.all(user_id()), key=lambda e: (e.start, e.id), reverse=True)
    return jsonify({"events": [event_json(e) for e in items]})


def parse_event(body: dict[str, Any]) -> dict[str, Any]:
    """An event's fields from a request: {name, start?, end?, place?, plan?}; the days
    default to today (the store checks the rest).

    Raises:
        ValidationError: no name, a name or place too long, a bad date or plan id.
    """
    name = " ".join(str(body.get("name") or "").split())
    if not name or len(name) > 120:
        raise ValidationError("an event needs a name of 1 to 120 characters.")
    place = " ".join(str(body.get("place") or "").split())
    if len(place) > 120:
        raise ValidationError("an event's place is at most 120 characters.")
    start = _date(body.get("start"), "start") or date.today()
    return {
        "name": name,
        "start": start,
        "end": _date(body.get("end"), "end") or start,
        "place": place or None,
        "plan_id": _int(body.get("plan"), "plan"),
    }


@bp.post("/events")
@login_required
def add_event() -> Any:
    """Create an event: {name, start?, end?, place?, plan?}; start and end default to today."""
    fields = parse_event(_json_body())
    event = get_store().events.add(
        user_id(),
        fields["name"],
        fields["start"],
        fields["end"],
        fields["place"],
        fields["plan_id"],
    )
    return jsonify(event_json(event)), 201


@bp.patch("/events/<int:event_id>")
@login_required
def edit_event(event_id: int) -> Any:
    """Change an event: {name, start, end, place?, plan?}; its contacts' follow-ups move."""
    store = get_store()
    store.events.get(user_id(), event_id)  # another user's event is not found, whatever the body
    event, moved = followups.edit_event(
        store, user_id(), event_id, date.today(), **parse_event(_json_body())
    )
    return jsonify({**event_json(event), "moved": [touch_json(t) for t in moved]})


@bp.delete("/events/<int:event_id>")
@login_required
def delete_event(event_id: int) -> Any:
    """Delete an event; its cards stay without it, unless ``?cards=1`` deletes them (and
    the contacts read from them) too."""
    with_cards = request.args.get("cards") == "1"
    gone = followups.remove_event(get_store(), user_id(), event_id, with_cards=with_cards)
    return jsonify({"deleted": True, "contacts_deleted": gone})


# --- cards -----------------------------------------------------------------------------------


@bp.post("/cards")
@login_required
def add_card() -> Any:
    """Upload a card photo; the same ``uuid`` again returns the same card."""
    photo = request.files.get("photo")
    if photo is None:
        raise ValidationError("no photo: send the image as the multipart field 'photo'.")
    front = photo.read()
    _check_photo(front, "photo")
    back_file = request.files.get("back")
    back = back_file.read() if back_file else None
    if back:
        _check_photo(back, "back photo")
    client_uuid = request.form.get("uuid") or None
    if client_uuid is not None:
        try:
            client_uuid = str(uuidlib.UUID(client_uuid))
        except ValueError:
            raise ValidationError(f"uuid {client_uuid[:60]!r} is not a UUID.") from None
    event_id = _int(request.form.get("event"), "event")
    store = get_store()
    if event_id is not None:
        store.events.get(user_id(), event_id)
    reasons = parse_reasons(request.form.get("reasons"))
    card, created = store.cards.add(
        user_id(),
        front,
        back=back or None,
        event_id=event_id,
        client_uuid=client_uuid,
        reasons=[(r["text"], r["kind"], r["due"]) for r in reasons],
    )
    if created:
        queue_for_reading(card)
    return jsonify({"id": card.id, "status": card.status, "created": created}), (
        202 if created else 200
    )


@bp.get("/cards")
@login_required
def cards() -> Any:
    """Cards with their status, optionally of one event (``?event=ID``)."""
    event_id = _int(request.args.get("event"), "event")
    store = get_store()
    records: dict[int, Any] = {}
    out = []
    for card in store.cards.all(user_id(), event_id=event_id):
        record = None
        if card.contact_id:
            if card.contact_id not in records:
                records[card.contact_id] = store.contacts.get(user_id(), card.contact_id)
            record = records[card.contact_id]
        out.append(card_json(card, record))
    return jsonify({"cards": out})


@bp.get("/cards/<int:card_id>")
@login_required
def card(card_id: int) -> Any:
    """One card, with its contact and confidences once read (``?ocr=1`` adds the word boxes,
    ``?index=N`` the contact read as card N of the photo)."""
    index = _card_index() if request.args.get("index") not in (None, "") else None
    return jsonify(
        _card_with_contact(card_id, with_ocr=request.args.get("ocr") == "1", index=index)
    )


@bp.get("/cards/<int:card_id>/photo")
@login_required
def card_photo(card_id: int) -> Any:
    """The card's photo (``?side=back`` for the back)."""
    store = get_store()
    card = store.cards.get(user_id(), card_id)
    digest = card.back if request.args.get("side") == "back" else card.front
    if not digest:
        abort(404)
    response = send_file(store.photos.path(digest), mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


#: A photo file that is missing or damaged shows this instead of a broken image.
PLACEHOLDER = "icons/no-photo.svg"


def _card_index(value: Any = None) -> int:
    """Which card of a photo: ``value``, else the ``index`` query argument (default 0)."""
    index = _int(request.args.get("index") if value is None else value, "index") or 0
    if not 0 <= index < 100:
        raise ValidationError(f"index {index} is out of range: a photo holds cards 0, 1, ...")
    return index


def _image_response(path: Path | None, key: str) -> Any:
    """A made image: cached for good when the URL names this very version (``?v=``), else
    revalidated by its ETag; a placeholder (never cached) when the photo cannot be read."""
    if path is None:
        static = Path(current_app.static_folder or "static")
        response = send_file(static / PLACEHOLDER, mimetype="image/svg+xml", max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response
    response = send_file(path, mimetype="image/jpeg", etag=key, conditional=True, max_age=0)
    response.headers.pop("Expires", None)
    if request.args.get("v") == key:
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/cards/<int:card_id>/thumb")
@login_required
def card_thumb(card_id: int) -> Any:
    """A small JPEG for lists (``?index=N``: card N of a photo with several)."""
    return _card_picture(card_id, "thumb", cardimages.thumbnail)


@bp.get("/cards/<int:card_id>/card.jpg")
@login_required
def card_image(card_id: int) -> Any:
    """The card cut out of the photo, flat and upright (``?index=N``); 404 when the card was
    read before outlines were kept."""
    return _card_picture(card_id, "card", cardimages.card_image)


def _card_picture(card_id: int, kind: str, make: Any) -> Any:
    store = get_store()
    card = store.cards.get(user_id(), card_id)
    index = _card_index()
    path = make(store, card, index=index, max_megapixels=get_settings().max_megapixels)
    return _image_response(path, cardimages.image_key(card, kind, index))


@bp.post("/cards/<int:card_id>/triaged")
@login_required
def card_triaged(card_id: int) -> Any:
    """Triage's Done for card ``index`` of the photo (every card read from it when no index
    is given): confirms the reasons, plans the follow-ups ({"triaged": false} to undo)."""
    body = _json_body()
    triaged = body.get("triaged", True) not in (False, "false", "0", 0)
    plan_id = _int(body.get("plan"), "plan")
    index = _card_index(body["index"]) if body.get("index") not in (None, "") else None
    finish_triage(
        get_store(),
        user_id(),
        card_id,
        date.today(),
        index=index,
        plan_id=plan_id,
        triaged=triaged,
    )
    return jsonify(_card_with_contact(card_id, index=index))


@bp.post("/cards/<int:card_id>/retry")
@login_required
def retry_card(card_id: int) -> Any:
    """Read a failed card again."""
    queue_for_reading(get_store().cards.retry(user_id(), card_id))
    return jsonify(_card_with_contact(card_id))


@bp.get("/triage")
@login_required
def triage() -> Any:
    """The event's cards still to triage, least certain first."""
    event_id = _int(request.args.get("event"), "event")
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


# --- contacts --------------------------------------------------------------------------------


@bp.get("/contacts")
@login_required
def contacts() -> Any:
    """Contacts, or a search (``?q=text``)."""
    store = get_store()
    text = request.args.get("q", "").strip()
    records = store.contacts.search(user_id(), text) if text else store.contacts.all(user_id())
    return jsonify({"contacts": [contact_json(r) for r in records]})


@bp.get("/contacts/<int:contact_id>")
@login_required
def contact(contact_id: int) -> Any:
    """One contact."""
    return jsonify(contact_json(get_store().contacts.get(user_id(), contact_id)))


def parse_contact_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Contact field changes from a request: text fields, and lists for emails/phones/websites.

    Raises:
        ValidationError: an unknown field or an over-long value.
    """
    changes: dict[str, Any] = {}
    for name, value in body.items():
        if name not in CONTACT_FIELDS and name not in ("notes", "socials"):
            raise ValidationError(
                f"unknown contact field {name[:40]!r}; fields are {', '.join(CONTACT_FIELDS)}."
            )
        if name in ("emails", "phones", "websites", "socials"):
            if isinstance(value, str):
                value = [v.strip() for v in value.replace(",", "\n").splitlines()]
            if not isinstance(value, list):
                raise ValidationError(f"{name} must be a list of strings.")
            items = []
            for v in value:
                text = str((v.get("number") if isinstance(v, dict) else v) or "").strip()
                if len(text) > MAX_FIELD_CHARS:
                    raise ValidationError(f"a value of {name} is too long ({len(text)} chars).")
                if text:
                    items.append(v if isinstance(v, dict) else text)
            changes[name] = items
        else:
            text = " ".join(str(value or "").split()) if name != "address" else str(value or "")
            text = text.strip()
            if len(text) > MAX_FIELD_CHARS * 4:
                raise ValidationError(f"{name} is too long ({len(text)} characters).")
            changes[name] = text or None
    return changes


@bp.patch("/contacts/<int:contact_id>")
@login_required
def update_contact(contact_id: int) -> Any:
    """Change contact fields: {"name": "...", "emails": ["..."]}."""
    changes = parse_contact_changes(_json_body())
    record = get_store().contacts.update(user_id(), contact_id, changes)
    return jsonify(contact_json(record))


@bp.delete("/contacts/<int:contact_id>")
@login_required
def delete_contact(contact_id: int) -> Any:
    """Delete a contact for good (its cards' photos, follow-ups, reasons, notes, search
    entries); answers what went. ``?dry_run=1`` answers what would go."""
    store = get_store()
    if request.args.get("dry_run") == "1":
        return jsonify(
            {"deleted": False, **store.deletions.contact_deletion(user_id(), contact_id).to_dict()}
        )
    return jsonify(
        {"deleted": True, **store.deletions.delete_contact(user_id(), contact_id).to_dict()}
    )


@bp.post("/contacts/<int:contact_id>/reasons")
@login_required
def add_reason(contact_id: int) -> Any:
    """Add a follow-up reason: {text, kind?, due?}."""
    reason = parse_reason(_json_body())
    made = followups.add_reason(get_store(), user_id(), contact_id, date.today(), **reason)
    return jsonify(reason_json(made)), 201


@bp.patch("/reasons/<int:reason_id>")
@login_required
def update_reason(reason_id: int) -> Any:
    """Change a reason: any of {text, kind, due} (``"due": null`` clears the date)."""
    store = get_store()
    store.reasons.get(user_id(), reason_id)  # another user's id is not found, whatever the body
    changes = parse_reason_changes(_json_body())
    made = followups.change_reason(store, user_id(), reason_id, date.today(), **changes)
    return jsonify(reason_json(made))


@bp.delete("/reasons/<int:reason_id>")
@login_required
def delete_reason(reason_id: int) -> Any:
    """Remove a reason (its follow-ups are brought up to date)."""
    followups.remove_reason(get_store(), user_id(), reason_id, date.today())
    return jsonify({"ok": True})


@bp.get("/contacts/<int:contact_id>/duplicates")
@login_required
def duplicates(contact_id: int) -> Any:
    """Likely duplicates of a contact, best first, with a score 0..1."""
    pairs = get_store().duplicates.candidates(user_id(), contact_id)
    return jsonify(
        {"candidates": [{"score": round(s, 3), "contact": contact_json(r)} for r, s in pairs]}
    )


@bp.post("/contacts/<int:contact_id>/merge")
@login_required
def merge(contact_id: int) -> Any:
    """Merge another contact into this one: {"other": ID}; both meetings are kept."""
    other = _int(_json_body().get("other"), "other")
    if other is None:
        raise ValidationError('say which contact to merge in: {"other": ID}.')
    record = get_store().duplicates.merge(user_id(), contact_id, other)
    return jsonify(contact_json(record))


@bp.post("/contacts/<int:contact_id>/unmerge")
@login_required
def unmerge(contact_id: int) -> Any:
    """Undo the merge of this contact into another: both come back, later edits kept."""
    kept, restored = get_store().duplicates.unmerge(user_id(), contact_id)
    return jsonify({"kept": contact_json(kept), "restored": contact_json(restored)})


# --- follow-ups --------------------------------------------------------------------------------


@bp.get("/touches")
@login_required
def touches() -> Any:
    """Open follow-ups, by day (``?before=2026-12-31`` to limit)."""
    before = _date(request.args.get("before"), "before")
    items = get_store().touches.all(user_id(), open_only=True, due_before=before)
    return jsonify({"touches": [touch_json(t) for t in items]})


@bp.post("/touches/<int:touch_id>/<action>")
@login_required
def touch_action(touch_id: int, action: str) -> Any:
    """done, skip, or snooze ({"until": "2026-12-01"}, default a week) one touch."""
    store = get_store()
    if action == "done":
        touch = followups.done_touch(store, user_id(), touch_id)
    elif action == "skip":
        touch = followups.skip_touch(store, user_id(), touch_id)
    elif action == "snooze":
        until = _date(_json_body().get("until"), "until") or date.today() + timedelta(days=7)
        touch = followups.snooze_touch(store, user_id(), touch_id, until, date.today())
    else:
        raise ValidationError(f"unknown action {action[:20]!r}: use done, snooze or skip.")
    return jsonify(touch_json(touch))


@bp.post("/contacts/<int:contact_id>/log-contact")
@login_required
def log_contact(contact_id: int) -> Any:
    """Log that you were in touch today: closes the current touch, moves the next ones."""
    changed = followups.record_contact(get_store(), user_id(), contact_id, date.today())
    return jsonify({"touches": [touch_json(t) for t in changed]})
