"""Rows to values and back: how each stored table maps to the typed values in ``models``.

Pure functions, no SQL: every part of the store (and a test that reads a table itself)
turns rows into values the same way.
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from cardscan.models import (
    Card,
    CardOutline,
    CardReading,
    Contact,
    ContactRecord,
    Event,
    ImportantDate,
    Meeting,
    OcrResult,
    Phone,
    Plan,
    PlanStep,
    Reason,
    Touch,
    User,
)
from cardscan.store._base import dumps, loads, to_date, to_datetime


def _same(row: dict[str, Any], *names: str) -> dict[str, Any]:
    """The columns that go into the value's fields of the same names as they are."""
    return {name: row[name] for name in names}


def user_from_row(row: dict[str, Any]) -> User:
    """A ``User`` from a ``users`` row."""
    return User(
        **_same(row, "id", "name", "session_epoch"),
        created=to_datetime(row["created"]),  # type: ignore[arg-type]
    )


def event_from_row(row: dict[str, Any]) -> Event:
    """An ``Event`` from an ``events`` row."""
    return Event(
        **_same(row, "id", "user_id", "name", "place"),
        start=to_date(row["start_date"]),  # type: ignore[arg-type]
        end=to_date(row["end_date"]),  # type: ignore[arg-type]
        plan_id=row.get("plan_id"),
    )


def card_from_row(row: dict[str, Any]) -> Card:
    """A ``Card`` from a ``cards`` row."""
    readings = loads(row["ocr_json"], [])
    ocr = OcrResult.from_dict(readings[0]["ocr"]) if readings and readings[0].get("ocr") else None
    outlines: list[CardOutline | None] = []
    for reading in readings:
        index = int(reading.get("card_index", len(outlines)))
        if not 0 <= index < 100:  # a photo never holds that many cards
            continue
        outlines.extend([None] * (index + 1 - len(outlines)))
        outlines[index] = CardOutline.from_dict(reading.get("outline"))
    return Card(
        **_same(row, "id", "user_id", "status", "event_id", "contact_id", "client_uuid"),
        **_same(row, "engine", "error", "tries", "turn"),
        front=row["front_photo"],
        back=row["back_photo"],
        created=to_datetime(row["created"]),
        ocr=ocr,
        triaged=bool(row["triaged"]),
        outlines=tuple(outlines),
    )


def contact_columns(contact: Contact) -> dict[str, Any]:
    """The ``contacts`` columns for a ``Contact``'s fields."""
    return {
        "name": contact.name,
        "title": contact.title,
        "company": contact.company,
        "emails_json": dumps(list(contact.emails)),
        "phones_json": dumps([phone_dict(p) for p in contact.phones]),
        "websites_json": dumps(list(contact.websites)),
        "socials_json": dumps(list(contact.socials)),
        "address": contact.address,
        "notes": contact.notes,
        "confidence_json": dumps({k: round(float(v), 4) for k, v in contact.confidence.items()}),
    }


def contact_from_row(row: dict[str, Any]) -> Contact:
    """The ``Contact`` held in a ``contacts`` row."""
    return Contact(
        **_same(row, "name", "title", "company", "address", "notes"),
        emails=loads(row["emails_json"], []),
        phones=[Phone(**p) for p in loads(row["phones_json"], [])],
        websites=loads(row["websites_json"], []),
        socials=loads(row["socials_json"], []),
        confidence=loads(row["confidence_json"], {}),
    )


def record_from_row(
    row: dict[str, Any],
    meetings: list[Meeting] | None = None,
    reasons: list[Reason] | None = None,
    dates: list[ImportantDate] | None = None,
) -> ContactRecord:
    """A ``ContactRecord`` from a ``contacts`` row and what hangs off it (read separately)."""
    return ContactRecord(
        **_same(row, "id", "user_id", "merged_into", "plan_id", "private_notes", "card_id"),
        contact=contact_from_row(row),
        created=to_datetime(row["created"]),
        updated=to_datetime(row["updated"]),
        card_index=row["card_index"] or 0,
        triaged=bool(row["triaged"]),
        meetings=meetings if meetings is not None else [],
        reasons=reasons if reasons is not None else [],
        dates=dates if dates is not None else [],
    )


