"""Likely duplicates (offered, never merged silently), merging and undoing a merge.

A merge moves the other contact's meetings, reasons, dates, touches, corrections and cards
to the kept one, keeps the better value of each field (``cardscan.fieldmerge.merge_records``)
and marks the other ``merged_into`` the kept one. Of two open touches for the same plan
step, reason or date, the earlier stays and the other is skipped. A snapshot of both rows,
of every moved id and of the skipped touches is kept in ``merges``, so ``unmerge`` puts
both back exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cardscan import dedupe
from cardscan.errors import ConflictError, NotFoundError, ValidationError
from cardscan.fieldmerge import merge_records
from cardscan.models import ContactRecord
from cardscan.store._base import Part, Tables, dumps, loads, now
from cardscan.store.contacts import Contacts
from cardscan.store.rows import contact_columns, contact_from_row

#: Tables whose rows follow a contact when it is merged (column contact_id).
_MOVED = ("meetings", "reasons", "important_dates", "touches", "corrections", "cards")


#: Columns unmerge leaves alone (the row's identity and state, not what the user edits).
_NOT_RESTORED = ("id", "user_id", "merged_into", "created", "updated", "triaged")


def _keep_later_edits(snapshot: dict[str, Any], now_row: dict[str, Any]) -> dict[str, Any]:
    """The kept contact's row for unmerge: as before the merge, except each column the user
    changed since the merge (it differs from what the merge wrote), which keeps its value.

    Confidences go field by field, and a field corrected since stays counted as corrected.
    A merge recorded before the merge result was kept restores the row as it was.
    """
    before, after = dict(snapshot["kept"]), snapshot.get("after")
    if after is None:
        return before
    row = dict(before)
    for column, value in now_row.items():
        if column in _NOT_RESTORED or column not in after or value == after[column]:
            continue
        row[column] = value  # edited since the merge
    conf_before = loads(before.get("confidence_json"), {})
    conf_after = loads(after.get("confidence_json"), {})
    conf_now = loads(now_row.get("confidence_json"), {})
    for field_name, value in conf_now.items():
        if conf_after.get(field_name) != value:
            conf_before[field_name] = value
    row["confidence_json"] = dumps(conf_before)
    fixed_since = set(loads(now_row.get("corrected_fields_json"), [])) - set(
        loads(after.get("corrected_fields_json"), [])
    )
    fixed = set(loads(before.get("corrected_fields_json"), [])) | fixed_since
    row["corrected_fields_json"] = dumps(sorted(fixed))
    return row


class Duplicates(Part):
    """Duplicate offers, merge and unmerge."""

    def __init__(self, tables: Tables, *, contacts: Contacts) -> None:
        super().__init__(tables)
        self._contacts = contacts

    def _others(self, user_id: int, contact_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select * from contacts where user_id = ? and id != ? and merged_into is null",
                [user_id, contact_id],
            )
        )

    def offer(self, user_id: int, contact_id: int) -> None:
        """Record likely duplicates of a new contact as offers for the user to decide.

        Whoever creates a contact calls this, in the same transaction.
        """
        contact = contact_from_row(self._row("contacts", contact_id, user_id, "contact"))
        if contact.is_empty():
            return
        others = [(r["id"], contact_from_row(r)) for r in self._others(user_id, contact_id)]
        stamp = now().isoformat()
        for other_id, similarity in dedupe.candidates(contact, others):
            self.db.execute(
                "insert or ignore into duplicates"
                " (user_id, contact_id, other_id, score, reasons_json, status, created)"
                " values (?, ?, ?, ?, ?, 'offered', ?)",
                [user_id, contact_id, other_id, similarity.score, dumps(similarity.reasons), stamp],
            )

    def candidates(self, user_id: int, contact_id: int) -> list[tuple[ContactRecord, float]]:
        """This user's contacts that are likely the same person, best first.

        Pairs the user dismissed are left out.

        Raises:
            NotFoundError: the user has no contact with this id.
        """
        row = self._row("contacts", contact_id, user_id, "contact")
        dismissed = {
            r["other_id"] if r["contact_id"] == contact_id else r["contact_id"]
            for r in self.db.query(
                "select contact_id, other_id from duplicates where status = 'dismissed'"
                " and (contact_id = ? or other_id = ?)",
                [contact_id, contact_id],
            )
        }
        others = [
            (r["id"], contact_from_row(r))
            for r in self._others(user_id, contact_id)
            if r["id"] not in dismissed
        ]
        found = dedupe.candidates(contact_from_row(row), others)
        return [(self._contacts.get(user_id, i), s.score) for i, s in found]

    def reasons(self, user_id: int, contact_id: int, other_id: int) -> list[str]:
        """Why two of this user's contacts look like the same person."""
        a = contact_from_row(self._row("contacts", contact_id, user_id, "contact"))
        b = contact_from_row(self._row("contacts", other_id, user_id, "contact"))
        return list(dedupe.score_pair(a, b).reasons)

    def offers(self, user_id: int, *, status: str = "offered") -> list[dict[str, Any]]:
        """Recorded duplicate offers: contact_id, other_id, score, reasons, status."""
        rows = self.db.query(
            "select id, contact_id, other_id, score, reasons_json, status from duplicates"
            " where user_id = ? and status = ? order by score desc, id",
            [user_id, status],
        )
        return [{**r, "reasons": loads(r.pop("reasons_json"), [])} for r in rows]

    def offer_count(self, user_id: int, *, card_ids: Sequence[int]) -> int:
        """How many duplicate offers the contacts read from these cards have."""
        if not card_ids:
            return 0
        marks = ",".join("?" * len(card_ids))
        row = self.db.execute(
            "select count(distinct d.contact_id) from duplicates d join contacts c"
            f" on c.id = d.contact_id where d.user_id = ? and c.card_id in ({marks})"
            " and d.status = 'offered'",
            [user_id, *card_ids],
        ).fetchone()
        return int(row[0])

    def dismiss(self, user_id: int, contact_id: int, other_id: int) -> None:
        """Say two contacts are different people: the pair is not offered again."""
        self._row("contacts", contact_id, user_id, "contact")
        self._row("contacts", other_id, user_id, "contact")
        with self.atomic():
            self.db.execute(
                "update duplicates set status = 'dismissed' where (contact_id = ? and other_id = ?)"
                " or (contact_id = ? and other_id = ?)",
                [contact_id, other_id, other_id, contact_id],
            )
            self.db.execute(
                "insert or ignore into duplicates"
                " (user_id, contact_id, other_id, score, reasons_json, status, created)"
                " values (?, ?, ?, 0, '[]', 'dismissed', ?)",
                [user_id, contact_id, other_id, now().isoformat()],
            )

    def merge(self, user_id: int, keep_id: int, other_id: int) -> ContactRecord:
        """Merge ``other_id`` into ``keep_id``: one person, both meetings, every reason.

        Args:
            user_id: the owner of both.
            keep_id: the contact that stays.
            other_id: the contact merged into it (kept, marked ``merged_into``).

        Returns:
            The kept contact, as merged.

        Raises:
            ValidationError: the same contact twice.
            ConflictError: one of them is already merged into another.
            NotFoundError: either is not this user's.
        """
        if keep_id == other_id:
            raise ValidationError(f"cannot merge contact {keep_id} with itself: give two ids.")
        with self.atomic():
            keep = self._row("contacts", keep_id, user_id, "contact")
            other = self._row("contacts", other_id, user_id, "contact")
            for row in (keep, other):
                if row["merged_into"] is not None:
                    raise ConflictError(
                        f"contact {row['id']} is already merged into {row['merged_into']}:"
                        f" merge with {row['merged_into']} instead, or unmerge it first."
                    )
            moved = {
                table: [
                    r[0]
                    for r in self.db.execute(
                        f"select id from [{table}] where contact_id = ?", [other_id]
                    )
                ]
                for table in _MOVED
            }
            pairs = list(
                self.db.query(
                    "select id, status from duplicates where (contact_id = ? and other_id = ?)"
                    " or (contact_id = ? and other_id = ?)",
                    [keep_id, other_id, other_id, keep_id],
                )
            )
            merged, fixed = merge_records(
                contact_from_row(keep),
                contact_from_row(other),
                keep_fixed=loads(keep["corrected_fields_json"], []),
                other_fixed=loads(other["corrected_fields_json"], []),
            )
            stamp = now().isoformat()
            for table, ids in moved.items():
                if ids:
                    marks = ",".join("?" * len(ids))
                    self.db.execute(
                        f"update [{table}] set contact_id = ? where id in ({marks})",
                        [keep_id, *ids],
                    )
            private = "\n".join(
                dict.fromkeys(n for n in (keep["private_notes"], other["private_notes"]) if n)
            )
            update = contact_columns(merged)
            update.update(
                {
                    "corrected_fields_json": dumps(sorted(fixed)),
                    "private_notes": private or None,
                    "plan_id": keep["plan_id"] or other["plan_id"],
                    "updated": stamp,
                }
            )
            self.db.table("contacts").update(keep_id, update)
            self.db.table("contacts").update(other_id, {"merged_into": keep_id, "updated": stamp})
            after = self._row("contacts", keep_id, user_id, "contact")
            skipped = self._skip_surplus_touches(user_id, keep_id)
            self.db.execute(
                "update duplicates set status = 'merged' where (contact_id = ? and other_id = ?)"
                " or (contact_id = ? and other_id = ?)",
                [keep_id, other_id, other_id, keep_id],
            )
            self._insert(
                "merges",
                {
                    "user_id": user_id,
                    "kept_id": keep_id,
                    "merged_id": other_id,
                    "snapshot_json": dumps(
                        {
                            "kept": keep,
                            "merged": other,
                            "moved": moved,
                            "duplicates": pairs,
                            "skipped_touches": skipped,
                            "after": after,
                        }
                    ),
                    "merged": stamp,
                },
            )
        return self._contacts.get(user_id, keep_id)

    def _skip_surplus_touches(self, user_id: int, contact_id: int) -> list[list[Any]]:
        """After a merge, skip the open touches ``dedupe.surplus_touches`` names (their
        sequence raised, so calendars drop them); ``unmerge`` reopens them.

        Returns:
            ``[touch id, status before]`` of each touch skipped.
        """
        rows = self.db.query(
            "select id, kind, title, step, status, due, snoozed_until from touches"
            " where user_id = ? and contact_id = ? and status in ('due', 'snoozed')",
            [user_id, contact_id],
        )
        skipped = dedupe.surplus_touches(list(rows))
        stamp = now().isoformat()
        for touch_id, _ in skipped:
            self.db.execute(
                "update touches set status = 'skipped', closed_by = 'merge',"
                " sequence = sequence + 1, updated = ? where id = ?",
                [stamp, touch_id],
            )
        return skipped

    def unmerge(self, user_id: int, merged_id: int) -> tuple[ContactRecord, ContactRecord]:
        """Undo the merge of ``merged_id``: both contacts back as they were, but for the
        edits made to the kept contact since the merge, which it keeps (a title or notes
        changed after merging stay changed); reasons, dates and meetings added since stay
        with the kept contact too.

        Returns:
            (the kept contact, the restored one).

        Raises:
            NotFoundError: the contact is not this user's, or is not merged.
            ConflictError: a later merge into the same contact must be undone first.
        """
        with self.atomic():
            self._row("contacts", merged_id, user_id, "contact")
            rows = list(
                self.db.query(
                    "select * from merges where user_id = ? and merged_id = ? and undone is null"
                    " order by id desc limit 1",
                    [user_id, merged_id],
                )
            )
            if not rows:
                raise NotFoundError(
                    f"contact {merged_id} is not merged into another: nothing to undo."
                )
            record = rows[0]
            later = self.db.execute(
                "select merged_id from merges where kept_id = ? and id > ? and undone is null"
                " order by id desc limit 1",
                [record["kept_id"], record["id"]],
            ).fetchone()
            if later:
                raise ConflictError(
                    f"contact {later[0]} was merged into {record['kept_id']} later:"
                    f" unmerge {later[0]} first."
                )
            kept_now = self._row("contacts", record["kept_id"], user_id, "contact")
            if kept_now["merged_into"] is not None:
                raise ConflictError(
                    f"contact {record['kept_id']} was itself merged into"
                    f" {kept_now['merged_into']} later: unmerge {record['kept_id']} first."
                )
            snapshot = loads(record["snapshot_json"])
            restored = {"kept": _keep_later_edits(snapshot, kept_now), "merged": snapshot["merged"]}
            for key in ("kept", "merged"):
                row = dict(restored[key])
                row.pop("triaged", None)  # checked in triage since stays checked
                self.db.table("contacts").update(row.pop("id"), row)
            for table, ids in snapshot["moved"].items():
                if ids:
                    marks = ",".join("?" * len(ids))
                    self.db.execute(
                        f"update [{table}] set contact_id = ? where id in ({marks})",
                        [merged_id, *ids],
                    )
            for pair in snapshot["duplicates"]:
                self.db.table("duplicates").update(pair["id"], {"status": pair["status"]})
            for touch_id, status in snapshot.get("skipped_touches", []):
                self.db.execute(
                    "update touches set status = ?, closed_by = null, sequence = sequence + 1,"
                    " updated = ? where id = ? and status = 'skipped'",
                    [status, now().isoformat(), touch_id],
                )
            self.db.table("merges").update(record["id"], {"undone": now().isoformat()})
            kept_id = record["kept_id"]
        return (
            self._contacts.get(user_id, kept_id),
            self._contacts.get(user_id, merged_id),
        )
