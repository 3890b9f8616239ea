"""Contacts: the fields read from a card (with confidences), corrections, reasons, dates, notes."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

import phonenumbers

from cardscan.errors import ValidationError
from cardscan.models import (
    CONTACT_FIELDS,
    Contact,
    ContactRecord,
    ImportantDate,
    Meeting,
    Phone,
    Reason,
)
from cardscan.store._base import StoreBase, dumps, loads, now, to_date, to_datetime, writes
from cardscan.store.cards import check_reason

#: Fields a user may edit; the extracted ones are tracked as corrections.
TEXT_FIELDS = ("name", "title", "company", "address", "notes")
LIST_FIELDS = ("emails", "websites", "socials")
EXTRACTED_FIELDS = (*CONTACT_FIELDS, "socials", "notes")
EDITABLE = (*EXTRACTED_FIELDS, "private_notes", "plan_id")
DATE_KINDS = ("birthday", "anniversary", "other")


def contact_columns(contact: Contact) -> dict[str, Any]:
    """The ``contacts`` columns for a ``Contact``'s fields."""
    return {
        "name": contact.name,
        "title": contact.title,
        "company": contact.company,
        "emails_json": dumps(list(contact.emails)),
        "phones_json": dumps([_phone_dict(p) for p in contact.phones]),
        "websites_json": dumps(list(contact.websites)),
        "socials_json": dumps(list(contact.socials)),
        "address": contact.address,
        "notes": contact.notes,
        "confidence_json": dumps({k: round(float(v), 4) for k, v in contact.confidence.items()}),
    }


def contact_from_row(row: dict[str, Any]) -> Contact:
    """The ``Contact`` held in a ``contacts`` row."""
    return Contact(
        name=row["name"],
        title=row["title"],
        company=row["company"],
        emails=loads(row["emails_json"], []),
        phones=[Phone(**p) for p in loads(row["phones_json"], [])],
        websites=loads(row["websites_json"], []),
        socials=loads(row["socials_json"], []),
        address=row["address"],
        notes=row["notes"],
        confidence=loads(row["confidence_json"], {}),
    )


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


def _phone_dict(phone: Phone | dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(phone, Phone):
        return {"number": phone.number, "e164": phone.e164, "kind": phone.kind}
    if isinstance(phone, dict):
        return _phone_dict(Phone(**phone))
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
        return [_phone_dict(p) for p in value]
    return list(value) if isinstance(value, list) else value


def _clean(name: str, value: Any) -> Any:
    """A user-given value for a field, checked and normalised."""
    if name in TEXT_FIELDS or name == "private_notes":
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"{name} must be text, got {value!r}.")
        text = (value or "").strip()
        return text or None
    if name in LIST_FIELDS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, Iterable):
            raise ValidationError(f"{name} must be a list of text, got {value!r}.")
        return [str(v).strip() for v in value if str(v).strip()]
    if name == "phones":
        if isinstance(value, (str, Phone, dict)):
            value = [value]
        return [Phone(**_phone_dict(p)) for p in value if _phone_dict(p)["number"]]
    if name == "plan_id":
        return None if value in (None, "") else int(value)
    raise ValidationError(f"{name!r} is not a contact field: editable are {', '.join(EDITABLE)}.")


def _reason(row: dict[str, Any]) -> Reason:
    return Reason(
        id=row["id"],
        contact_id=row["contact_id"],
        text=row["text"],
        kind=row["kind"],
        due=to_date(row["due"]),
        card_id=row["card_id"],
        event_id=row["event_id"],
        confirmed=bool(row["confirmed"]),
    )


def _date(row: dict[str, Any]) -> ImportantDate:
    return ImportantDate(
        id=row["id"],
        contact_id=row["contact_id"],
        kind=row["kind"],
        month=row["month"],
        day=row["day"],
        year=row["year"],
        label=row["label"],
    )


