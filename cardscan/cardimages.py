"""Images made from a stored photo: small thumbnails for lists, the flattened card for triage.

Phones at an event have bad wifi, and a stored photo is about 1 MB: lists show a thumbnail
(long edge 320 px, the flattened card once it is read, else the photo) and triage shows the
card cut out of the photo, flat and upright, with the OCR's word boxes exactly where they
were read. Each image is made on first request from the photo and the card's outline, and
kept in the data directory's ``cache/`` under the photo's hash, what it is and its size, plus
a digest of the outline (a card read again gets new images). The digest is also in the
image's URL, so browsers may cache it for good.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from cardscan.errors import InputImageError, NotFoundError
from cardscan.models import Card, CardOutline
from cardscan.reading.imaging import downscale, encode_jpeg, load_image
from cardscan.store import Store, private_dir

log = logging.getLogger(__name__)

#: Long edge of a thumbnail (a list row shows it at about 64 px, three times that on a phone).
THUMB_SIDE = 320
#: Long edge of the flattened card shown in triage (the size the OCR reads at).
CARD_SIDE = 1600
#: JPEG quality of thumbnails and of flattened cards.
THUMB_QUALITY = 78
CARD_QUALITY = 85
#: The kinds of image made: the list thumbnail and the full flattened card.
KINDS = ("thumb", "card")


def outline_of(card: Card, index: int = 0) -> CardOutline | None:
    """Where card ``index`` of the photo is, when its reading kept that (None for cards read
    before outlines were stored, or not read yet)."""
    if 0 <= index < len(card.outlines):
        return card.outlines[index]
    return None


def image_key(card: Card, kind: str, index: int = 0) -> str:
    """A short digest of everything an image of ``card`` depends on: the photo, the kind,
    and the card's outline (so it changes when the card is read again)."""
    outline = outline_of(card, index)
    parts = [card.front, kind, str(index), json.dumps(outline.to_dict() if outline else None)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def thumbnail(
    store: Store, card: Card, *, max_megapixels: int, index: int = 0, side: int = THUMB_SIDE
) -> Path | None:
    """A small JPEG of the card: the flattened card ``index`` when its outline is known,
    else the whole photo.

    Args:
        store: where the photo and the cache are.
        card: the card (already checked to be the user's).
        max_megapixels: refuse to decode photos over this many megapixels.
        index: which card of the photo.
        side: the thumbnail's long edge.

    Returns:
        The cached JPEG file, or None when the photo is missing or cannot be decoded (the
        caller shows a placeholder).
    """
    return _cached(store, card, "thumb", index, side, THUMB_QUALITY, max_megapixels)


def card_image(
    store: Store, card: Card, *, max_megapixels: int, index: int = 0, side: int = CARD_SIDE
) -> Path | None:
    """The card cut out of its photo, flat and upright, for triage (its OCR word boxes, in
    fractions of the card, fall on the same words).

    Returns:
        The cached JPEG file, or None when the photo is missing or cannot be decoded.

    Raises:
        NotFoundError: the photo has no outline for card ``index`` (read before outlines
            were kept, or not read yet): show the photo instead.
    """
    if outline_of(card, index) is None:
        raise NotFoundError(
            f"card {index} of photo {card.id} has no stored outline (it was read before"
            " outlines were kept, or not read yet): show its photo instead."
        )
    return _cached(store, card, "card", index, side, CARD_QUALITY, max_megapixels)


def _cached(
    store: Store, card: Card, kind: str, index: int, side: int, quality: int, max_mp: int
) -> Path | None:
    key = image_key(card, kind, index)
    path = store.photos.cache_dir / card.front[:2] / f"{card.front}-{kind}{index}-{side}-{key}.jpg"
    if path.is_file():
        return path
    try:
        data = store.photos.path(card.front).read_bytes()
        outline = outline_of(card, index)
        # The whole photo is only needed at its own size for the full card; a thumbnail of
        # a card that fills a fifth of the photo is sharp from a decode at a few times its size.
        decode_side = None if kind == "card" else side * (4 if outline else 1)
        image = load_image(data, max_megapixels=max_mp, max_side=decode_side)
    except (NotFoundError, OSError, InputImageError) as e:
        log.warning("no image for card %s: %s", card.id, e)
        return None
    from cardscan.reading.geometry import flatten_card  # OpenCV: only once an image is made

    image = flatten_card(image, outline, side) if outline else downscale(image, side)
    _write(path, encode_jpeg(image, quality))
    return path


def _write(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (no fsync: it is made again when lost)."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".jpg")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
