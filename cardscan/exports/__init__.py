"""Exports: the .ics feed and files, vCard 3.0 and CSV (Google, Outlook, HubSpot).

The builders in ``ics``, ``vcard`` and ``csv`` are pure (records in, bytes out). The feed
functions and :class:`Export` (a selection of contacts) read what they need from the store
and call them; the CLI and the web app use these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cardscan.errors import InputImageError, NotFoundError, ValidationError
from cardscan.exports.csv import FORMATS, build_csv
from cardscan.exports.ics import CalendarData, build_feed, build_ics_file, feed_etag, fingerprints
from cardscan.exports.vcard import build_vcards
from cardscan.followups import display_name
from cardscan.models import ContactRecord, Event, Touch
from cardscan.outreach.prefs import local_today
from cardscan.outreach.today import draft_subjects
from cardscan.reading.imaging import encode_jpeg, load_image

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

__all__ = [
    "FORMATS",
    "Export",
    "feed_etag",
    "feed_for_token",
    "feed_for_user",
    "feed_urls",
    "vcard_photo",
]


def feed_urls(base_url: str, token: str) -> tuple[str, str]:
    """The subscription URLs for a feed token: (webcal://..., https://...).

    Raises:
        ValidationError: no base URL is set, or it is not http(s).
    """
    base = (base_url or "").strip().rstrip("/")
    if not base:
        raise ValidationError(
            "base_url is not set, so there is no public address for the calendar feed: set it"
            " with CARDSCAN_BASE_URL=https://cards.example.org or base_url in cardscan.toml."
        )
    scheme, sep, rest = base.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest:
        raise ValidationError(
            f"base_url {base_url!r} is not an http(s) address: use e.g. https://cards.example.org."
        )
    https = f"{base}/calendar/{token}.ics"
    return f"webcal://{rest}/calendar/{token}.ics", https


def _events(store: Store, user_id: int) -> dict[int, Event]:
    return {e.id: e for e in store.events.all(user_id)}


def _contacts_for(store: Store, user_id: int, touches: list[Touch]) -> dict[int, ContactRecord]:
    return store.contacts.many(user_id, {t.contact_id for t in touches})


def _calendar(
    store: Store,
    user_id: int,
    touches: list[Touch],
    contacts_by_id: dict[int, ContactRecord],
    now: datetime,
    base_url: str,
    include_private_notes: bool,
) -> tuple[list[Touch], CalendarData]:
    """The touches of a calendar (the feed or a one-off file) and what it is written from,
    each touch with its drafted e-mail subject. A touch's version is raised first when what
    its calendar event says changed since it was last built (a renamed contact, an edited
    event, a merge, an edited template)."""
    events_by_id = _events(store, user_id)
    today = local_today(store, user_id, now)
    data = CalendarData(
        contacts=contacts_by_id,
        events=events_by_id,
        subjects=draft_subjects(store, user_id, touches, contacts_by_id, events_by_id, today),
        base_url=base_url,
        include_private_notes=include_private_notes,
        now=now,
    )
    raised = set(store.touches.record_versions(user_id, fingerprints(touches, data), now))
    if raised:
        touches = [store.touches.get(user_id, t.id) if t.id in raised else t for t in touches]
    return touches, data


def feed_for_user(
    store: Store,
    user_id: int,
    *,
    base_url: str,
    now: datetime,
    include_private_notes: bool = False,
) -> bytes:
    """The user's subscription feed (every open touch).

    Raises:
        NotFoundError: no such user.
    """
    user = store.users.get(user_id)
    touches = store.touches.all(user_id, open_only=True)
    contacts = _contacts_for(store, user_id, touches)
    touches, data = _calendar(
        store, user_id, touches, contacts, now, base_url, include_private_notes
    )
    return build_feed(user.name, touches, data)


def feed_for_token(
    store: Store,
    token: str,
    base_url: str,
    now: datetime,
    *,
    include_private_notes: bool = False,
) -> bytes:
    """The feed behind a calendar URL's token (the store compares tokens in constant time).

    Raises:
        NotFoundError: no user has this token (a rotated one included).
    """
    user = store.users.by_feed_token(token)
    return feed_for_user(
        store,
        user.id,
        base_url=base_url,
        now=now,
        include_private_notes=include_private_notes,
    )


#: Long edge of a contact photo in a vCard: enough for an address book, small in the file.
PHOTO_SIDE = 800


def vcard_photo(data: bytes) -> bytes:
    """A stored card photo as a small upright JPEG without metadata, for PHOTO (the stored
    photo may be HEIC or PNG, and large; PHOTO says JPEG, and address books sync every byte).

    Raises:
        InputImageError: the photo cannot be read.
    """
    # The photo passed the upload's size checks; the limit here only bounds the work.
    return encode_jpeg(load_image(data, max_megapixels=200, max_side=PHOTO_SIDE), quality=80)


def _photos(store: Store, user_id: int, records: list[ContactRecord]) -> dict[int, bytes]:
    """Each contact's card photo (see :func:`vcard_photo`), by contact id: the card it was
    read from, else the first card of a meeting."""
    photos: dict[int, bytes] = {}
    for record in records:
        card_ids = [record.card_id, *(m.card_id for m in record.meetings)]
        for card_id in (c for c in card_ids if c is not None):
            try:
                card = store.cards.get(user_id, card_id)
                photos[record.id] = vcard_photo(store.photos.path(card.front).read_bytes())
            except (NotFoundError, OSError, InputImageError):
                continue
            break
    return photos


@dataclass(frozen=True)
class Export:
    """What to export from the store: one contact (``contact_id``), an event's contacts
    (``event_id``) or all of a user's; as vCard, CSV or a one-off .ics file.

    Each method raises NotFoundError when the user has no such event or contact.
    """

    store: Store
    user_id: int
    event_id: int | None = None
    contact_id: int | None = None

    def records(self) -> tuple[list[ContactRecord], str]:
        """The contacts chosen, and a title for them."""
        store, user_id = self.store, self.user_id
        if self.contact_id is not None:
            record = store.contacts.get(user_id, self.contact_id)
            return [record], display_name(record.contact)
        if self.event_id is not None:
            event = store.events.get(user_id, self.event_id)
            return store.contacts.all(user_id, event_id=self.event_id), event.name
        return store.contacts.all(user_id), "all contacts"

    def ics(
        self,
        *,
        base_url: str = "",
        now: datetime,
        include_private_notes: bool = False,
        alarm: str | None = "morning",
    ) -> bytes:
        """The contacts' open touches as a one-off .ics file, with alarms: ``alarm`` is
        "morning" (09:00 on the day), "day-before" (09:00 the day before, for Outlook) or
        None.

        Raises:
            ValidationError: an unknown alarm.
        """
        records, title = self.records()
        wanted = {r.id for r in records}
        touches = self.store.touches.all(self.user_id, open_only=True)
        touches = [t for t in touches if t.contact_id in wanted]
        contacts = {r.id: r for r in records}
        touches, data = _calendar(
            self.store, self.user_id, touches, contacts, now, base_url, include_private_notes
        )
        return build_ics_file(f"cardscan follow-ups: {title}", touches, data, alarm=alarm)

    def vcf(self, *, photos: bool = False, include_private_notes: bool = False) -> bytes:
        """A .vcf (vCard 3.0) file; ``photos`` embeds each card's front photo (PHOTO, base64
        JPEG; makes big files), ``include_private_notes`` adds private notes to NOTE."""
        records, _ = self.records()
        return build_vcards(
            records,
            _events(self.store, self.user_id),
            photos=_photos(self.store, self.user_id, records) if photos else None,
            include_private_notes=include_private_notes,
        )

    def csv(self, fmt: str = "google", *, include_private_notes: bool = False) -> bytes:
        """A CSV file in Google, Outlook or HubSpot columns.

        Raises:
            ValidationError: an unknown format.
        """
        records, _ = self.records()
        return build_csv(
            records,
            _events(self.store, self.user_id),
            fmt=fmt,
            include_private_notes=include_private_notes,
        )
