"""The API's contacts: list, search, show, edit and delete them, their reasons, likely
duplicates, merging and unmerging."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from cardscan.errors import ValidationError
from cardscan.store.contacts import EXTRACTED_FIELDS as CARD_FIELDS
from web.api.blueprint import bp
from web.auth import login_required, owned_store, user_followups, user_id
from web.db import get_store
from web.forms import int_arg, json_body, parse_contact_changes, parse_reason, parse_reason_changes
from web.present import contact_json, reason_json


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


@bp.patch("/contacts/<int:contact_id>")
@login_required
def update_contact(contact_id: int) -> Any:
    """Change contact fields: {"name": "...", "emails": ["..."]}."""
    changes = parse_contact_changes(json_body())
    record = get_store().contacts.update(user_id(), contact_id, changes, fields=CARD_FIELDS)
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
    reason = parse_reason(json_body())
    made = user_followups().add_reason(contact_id, **reason)
    return jsonify(reason_json(made)), 201


@bp.patch("/reasons/<int:reason_id>")
@login_required
def update_reason(reason_id: int) -> Any:
    """Change a reason: any of {text, kind, due} (``"due": null`` clears the date)."""
    owned_store("reasons", reason_id)
    changes = parse_reason_changes(json_body())
    made = user_followups().change_reason(reason_id, **changes)
    return jsonify(reason_json(made))


@bp.delete("/reasons/<int:reason_id>")
@login_required
def delete_reason(reason_id: int) -> Any:
    """Remove a reason (its follow-ups are brought up to date)."""
    user_followups().remove_reason(reason_id)
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
    other = int_arg(json_body().get("other"), "other")
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
