"""The API's session: who is logged in, and a CSRF token for scripts."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_wtf.csrf import generate_csrf

from cardscan.errors import AuthError
from web.api.blueprint import bp
from web.auth import current_user


@bp.get("/session")
def session_info() -> Any:
    """Who is logged in, and a fresh CSRF token for scripts (401 when nobody)."""
    user = current_user()
    if user is None:
        raise AuthError("log in to upload.")
    return jsonify({"ok": True, "user": user.name, "csrf_token": generate_csrf()})
