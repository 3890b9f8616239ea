"""Preferences: small per-user choices (the reason chips offered at capture), as JSON values."""

from __future__ import annotations

from typing import Any

from cardscan.store._base import Part, dumps, loads, writes


class Preferences(Part):
    """A user's preferences by name; a missing one gives the caller's default."""

    def get(self, user_id: int, name: str, default: Any = None) -> Any:
        """The user's preference ``name``, or ``default`` when never set."""
        row = self.db.execute(
            "select value_json from preferences where user_id = ? and name = ?", [user_id, name]
        ).fetchone()
        return loads(row[0]) if row else default

    @writes
    def set(self, user_id: int, name: str, value: Any) -> None:
        """Keep ``value`` (anything JSON can hold) as the user's preference ``name``.

        Raises:
            NotFoundError: no such user.
        """
        self._row("users", user_id, None, "user")
        self.db.execute(
            "insert or replace into preferences (user_id, name, value_json) values (?, ?, ?)",
            [user_id, name, dumps(value)],
        )
