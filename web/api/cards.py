"""The API's cards: upload a photo, list and show cards, their photo, thumbnail and
flattened card image, and reading a failed card again."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask import abort, current_app, jsonify, request, send_file

from cardscan import captures, cardimages
from cardscan.errors import ValidationError
from cardscan.reading import imaging
from cardscan.triage import triage_item
from web.api.blueprint import bp
from web.api.captures import duplicate_of
from web.auth import login_required, user_id, user_today
from web.db import get_settings, get_store, queue_for_reading
from web.forms import datetime_arg, int_arg, parse_reasons
from web.present import card_json
from web.uploads import sniff_image


def _check_photo(data: bytes, name: str) -> None:
    """Refuse what can never be read before storing it: not an image, too many pixels, a
    decompression bomb, a damaged header. Only the header is read, so the acknowledgement
    does not wait for a decode; a photo damaged further on fails when the OCR worker
    decodes it, and the card says why."""
    sniff_image(data, name=name)
    imaging.check_image(data, max_megapixels=get_settings().max_megapixels)


def card_with_contact(
    card_id: int, *, with_ocr: bool = False, index: int | None = None
) -> dict[str, Any]:
    """A card as JSON: with its first contact, or with card ``index`` read from its photo."""
    store = get_store()
    if index is None:
        card = store.cards.get(user_id(), card_id)
        record = store.contacts.get(user_id(), card.contact_id) if card.contact_id else None
    else:
        item = triage_item(store, user_id(), card_id, index)
        card, record = item.card, item.record
    readings = store.cards.readings(user_id(), card_id) if with_ocr else None
    return card_json(card, record, readings=readings, index=index)


#: The header of an upload sent as the photo itself (``Content-Type: image/...``) that
#: carries its reasons: JSON, percent-encoded (a header is ASCII), kept out of the URL,
#: which proxies write to their logs. The other fields go in the query string.
REASONS_HEADER = "X-Reasons"


def _sent_capture() -> tuple[bytes, bytes | None, Mapping[str, str]]:
    """The front photo, the back photo and the other fields of an upload: the request's
    body when it is an image (the app's uploader: no form to parse, about 2 ms of CPU
    less), else a multipart form with the fields ``photo`` and ``back``."""
    if request.mimetype.startswith("image/"):
        fields = request.args.to_dict()
        if (reasons := request.headers.get(REASONS_HEADER)) is not None:
            fields["reasons"] = unquote(reasons)
        return request.get_data(cache=False), None, fields
    photo = request.files.get("photo")
    if photo is None:
        raise ValidationError(
            "no photo: send the image as the request body with its Content-Type"
            " (image/jpeg), or as the multipart field 'photo'."
        )
    back_file = request.files.get("back")
    return photo.read(), back_file.read() if back_file else None, request.form


@bp.post("/cards")
@login_required
def add_card() -> Any:
    """Upload a card photo; the same ``uuid`` again returns the same card."""
    front, back, fields = _sent_capture()
    _check_photo(front, "photo")
    if back:
        _check_photo(back, "back photo")
    client_uuid = fields.get("uuid") or None
    if client_uuid is not None:
        try:
            client_uuid = str(uuidlib.UUID(client_uuid))
        except ValueError:
            raise ValidationError(f"uuid {client_uuid[:60]!r} is not a UUID.") from None
    event_id = int_arg(fields.get("event"), "event")
    store = get_store()
    if event_id is not None:
        store.events.get(user_id(), event_id)
    reasons = parse_reasons(fields.get("reasons"))
    card, created = store.cards.add(
        user_id(),
        front,
        back=back or None,
        event_id=event_id,
        client_uuid=client_uuid,
        reasons=[(r["text"], r["kind"], r["due"]) for r in reasons],
        taken=datetime_arg(fields.get("taken"), "taken"),
    )
    if created:
        queue_for_reading(card)
    body: dict[str, Any] = {"id": card.id, "status": card.status, "created": created}
    if not created:
        # The same upload again (a retry after a lost answer) is quietly the same card; the
        # same photo under another capture is told, and its reasons are kept on the card.
        same_capture = client_uuid is not None and card.client_uuid == client_uuid
        body["duplicate"] = "retry" if same_capture else "photo"
        if not same_capture:
            card = captures.add_capture_reasons(
                store,
                user_id(),
                card.id,
                [(r["text"], r["kind"], r["due"]) for r in reasons],
                user_today(),
            )
            body["duplicate_of"] = duplicate_of(card)
    return jsonify(body), (202 if created else 200)


@bp.get("/cards")
@login_required
def cards() -> Any:
    """Cards with their status, optionally of one event (``?event=ID``)."""
    event_id = int_arg(request.args.get("event"), "event")
    store = get_store()
    records: dict[int, Any] = {}
    out = []
    for card in store.cards.all(user_id(), event_id=event_id):
        record = None
        if card.contact_id:
            if card.contact_id not in records:
                records[card.contact_id] = store.contacts.get(user_id(), card.contact_id)
            record = records[card.contact_id]
        out.append(card_json(card, record))
    return jsonify({"cards": out})


@bp.get("/cards/<int:card_id>")
@login_required
def card(card_id: int) -> Any:
    """One card, with its contact and confidences once read (``?ocr=1`` adds the word boxes,
    ``?index=N`` the contact read as card N of the photo)."""
    index = card_index() if request.args.get("index") not in (None, "") else None
    return jsonify(card_with_contact(card_id, with_ocr=request.args.get("ocr") == "1", index=index))


@bp.get("/cards/<int:card_id>/photo")
@login_required
def card_photo(card_id: int) -> Any:
    """The card's photo (``?side=back`` for the back)."""
    store = get_store()
    card = store.cards.get(user_id(), card_id)
    digest = card.back if request.args.get("side") == "back" else card.front
    if not digest:
        abort(404)
    response = send_file(store.photos.path(digest), mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


#: A photo file that is missing or damaged shows this instead of a broken image.
PLACEHOLDER = "icons/no-photo.svg"


def card_index(value: Any = None) -> int:
    """Which card of a photo: ``value``, else the ``index`` query argument (default 0)."""
    index = int_arg(request.args.get("index") if value is None else value, "index") or 0
    if not 0 <= index < 100:
        raise ValidationError(f"index {index} is out of range: a photo holds cards 0, 1, ...")
    return index


def _image_response(path: Path | None, key: str) -> Any:
    """A made image: cached for good when the URL names this very version (``?v=``), else
    revalidated by its ETag; a placeholder (never cached) when the photo cannot be read."""
    if path is None:
        static = Path(current_app.static_folder or "static")
        response = send_file(static / PLACEHOLDER, mimetype="image/svg+xml", max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response
    response = send_file(path, mimetype="image/jpeg", etag=key, conditional=True, max_age=0)
    response.headers.pop("Expires", None)
    if request.args.get("v") == key:
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/cards/<int:card_id>/thumb")
@login_required
def card_thumb(card_id: int) -> Any:
    """A small JPEG for lists (``?index=N``: card N of a photo with several)."""
    return _card_picture(card_id, "thumb", cardimages.thumbnail)


@bp.get("/cards/<int:card_id>/card.jpg")
@login_required
def card_image(card_id: int) -> Any:
    """The card cut out of the photo, flat and upright (``?index=N``); 404 when the card was
    read before outlines were kept."""
    return _card_picture(card_id, "card", cardimages.card_image)


def _card_picture(card_id: int, kind: str, make: Any) -> Any:
    store = get_store()
    card = store.cards.get(user_id(), card_id)
    index = card_index()
    path = make(store, card, index=index, max_megapixels=get_settings().max_megapixels)
    return _image_response(path, cardimages.image_key(card, kind, index))


@bp.post("/cards/<int:card_id>/retry")
@login_required
def retry_card(card_id: int) -> Any:
    """Read a failed card again."""
    queue_for_reading(get_store().cards.retry(user_id(), card_id))
    return jsonify(card_with_contact(card_id))
