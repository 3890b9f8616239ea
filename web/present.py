"""Records turned into JSON-ready dicts for the API and the pages' scripts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from cardscan.models import Card, ContactRecord, Event, Reason, Touch
from cardscan.triage import low_confidence_fields


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def event_json(event: Event) -> dict[str, Any]:
    """An event."""
    return {
        "id": event.id,
        "name": event.name,
        "start": _iso(event.start),
        "end": _iso(event.end),
        "place": event.place,
    }


def reason_json(reason: Reason) -> dict[str, Any]:
    """A follow-up reason."""
    return {
        "id": reason.id,
        "text": reason.text,
        "kind": reason.kind,
        "due": _iso(reason.due),
        "confirmed": reason.confirmed,
    }


def contact_json(record: ContactRecord) -> dict[str, Any]:
    """A contact with its fields, confidences, reasons and where it was met."""
    contact = record.contact
    return {
        "id": record.id,
        "fields": contact.to_dict(),
        "confidence": {k: round(float(v), 3) for k, v in contact.confidence.items()},
        "low": low_confidence_fields(contact),
        "reasons": [reason_json(r) for r in record.reasons],
        "events": [m.event_id for m in record.meetings],
        "merged_into": record.merged_into,
        "url": url_for("contacts.show", contact_id=record.id),
    }


def card_json(
    card: Card, record: ContactRecord | None = None, *, with_ocr: bool = False
) -> dict[str, Any]:
    """A card: status, photo links and, once read, its contact and confidences."""
    data: dict[str, Any] = {
        "id": card.id,
        "uuid": card.client_uuid,
        "status": card.status,
        "event": card.event_id,
        "error": card.error,
        "triaged": card.triaged,
        "created": _iso(card.created),
        "photo": url_for("api.card_photo", card_id=card.id),
        "back": url_for("api.card_photo", card_id=card.id, side="back") if card.back else None,
        "contact_id": card.contact_id,
        "contact": record.contact.to_dict() if record else None,
        "confidence": (
            {k: round(float(v), 3) for k, v in record.contact.confidence.items()} if record else {}
        ),
    }
    if record:
        data["contact_record"] = contact_json(record)
    if with_ocr:
        data["ocr"] = card.ocr.to_dict() if card.ocr else None
    return data


def touch_json(touch: Touch) -> dict[str, Any]:
    """A follow-up touch."""
    return {
        "id": touch.id,
        "contact_id": touch.contact_id,
        "kind": touch.kind,
        "title": touch.title,
        "due": _iso(touch.due),
        "when": _iso(touch.when),
        "status": touch.status,
    }
