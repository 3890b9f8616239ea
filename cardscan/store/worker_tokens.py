"""Worker tokens: what an OCR worker on another machine shows the server.

A worker reads any user's card photos and hands back what it read, so its token belongs to
no user and reaches only ``/api/worker/`` (``web.workerapi``). Only its sha256 is kept.
"""

from __future__ import annotations

from typing import Any

from cardscan.store._base import Part


class WorkerTokens(Part):
    """Tokens of OCR workers on other machines."""

    def create(self, label: str) -> str:
        """A new worker token; returned once, only its sha256 is kept."""
        return self.add_token("worker_tokens", {"label": (label or "").strip()[:120] or "worker"})

    def check(self, token: str) -> str:
        """The label of a live worker token.

        Raises:
            AuthError: unknown or revoked token.
        """
        unknown = (
            "unknown or revoked worker token: create one on the server with"
            " `cardscan worker-token create NAME`."
        )
        return str(self.used_token("worker_tokens", token, unknown)["label"])

    def all(self) -> list[dict[str, Any]]:
        """Every worker token (id, label, created, last_used, revoked), never the secrets."""
        return self.tokens("worker_tokens", None)

    def revoke(self, token_id: int) -> None:
        """Revoke a worker token.

        Raises:
            NotFoundError: no token with this id.
        """
        self.revoke_token("worker_tokens", token_id, None, "worker token")
