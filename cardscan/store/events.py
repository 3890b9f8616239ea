"""Events: where cards were collected (name, place, first and last day)."""

from __future__ import annotations

from datetime import date
from typing import Any

from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import Event
from cardscan.store._base import StoreBase, now, to_date


def _event(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"],
        user_id=row["user_id"],
        name=row["name"],
        start=to_date(row["start_date"]),  # type: ignore[arg-type]
        end=to_date(row["end_date"]),  # type: ignore[arg-type]
        place=row["place"],
    )


class EventsMixin(StoreBase):
    """A user's events."""

    def add_event(
        self,
        user_id: int,
        name: str,
        start: date | str,
        end: date | str | None = None,
        place: str | None = None,
    ) -> Event:
        """Create an event.

        Args:
            user_id: the owner.
            name: unique among this user's events.
            start: the first day.
            end: the last day (default: the first day).
            place: where it is, free text.

        Returns:
            The new event.

        Raises:
            ValidationError: empty or taken name, a bad date, or the end before the start.
            NotFoundError: no such user.
        """
        self.get_user(user_id)  # type: ignore[attr-defined]
        name = (name or "").strip()
        if not name:
            raise ValidationError("an event needs a name, e.g. `cardscan event add 'Web Summit'`.")
        first = to_date(start, "start date")
        last = to_date(end, "end date") or first
        if first is None or last is None:
            raise ValidationError(f"event {name!r} needs a start date (YYYY-MM-DD).")
        if last < first:
            raise ValidationError(
                f"event {name!r} ends ({last}) before it starts ({first}): swap the dates."
            )
        with self.atomic():
            taken = self.db.execute(
                "select 1 from events where user_id = ? and name = ?", [user_id, name]
            ).fetchone()
            if taken:
                raise ValidationError(f"you already have an event named {name!r}: pick another.")
            row_id = self._insert(
                "events",
                {
                    "user_id": user_id,
                    "name": name,
                    "start_date": first.isoformat(),
                    "end_date": last.isoformat(),
                    "place": (place or "").strip() or None,
                    "created": now().isoformat(),
                },
            )
        return self.get_event(user_id, row_id)

    def events(self, user_id: int) -> list[Event]:
        """This user's events, the most recent first."""
        return [
            _event(r)
            for r in self.db.query(
                "select * from events where user_id = ? order by start_date desc, id desc",
                [user_id],
            )
        ]

    def get_event(self, user_id: int, event_id: int) -> Event:
        """One of this user's events.

        Raises:
            NotFoundError: the user has no event with this id.
        """
        return _event(self._row("events", event_id, user_id, "event"))

    def event_by_name(self, user_id: int, name: str) -> Event:
        """One of this user's events, by name.

        Raises:
            NotFoundError: the user has no event with this name.
        """
        rows = list(
            self.db.query(
                "select * from events where user_id = ? and name = ?",
                [user_id, (name or "").strip()],
            )
        )
        if not rows:
            raise NotFoundError(
                f"no event named {name!r}: see `cardscan events`, or create it with"
                f" `cardscan event add {name!r} --start YYYY-MM-DD`."
            )
        return _event(rows[0])
