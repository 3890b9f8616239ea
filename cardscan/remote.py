"""An OCR worker on another machine: the server's cards over its worker API.

``cardscan worker --server URL --token T`` takes card ids from the Redis queue it shares
with the server, and for each one claims the card, fetches its photos, reads them here and
posts what it read (``web.workerapi``). The server stores the reading exactly as for one of
its own workers, so the cards table stays the one source of truth and nothing but the
photos and the readings crosses the network.
"""

from __future__ import annotations

import http.client
import json
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from cardscan.errors import AuthError, BadConfigError, CardscanError
from cardscan.models import Card, CardReading


class RemoteError(CardscanError):
    """The server's worker API answered with an error."""


class RemoteCards:
    """The cards of a cardscan server, as a worker sees them (``cardscan.jobs.CardSource``)."""

    def __init__(self, server: str, token: str, *, timeout: float = 60.0) -> None:
        """Prepare the connection (nothing is sent yet).

        Raises:
            BadConfigError: the URL is not http(s)://HOST[:PORT], or there is no token.
        """
        parts = urlsplit(server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadConfigError(
                f"--server {server!r} must look like https://cards.example.org (or http://)."
            )
        if not token:
            raise BadConfigError(
                "a worker on another machine needs a worker token: create one on the server"
                " with `cardscan worker-token create NAME`, pass it as --token or"
                " CARDSCAN_WORKER_TOKEN."
            )
        self._url = server
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.base = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._worker = ""

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.scheme == "https":
                self._conn = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        conn = self._connection()
        try:
            conn.request(method, self.base + path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.close()  # reconnect next time; the work loop waits and goes on
            raise
        if response.status == 401:
            raise AuthError(f"the server refused the worker token: {_error(payload)}")
        return response.status, payload

    def _json(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, payload = self._call(method, path, body)
        if status != 200:
            raise RemoteError(f"{method} {path} answered {status}: {_error(payload)}")
        return dict(json.loads(payload))

    def claim(self, card_id: int, worker: str) -> Card | None:
        """Claim a card on the server; None when it is not waiting there."""
        self._worker = worker
        status, payload = self._call(
            "POST", f"/api/worker/cards/{card_id}/claim", {"worker": worker}
        )
        if status == 409:
            return None
        if status != 200:
            raise RemoteError(f"claiming card {card_id} answered {status}: {_error(payload)}")
        return card_from_json(json.loads(payload)["card"])

    def photos(self, card: Card) -> tuple[bytes, bytes | None]:
        """The claimed card's photos, fetched from the server."""
        return self._photo(card, "front"), self._photo(card, "back") if card.back else None

    def _photo(self, card: Card, side: str) -> bytes:
        path = f"/api/worker/cards/{card.id}/photo?side={side}&worker={quote(self._worker)}"
        status, payload = self._call("GET", path)
        if status != 200:
            raise RemoteError(f"the {side} photo of card {card.id} answered {status}")
        return payload

    def finish(self, card: Card, readings: Sequence[CardReading]) -> Card:
        """Post what was read; the server stores it."""
        body = {"worker": self._worker, "readings": [r.to_dict() for r in readings]}
        return card_from_json(
            self._json("POST", f"/api/worker/cards/{card.id}/readings", body)["card"]
        )

    def fail(self, card: Card, error: str, *, bad_input: bool) -> Card:
        """Tell the server why the card could not be read."""
        body = {"worker": self._worker, "error": error, "bad_input": bad_input}
        return card_from_json(
            self._json("POST", f"/api/worker/cards/{card.id}/failure", body)["card"]
        )

    def renew(self, card: Card, worker: str) -> None:
        """Tell the server the card is still being read (a connection of its own: this runs
        beside the reading)."""
        other = RemoteCards(self._url, self.token, timeout=self.timeout)
        try:
            other._json("POST", f"/api/worker/cards/{card.id}/renew", {"worker": worker})
        finally:
            other.close()

    def close(self) -> None:
        """Drop the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _error(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("error", ""))[:300]
    except (ValueError, AttributeError):
        return payload[:200].decode("utf-8", "replace")


def card_json(card: Card) -> dict[str, Any]:
    """A card as the worker API sends it to a worker (``web.workerapi``); the worker reads it
    back with :func:`card_from_json`, so the two sides cannot drift apart."""
    return {
        "id": card.id,
        "user_id": card.user_id,
        "status": card.status,
        "tries": card.tries,
        "turn": card.turn,
        "front": card.front,
        "back": card.back,
        "error": card.error,
    }


def card_from_json(data: dict[str, Any]) -> Card:
    """The card the worker API sent (see :func:`card_json`)."""
    return Card(
        id=int(data["id"]),
        user_id=int(data["user_id"]),
        status=str(data["status"]),
        front=str(data["front"]),
        back=data.get("back"),
        tries=int(data["tries"]),
        turn=int(data["turn"]),
        error=data.get("error"),
    )
