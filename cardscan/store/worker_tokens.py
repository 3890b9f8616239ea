"""Worker tokens: what an OCR worker on another machine shows the server.

A worker reads any user's card photos and hands back what it read, so its token belongs to
no user and reaches only ``/api/worker/`` (``web.workerapi``). Only its sha256 is kept.
"""

from __future__ import annotations

from typing import Any

from cardscan.errors import AuthError
from cardscan.store._base import Part, new_token, now, token_sha256


class WorkerTokens(Part):
    """Tokens of OCR workers on other machines."""

    def create(self, label: str) -> str:
        """A new worker token; returned once, only its sha256 is kept."""
        token = new_token()
        self._insert(
            "worker_tokens",
            {
                "label": (label or "").strip()[:120] or "worker",
                "token_sha256": token_sha256(token),
                "created": now().isoformat(),
            },
        )
        return token

    def check(self, token: str) -> str:
        """The label of a live worker token.

        Raises:
            AuthError: unknown or revoked token.
        """
        row = self.used_token("worker_tokens", token)
        if row is None:
            raise AuthError(
                "unknown or revoked worker token: create one on the server with"
                " `cardscan worker-token create NAME`."
            )
        return str(row["label"])

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
