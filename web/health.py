"""``GET /healthz``: for monitors, container health checks and ``cardscan doctor``.

It answers without a login and says how the app sees the request (``url``): behind a proxy
that passes ``X-Forwarded-Proto``/``-Host`` (and ``behind_proxy`` on) that is the public
address, so ``cardscan doctor`` can tell a proxy that drops them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from web.db import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """``{"ok": true, "app": "cardscan", "url": "https://cards.example.org/"}``."""
    get_store()  # the database opens (a missing or unreadable data directory fails here)
    return jsonify({"ok": True, "app": "cardscan", "url": request.host_url})
