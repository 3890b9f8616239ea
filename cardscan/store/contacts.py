"""Contacts: the fields read from a card (with confidences), corrections, notes, search.

Full-text search (SQLite FTS5) covers names, companies, titles, e-mails, notes and reasons:
``contacts_fts`` is kept in sync by triggers on ``contacts`` and ``reasons`` (migration
0002), so every write path keeps it current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cardscan.dedupe import fold
from cardscan.errors import ValidationError
from cardscan.models import CONTACT_FIELDS, Contact, ContactRecord, Meeting, Phone
from cardscan.store._base import Part, dumps, loads, now
from cardscan.store.rows import (
    contact_columns,
    contact_from_row,
    date_from_row,
    field_value,
    phone_dict,
    reason_from_row,
    record_from_row,
)

#: Fields a user may edit; the extracted ones are tracked as corrections.
TEXT_FIELDS = ("name", "title", "company", "address", "notes")
LIST_FIELDS = ("emails", "websites", "socials")
EXTRACTED_FIELDS = (*CONTACT_FIELDS, "socials", "notes")
EDITABLE = (*EXTRACTED_FIELDS, "private_notes", "plan_id")
#: Longest text field, list item and private notes, in characters.
MAX_TEXT_CHARS = 2000
MAX_ITEM_CHARS = 500
MAX_NOTES_CHARS = 10_000
#: Most results a search returns.
SEARCH_LIMIT = 200


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word must match, as a prefix ("ana ru" finds Ana Ruiz)."""
    words = fold(text).replace('"', " ").split()
    return " ".join(f'"{w}"*' for w in words)


def _text(name: str, value: Any) -> str | None:
    """A text field's value: spaces squeezed (line breaks kept in an address and private
    notes), None when empty."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{name} must be text, got {value!r}.")
    text = value or ""
    text = text.strip() if name in ("address", "private_notes") else " ".join(text.split())
    limit = MAX_NOTES_CHARS if name == "private_notes" else MAX_TEXT_CHARS
    if len(text) > limit:
        raise ValidationError(
            f"{name.replace('_', ' ')}: {len(text):,} characters is too long;"
            f" keep it under {limit:,}."
        )
    return text or None


def _items(name: str, values: Iterable[Any]) -> list[str]:
    """A list field's values, stripped, the empty ones dropped."""
    out = [str(v).strip() for v in values if str(v).strip()]
    for value in out:
        if len(value) > MAX_ITEM_CHARS:
            raise ValidationError(f"a value of {name} is too long ({len(value)} characters).")
    return out


def _clean(name: str, value: Any, fields: Sequence[str] = EDITABLE) -> Any:
    """A user-given value for a field, checked and normalised: the one place contact
    changes are validated.

    Raises:
        ValidationError: a field not in ``fields``, a value of the wrong kind, or too long.
    """
    if name not in fields:
        raise ValidationError(
            f"{name[:40]!r} is not a contact field: editable are {', '.join(fields)}."
        )
    if name in TEXT_FIELDS or name == "private_notes":
        return _text(name, value)
    if name in LIST_FIELDS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, Iterable):
            raise ValidationError(f"{name} must be a list of text, got {value!r}.")
        return _items(name, value)
    if name == "phones":
        if isinstance(value, (str, Phone, dict)):
            value = [value]
        phones = [Phone(**phone_dict(p)) for p in value if phone_dict(p)["number"]]
        _items(name, [p.number for p in phones])
        return phones
    return None if value in (None, "") else int(value)  # plan_id


