"""Cards: a captured photo (front, optional back), saved first, read later from the queue.

The ``cards`` table is the OCR queue: ``status`` goes queued -> reading -> done | failed,
``tries`` counts the attempts and ``error`` keeps the last failure. A photo is written to
disk (atomically) before its row commits, so an acknowledged capture is never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cardscan.errors import ConflictError, NotFoundError, ValidationError
from cardscan.models import Card, CardReading, Contact, ContactRecord
from cardscan.store._base import Part, Tables, dumps, loads, now, to_date, writes
from cardscan.store.contacts import Contacts
from cardscan.store.duplicates import Duplicates
from cardscan.store.photos import Photos
from cardscan.store.reasons import MAX_CAPTURE_REASONS, check_reason
from cardscan.store.rows import card_from_row, reading_json
from cardscan.workers import claim_is_dead, worker_id

#: A 'reading' card whose claim has not been renewed for this long is put back in the queue
#: (workers renew their claim every ``CLAIM_RENEW`` while they read; a claim on this machine
#: is put back at once when its process is gone).
STALE_READING = timedelta(minutes=2)
#: How long before its upload a capture may have been taken: a photo waits on the phone while
#: it is offline or signed out, for a day or a trip; a time further back is a wrong clock.
TAKEN_WINDOW = timedelta(days=60)
CLAIM_RENEW = timedelta(seconds=30)


def _capture_time(taken: datetime | None, upload: datetime) -> datetime:
    """When a card was captured: ``taken`` (the phone's time of the snap, UTC when it names
    no zone) when it lies within ``TAKEN_WINDOW`` before ``upload``, else ``upload``."""
    if taken is None:
        return upload
    if taken.tzinfo is None:
        taken = taken.replace(tzinfo=UTC)
    return taken if upload - TAKEN_WINDOW <= taken <= upload else upload


def _clean_reasons(
    reasons: Sequence[tuple[str, str] | tuple[str, str, date | str | None]], *, already: int = 0
) -> list[tuple[str, str, str | None]]:
    """(text, kind, due ISO date or None) of each reason given at capture, checked; a card
    takes at most ``MAX_CAPTURE_REASONS``, ``already`` counting those it has."""
    if already + len(reasons) > MAX_CAPTURE_REASONS:
        raise ValidationError(
            f"{already + len(reasons)} reasons given; send at most {MAX_CAPTURE_REASONS}."
        )
    clean = []
    for reason in reasons:
        text, kind = check_reason(reason[0], reason[1] if len(reason) > 1 else "other")
        due_date = to_date(reason[2] if len(reason) > 2 else None, "due date")  # type: ignore[misc]
        clean.append((text, kind, due_date.isoformat() if due_date else None))
    return clean


#: A new card of a user, queued with its turn (``Cards._next_turn`` in one expression),
#: unless the user has a card with this upload id or this front photo: the row, or none.
_ADD_CARD = """
insert into cards (user_id, event_id, status, turn, front_photo, back_photo, client_uuid,
                   tries, created, updated)
select ?1, ?2, 'queued', coalesce(
        (select max(turn) + 1 from cards where user_id = ?1 and status in ('queued', 'reading')),
        (select min(turn) from cards where status = 'queued'),
        (select max(turn) from cards where status = 'reading'),
        0),
       ?3, ?4, ?5, 0, ?6, ?7
where not exists (
    select 1 from cards where user_id = ?1 and (client_uuid = ?5 or front_photo = ?3))
