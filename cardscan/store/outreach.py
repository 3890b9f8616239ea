"""Reaching the user (migration 0011): ``store.outreach`` (draft and digest preferences,
own templates), ``store.digests`` (runs claimed once a day), ``store.links`` (one-click links
used) and ``store.acts`` (one-tap acts on touches, for undo and history). SQL for them lives
only here; the rules are in ``cardscan.outreach``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import DigestRun, OutreachPrefs, TouchAct
from cardscan.store._base import Part, dumps, loads, to_date, to_datetime, writes

#: A digest still "sending" this long after its claim was cut off (the server stopped):
#: it is marked failed and not sent again, since it may have gone out.
STALE_SENDING = timedelta(minutes=30)


def _prefs(row: dict[str, Any]) -> OutreachPrefs:
    return OutreachPrefs(**{f.name: row[f.name] for f in fields(OutreachPrefs)})


def _run(row: dict[str, Any]) -> DigestRun:
    return DigestRun(
        id=row["id"],
        user_id=row["user_id"],
        day=to_date(row["day"]),  # type: ignore[arg-type]
        status=row["status"],
        attempts=row["attempts"],
        touches=row["touches"],
        error=row["error"],
        claimed=to_datetime(row["claimed"]),
        finished=to_datetime(row["finished"]),
        retry_after=to_datetime(row["retry_after"]),
    )


def _act(row: dict[str, Any]) -> TouchAct:
    return TouchAct(
        id=row["id"],
        user_id=row["user_id"],
        touch_id=row["touch_id"],
        contact_id=row["contact_id"],
        action=row["action"],
        via=row["via"],
        before=loads(row["before_json"], {}),
        sequence=row["sequence"],
        made=tuple(loads(row["made_json"], [])),
        created=to_datetime(row["created"]),
        undone=to_datetime(row["undone"]),
    )


class Outreach(Part):
    """A user's draft and digest preferences, and own templates."""

    def prefs(self, user_id: int) -> OutreachPrefs:
        """The user's draft and digest preferences (the defaults until saved)."""
        rows = list(self.db.query("select * from outreach_prefs where user_id = ?", [user_id]))
        return _prefs(rows[0]) if rows else OutreachPrefs(user_id=user_id)

    @writes
    def save_prefs(self, prefs: OutreachPrefs) -> OutreachPrefs:
        """Store the user's preferences (checked by ``cardscan.outreach.prefs`` first).

        Raises:
            NotFoundError: no such user.
        """
        self.tables.row("users", prefs.user_id, None, "user")
        self.db.table("outreach_prefs").upsert(asdict(prefs), pk="user_id")
        return self.prefs(prefs.user_id)

    def recipients(self) -> list[OutreachPrefs]:
        """The preferences of every user with an e-mail address and the digest not off,
        by user name."""
        rows = self.db.query(
            "select p.* from outreach_prefs p join users u on u.id = p.user_id"
            " where p.email is not null and p.email != '' and p.digest != 'off' order by u.name"
        )
        return [_prefs(r) for r in rows]

    def templates(self, user_id: int) -> dict[str, tuple[str, str]]:
        """The user's own templates: kind -> (subject, body). Kinds not here use the defaults."""
        rows = self.db.query(
            "select kind, subject, body from draft_templates where user_id = ?", [user_id]
        )
        return {r["kind"]: (r["subject"], r["body"]) for r in rows}

    @writes
    def save_template(
        self, user_id: int, kind: str, subject: str, body: str, *, now: datetime
    ) -> None:
        """Keep the user's own template for a kind (replacing the one before)."""
        self.tables.row("users", user_id, None, "user")
        self.db.table("draft_templates").upsert(
            {
                "user_id": user_id,
                "kind": kind,
                "subject": subject,
                "body": body,
                "updated": now.isoformat(),
            },
            pk=("user_id", "kind"),
        )

    @writes
    def reset_template(self, user_id: int, kind: str) -> None:
        """Forget the user's own template for a kind (the default is used again)."""
        self.db.execute(
            "delete from draft_templates where user_id = ? and kind = ?", [user_id, kind]
        )


