"""The API's captures: what the capture page's prompt calls while a card is read (a brief of
the card, reasons given after the upload, and "already met": keep this meeting or say they
are different), and how an upload of a photo already there names that card."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from cardscan import captures
from cardscan.errors import ValidationError
from cardscan.models import Card
from cardscan.triage import kept_contact
from web.api.blueprint import bp
from web.auth import login_required, owned_store, user_id, user_today
from web.db import get_store
from web.forms import int_arg, json_body, parse_reason
from web.present import thumb_url


def duplicate_of(card: Card) -> dict[str, Any]:
    """The card already there, as the capture page names it: who, where, when."""
    store = get_store()
    name = None
    if card.contact_id is not None:
        name = kept_contact(store, user_id(), store.contacts.get(user_id(), card.contact_id))
    event = store.events.get(user_id(), card.event_id) if card.event_id is not None else None
    return {
        "id": card.id,
        "name": name.contact.name if name else None,
        "event": event.name if event else None,
        "snapped": card.created.isoformat() if card.created else None,
    }


def _brief(card_id: int) -> dict[str, Any]:
    """What the prompt shows of a card: its status, the name and company read, and the
    contact already there that it matches."""
    store = get_store()
    card = store.cards.get(user_id(), card_id)
    data: dict[str, Any] = {
        "id": card.id,
        "status": card.status,
        "error": card.error,
        "thumb": thumb_url(card),
        "contact_id": None,
        "name": None,
        "company": None,
        "merged": False,
        "known": None,
    }
    reads = store.cards.contacts(user_id(), card.id) if card.status == "done" else []
    if not reads:
        return data
    read = reads[0]  # the card's first contact (a photo can hold several cards)
    record = kept_contact(store, user_id(), read)
    data.update(
        contact_id=record.id,
        name=record.contact.name,
        company=record.contact.company,
        merged=record.id != read.id,
    )
    known = None if data["merged"] else captures.known_contact(store, user_id(), record.id)
    if known is not None:
        data["known"] = {
            "id": known.record.id,
            "name": known.record.contact.name,
            "company": known.record.contact.company,
            "events": [e.name for e in known.events],
            "score": round(known.score, 3),
        }
    return data


@bp.get("/cards/<int:card_id>/brief")
@login_required
def card_brief(card_id: int) -> Any:
    """The card in brief, for the capture prompt to poll until it is read."""
    return jsonify(_brief(card_id))


@bp.post("/cards/<int:card_id>/reasons")
@login_required
def add_card_reasons(card_id: int) -> Any:
    """Reasons for a card uploaded already: {"reasons": [{text, kind, due}, ...]}."""
    store = owned_store("cards", card_id)
    items = json_body().get("reasons")
    if not isinstance(items, list):
        raise ValidationError('send {"reasons": [{"text": "send deck"}]}.')
    reasons = [parse_reason(item) for item in items]
    captures.add_capture_reasons(
        store,
        user_id(),
        card_id,
        [(r["text"], r["kind"], r["due"]) for r in reasons],
        user_today(),
    )
    return jsonify(_brief(card_id)), 201


@bp.post("/cards/<int:card_id>/known")
@login_required
def card_known(card_id: int) -> Any:
    """The card's contact is the known one ({"contact": ID, "same": true}: this meeting is
    added to it) or not ({"same": false}: never offered again)."""
    store = owned_store("cards", card_id)
    body = json_body()
    known_id = int_arg(body.get("contact"), "contact")
    if known_id is None:
        raise ValidationError('say which contact: {"contact": ID, "same": true}.')
    reads = store.cards.contacts(user_id(), card_id)
    if not reads:
        raise ValidationError(f"card {card_id} is not read yet: wait for its name to show.")
    if body.get("same", True) in (False, "false", "0", 0):
        captures.not_the_same(store, user_id(), reads[0].id, known_id)
    else:
        captures.keep_meeting(store, user_id(), reads[0].id, known_id)
    return jsonify(_brief(card_id))
