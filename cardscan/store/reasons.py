"""Reasons to follow up with a contact, and the yearly dates worth remembering about one."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from cardscan.errors import ValidationError
from cardscan.models import REASON_KINDS, ImportantDate, Reason
from cardscan.store._base import Part, now, one_line, to_date, writes
from cardscan.store.rows import date_from_row, reason_from_row

DATE_KINDS = ("birthday", "anniversary", "other")
#: Longest reason, in characters.
MAX_REASON_CHARS = 200
#: Most reasons given with one capture.
MAX_CAPTURE_REASONS = 5


def check_reason(text: str, kind: str) -> tuple[str, str]:
    """A reason's text (spaces squeezed) and kind, checked: the one place reasons are validated.

    Raises:
        ValidationError: empty or over-long text, or an unknown kind.
    """
    text = one_line(text, MAX_REASON_CHARS, what="a reason", example="send deck")
    kind = (kind or "other").strip()
    if kind not in REASON_KINDS:
        raise ValidationError(
            f"reason kind {kind[:40]!r} is unknown: use one of {', '.join(REASON_KINDS)}."
        )
    return text, kind


class Reasons(Part):
    """Why to follow up: "send deck", "intro"; with a due date when one was promised."""

    @writes
    def add(
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
        return reason_from_row(self._row("reasons", reason_id, user_id, "reason"))

    def get(self, user_id: int, reason_id: int) -> Reason:
        """One of this user's reasons.

        Raises:
            NotFoundError: the user has no reason with this id.
        """
        return reason_from_row(self._row("reasons", reason_id, user_id, "reason"))

    _UNSET: Any = object()

    @writes
    def update(
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
        return self.get(user_id, reason_id)

    @writes
    def delete(self, user_id: int, reason_id: int) -> None:
        """Delete one of this user's reasons.

        Raises:
            NotFoundError: the user has no reason with this id.
        """
        self._row("reasons", reason_id, user_id, "reason")
        self.db.table("reasons").delete(reason_id)


class ImportantDates(Part):
    """Birthdays, anniversaries: a day of the year (and maybe the year) per contact."""

    @writes
    def add(
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
        return date_from_row(self._row("important_dates", date_id, user_id, "important date"))

    @writes
    def delete(self, user_id: int, date_id: int) -> None:
        """Forget one of this user's important dates.

        Raises:
            NotFoundError: the user has no important date with this id.
        """
        self._row("important_dates", date_id, user_id, "important date")
        self.db.table("important_dates").delete(date_id)
