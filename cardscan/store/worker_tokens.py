"""Worker tokens: what an OCR worker on another machine shows the server.

A worker reads any user's card photos and hands back what it read, so its token belongs to
no user and reaches only ``/api/worker/`` (``web.workerapi``). Only its sha256 is kept.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cardscan.errors import AuthError
from cardscan.store._base import Part, now
from cardscan.store.users import new_token


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class WorkerTokens(Part):
    """Tokens of OCR workers on other machines."""

    def create(self, label: str) -> str:
        """A new worker token; returned once, only its sha256 is kept."""
        token = new_token()
        self._insert(
            "worker_tokens",
            {
                "label": (label or "").strip()[:120] or "worker",
                "token_sha256": _sha256(token),
                "created": now().isoformat(),
            },
        )
        return token

    def check(self, token: str) -> str:
        """The label of a live worker token.

        Raises:
            AuthError: unknown or revoked token.
        """
        digest = _sha256(token or "")
        row = self.db.execute(
            "select id, label, token_sha256, last_used from worker_tokens"
            " where token_sha256 = ? and revoked is null",
            [digest],
        ).fetchone()
        if row is None or not hmac.compare_digest(row[2], digest):
            raise AuthError(
                "unknown or revoked worker token: create one on the server with"
                " `cardscan worker-token create NAME`."
            )
        self.stamp_use("worker_tokens", row[0], row[3])
        return str(row[1])

    def all(self) -> list[dict[str, Any]]:
        """Every worker token (id, label, created, last_used, revoked), never the secrets."""
        return list(
            self.db.query(
                "select id, label, created, last_used, revoked from worker_tokens order by id"
            )
        )

    def revoke(self, token_id: int) -> None:
        """Revoke a worker token.

        Raises:
            NotFoundError: no token with this id.
        """
        self._row("worker_tokens", token_id, None, "worker token")
        self.db.table("worker_tokens").update(token_id, {"revoked": now().isoformat()})
