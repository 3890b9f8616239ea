"""Settings for what reaches the user: the digest e-mail (address, hour, time zone, how
often; a test send; how the last one went) and the drafted messages' templates, each with a
live preview. Each has its own partial in ``templates/settings/``."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, request, url_for

from cardscan import outreach
from cardscan.errors import CardscanError, ValidationError
from cardscan.models import DIGEST_FREQUENCIES
from cardscan.outreach import digest as digests
from cardscan.outreach.drafts import DEFAULT_TEMPLATES, PLACEHOLDERS, TEMPLATE_KINDS, Template
from cardscan.outreach.links import DigestLinks
from cardscan.outreach.today import preview_template
from web.auth import current_user, login_required, user_followups, user_id
from web.db import get_settings, get_store
from web.security import CSP

bp = Blueprint("outreach_settings", __name__, url_prefix="/settings")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _user() -> Any:
    user = current_user()
    assert user is not None
    return user


def _links() -> DigestLinks:
    """The digest's links as this server makes them (the request's host without base_url)."""
    base_url = get_settings().base_url or request.host_url.rstrip("/")
    return DigestLinks(base_url, str(current_app.config["SECRET_KEY"]))


def digest_panel() -> dict[str, Any]:
    """What the digest section shows: the choices, how the last digest went, and whether
    mail can go out at all."""
    store = get_store()
    prefs = store.outreach.prefs(user_id())
    zone = outreach.prefs.zone(prefs.timezone)
    last = store.digests.last(user_id())
    settings = get_settings()
    return {
        "prefs": prefs,
        "status": digests.status_line(last, zone) if last else None,
        "failed": last is not None and last.status == "failed",
        "zones": outreach.time_zones(),
        "frequencies": DIGEST_FREQUENCIES,
        "weekdays": WEEKDAYS,
        "smtp": bool(settings.smtp_host),
        "base_url": bool(settings.base_url),
        "sender": outreach.sender(store, _user()),
    }


def template_panel() -> list[dict[str, Any]]:
    """Each template kind: its label, the text in use and whether it is the user's own."""
    own = outreach.templates(get_store(), user_id())
    return [
        {
            "kind": kind,
            "label": label,
            "template": own.get(kind) or DEFAULT_TEMPLATES[kind],
            "own": kind in own,
        }
        for kind, label in TEMPLATE_KINDS.items()
    ]


@bp.app_context_processor
def _panels() -> dict[str, Any]:
    return {
        "digest_panel": digest_panel,
        "template_panel": template_panel,
        "placeholders": PLACEHOLDERS,
    }


def _int(name: str) -> int:
    raw = request.form.get(name, "")
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            f"{name.replace('_', ' ')} {raw[:10]!r}: give a whole number."
        ) from None


@bp.post("/digest")
@login_required
def save_digest() -> Any:
    """Save the digest's address, hour, time zone and frequency, and the name and
    signature under drafted messages."""
    outreach.save_prefs(
        get_store(),
        user_id(),
        email=request.form.get("email", ""),
        digest=request.form.get("digest", "daily"),
        digest_hour=_int("digest_hour"),
        digest_weekday=_int("digest_weekday"),
        timezone=request.form.get("timezone", ""),
        my_name=request.form.get("my_name", ""),
        signature=request.form.get("signature", ""),
    )
    flash("Digest and signature saved.", "ok")
    return redirect(url_for("settings.index") + "#digest")


@bp.post("/digest/test")
@login_required
def test_digest() -> Any:
    """Send the digest as it is now, marked as a test (the day's digest still comes)."""
    try:
        said = digests.Digests(get_store(), get_settings(), _links()).send_test(_user())
    except CardscanError as e:  # shown beside the button, not as an error page
        flash(f"No test sent: {e.message}", "error")
    else:
        flash(said, "ok")
    return redirect(url_for("settings.index") + "#digest")


@bp.get("/digest/preview")
@login_required
def preview_digest() -> Any:
    """The digest's HTML part as it would be sent now (its own inline styles allowed)."""
    mail = digests.preview(get_store(), _user(), _links(), now=datetime.now(UTC))
    html = mail.html if mail else "<p>Nothing is due today, so today's digest would not come.</p>"
    response = Response(html, mimetype="text/html")
    # Mail HTML carries its styles inline: allow exactly those (by hash), nothing else.
    response.headers["Content-Security-Policy"] = CSP.replace(
        "style-src 'self'", "style-src 'self' 'unsafe-hashes' " + _style_hashes(html)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _style_hashes(html: str) -> str:
    """CSP sources for each style attribute in the page (the value as the browser reads it)."""
    values = {unescape(v) for v in re.findall(r'style="([^"]*)"', html)}
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(v.encode()).digest()).decode()}'"
        for v in sorted(values)
    )


@bp.post("/templates")
@login_required
def save_template() -> Any:
    """Save one kind's template, or go back to the default (``action=reset``)."""
    kind = request.form.get("kind", "")
    name = TEMPLATE_KINDS.get(kind, kind).split(" (")[0].lower()
    if request.form.get("action") == "reset":
        outreach.reset_template(get_store(), user_id(), kind)
        flash(f"The {name} draft is the default again.", "ok")
    else:
        subject, body = request.form.get("subject", ""), request.form.get("body", "")
        outreach.save_template(get_store(), user_id(), kind, subject, body)
        flash(f"The {name} draft is saved.", "ok")
    return redirect(url_for("settings.index") + f"#template-{kind}")


@bp.post("/templates/preview")
@login_required
def preview() -> Any:
    """A template filled in, for the live preview: JSON ``{kind, subject, body}`` in,
    ``{subject, body}`` or ``{error}`` out."""
    data = request.get_json(silent=True) or {}
    kind = str(data.get("kind", ""))
    if kind not in TEMPLATE_KINDS:
        raise ValidationError(f"no template {kind[:20]!r}.")
    template = Template(str(data.get("subject", ""))[:300], str(data.get("body", ""))[:5000])
    try:
        draft = preview_template(user_followups(), kind, template)
    except ValidationError as e:
        return jsonify({"ok": False, "error": e.message})
    return jsonify({"ok": True, "subject": draft.subject, "body": draft.body, "to": draft.to})
