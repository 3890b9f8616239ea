"""Full-text search (SQLite FTS5) over names, companies, titles, e-mails, notes and reasons.

``contacts_fts`` is kept in sync by triggers on ``contacts`` and ``reasons`` (migration
0002), so every write path, including ones outside this package, keeps it current.
"""

from __future__ import annotations

from cardscan.dedupe import fold
from cardscan.models import ContactRecord
from cardscan.store._base import StoreBase

#: Most results a search returns.
SEARCH_LIMIT = 200


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word must match, as a prefix ("ana ru" finds Ana Ruiz)."""
    words = fold(text).replace('"', " ").split()
    return " ".join(f'"{w}"*' for w in words)


class SearchMixin(StoreBase):
    """Search."""

    def search(self, user_id: int, text: str) -> list[ContactRecord]:
        """This user's contacts matching every word of ``text``, best match first.

        Merged-away contacts are left out (their text lives on in the kept contact).
        """
        query = fts_query(text)
        if not query:
            return []
        rows = self.db.query(
            "select c.* from contacts_fts f join contacts c on c.id = f.rowid"
            " where contacts_fts match ? and c.user_id = ? and c.merged_into is null"
            " order by bm25(contacts_fts), c.id limit ?",
            [query, user_id, SEARCH_LIMIT],
        )
        return [self._record(r) for r in rows]  # type: ignore[attr-defined]