def phone_dict(phone: Phone | dict[str, Any] | str) -> dict[str, Any]:
    """A phone as stored: number, E.164 (when the number is valid) and kind."""
    if isinstance(phone, Phone):
        return {"number": phone.number, "e164": phone.e164, "kind": phone.kind}
    if isinstance(phone, dict):
        return phone_dict(Phone(**phone))
    text = str(phone).strip()
    e164 = None
    try:
        parsed = phonenumbers.parse(text, None)
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return {"number": text, "e164": e164, "kind": "other"}


def field_value(contact: Contact, name: str) -> Any:
    """A field of a contact as JSON-ready data (phones as dicts)."""
    value = getattr(contact, name)
    if name == "phones":
        return [phone_dict(p) for p in value]
    return list(value) if isinstance(value, list) else value


def contact_dict(record: ContactRecord) -> dict[str, Any]:
    """A stored contact as a JSON-ready dict: id, the fields, confidence, meetings, reasons."""
    return {
        "id": record.id,
        **record.contact.to_dict(),
        "confidence": dict(record.contact.confidence),
        "merged_into": record.merged_into,
        "meetings": [{"event_id": m.event_id, "card_id": m.card_id} for m in record.meetings],
        "reasons": [
            {
                "id": r.id,
                "text": r.text,
                "kind": r.kind,
                "due": r.due.isoformat() if r.due else None,
            }
            for r in record.reasons
        ],
        "created": record.created.isoformat() if record.created else None,
    }


def reason_from_row(row: dict[str, Any]) -> Reason:
    """A ``Reason`` from a ``reasons`` row."""
    return Reason(
        **_same(row, "id", "contact_id", "text", "kind", "card_id", "event_id"),
        due=to_date(row["due"]),
        confirmed=bool(row["confirmed"]),
    )


def date_from_row(row: dict[str, Any]) -> ImportantDate:
    """An ``ImportantDate`` from an ``important_dates`` row."""
    return ImportantDate(**_same(row, "id", "contact_id", "kind", "month", "day", "year", "label"))


def plan_from_row(row: dict[str, Any]) -> Plan:
    """A ``Plan`` from a ``plans`` row."""
    return Plan(
        **_same(row, "id", "user_id", "name"),
        steps=tuple(
            PlanStep(s["kind"], s["label"], int(s["offset_days"]), int(s.get("months", 0)))
            for s in loads(row["steps_json"], [])
        ),
        is_default=bool(row["is_default"]),
    )


def touch_from_row(row: dict[str, Any]) -> Touch:
    """A ``Touch`` from a ``touches`` row."""
    return Touch(
        **_same(row, "id", "user_id", "contact_id", "kind", "title", "status", "sequence", "step"),
        due=to_date(row["due"]),  # type: ignore[arg-type]
        snoozed_until=to_date(row["snoozed_until"]),
        created=to_datetime(row["created"]),
        updated=to_datetime(row["updated"]),
        closed_by=row.get("closed_by"),
    )


def reading_json(reading: CardReading) -> dict[str, Any]:
    """What is kept of one reading in ``cards.ocr_json``: OCR with word boxes, QR codes, and
    (when the pipeline gives them) where the card is in the photo and what the back read."""
    data: dict[str, Any] = {
        "card_index": reading.card_index,
        "ocr": reading.ocr.to_dict(),
        "qr": [{"data": q.data, "kind": q.kind} for q in reading.qr],
        "seconds": round(reading.seconds, 3),
    }
    if reading.contact.doubts:
        data["doubts"] = dict(reading.contact.doubts)  # why fields may be wrong, for triage
    if reading.box is not None:
        box = reading.box
        data["box"] = [box.x, box.y, box.w, box.h]
    if reading.detection:
        data["detection"] = reading.detection
    if reading.back_ocr is not None:
        data["back_ocr"] = reading.back_ocr.to_dict()
    outline = reading.outline()
    if outline is not None:
        data["outline"] = outline.to_dict()
    return data