class Contacts(Part):
    """Contacts and what hangs off them."""

    def insert(
        self,
        user_id: int,
        contact: Contact,
        *,
        extracted: bool,
        card_id: int | None = None,
        card_index: int = 0,
    ) -> int:
        """Insert a contact row (read from card ``card_id`` when ``extracted``); its id.

        Only the row: offering likely duplicates is for whoever creates the contact
        (``Duplicates.offer``).
        """
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

    def add(self, user_id: int, contact: Contact, *, event_id: int | None = None) -> ContactRecord:
        """Store a contact typed in by hand (not read from a card), met at an event if given.

        Raises:
            NotFoundError: no such user, or the event is not this user's.
        """
        self._check_user(user_id)
        with self.atomic():
            if event_id is not None:
                self._row("events", event_id, user_id, "event")
            contact_id = self.insert(user_id, contact, extracted=False)
            if event_id is not None:
                self.db.table("meetings").insert(
                    {
                        "user_id": user_id,
                        "contact_id": contact_id,
                        "event_id": event_id,
                        "created": now().isoformat(),
                    }
                )
        return self.get(user_id, contact_id)

    def get(self, user_id: int, contact_id: int) -> ContactRecord:
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
            reason_from_row(r)
            for r in self.db.query("select * from reasons where contact_id = ? order by id", [cid])
        ]
        dates = [
            date_from_row(r)
            for r in self.db.query(
                "select * from important_dates where contact_id = ? order by month, day, id", [cid]
            )
        ]
        return record_from_row(row, meetings, reasons, dates)

    def all(
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

    def update(
        self,
        user_id: int,
        contact_id: int,
        changes: dict[str, Any],
        *,
        fields: Sequence[str] = EDITABLE,
    ) -> ContactRecord:
        """Edit a contact's fields; each change to an extracted field is kept as a correction.

        An edited field gets confidence 1 and counts as user-corrected (it wins in a merge).

        Args:
            user_id: the owner.
            contact_id: the contact.
            changes: field name -> new value (lists for emails, phones, websites, socials).
            fields: the fields this change may touch (default: every editable one).

        Returns:
            The updated contact.

        Raises:
            ValidationError: a field not in ``fields``, a value of the wrong kind, or too long.
            NotFoundError: the user has no contact with this id.
        """
        cleaned = {name: _clean(name, value, fields) for name, value in changes.items()}
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
        return self.get(user_id, contact_id)

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
        return self.update(user_id, contact_id, {"private_notes": text})

    def search(self, user_id: int, text: str) -> list[ContactRecord]:
        """This user's contacts matching every word of ``text``, best match first.

        Merged-away contacts are left out (their text lives on in the kept contact).
        """
        query = fts_query(text)
        if not query:
            return []
        rows = self.db.query(
            "select c.* from contacts_fts f join contacts c on c.id = f.rowid"
            " where contacts_fts match ? and c.user_id = ? and c.merged_into is null"
            " order by bm25(contacts_fts), c.id limit ?",
            [query, user_id, SEARCH_LIMIT],
        )
        return [self._record(r) for r in rows]

    def many(self, user_id: int, contact_ids: Iterable[int]) -> dict[int, ContactRecord]:
        """Many contacts at once (four queries, not four per contact), for the calendar feed.

        Returns the same records as ``get``; ids the user does not have are left out.
        """
        wanted = sorted(set(contact_ids))
        if not wanted:
            return {}
        keep = set(wanted)
        query = "select * from contacts where user_id = ? order by id"
        rows = [r for r in self.db.query(query, [user_id]) if r["id"] in keep]
        records: dict[int, ContactRecord] = {}
        for row in rows:
            records[row["id"]] = record_from_row(row)
        for m in self.db.query(
            "select m.* from meetings m left join events e on e.id = m.event_id"
            " where m.user_id = ? order by e.start_date, m.id",
            [user_id],
        ):
            if m["contact_id"] in records:
                meeting = Meeting(m["contact_id"], m["event_id"], m["card_id"])
                records[m["contact_id"]].meetings.append(meeting)
        for r in self.db.query("select * from reasons where user_id = ? order by id", [user_id]):
            if r["contact_id"] in records:
                records[r["contact_id"]].reasons.append(reason_from_row(r))
        for d in self.db.query(
            "select * from important_dates where user_id = ? order by month, day, id", [user_id]
        ):
            if d["contact_id"] in records:
                records[d["contact_id"]].dates.append(date_from_row(d))
        return records

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
