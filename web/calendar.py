"""The calendar subscription feed (authorised by the secret token in its URL) and exports."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, request

from cardscan import exports
from cardscan.errors import NotFoundError, ValidationError
from web.auth import login_required, user_id
from web.db import get_settings, get_store

bp = Blueprint("calendar", __name__)


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def public_base_url() -> str:
    """The app's address for links it makes: ``base_url``, else this request's host when the
    admin allowed it (``allowed_hosts``, or loopback); else "" (no links).

    The Host header is the client's to choose: with ``Host: evil.example`` the calendar feed
    must not link there.
    """
    settings = get_settings()
    if settings.base_url.strip():
        return settings.base_url.strip().rstrip("/")
    allowed = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
    try:
        hostname = (urlsplit(f"//{request.host}").hostname or "").lower()
    except ValueError:  # a Host header that is not a host at all
        return ""
    if hostname in allowed or hostname in _LOOPBACK:
        return request.host_url.rstrip("/")
    return ""


def _slug(text: str) -> str:
    """A safe file name part (no quotes, slashes or dots from user text)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "cardscan"


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Any:
    """The user's follow-ups as an iCalendar feed; 404 for a wrong or rotated token."""
    if not 16 <= len(token) <= 200:
        abort(404)
    settings = get_settings()
    try:
        data = exports.feed_for_token(
            get_store(),
            token,
            public_base_url(),
            datetime.now(UTC),
            include_private_notes=settings.feed_private_notes,
        )
    except NotFoundError:
        abort(404)
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["ETag"] = exports.feed_etag(data)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _query_id(name: str) -> int | None:
    """An id from the query string; one too large for SQLite cannot exist (404)."""
    value = request.args.get(name, type=int)
    if value is not None and abs(value) > 2**63 - 1:
        raise NotFoundError(f"no {name} with id {value}.")
    return value


@bp.get("/exports/<kind>")
@login_required
def export(kind: str) -> Any:
    """Download contacts (vcf, with the card photos when ``?photos=1``; csv) or follow-ups
    (ics), optionally of one ``?event=ID`` or ``?contact=ID``."""
    if kind not in ("vcf", "csv", "ics"):
        raise NotFoundError(f"no export {kind[:20]!r}: use vcf, csv or ics.")
    event_id = _query_id("event")
    fmt = request.args.get("format", "google")
    if kind == "csv" and fmt not in ("google", "outlook", "hubspot"):
        raise ValidationError(
            f"CSV format {fmt[:20]!r} is unknown; use google, outlook or hubspot."
        )
    contact_id = _query_id("contact")
    store = get_store()
    name = "cardscan"
    if event_id is not None:
        name = _slug(store.events.get(user_id(), event_id).name)
    elif contact_id is not None:
        name = _slug(store.contacts.get(user_id(), contact_id).contact.name or "contact")
    chosen = exports.Export(store, user_id(), event_id, contact_id)
    if kind == "vcf":
        data = chosen.vcf(photos=request.args.get("photos") == "1")
        mimetype = "text/vcard"
    elif kind == "csv":
        data = chosen.csv(fmt)
        mimetype, name = "text/csv", f"{name}-{fmt}"
    else:
        data = chosen.ics(base_url=public_base_url(), now=datetime.now(UTC))
        mimetype = "text/calendar"
    filename = f"{name}.{kind}"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
