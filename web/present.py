"""Records turned into JSON-ready dicts for the API and the pages' scripts."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any

from flask import url_for

from cardscan.cardimages import image_key, outline_of
from cardscan.followups import is_promise
from cardscan.models import Card, ContactRecord, Event, Reason, Touch
from cardscan.reading.checks import checks, fields_to_check
from cardscan.triage import TriageSummary


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
        "plan_id": event.plan_id,
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
        "check": fields_to_check(contact),
        "reasons": [reason_json(r) for r in record.reasons],
        "events": [m.event_id for m in record.meetings],
        "merged_into": record.merged_into,
        "card_id": record.card_id,
        "card_index": record.card_index,
        "plan_id": record.plan_id,
        "url": url_for("contacts.show", contact_id=record.id),
    }


def thumb_url(card: Card, index: int = 0) -> str:
    """The card's thumbnail, at a URL that names its version (so it is cached for good)."""
    return url_for(
        "api.card_thumb", card_id=card.id, index=index or None, v=image_key(card, "thumb", index)
    )


def card_index_of(card: Card, record: ContactRecord | None) -> int:
    """Which card of the photo ``record`` was read from (0 when it came from elsewhere)."""
    return record.card_index if record is not None and record.card_id == card.id else 0


def card_image_url(card: Card, index: int = 0) -> str | None:
    """The flattened card's URL (with its version), when the card's outline is known."""
    if outline_of(card, index) is None:
        return None
    return url_for(
        "api.card_image", card_id=card.id, index=index or None, v=image_key(card, "card", index)
    )


def _reading_json(card: Card, readings: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """What triage needs to put words on the image: the OCR of card ``index`` of the photo
    (boxes in the flat card's pixels) and, when its outline is known, the flattened card's
    URL and the transform from card pixels to fractions of the photo."""
    reading = next((r for r in readings if r.get("card_index", 0) == index), None)
    outline = outline_of(card, index)
    data: dict[str, Any] = {
        "index": index,
        "cards_in_photo": len(readings),
        "ocr": reading.get("ocr") if reading else None,
        "doubts": dict(reading.get("doubts") or {}) if reading else {},
        "outline": None,
        "card_image": None,
    }
    if outline is not None:
        from cardscan.reading.geometry import card_to_fraction_matrix  # loads OpenCV

        matrix = card_to_fraction_matrix(outline)
        data["outline"] = {
            **outline.to_dict(),
            "to_photo": [round(float(v), 9) for v in matrix.ravel()],
        }
        data["card_image"] = card_image_url(card, index)
    return data


def card_json(
    card: Card,
    record: ContactRecord | None = None,
    *,
    readings: list[dict[str, Any]] | None = None,
    index: int | None = None,
) -> dict[str, Any]:
    """A card: status, photo and thumbnail links and, once read, its contact (``record``,
    read as card ``index`` of the photo) and confidences; with ``readings`` (the store's),
    the words read and where the card is."""
    if index is None:
        index = card_index_of(card, record)
    data: dict[str, Any] = {
        "id": card.id,
        "uuid": card.client_uuid,
        "status": card.status,
        "event": card.event_id,
        "error": card.error,
        "triaged": card.triaged,
        "created": _iso(card.created),
        "photo": url_for("api.card_photo", card_id=card.id),
        "thumb": thumb_url(card, index),
        "back": url_for("api.card_photo", card_id=card.id, side="back") if card.back else None,
        "contact_id": record.id if record else card.contact_id,
        "contact": record.contact.to_dict() if record else None,
        "confidence": (
            {k: round(float(v), 3) for k, v in record.contact.confidence.items()} if record else {}
        ),
    }
    if record:
        data["contact_record"] = contact_json(record)
    if readings is not None:
        data.update(_reading_json(card, readings, index))
        doubts = data.pop("doubts")
        if record:
            # The fields to check with the reading's reasons ("read from a logo"): the marks
            # are those of the contact as it is now (a corrected field is never marked).
            contact = replace(record.contact, doubts=doubts)
            data["check"] = [{"field": c.field, "reason": c.reason} for c in checks(contact)]
    return data


def touch_json(touch: Touch) -> dict[str, Any]:
    """A follow-up touch (``promise``: a reason's own touch, on the day it was promised)."""
    return {
        "id": touch.id,
        "contact_id": touch.contact_id,
        "kind": touch.kind,
        "title": touch.title,
        "due": _iso(touch.due),
        "when": _iso(touch.when),
        "status": touch.status,
        "promise": is_promise(touch),
    }


def summary_json(summary: TriageSummary) -> dict[str, Any]:
    """An event's triage in numbers."""
    return {**asdict(summary), "next_due": _iso(summary.next_due)}
