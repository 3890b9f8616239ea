"""Settings: the calendar subscription (links, QR code, rotate), reason chips, plans, exports
and API tokens."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from cardscan import exports
from cardscan.errors import ValidationError
from cardscan.models import PlanStep
from cardscan.preferences import parse_chips, reason_chips, save_reason_chips
from web.auth import login_required, user_id
from web.db import get_settings, get_store

bp = Blueprint("settings", __name__, url_prefix="/settings")


def feed_urls(token: str) -> dict[str, str]:
    """The subscription URL of a feed token: https and webcal forms."""
    base = get_settings().base_url.rstrip("/") or request.host_url.rstrip("/")
    webcal, https = exports.feed_urls(base, token)
    return {"https": https, "webcal": webcal}


def parse_plan_steps(text: str) -> list[PlanStep]:
    """Plan steps from text, one a line: ``label, days`` (e.g. ``Thank you, 1``).

    Raises:
        ValidationError: a line without a whole number of days, or no steps at all.
    """
    steps = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label, _, days = line.rpartition(",")
        try:
            offset = int(days.strip().lstrip("+"))
        except ValueError:
            raise ValidationError(
                f"line {number} {line.strip()[:60]!r} needs 'label, days' like 'Check in, 21'."
            ) from None
        label = " ".join(label.split())
        if not label or not 0 <= offset <= 3660:
            raise ValidationError(f"line {number}: give a label and 0 to 3660 days.")
        kind = label.lower().replace(" ", "_")[:40]
        steps.append(PlanStep(kind=kind, label=label, offset_days=offset))
    if not steps:
        raise ValidationError("a plan needs at least one step, e.g. 'Thank you, 1'.")
    return steps


def _page(new_token: str | None = None, status: int = 200) -> Any:
    store = get_store()
    uid = user_id()
    plans = store.plans.all(uid)
    return (
        render_template(
            "settings.html",
            feed=feed_urls(store.users.feed_token(uid)),
            chips=reason_chips(current_app.config["DATA_DIR"], uid),
            plans=plans,
            tokens=store.users.api_tokens(uid),
            new_token=new_token,
            events=sorted(store.events.all(uid), key=lambda e: e.start, reverse=True),
        ),
        status,
    )


@bp.get("/")
@login_required
def index() -> Any:
    """The settings page."""
    return _page()


@bp.get("/feed-qr.<fmt>")
@login_required
def feed_qr(fmt: str) -> Any:
    """The subscription URL as a QR code (``svg`` or ``png``), to open it on the phone."""
    if fmt not in ("svg", "png"):
        return redirect(url_for("settings.feed_qr", fmt="svg"))
    url = feed_urls(get_store().users.feed_token(user_id()))["webcal"]
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind=fmt, scale=6, border=2, dark="#111")
    response = Response(out.getvalue(), mimetype="image/svg+xml" if fmt == "svg" else "image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/feed/rotate")
@login_required
def rotate_feed() -> Any:
    """Give the feed a new secret URL; the old one stops working."""
    get_store().users.rotate_feed_token(user_id())
    flash("New calendar link made: the old one no longer works. Subscribe again.", "ok")
    return redirect(url_for("settings.index") + "#calendar")


@bp.post("/chips")
@login_required
def chips() -> Any:
    """Save the reason chips offered at capture."""
    save_reason_chips(
        current_app.config["DATA_DIR"], user_id(), parse_chips(request.form.get("chips", ""))
    )
    flash("Reason chips saved.", "ok")
    return redirect(url_for("settings.index") + "#chips")


@bp.post("/plans")
@login_required
def save_plan() -> Any:
    """Save a plan (a new one, or the one with this name)."""
    name = " ".join(request.form.get("name", "").split())[:80]
    if not name:
        raise ValidationError("a plan needs a name.")
    steps = parse_plan_steps(request.form.get("steps", ""))
    get_store().plans.save(user_id(), name, steps, is_default=bool(request.form.get("default")))
    flash(f"Plan {name!r} saved.", "ok")
    return redirect(url_for("settings.index") + "#plans")


@bp.post("/tokens")
@login_required
def create_token() -> Any:
    """Create an API token and show its secret once."""
    label = " ".join(request.form.get("label", "").split())[:80] or "script"
    secret = get_store().users.create_api_token(user_id(), label)
    return _page(new_token=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    """Revoke an API token."""
    get_store().users.revoke_api_token(user_id(), token_id)
    flash("Token revoked.", "ok")
    return redirect(url_for("settings.index") + "#tokens")
