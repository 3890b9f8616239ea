"""The user's own time: their time zone (an IANA name in their preferences), else the server's.

A follow-up due "today" is due on the user's day, not the server's: a server in UTC and a user
in Los Angeles disagree about the date for eight hours of every day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cardscan.errors import ValidationError
from cardscan.models import OutreachPrefs

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store


def zone(name: str) -> tzinfo:
    """The time zone with this IANA name ("" is the server's own).

    Raises:
        ValidationError: an unknown name.
    """
    if not name:
        return datetime.now().astimezone().tzinfo or UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{name[:60]!r} is not a time zone: give an IANA name like Europe/Lisbon or"
            " America/New_York."
        ) from None


def local_now(prefs: OutreachPrefs, now: datetime | None = None) -> datetime:
    """The time where the user is (their time zone, else the server's)."""
    return (now or datetime.now(UTC)).astimezone(zone(prefs.timezone))


def local_today(store: Store, user_id: int, now: datetime | None = None) -> date:
    """The user's own day: a follow-up due "today" is due on it."""
    return local_now(store.outreach.prefs(user_id), now).date()
