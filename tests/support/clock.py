"""A time zone that is on another day than the server, for tests of "the user's own day"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def zone_on_another_day() -> tuple[str, date]:
    """A time zone whose date is not the server's today at this moment, and that date: at any
    hour one of UTC+14 and UTC-12 is on another day than the server."""
    now = datetime.now(UTC)
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        if (day := now.astimezone(ZoneInfo(name)).date()) != date.today():
            return name, day
    raise AssertionError("the server's own zone is UTC+14 or UTC-12: no zone is another day")
