"""The one place the web app turns errors into responses.

API and fetch calls get JSON ``{"ok": false, "error": message, "status": n}``; browsers get a
readable HTML page with the same message and status.
"""

from __future__ import annotations

import json

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cardscan.errors import CardscanError

_HTTP_MESSAGES = {
    400: "The request could not be understood; reload the page and try again.",
    401: "Please log in first.",
    403: "You are not allowed to do that.",
    404: "Nothing here: the address is wrong, or the item was deleted.",
    405: "This address does not accept that method.",
    413: "The upload is too large: send a smaller photo (see max_upload_mb).",
    429: "Too many attempts: wait a minute and try again.",
}


def wants_json() -> bool:
    """True for API paths and for fetch calls that ask for JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(message: str, status: int) -> Response | tuple[str, int]:
    """The error as JSON or as a page, whichever the caller wants."""
    if wants_json():
        resp = Response(
            json.dumps({"ok": False, "error": message, "status": status}),
            status=status,
            mimetype="application/json",
        )
        return resp
    return render_template("error.html", message=message, status=status), status


def _cardscan_error(e: CardscanError):
    return error_response(e.message, e.http_status)


def _csrf_error(e: CSRFError):
    return error_response(
        f"The form's security token is missing or stale ({e.description}); reload the page "
        "and try again.",
        400,
    )


def _http_error(e: HTTPException):
    status = e.code or 500
    message = _HTTP_MESSAGES.get(status) or e.description or e.name
    resp = error_response(message, status)
    if status == 405 and isinstance(resp, Response):
        for key, value in e.get_headers():
            if key.lower() == "allow":
                resp.headers[key] = value
    return resp


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CardscanError, _cardscan_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
