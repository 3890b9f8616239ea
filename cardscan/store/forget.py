"""Deleting a contact for good: its rows, its cards' photos, its search entries, and the
copies SQLite would otherwise keep of them in free pages and the write-ahead log.

Gone means gone from the database file: the delete runs with ``PRAGMA secure_delete``
(freed pages are overwritten with zeros), the search index is rebuilt so no segment keeps
the words, and the write-ahead log is checkpointed and truncated afterwards, so no old page
holding the contact stays readable in ``cardscan.db`` or ``cardscan.db-wal``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from cardscan.errors import ValidationError
from cardscan.store._base import Part, Tables, dumps, loads
from cardscan.store.photos import Photos

#: Rows that hang off a contact, counted for the confirmation (deleted by foreign keys).
_COUNTED = ("touches", "reasons", "important_dates", "corrections", "meetings")


@dataclass
class ContactDeletion:
    """What deleting a contact removes (or removed): the confirmation shows it."""

    contact_ids: list[int]  # the contact and the ones merged into it
    cards: list[int] = field(default_factory=list)  # cards read only from these contacts
    photos: int = 0  # photo files no other card uses
    touches: int = 0
    open_touches: int = 0
    reasons: int = 0
    important_dates: int = 0
    corrections: int = 0
    meetings: int = 0
    notes: bool = False
    log_truncated: bool = True  # False when a reader kept old log pages (they are reused)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dict(self.__dict__)


class Deletions(Part):
    """Deleting contacts (and unread cards) for good: ``store.deletions``."""

    def __init__(self, tables: Tables, *, photos: Photos, on_disk: bool) -> None:
        super().__init__(tables)
        self._photos = photos
        self._on_disk = on_disk  # a file (with a write-ahead log), not an in-memory database

    def contact_deletion(self, user_id: int, contact_id: int) -> ContactDeletion:
        """What :meth:`delete_contact` would remove, without removing it.

        Raises:
            NotFoundError: the user has no contact with this id.
        """
        self._row("contacts", contact_id, user_id, "contact")
        ids = self._merged_family(user_id, contact_id)
        marks = ",".join("?" * len(ids))
        counts = {
            table: self.db.execute(
                f"select count(*) from [{table}] where contact_id in ({marks})", ids
            ).fetchone()[0]
            for table in _COUNTED
        }
        open_touches = self.db.execute(
            f"select count(*) from touches where contact_id in ({marks})"
            " and status in ('due', 'snoozed')",
            ids,
        ).fetchone()[0]
        notes = self.db.execute(
            f"select count(*) from contacts where id in ({marks})"
            " and (coalesce(private_notes, '') != '' or coalesce(notes, '') != '')",
            ids,
        ).fetchone()[0]
        cards = self._cards_only_of(user_id, ids)
        return ContactDeletion(
            contact_ids=ids,
            cards=[c["id"] for c in cards],
            photos=len(self._unshared_photos(cards)),
            open_touches=open_touches,
            notes=bool(notes),
            **counts,
        )

    def delete_contact(self, user_id: int, contact_id: int) -> ContactDeletion:
        """Delete a contact for good, with everything that is only its.

        Goes: the contact and the contacts merged into it; their touches (they leave the
        calendar), reasons, important dates, notes, corrections, meetings, duplicate offers
        and merge history; the cards read only from them, with the photos no other card
        uses and their cached thumbnails; their search entries. A card that also holds
        another contact (a photo of two cards) stays, without this contact's reading.
        Events stay.

        Returns:
            What was removed.

        Raises:
            NotFoundError: the user has no contact with this id.
        """
        conn = self.db.conn
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.atomic():
                gone = self.contact_deletion(user_id, contact_id)
                ids = gone.contact_ids
                cards = self._cards_only_of(user_id, ids)
                photos = self._unshared_photos(cards)
                self._scrub_shared_cards(user_id, ids, {c["id"] for c in cards})
                card_marks = ",".join("?" * len(cards)) or "null"
                card_ids = [c["id"] for c in cards]
                # Reasons given at capture hang off the card until it is read.
                self.db.execute(f"delete from reasons where card_id in ({card_marks})", card_ids)
                marks = ",".join("?" * len(ids))
                # Contacts merged into this one first: their rows point at it.
                for cid in sorted(ids, key=lambda i: i == contact_id):
                    self.db.execute("delete from contacts where id = ?", [cid])
                self.db.execute(f"delete from cards where id in ({card_marks})", card_ids)
                leftover = self.db.execute(
                    f"select count(*) from contacts where id in ({marks})", ids
                ).fetchone()[0]
                assert leftover == 0
                # FTS5 keeps deleted words in old segments until they are merged.
                self.db.execute("insert into contacts_fts(contacts_fts) values ('optimize')")
            for digest in photos:
                self._remove_photo(digest)
            gone.log_truncated = self._truncate_log()
        finally:
            conn.execute("PRAGMA secure_delete = OFF")
        return gone

    def delete_card(self, user_id: int, card_id: int) -> None:
        """Delete a card no contact was read from (still queued, or failed), with its
        reasons and the photos no other card uses.

        Raises:
            NotFoundError: the user has no such card.
            ValidationError: contacts were read from it: delete them instead.
        """
        conn = self.db.conn
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.atomic():
                row = self._row("cards", card_id, user_id, "card")
                if self.db.execute(
                    "select 1 from contacts where card_id = ? limit 1", [card_id]
                ).fetchone():
                    raise ValidationError(
                        f"contacts were read from card {card_id}: delete them instead."
                    )
                photos = self._unshared_photos([row])
                self.db.execute("delete from reasons where card_id = ?", [card_id])
                self.db.execute("delete from cards where id = ?", [card_id])
            for digest in photos:
                self._remove_photo(digest)
        finally:
            conn.execute("PRAGMA secure_delete = OFF")

    # --- helpers ------------------------------------------------------------------------------

    def _merged_family(self, user_id: int, contact_id: int) -> list[int]:
        """The contact and every contact merged into it, directly or through another."""
        ids = [contact_id]
        frontier = [contact_id]
        while frontier:
            marks = ",".join("?" * len(frontier))
            frontier = [
                r[0]
                for r in self.db.execute(
                    f"select id from contacts where user_id = ? and merged_into in ({marks})",
                    [user_id, *frontier],
                )
                if r[0] not in ids
            ]
            ids += frontier
        return ids

    def _cards_only_of(self, user_id: int, ids: list[int]) -> list[dict[str, Any]]:
        """This user's cards that no contact outside ``ids`` was read from."""
        marks = ",".join("?" * len(ids))
        rows = self.db.query(
            "select * from cards where user_id = ? and ("
            f" contact_id in ({marks})"
            f" or id in (select card_id from contacts where id in ({marks}))"
            f" or id in (select card_id from meetings where contact_id in ({marks})))",
            [user_id, *ids, *ids, *ids],
        )
        keep: list[dict[str, Any]] = []
        for row in rows:
            others = self.db.execute(
                f"select count(*) from contacts where card_id = ? and id not in ({marks})",
                [row["id"], *ids],
            ).fetchone()[0]
            if not others:
                keep.append(row)
        return keep

    def _unshared_photos(self, cards: list[dict[str, Any]]) -> list[str]:
        """The photos of these cards that no other card (of any user) uses."""
        ids = [c["id"] for c in cards]
        digests = {d for c in cards for d in (c["front_photo"], c["back_photo"]) if d}
        marks = ",".join("?" * len(ids)) or "null"
        unshared = []
        for digest in sorted(digests):
            used = self.db.execute(
                f"select count(*) from cards where id not in ({marks})"
                " and (front_photo = ? or back_photo = ?)",
                [*ids, digest, digest],
            ).fetchone()[0]
            if not used:
                unshared.append(digest)
        return unshared

    def _scrub_shared_cards(self, user_id: int, ids: list[int], going: set[int]) -> None:
        """A card that stays (it holds another contact too) forgets these contacts' readings."""
        marks = ",".join("?" * len(ids))
        for row in list(
            self.db.query(
                "select c.id, c.contact_id, c.ocr_json from cards c where c.user_id = ? and"
                f" c.id in (select card_id from contacts where id in ({marks}))",
                [user_id, *ids],
            )
        ):
            if row["id"] in going:
                continue
            indexes = {
                r[0]
                for r in self.db.execute(
                    f"select card_index from contacts where card_id = ? and id in ({marks})",
                    [row["id"], *ids],
                )
            }
            readings = [
                r for r in loads(row["ocr_json"], []) if r.get("card_index", 0) not in indexes
            ]
            first = self.db.execute(
                f"select id from contacts where card_id = ? and id not in ({marks})"
                " order by card_index, id limit 1",
                [row["id"], *ids],
            ).fetchone()
            self.db.table("cards").update(
                row["id"],
                {"ocr_json": dumps(readings), "contact_id": first[0] if first else None},
            )

    def _remove_photo(self, digest: str) -> None:
        """Unlink a photo file and the images made from it (thumbnails, flattened cards)."""
        with contextlib.suppress(FileNotFoundError):
            self._photos._file(digest).unlink()
        folder = self._photos.cache_dir / digest[:2]
        if folder.is_dir():
            for made in folder.glob(f"{digest}-*"):
                with contextlib.suppress(FileNotFoundError):
                    made.unlink()

    def _truncate_log(self) -> bool:
        """Copy the write-ahead log into the database and empty it (old page images of the
        deleted rows live there too). False when a reader still needed it."""
        if not self._on_disk:
            return True
        busy, _, _ = self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