class Digests(Part):
    """Digest runs: one a user and local day, claimed before sending."""

    @writes
    def claim(self, user_id: int, day: date, now: datetime) -> DigestRun | None:
        """Claim the user's digest for a local day, in one transaction, before sending it.

        The first claim of a day wins; a failed run whose retry time has come may be claimed
        again. Anything else (sent, empty, being sent, failed for good) gives None. A run
        left "sending" longer than :data:`STALE_SENDING` (its server stopped mid-send) is
        marked failed and never retried: it may have gone out, and one digest a day is the
        promise.

        Returns:
            The claimed run (status "sending"), or None when this day's digest is not ours.
        """
        rows = list(
            self.db.query(
                "select * from digests where user_id = ? and day = ?", [user_id, day.isoformat()]
            )
        )
        if not rows:
            run_id = self.tables.insert(
                "digests",
                {
                    "user_id": user_id,
                    "day": day.isoformat(),
                    "status": "sending",
                    "attempts": 1,
                    "claimed": now.isoformat(),
                },
            )
            return _run(self.tables.row("digests", run_id, None, "digest"))
        run = _run(rows[0])
        if run.status == "failed" and run.retry_after is not None and run.retry_after <= now:
            self.db.table("digests").update(
                run.id,
                {"status": "sending", "attempts": run.attempts + 1, "claimed": now.isoformat()},
            )
            return _run(self.tables.row("digests", run.id, None, "digest"))
        if run.status == "sending" and run.claimed and now - run.claimed > STALE_SENDING:
            self.db.table("digests").update(
                run.id,
                {
                    "status": "failed",
                    "error": "the server stopped while sending; not sent again in case it went out",
                    "finished": now.isoformat(),
                    "retry_after": None,
                },
            )
        return None

    @writes
    def finish(
        self,
        run_id: int,
        status: str,
        now: datetime,
        *,
        touches: int = 0,
        error: str | None = None,
        retry_after: datetime | None = None,
    ) -> DigestRun:
        """Record how a claimed digest run ended: sent, empty or failed (maybe to retry).

        Raises:
            ValidationError: an unknown status.
        """
        if status not in ("sent", "failed", "empty"):
            raise ValidationError(f"a digest run ends sent, failed or empty, not {status!r}.")
        self.db.table("digests").update(
            run_id,
            {
                "status": status,
                "touches": touches,
                "error": error,
                "finished": now.isoformat(),
                "retry_after": retry_after.isoformat() if retry_after else None,
            },
        )
        return _run(self.tables.row("digests", run_id, None, "digest"))

    def last(self, user_id: int) -> DigestRun | None:
        """The user's most recent digest run, or None."""
        rows = list(
            self.db.query(
                "select * from digests where user_id = ? order by day desc, id desc limit 1",
                [user_id],
            )
        )
        return _run(rows[0]) if rows else None


class UsedLinks(Part):
    """The one-click links used, by their id: each acts once."""

    @writes
    def use(
        self, link_id: str, user_id: int, touch_id: int, action: str, now: datetime
    ) -> datetime | None:
        """Record a one-click link as used.

        Returns:
            None when this call used it; when it was used before, the time it was.
        """
        rows = list(self.db.query("select used from used_links where link_id = ?", [link_id]))
        if rows:
            return to_datetime(rows[0]["used"])
        self.db.table("used_links").insert(
            {
                "link_id": link_id,
                "user_id": user_id,
                "touch_id": touch_id,
                "action": action,
                "used": now.isoformat(),
            }
        )
        return None

    def used(self, link_id: str) -> datetime | None:
        """When a one-click link was used, or None when it was not."""
        rows = list(self.db.query("select used from used_links where link_id = ?", [link_id]))
        return to_datetime(rows[0]["used"]) if rows else None


class Acts(Part):
    """One-tap acts on touches (done, snooze, skip), kept to undo them and to show them."""

    @writes
    def add(
        self,
        user_id: int,
        touch_id: int,
        contact_id: int,
        action: str,
        *,
        via: str,
        before: dict[str, Any],
        sequence: int,
        made: Iterable[int],
        now: datetime,
    ) -> TouchAct:
        """Record a one-tap act on a touch (what it was before, what the act made)."""
        act_id = self.tables.insert(
            "touch_acts",
            {
                "user_id": user_id,
                "touch_id": touch_id,
                "contact_id": contact_id,
                "action": action,
                "via": via,
                "before_json": dumps(before),
                "sequence": sequence,
                "made_json": dumps(list(made)),
                "created": now.isoformat(),
            },
        )
        return self.get(user_id, act_id)

    def get(self, user_id: int, act_id: int) -> TouchAct:
        """One of the user's acts.

        Raises:
            NotFoundError: the user has no act with this id.
        """
        return _act(self.tables.row("touch_acts", act_id, user_id, "act"))

    def all(
        self, user_id: int, *, contact_id: int | None = None, since: datetime | None = None
    ) -> list[TouchAct]:
        """The user's acts (a contact's only; only those made since a time), newest first."""
        sql = "select * from touch_acts where user_id = ?"
        params: list[Any] = [user_id]
        if contact_id is not None:
            sql += " and contact_id = ?"
            params.append(contact_id)
        if since is not None:
            sql += " and created >= ?"
            params.append(since.astimezone(UTC).isoformat())
        return [_act(r) for r in self.db.query(sql + " order by id desc", params)]

    @writes
    def mark_undone(self, user_id: int, act_id: int, now: datetime) -> TouchAct:
        """Note that an act was undone (it stays in the history, marked so)."""
        act = self.get(user_id, act_id)
        self.db.table("touch_acts").update(act.id, {"undone": now.isoformat()})
        return self.get(user_id, act_id)

    @writes
    def delete_made(self, user_id: int, touch_ids: Iterable[int]) -> int:
        """Delete touches an undone act made, when nothing has changed them since.

        Returns:
            How many were deleted (a touch moved or closed since is kept).
        """
        deleted = 0
        for touch_id in touch_ids:
            try:
                row = self.tables.row("touches", touch_id, user_id, "touch")
            except NotFoundError:
                continue
            if row["sequence"] == 0 and row["status"] == "due":
                self.db.execute("delete from touches where id = ?", [touch_id])
                deleted += 1
        return deleted
