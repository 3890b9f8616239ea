"""The installable app: the web manifest and the service worker at the root scope."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, send_from_directory, url_for

bp = Blueprint("pwa", __name__)

THEME = "#1f4e79"


@bp.get("/manifest.webmanifest")
def manifest() -> Any:
    """The web app manifest (name, start URL, standalone display, icons)."""

    def icon(name: str, size: int, purpose: str = "any") -> dict[str, str]:
        return {
            "src": url_for("static", filename=f"icons/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    response = jsonify(
        {
            "name": "cardscan",
            "short_name": "cardscan",
            "description": "Snap business cards and follow up.",
            "id": "/",
            "start_url": url_for("capture.capture"),
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": THEME,
            "icons": [
                icon("icon-192.png", 192),
                icon("icon-512.png", 512),
                icon("maskable-512.png", 512, "maskable"),
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker() -> Any:
    """The service worker, served from the root so its scope is the whole app."""
    response = send_from_directory(current_app.static_folder or "static", "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    response.mimetype = "text/javascript"
    return response
