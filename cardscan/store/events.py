"""Events: where cards were collected (name, place, first and last day)."""

from __future__ import annotations

from datetime import date

from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import Event
from cardscan.store._base import Part, Tables, now, to_date
from cardscan.store.rows import event_from_row
from cardscan.store.users import Users


class Events(Part):
    """A user's events."""

    def __init__(self, tables: Tables, *, users: Users) -> None:
        super().__init__(tables)
        self._users = users

    def add(
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
        self._users.get(user_id)
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
        return self.get(user_id, row_id)

    def all(self, user_id: int) -> list[Event]:
        """This user's events, the most recent first."""
        return [
            event_from_row(r)
            for r in self.db.query(
                "select * from events where user_id = ? order by start_date desc, id desc",
                [user_id],
            )
        ]

    def get(self, user_id: int, event_id: int) -> Event:
        """One of this user's events.

        Raises:
            NotFoundError: the user has no event with this id.
        """
        return event_from_row(self._row("events", event_id, user_id, "event"))

    def by_name(self, user_id: int, name: str) -> Event:
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
        return event_from_row(rows[0])
