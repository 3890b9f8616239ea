"""The API of OCR workers on other machines (``cardscan worker --server URL``).

Such a worker takes card ids from the shared Redis queue, claims each card here, fetches its
photos, reads them and posts what it read (or why it could not). It shows a worker token
(``cardscan worker-token create``), which belongs to no user and reaches nothing else; a user's
API token or session does not reach this. What is done with a reading is the library's
(``cardscan.jobs.LocalCards``), exactly as for a worker on this machine.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request, send_file

from cardscan.errors import AuthError, ValidationError
from cardscan.jobs import LocalCards
from cardscan.models import CardReading
from cardscan.remote import card_json
from web.db import get_queue, get_settings, get_store
from web.security import csrf

bp = Blueprint("workerapi", __name__, url_prefix="/api/worker")
csrf.exempt(bp)  # no cookies here: a worker token in a header, nothing a browser sends

#: Where this API lives (``web.auth`` leaves these paths to it).
PREFIX = "/api/worker/"


@bp.before_request
def _worker_only() -> None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer ":
        raise AuthError("send the worker token as `Authorization: Bearer TOKEN`.")
    g.worker_label = get_store().worker_tokens.check(header[7:].strip())


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise ValidationError('the request body is not a JSON object: send {"worker": ...}.')
    return body


def _worker(body: dict[str, Any]) -> str:
    worker = body.get("worker")
    if not isinstance(worker, str) or not 0 < len(worker) <= 300:
        raise ValidationError("say which worker this is: a `worker` string (host:pid:...).")
    return worker


def _cards() -> LocalCards:
    return LocalCards(get_store(), max_tries=get_settings().ocr_max_tries, queue=get_queue())


@bp.post("/cards/<int:card_id>/claim")
def claim(card_id: int) -> Any:
    """Take a queued card for reading: 200 with the card, 409 when it is not waiting."""
    card = _cards().claim(card_id, _worker(_body()))
    if card is None:
        return jsonify({"ok": False, "error": f"card {card_id} is not waiting", "status": 409}), 409
    return jsonify({"card": card_json(card)})


@bp.get("/cards/<int:card_id>/photo")
def photo(card_id: int) -> Any:
    """A claimed card's photo (``?side=back`` for the back) for ``?worker=``."""
    store = get_store()
    card = store.cards.claimed(card_id, request.args.get("worker", ""))
    digest = card.back if request.args.get("side") == "back" else card.front
    if not digest:
        raise ValidationError(f"card {card_id} has no photo of its back.")
    return send_file(store.photos.path(digest), mimetype="application/octet-stream")


@bp.post("/cards/<int:card_id>/readings")
def readings(card_id: int) -> Any:
    """What the worker read on a card it claimed: stored as a local worker's would be."""
    body = _body()
    card = get_store().cards.claimed(card_id, _worker(body))
    raw = body.get("readings")
    if not isinstance(raw, list) or len(raw) > 20:
        raise ValidationError("`readings` must be a list of the readings of the photo's cards.")
    try:
        read = [CardReading.from_dict(item) for item in raw]
    except (KeyError, TypeError, ValueError) as e:
        raise ValidationError(f"a reading is malformed ({type(e).__name__}: {e}).") from e
    return jsonify({"card": card_json(_cards().finish(card, read))})


@bp.post("/cards/<int:card_id>/renew")
def renew(card_id: int) -> Any:
    """The worker is still reading the card: its claim lasts another ``STALE_READING``."""
    body = _body()
    card = get_store().cards.claimed(card_id, _worker(body))
    get_store().cards.renew(card.id, _worker(body))
    return jsonify({"card": card_json(card)})


@bp.post("/cards/<int:card_id>/failure")
def failure(card_id: int) -> Any:
    """Why the worker could not read a card it claimed: retried or failed as for a local
    worker."""
    body = _body()
    card = get_store().cards.claimed(card_id, _worker(body))
    error = str(body.get("error") or "the remote worker gave no reason")[:2000]
    after = _cards().fail(card, error, bad_input=bool(body.get("bad_input")))
    return jsonify({"card": card_json(after)})
