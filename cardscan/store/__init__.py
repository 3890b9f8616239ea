"""The store: one SQLite file (WAL) through sqlite-utils, and the photos beside it.

``Store`` hands out one part per area (``store.users``, ``store.cards``,
``store.contacts``...); see ``cardscan.store.database``.

Example::

    with Store.open(data_dir) as store:
        user = store.users.add("ana", "a long password")
        card, created = store.cards.add(user.id, photo_bytes)
"""

from __future__ import annotations

from cardscan.store._base import private_dir, private_file, writer_turns
from cardscan.store.database import DB_NAME, PHOTOS_DIR, Store
from cardscan.store.forget import ContactDeletion

__all__ = [
    "DB_NAME",
    "PHOTOS_DIR",
    "ContactDeletion",
    "Store",
    "private_dir",
    "private_file",
    "writer_turns",
]
