"""Events: where cards were collected (name, place, first and last day, default plan)."""

from __future__ import annotations

from datetime import date
from typing import Any

from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import Event
from cardscan.store._base import Part, now, one_line, to_date
from cardscan.store.rows import event_from_row

#: Longest event name (and place), in characters.
MAX_EVENT_NAME = 120


def _name(name: str | None) -> str:
    """An event's name on one line, checked.

    Raises:
        ValidationError: empty or longer than ``MAX_EVENT_NAME``.
    """
    return one_line(name, MAX_EVENT_NAME, what="an event name", example="Web Summit")


def _place(place: str | None) -> str | None:
    """Where an event is, on one line (None when not given).

    Raises:
        ValidationError: longer than ``MAX_EVENT_NAME``.
    """
    place = " ".join((place or "").split())
    if len(place) > MAX_EVENT_NAME:
        raise ValidationError(f"an event's place is at most {MAX_EVENT_NAME} characters.")
    return place or None


def _dates(name: str, start: date | str | None, end: date | str | None) -> tuple[date, date]:
    """An event's first and last day, checked (the last defaults to the first).

    Raises:
        ValidationError: no start, a bad date, or the end before the start.
    """
    first = to_date(start, "start date")
    last = to_date(end, "end date") or first
    if first is None or last is None:
        raise ValidationError(f"event {name!r} needs a start date (YYYY-MM-DD).")
    if last < first:
        raise ValidationError(
            f"event {name!r} ends ({last}) before it starts ({first}): swap the dates."
        )
    return first, last


def _columns(
    name: str, start: date | str, end: date | str | None, place: str | None, plan_id: int | None
) -> dict[str, Any]:
    """An event's columns from what was given, checked (see :func:`_name`, :func:`_place`
    and :func:`_dates`)."""
    name, place = _name(name), _place(place)
    first, last = _dates(name, start, end)
    return {
        "name": name,
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "place": place,
        "plan_id": plan_id,
    }


class Events(Part):
    """A user's events."""

    def add(
        self,
        user_id: int,
        name: str,
        start: date | str,
        end: date | str | None = None,
        place: str | None = None,
        plan_id: int | None = None,
    ) -> Event:
        """Create an event.

        Args:
            user_id: the owner.
            name: unique among this user's events.
            start: the first day.
            end: the last day (default: the first day).
            place: where it is, free text.
            plan_id: the plan its contacts get until one is chosen (None: the default plan).

        Returns:
            The new event.

        Raises:
            ValidationError: an empty, over-long or taken name, an over-long place, a bad
                date, or the end before the start.
            NotFoundError: no such user, or the plan is not this user's.
        """
        self._check_user(user_id)
        columns = _columns(name, start, end, place, plan_id)
        with self.atomic():
            self._check_others(user_id, None, columns)
            row_id = self._insert(
                "events", {"user_id": user_id, **columns, "created": now().isoformat()}
            )
        return self.get(user_id, row_id)

    def update(
        self,
        user_id: int,
        event_id: int,
        *,
        name: str,
        start: date | str,
        end: date | str | None = None,
        place: str | None = None,
        plan_id: int | None = None,
    ) -> Event:
        """Change an event's name, dates, place or default plan (see :meth:`add`).

        Its contacts' follow-ups are moved by ``FollowUps.edit_event``, which calls this.

        Raises:
            NotFoundError: the user has no such event, or the plan is not theirs.
            ValidationError: empty or taken name, a bad date, or the end before the start.
        """
        columns = _columns(name, start, end, place, plan_id)
        with self.atomic():
            self._row("events", event_id, user_id, "event")
            self._check_others(user_id, event_id, columns)
            self.db.table("events").update(event_id, columns)
        return self.get(user_id, event_id)

    def _check_others(self, user_id: int, event_id: int | None, columns: dict[str, Any]) -> None:
        """The name is free among the user's other events, and the plan is theirs.

        Raises:
            ValidationError: another event of the user has this name.
            NotFoundError: the plan is not this user's.
        """
        self._check_name_free("events", "an event", user_id, columns["name"], event_id)
        if columns["plan_id"] is not None:
            self._row("plans", columns["plan_id"], user_id, "plan")

    def delete(self, user_id: int, event_id: int) -> None:
        """Delete an event: its cards stay, without an event; its meetings go.

        Raises:
            NotFoundError: the user has no such event.
        """
        with self.atomic():
            self._row("events", event_id, user_id, "event")
            self.db.execute("delete from events where id = ?", [event_id])

    def running(self, user_id: int, day: date) -> Event | None:
        """The event running on ``day`` (the one that started last, if several)."""
        rows = list(
            self.db.query(
                "select * from events where user_id = ? and start_date <= ? and end_date >= ?"
                " order by start_date desc, id desc limit 1",
                [user_id, day.isoformat(), day.isoformat()],
            )
        )
        return event_from_row(rows[0]) if rows else None

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
