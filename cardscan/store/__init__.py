"""The store: one SQLite file (WAL) through sqlite-utils, and the photos beside it.

``Store`` is put together from one small mixin per area. Every method that reads or writes
user data takes ``user_id`` first and only sees that user's rows: another user's id raises
``NotFoundError``, the same as a missing one.

Example::

    with Store.open(data_dir) as store:
        user = store.add_user("ana", "a long password")
        card, created = store.add_card(user.id, photo_bytes)
"""

from __future__ import annotations

from cardscan.store._base import DB_NAME, PHOTOS_DIR, StoreBase
from cardscan.store.cards import CardsMixin, Reading
from cardscan.store.contacts import ContactsMixin
from cardscan.store.duplicates import DuplicatesMixin
from cardscan.store.events import EventsMixin
from cardscan.store.search import SearchMixin
from cardscan.store.touches import TouchesMixin
from cardscan.store.users import UsersMixin


class Store(
    TouchesMixin,
    SearchMixin,
    DuplicatesMixin,
    ContactsMixin,
    CardsMixin,
    EventsMixin,
    UsersMixin,
    StoreBase,
):
    """Everything cardscan keeps: users, events, cards, contacts and follow-ups."""


__all__ = ["DB_NAME", "PHOTOS_DIR", "Reading", "Store"]
