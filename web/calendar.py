"""The calendar subscription feed (authorised by the secret token in its URL) and exports."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, abort, request

from cardscan.errors import NotFoundError, ValidationError
from web.auth import login_required, user_id
from web.db import get_settings, get_store

bp = Blueprint("calendar", __name__)


def _base_url() -> str:
    return get_settings().base_url.rstrip("/") or request.host_url.rstrip("/")


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Any:
    """The user's follow-ups as an iCalendar feed; 404 for a wrong or rotated token."""
    from cardscan.followups import feed_for_token

    if not 16 <= len(token) <= 200:
        abort(404)
    settings = get_settings()
    try:
        body = feed_for_token(get_store(), token, base_url=_base_url(), settings=settings)
    except NotFoundError:
        abort(404)
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.get("/exports/<kind>")
@login_required
def export(kind: str) -> Any:
    """Download contacts (vcf, csv) or follow-ups (ics), optionally of one ``?event=ID``."""
    from cardscan import exports

    if kind not in ("vcf", "csv", "ics"):
        raise NotFoundError(f"no export {kind[:20]!r}: use vcf, csv or ics.")
    event_id = request.args.get("event", type=int)
    fmt = request.args.get("format", "google")
    if kind == "csv" and fmt not in ("google", "outlook", "hubspot"):
        raise ValidationError(
            f"CSV format {fmt[:20]!r} is unknown; use google, outlook or hubspot."
        )
    data, mimetype, filename = exports.export_for_web(
        get_store(), user_id(), kind, event_id=event_id, csv_format=fmt, base_url=_base_url()
    )
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