class ContactsMixin(StoreBase):
    """Contacts and what hangs off them."""

    def _insert_contact(
        self,
        user_id: int,
        contact: Contact,
        *,
        extracted: bool,
        card_id: int | None = None,
        card_index: int = 0,
    ) -> int:
        stamp = now().isoformat()
        row = contact_columns(contact)
        row.update(
            {
                "user_id": user_id,
                "extracted_json": dumps({f: field_value(contact, f) for f in EXTRACTED_FIELDS})
                if extracted
                else None,
                "card_id": card_id,
                "card_index": card_index,
                "created": stamp,
                "updated": stamp,
            }
        )
        return self._insert("contacts", row)

    def add_contact(
        self, user_id: int, contact: Contact, *, event_id: int | None = None
    ) -> ContactRecord:
        """Store a contact typed in by hand (not read from a card), met at an event if given.

        Raises:
            NotFoundError: no such user, or the event is not this user's.
        """
        self.get_user(user_id)  # type: ignore[attr-defined]
        with self.atomic():
            if event_id is not None:
                self._row("events", event_id, user_id, "event")
            contact_id = self._insert_contact(user_id, contact, extracted=False)
            if event_id is not None:
                self.db.table("meetings").insert(
                    {
                        "user_id": user_id,
                        "contact_id": contact_id,
                        "event_id": event_id,
                        "created": now().isoformat(),
                    }
                )
            self._after_contact_change(user_id, contact_id)
        return self.get_contact(user_id, contact_id)

    def _after_contact_change(self, user_id: int, contact_id: int) -> None:
        """Hook run in the same transaction after a contact is created (duplicates)."""

    def get_contact(self, user_id: int, contact_id: int) -> ContactRecord:
        """One of this user's contacts, with its meetings, reasons and important dates.

        Raises:
            NotFoundError: the user has no contact with this id.
        """
        return self._record(self._row("contacts", contact_id, user_id, "contact"))

    def _record(self, row: dict[str, Any]) -> ContactRecord:
        cid = row["id"]
        meetings = [
            Meeting(contact_id=m["contact_id"], event_id=m["event_id"], card_id=m["card_id"])
            for m in self.db.query(
                "select m.* from meetings m left join events e on e.id = m.event_id"
                " where m.contact_id = ? order by e.start_date, m.id",
                [cid],
            )
        ]
        reasons = [
            _reason(r)
            for r in self.db.query("select * from reasons where contact_id = ? order by id", [cid])
        ]
        dates = [
            _date(r)
            for r in self.db.query(
                "select * from important_dates where contact_id = ? order by month, day, id", [cid]
            )
        ]
        return ContactRecord(
            id=cid,
            user_id=row["user_id"],
            contact=contact_from_row(row),
            created=to_datetime(row["created"]),
            updated=to_datetime(row["updated"]),
            merged_into=row["merged_into"],
            plan_id=row["plan_id"],
            private_notes=row["private_notes"],
            card_id=row["card_id"],
            card_index=row["card_index"] or 0,
            triaged=bool(row["triaged"]),
            meetings=meetings,
            reasons=reasons,
            dates=dates,
        )

    def contacts(
        self, user_id: int, *, event_id: int | None = None, include_merged: bool = False
    ) -> list[ContactRecord]:
        """This user's contacts, oldest first; of one event (met there) if given.

        Merged-away contacts are left out unless ``include_merged``.
        """
        sql = "select c.* from contacts c where c.user_id = ?"
        params: list[Any] = [user_id]
        if event_id is not None:
            sql += (
                " and exists (select 1 from meetings m"
                " where m.contact_id = c.id and m.event_id = ?)"
            )
            params.append(event_id)
        if not include_merged:
            sql += " and c.merged_into is null"
        return [self._record(r) for r in self.db.query(sql + " order by c.id", params)]

    def update_contact(
        self, user_id: int, contact_id: int, changes: dict[str, Any]
    ) -> ContactRecord:
        """Edit a contact's fields; each change to an extracted field is kept as a correction.

        An edited field gets confidence 1 and counts as user-corrected (it wins in a merge).

        Args:
            user_id: the owner.
            contact_id: the contact.
            changes: field name -> new value (lists for emails, phones, websites, socials).

        Returns:
            The updated contact.

        Raises:
            ValidationError: an unknown field or a value of the wrong kind.
            NotFoundError: the user has no contact with this id.
        """
        cleaned = {name: _clean(name, value) for name, value in changes.items()}
        with self.atomic():
            row = self._row("contacts", contact_id, user_id, "contact")
            if cleaned.get("plan_id") is not None:
                self._row("plans", cleaned["plan_id"], user_id, "plan")
            current = contact_from_row(row)
            extracted = loads(row["extracted_json"], {})
            corrected = set(loads(row["corrected_fields_json"], []))
            confidence = dict(current.confidence)
            stamp = now().isoformat()
            event_id = self._contact_event(row)
            for name, value in cleaned.items():
                if name in ("private_notes", "plan_id"):
                    continue
                before = field_value(current, name)
                setattr(current, name, value)
                after = field_value(current, name)
                if after == before:
                    continue
                confidence[name] = 1.0
                corrected.add(name)
                self.db.table("corrections").insert(
                    {
                        "user_id": user_id,
                        "contact_id": contact_id,
                        "card_id": row["card_id"],
                        "event_id": event_id,
                        "field": name,
                        "ocr_value": dumps(extracted.get(name)) if row["extracted_json"] else None,
                        "final_value": dumps(after),
                        "corrected": stamp,
                    }
                )
            current.confidence = confidence
            update = contact_columns(current)
            update.update({"corrected_fields_json": dumps(sorted(corrected)), "updated": stamp})
            for name in ("private_notes", "plan_id"):
                if name in cleaned:
                    update[name] = cleaned[name]
            self.db.table("contacts").update(contact_id, update)
        return self.get_contact(user_id, contact_id)

    def _contact_event(self, row: dict[str, Any]) -> int | None:
        """The event a contact was read at (its card's event)."""
        if row["card_id"] is None:
            return None
        found = self.db.execute(
            "select event_id from cards where id = ?", [row["card_id"]]
        ).fetchone()
        return found[0] if found else None

    def set_private_notes(self, user_id: int, contact_id: int, text: str | None) -> ContactRecord:
        """Replace the user's private notes on a contact."""
        return self.update_contact(user_id, contact_id, {"private_notes": text})

    # --- reasons ----------------------------------------------------------------------------

    @writes
    def add_reason(
        self,
        user_id: int,
        contact_id: int,
        text: str,
        kind: str = "other",
        due: date | str | None = None,
        card_id: int | None = None,
        event_id: int | None = None,
    ) -> Reason:
        """Add a reason to follow up with a contact.

        Raises:
            ValidationError: empty text, an unknown kind or a bad date.
            NotFoundError: the contact, card or event is not this user's.
        """
        text, kind = check_reason(text, kind)
        self._row("contacts", contact_id, user_id, "contact")
        if card_id is not None:
            self._row("cards", card_id, user_id, "card")
        if event_id is not None:
            self._row("events", event_id, user_id, "event")
        due_date = to_date(due, "due date")
        reason_id = self._insert(
            "reasons",
            {
                "user_id": user_id,
                "contact_id": contact_id,
                "card_id": card_id,
                "event_id": event_id,
                "text": text,
                "kind": kind,
                "due": due_date.isoformat() if due_date else None,
                "confirmed": 0,
                "created": now().isoformat(),
            },
        )
        return _reason(self._row("reasons", reason_id, user_id, "reason"))

    def get_reason(self, user_id: int, reason_id: int) -> Reason:
        """One of this user's reasons.

        Raises:
            NotFoundError: the user has no reason with this id.
        """
        return _reason(self._row("reasons", reason_id, user_id, "reason"))

    _UNSET: Any = object()

    @writes
    def update_reason(
        self,
        user_id: int,
        reason_id: int,
        *,
        text: str | None = None,
        kind: str | None = None,
        due: Any = _UNSET,
        confirmed: bool | None = None,
    ) -> Reason:
        """Change a reason's text, kind, due date (None clears it) or confirmation.

        Raises:
            ValidationError: empty text, an unknown kind or a bad date.
            NotFoundError: the user has no reason with this id.
        """
        row = self._row("reasons", reason_id, user_id, "reason")
        new_text, new_kind = check_reason(
            row["text"] if text is None else text, row["kind"] if kind is None else kind
        )
        update: dict[str, Any] = {"text": new_text, "kind": new_kind}
        if due is not self._UNSET:
            due_date = to_date(due, "due date")
            update["due"] = due_date.isoformat() if due_date else None
        if confirmed is not None:
            update["confirmed"] = int(confirmed)
        self.db.table("reasons").update(reason_id, update)
        return self.get_reason(user_id, reason_id)

    @writes
    def delete_reason(self, user_id: int, reason_id: int) -> None:
        """Delete one of this user's reasons.

        Raises:
            NotFoundError: the user has no reason with this id.
        """
        self._row("reasons", reason_id, user_id, "reason")
        self.db.table("reasons").delete(reason_id)

    # --- important dates --------------------------------------------------------------------

    @writes
    def add_important_date(
        self,
        user_id: int,
        contact_id: int,
        kind: str,
        month: int,
        day: int,
        year: int | None = None,
        label: str | None = None,
    ) -> ImportantDate:
        """Remember a yearly date for a contact (birthday, anniversary).

        Raises:
            ValidationError: an unknown kind or a day that does not exist.
            NotFoundError: the user has no contact with this id.
        """
        if kind not in DATE_KINDS:
            raise ValidationError(
                f"date kind {kind!r} is unknown: use one of {', '.join(DATE_KINDS)}."
            )
        try:
            date(year or 2000, int(month), int(day))  # 2000 is a leap year: 29 Feb is fine
        except (ValueError, TypeError, OverflowError) as e:  # Overflow: a 20-digit year
            month_name = (
                calendar.month_name[month] if isinstance(month, int) and 1 <= month <= 12 else month
            )
            raise ValidationError(
                f"{month_name} {day} is not a day of the year: check the date."
            ) from e
        self._row("contacts", contact_id, user_id, "contact")
        date_id = self._insert(
            "important_dates",
            {
                "user_id": user_id,
                "contact_id": contact_id,
                "kind": kind,
                "month": int(month),
                "day": int(day),
                "year": year,
                "label": (label or "").strip() or None,
            },
        )
        return _date(self._row("important_dates", date_id, user_id, "important date"))

    @writes
    def delete_important_date(self, user_id: int, date_id: int) -> None:
        """Forget one of this user's important dates.

        Raises:
            NotFoundError: the user has no important date with this id.
        """
        self._row("important_dates", date_id, user_id, "important date")
        self.db.table("important_dates").delete(date_id)

    # --- corrections ------------------------------------------------------------------------

    def corrections(self, user_id: int, contact_id: int) -> list[dict[str, Any]]:
        """Every edit of a contact's extracted fields: field, ocr_value, final_value, corrected."""
        self._row("contacts", contact_id, user_id, "contact")
        rows = self.db.query(
            "select id, field, ocr_value, final_value, corrected from corrections"
            " where contact_id = ? order by id",
            [contact_id],
        )
        return [
            {**r, "ocr_value": loads(r["ocr_value"]), "final_value": loads(r["final_value"])}
            for r in rows
        ]

    def corrections_report(self, user_id: int, event_id: int | None = None) -> dict[str, dict]:
        """How often each extracted field needed fixing, for all cards or one event's.

        Returns:
            field -> {"cards": contacts read by OCR, "corrected": how many of them had the
            field fixed, "edits": edits in all, "rate": corrected / cards}.

        Raises:
            NotFoundError: the event is not this user's.
        """
        where, params = "c.user_id = ? and c.extracted_json is not null", [user_id]
        if event_id is not None:
            self._row("events", event_id, user_id, "event")
            where += " and c.card_id in (select id from cards where event_id = ?)"
            params.append(event_id)
        read = self.db.execute(f"select count(*) from contacts c where {where}", params).fetchone()[
            0
        ]
        counts = {
            r["field"]: r
            for r in self.db.query(
                "select x.field, count(distinct x.contact_id) as corrected, count(*) as edits"
                f" from corrections x join contacts c on c.id = x.contact_id where {where}"
                " group by x.field",
                params,
            )
        }
        report: dict[str, dict] = {}
        for name in EXTRACTED_FIELDS:
            row = counts.get(name, {"corrected": 0, "edits": 0})
            report[name] = {
                "cards": read,
                "corrected": row["corrected"],
                "edits": row["edits"],
                "rate": round(row["corrected"] / read, 3) if read else 0.0,
            }
        return report