returning *
"""


class Cards(Part):
    """Capture and the OCR queue."""

    def __init__(
        self,
        tables: Tables,
        *,
        photos: Photos,
        contacts: Contacts,
        duplicates: Duplicates,
    ) -> None:
        super().__init__(tables)
        self._photos = photos
        self._contacts = contacts
        self._duplicates = duplicates

    def add(
        self,
        user_id: int,
        front: bytes,
        *,
        back: bytes | None = None,
        event_id: int | None = None,
        client_uuid: str | None = None,
        reasons: Sequence[tuple[str, str] | tuple[str, str, date | str | None]] = (),
        taken: datetime | None = None,
    ) -> tuple[Card, bool]:
        """Store a captured photo and queue it for reading.

        The photo files are written (and fsynced) before the row commits. The same
        ``client_uuid``, or the same front photo, for this user gives back the card already
        stored instead of a new one.

        Args:
            user_id: the owner.
            front: the front photo's bytes.
            back: the back photo's bytes, if any.
            event_id: the event where the card was collected.
            client_uuid: the uploader's id for this capture (retries send the same).
            reasons: (text, kind) or (text, kind, due date) follow-up reasons given at
                capture; they go to the card's first contact once it is read.
            taken: when the photo was taken, by the phone's clock: a capture that waited
                offline uploads later, and the card's time (from which "tomorrow" in its
                reasons counts) is the snap's. Ignored when after the upload or more than
                ``TAKEN_WINDOW`` before it.

        Returns:
            (card, created): created is False when the card was already stored.

        Raises:
            ValidationError: an empty photo, a bad reason.
            NotFoundError: no such user, or the event is not this user's.
        """
        self._check_user(user_id)
        if not front:
            raise ValidationError("the front photo is empty: take or choose the photo again.")
        if event_id is not None:
            self._row("events", event_id, user_id, "event")
        clean_reasons = _clean_reasons(reasons)
        client_uuid = (client_uuid or "").strip() or None
        if client_uuid and len(client_uuid) > 200:
            raise ValidationError("the upload id is longer than 200 characters: send a UUID.")
        if client_uuid:
            existing = self._existing_card(user_id, client_uuid, None)
            if existing:
                return existing, False
        front_hash = self._photos.save(front)
        back_hash = self._photos.save(back) if back else None
        uploaded = now()
        stamp = _capture_time(taken, uploaded).isoformat()
        row = [user_id, event_id, front_hash, back_hash, client_uuid, stamp, uploaded.isoformat()]
        with self.atomic():
            # One statement while the writer turn is held (other uploads and the OCR
            # workers wait for it): the card is added, with its turn, unless this user
            # stored the same capture or photo meanwhile.
            added = self.db.execute(_ADD_CARD, row)
            columns = [c[0] for c in added.description]
            fresh = next(iter(added.fetchall()), None)
            if fresh is None:
                existing = self._existing_card(user_id, client_uuid, front_hash)
                assert existing is not None  # what stopped the insert, under the same turn
                return existing, False
            card = card_from_row(dict(zip(columns, fresh, strict=True)))
            self._insert_reasons(user_id, card.id, event_id, clean_reasons, stamp)
        return card, True

    @writes
    def add_reasons(
        self,
        user_id: int,
        card_id: int,
        reasons: Sequence[tuple[str, str] | tuple[str, str, date | str | None]],
    ) -> None:
        """Reasons given for a card after it was uploaded, before it is read: they go to its
        first contact when it is read, as those given with the upload do.

        Raises:
            ValidationError: a bad reason.
            ConflictError: the card was read already (give the reasons to its contact).
            NotFoundError: the user has no such card.
        """
        row = self._row("cards", card_id, user_id, "card")
        given = self.db.execute(
            "select count(*) from reasons where card_id = ?", [card_id]
        ).fetchone()[0]
        clean = _clean_reasons(reasons, already=given)
        if row["contact_id"] is not None:
            raise ConflictError(
                f"card {card_id} is read already: add the reasons to contact"
                f" {row['contact_id']} instead."
            )
        self._insert_reasons(user_id, card_id, row["event_id"], clean, now().isoformat())

    def _insert_reasons(
        self,
        user_id: int,
        card_id: int,
        event_id: int | None,
        reasons: Sequence[tuple[str, str, str | None]],
        stamp: str,
    ) -> None:
        self.db.conn.executemany(
            "insert into reasons (user_id, card_id, event_id, text, kind, due, confirmed,"
            " created) values (?, ?, ?, ?, ?, ?, 0, ?)",
            [(user_id, card_id, event_id, text, kind, due, stamp) for text, kind, due in reasons],
        )

    def _existing_card(
        self, user_id: int, client_uuid: str | None, front_hash: str | None
    ) -> Card | None:
        rows = list(
            self.db.query(
                "select * from cards where user_id = ? and (client_uuid = ? or front_photo = ?)"
                " order by id limit 1",
                [user_id, client_uuid, front_hash],
            )
        )
        return card_from_row(rows[0]) if rows else None

    def get(self, user_id: int, card_id: int) -> Card:
        """One of this user's cards.

        Raises:
            NotFoundError: the user has no card with this id.
        """
        return card_from_row(self._row("cards", card_id, user_id, "card"))

    def all(
        self, user_id: int, *, event_id: int | None = None, status: str | None = None
    ) -> list[Card]:
        """This user's cards, oldest first, optionally of one event and/or in one status."""
        sql, params = "select * from cards where user_id = ?", [user_id]
        if event_id is not None:
            sql += " and event_id = ?"
            params.append(event_id)
        if status is not None:
            sql += " and status = ?"
            params.append(status)  # type: ignore[arg-type]
        return [card_from_row(r) for r in self.db.query(sql + " order by id", params)]

    def readings(self, user_id: int, card_id: int) -> list[dict[str, Any]]:
        """Everything OCR read from a card's photo: per card found, its OCR (with word boxes)
        and QR codes, as stored JSON."""
        return loads(self._row("cards", card_id, user_id, "card")["ocr_json"], [])

    @writes
    def mark_triaged(
        self, user_id: int, card_id: int, triaged: bool = True, *, index: int | None = None
    ) -> Card:
        """Mark what was read from a card's photo as triaged (or not) by its user.

        Triage is per card read: a photo of two cards has two contacts, each checked on its
        own. The card itself counts as triaged once every contact read from it is (a photo
        that could not be read has none: its own flag is all there is).

        Args:
            user_id: the owner.
            card_id: the card (the photo).
            triaged: True when checked, False to send it back to triage.
            index: only the contact read as card ``index`` of the photo (default: all).

        Raises:
            NotFoundError: the user has no such card, or its photo has no card ``index``.
        """
        self._row("cards", card_id, user_id, "card")
        sql, params = "update contacts set triaged = ? where card_id = ?", [int(triaged), card_id]
        if index is not None:
            sql += " and card_index = ?"
            params.append(index)
        changed = self.db.execute(sql, params).rowcount
        read = self.db.execute(
            "select count(*), coalesce(sum(triaged), 0) from contacts where card_id = ?",
            [card_id],
        ).fetchone()
        if index is not None and not changed and (read[0] or index != 0):
            raise NotFoundError(
                f"card {card_id} has no card {index} read from its photo: the triage queue"
                " lists each card read with its index."
            )
        whole = bool(triaged) and read[1] == read[0]  # every card read is checked
        self.db.table("cards").update(
            card_id, {"triaged": int(whole), "updated": now().isoformat()}
        )
        return self.get(user_id, card_id)

    def queue_counts(self, user_id: int | None = None) -> dict[str, int]:
        """How many cards are in each status (all users, or one)."""
        sql = "select status, count(*) as n from cards"
        params: list[Any] = []
        if user_id is not None:
            sql += " where user_id = ?"
            params.append(user_id)
        counts = {status: 0 for status in ("queued", "reading", "done", "failed")}
        counts.update(
            {r["status"]: r["n"] for r in self.db.query(sql + " group by status", params)}
        )
        return counts

    # --- the queue ----------------------------------------------------------------------------
    # Users take turns: a card's ``turn`` is one after its user's last card still waiting (or
    # the front of the queue when they have none), and cards are read in turn order. The OCR
    # queue (``cardscan.ocrqueue``) carries the same order to the workers.

    def _next_turn(self, user_id: int) -> int:
        """The turn a new (or retried) card of this user gets."""
        last = self.db.execute(
            "select max(turn) from cards where user_id = ? and status in ('queued', 'reading')",
            [user_id],
        ).fetchone()[0]
        if last is not None:
            return int(last) + 1
        front = self.db.execute("select min(turn) from cards where status = 'queued'").fetchone()[0]
        if front is None:  # nothing waiting: the turn being read now, if any
            front = self.db.execute(
                "select max(turn) from cards where status = 'reading'"
            ).fetchone()[0]
        return int(front or 0)

    def claim(self, card_id: int, worker: str | None = None) -> Card | None:
        """Take one queued card for reading, atomically: it becomes 'reading' and its
        ``tries`` goes up by one.

        Returns:
            The claimed card, or None when it is not queued (another worker has it, it was
            read already, or it is gone).
        """
        stamp = now().isoformat()
        with self.atomic():
            changed = self.db.execute(
                "update cards set status = 'reading', tries = tries + 1, claimed_by = ?,"
                " claimed_at = ?, updated = ? where id = ? and status = 'queued'",
                [worker or worker_id(), stamp, stamp, card_id],
            ).rowcount
            if not changed:
                return None
            return card_from_row(self._row("cards", card_id, None, "card"))

    def claim_next(self, worker: str | None = None) -> Card | None:
        """Take the queued card whose turn comes first (see :meth:`claim`).

        Returns:
            The claimed card, or None when nothing is waiting.
        """
        with self.atomic():
            row = self.db.execute(
                "select id from cards where status = 'queued' order by turn, id limit 1"
            ).fetchone()
            return self.claim(row[0], worker) if row is not None else None

    @writes
    def renew(self, card_id: int, worker: str) -> bool:
        """Renew a worker's claim on a card it is still reading (see ``STALE_READING``).

        Returns:
            False when the card is no longer this worker's (put back, or read already).
        """
        stamp = now().isoformat()
        changed = self.db.execute(
            "update cards set claimed_at = ? where id = ? and status = 'reading'"
            " and claimed_by = ?",
            [stamp, card_id, worker],
        ).rowcount
        return bool(changed)

    def claimed(self, card_id: int, worker: str) -> Card:
        """A card this worker is reading (for a worker that hands back its result later).

        Raises:
            ConflictError: the card is not being read by this worker (its claim was given
                to another after it looked dead, or the card is read already).
        """
        row = self._row("cards", card_id, None, "card")
        if row["status"] != "reading" or row["claimed_by"] != worker:
            raise ConflictError(
                f"card {card_id} is not being read by this worker (it is {row['status']}):"
                " its claim was probably given to another worker; drop this reading."
            )
        return card_from_row(row)

    def queued(self) -> list[tuple[int, int]]:
        """Every queued card as (id, turn), in turn order (for the queue's sweep)."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "select id, turn from cards where status = 'queued' order by turn, id"
            )
        ]

    def photos(self, card_id: int) -> tuple[bytes, bytes | None]:
        """The front and back photo bytes of a card (for the OCR worker)."""
        row = self._row("cards", card_id, None, "card")
        front = self._photos.path(row["front_photo"]).read_bytes()
        back = self._photos.path(row["back_photo"]).read_bytes() if row["back_photo"] else None
        return front, back

    def finish(self, card_id: int, readings: Sequence[CardReading]) -> list[ContactRecord]:
        """Store what OCR read: a contact per card found, a meeting at the card's event.

        Reasons given at capture go to the first contact. Each new contact is compared with
        the user's others; likely duplicates are recorded as offers, never merged. Finishing
        a card that is already done changes nothing and returns its contacts.

        Returns:
            The card's contacts.
        """
        with self.atomic():
            card = self._row("cards", card_id, None, "card")
            if card["status"] == "done":
                return self._card_contacts(card_id)
            ordered = sorted(readings, key=lambda r: r.card_index)
            stamp = now().isoformat()
            contact_ids: list[int] = []
            for position, reading in enumerate(ordered or [None]):  # type: ignore[list-item]
                contact = reading.contact if reading is not None else Contact()
                if position > 0 and contact.is_empty():
                    continue  # a second "card" with nothing on it is noise
                contact_id = self._contacts.insert(
                    card["user_id"],
                    contact,
                    extracted=True,
                    card_id=card_id,
                    card_index=reading.card_index if reading is not None else 0,
                )
                contact_ids.append(contact_id)
                if card["event_id"] is not None:
                    self.db.table("meetings").insert(
                        {
                            "user_id": card["user_id"],
                            "contact_id": contact_id,
                            "event_id": card["event_id"],
                            "card_id": card_id,
                            "created": stamp,
                        }
                    )
            self.db.execute(
                "update reasons set contact_id = ? where card_id = ? and contact_id is null",
                [contact_ids[0], card_id],
            )
            self.db.table("cards").update(
                card_id,
                {
                    "status": "done",
                    "error": None,
                    "contact_id": contact_ids[0],
                    "engine": ordered[0].ocr.engine if ordered else None,
                    "read_seconds": round(sum(r.seconds for r in ordered), 3),
                    "ocr_json": dumps([reading_json(r) for r in ordered]),
                    "claimed_by": None,
                    "updated": stamp,
                },
            )
            for contact_id in contact_ids:
                self._duplicates.offer(card["user_id"], contact_id)
        return self._card_contacts(card_id)

    def _card_contacts(self, card_id: int) -> list[ContactRecord]:
        rows = self.db.query(
            "select id, user_id from contacts where card_id = ? order by card_index, id", [card_id]
        )
        return [self._contacts.get(r["user_id"], r["id"]) for r in rows]

    def contacts(self, user_id: int, card_id: int) -> list[ContactRecord]:
        """The contacts read from one of this user's cards (two for a photo of two cards)."""
        self._row("cards", card_id, user_id, "card")
        return self._card_contacts(card_id)

    @writes
    def fail(self, card_id: int, error: str, *, final: bool) -> Card:
        """Record a failed reading (and release the card's claim): back to 'queued' for
        another try, at the end of its user's line, or 'failed' when final.

        Returns:
            The card as it is now.
        """
        row = self._row("cards", card_id, None, "card")
        changes: dict[str, Any] = {
            "status": "failed" if final else "queued",
            "error": (error or "unknown error")[:2000],
            "claimed_by": None,
            "updated": now().isoformat(),
        }
        if not final:
            changes["turn"] = self._next_turn(row["user_id"])
        self.db.table("cards").update(card_id, changes)
        return card_from_row(self._row("cards", card_id, None, "card"))

    @writes
    def retry(self, user_id: int, card_id: int) -> Card:
        """Queue a failed card again, with a fresh count of tries."""
        self._row("cards", card_id, user_id, "card")
        self.db.execute(
            "update cards set status = 'queued', tries = 0, error = null, turn = ?, updated = ?"
            " where id = ? and status = 'failed'",
            [self._next_turn(user_id), now().isoformat(), card_id],
        )
        return self.get(user_id, card_id)

    def requeue_interrupted(self, *, max_tries: int | None = None) -> int:
        """Cards left 'reading' by a worker that died go back to 'queued' (keeping their turn).

        A claim by a process on this machine counts as dead when that process is gone; any
        claim when it has not been renewed for ``STALE_READING``. Claims held by a
        live process are left alone. A card that has already used ``max_tries`` tries (it
        may be what crashes the reader) ends 'failed' instead. The OCR queue's sweep calls
        this every few seconds (``cardscan.ocrqueue.sweep``).

        Returns:
            How many cards were requeued or failed.
        """
        changed = 0
        stale = (now() - STALE_READING).isoformat()
        with self.atomic():
            rows = list(
                self.db.query(
                    "select id, tries, claimed_by, claimed_at from cards where status = 'reading'"
                )
            )
            for row in rows:
                if not claim_is_dead(row["claimed_by"]) and (row["claimed_at"] or "") >= stale:
                    continue
                if max_tries is not None and row["tries"] >= max_tries:
                    self.fail(
                        row["id"],
                        f"reading was interrupted {row['tries']} times (the OCR may crash on"
                        " this photo): retry it or enter the contact by hand.",
                        final=True,
                    )
                else:
                    self.db.execute(
                        "update cards set status = 'queued', claimed_by = null, updated = ?"
                        " where id = ?",
                        [now().isoformat(), row["id"]],
                    )
                changed += 1
        return changed
