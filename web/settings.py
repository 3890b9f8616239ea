"""Settings: the calendar subscription (links, QR code, rotate), reason chips, plans, exports
and API tokens."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from cardscan import exports, followups
from cardscan.errors import AuthError, NotFoundError, RateLimitedError, ValidationError
from cardscan.models import PlanStep
from cardscan.preferences import parse_chips, reason_chips, save_reason_chips
from web.auth import change_password_as, current_user, login_required, start_session, user_id
from web.calendar import public_base_url
from web.db import get_store

bp = Blueprint("settings", __name__, url_prefix="/settings")

#: The most steps a plan's editor shows.
MAX_STEPS = 20


#: Said where a link would be when the app may not use this request's host.
NO_ADDRESS = (
    "this server does not know its public address, so there is no link yet: set base_url"
    " (e.g. https://cards.example.org, in cardscan.toml or as CARDSCAN_BASE_URL), or add this"
    " host name to allowed_hosts."
)


def feed_urls(token: str) -> dict[str, str] | None:
    """The subscription URL of a feed token (https and webcal forms); None when the app has
    no address it may link to (``base_url`` unset and this host not allowed)."""
    base = public_base_url()
    if not base:
        return None
    webcal, https = exports.feed_urls(base, token)
    return {"https": https, "webcal": webcal}


def _form_steps(form: Any) -> list[PlanStep]:
    """The editor's rows (``steps-N-label``, ``-amount``, ``-unit``, ``-kind``), in order;
    a row left without a title is dropped."""
    steps = []
    for index in range(MAX_STEPS):
        label = form.get(f"steps-{index}-label")
        if label is None:
            break
        if not label.strip():
            continue
        steps.append(
            followups.plan_step(
                form.get(f"steps-{index}-kind", "check_in"),
                label[:80],
                form.get(f"steps-{index}-amount", ""),
                form.get(f"steps-{index}-unit", "days"),
            )
        )
    return steps


def _apply(op: str, steps: list[PlanStep]) -> list[PlanStep]:
    """One editor button: add a step, move one up or down, remove one."""
    name, _, arg = op.partition(":")
    index = int(arg) if arg.isdigit() else -1
    if name == "add":
        after = steps[-1].offset_days + 30 * steps[-1].months if steps else 0
        steps.append(followups.plan_step("check_in", "check in", after + 30, "days"))
    elif name in ("up", "down") and 0 <= index < len(steps):
        other = index - 1 if name == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
    elif name == "remove" and 0 <= index < len(steps):
        del steps[index]
    return steps


def _page(new_token: str | None = None, status: int = 200, **extra: Any) -> Any:
    store = get_store()
    uid = user_id()
    plans = store.plans.all(uid)
    return (
        render_template(
            "settings.html",
            feed=feed_urls(store.users.feed_token(uid)),
            no_address=NO_ADDRESS,
            chips=reason_chips(store, uid),
            plans=plans,
            tokens=store.users.api_tokens(uid),
            new_token=new_token,
            events=sorted(store.events.all(uid), key=lambda e: e.start, reverse=True),
            **extra,
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
    urls = feed_urls(get_store().users.feed_token(user_id()))
    if urls is None:
        raise NotFoundError(NO_ADDRESS)
    out = io.BytesIO()
    segno.make(urls["webcal"], error="m").save(out, kind=fmt, scale=6, border=2, dark="#111")
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
    save_reason_chips(get_store(), user_id(), parse_chips(request.form.get("chips", "")))
    flash("Reason chips saved.", "ok")
    return redirect(url_for("settings.index") + "#chips")


@bp.post("/plans")
@login_required
def add_plan() -> Any:
    """A new plan, starting as a copy of the default one, ready to edit."""
    name = " ".join(request.form.get("name", "").split())[:80]
    store = get_store()
    plan = store.plans.add(user_id(), name, store.plans.default(user_id()).steps)
    flash(f"Plan {plan.name!r} added: change its steps below.", "ok")
    return redirect(url_for("settings.index") + f"#plan-{plan.id}")


@bp.post("/plans/<int:plan_id>")
@login_required
def edit_plan(plan_id: int) -> Any:
    """Save a plan from the editor, after its button's change (add, up, down, remove a
    step), or delete it (``op=delete``)."""
    store = get_store()
    plan = store.plans.get(user_id(), plan_id)
    op = request.form.get("op", "save")
    if op == "delete":
        store.plans.delete(user_id(), plan_id)
        flash(f"Plan {plan.name!r} deleted.", "ok")
        return redirect(url_for("settings.index") + "#plans")
    steps = _apply(op, _form_steps(request.form))
    name = " ".join(request.form.get("name", plan.name).split())[:80]
    default = bool(request.form.get("default")) or plan.is_default
    store.plans.update(user_id(), plan_id, name=name, steps=steps, is_default=default)
    if op == "save":
        flash(f"Plan {name!r} saved.", "ok")
    return redirect(url_for("settings.index") + f"#plan-{plan_id}")


@bp.post("/tokens")
@login_required
def create_token() -> Any:
    """Create an API token and show its secret once."""
    label = " ".join(request.form.get("label", "").split())[:80] or "script"
    secret = get_store().users.create_api_token(user_id(), label)
    return _page(new_token=secret)


@bp.post("/password")
@login_required
def change_password() -> Any:
    """Change the password (the current one is required); every other session ends."""
    user = current_user()
    assert user is not None
    new = request.form.get("new_password", "")
    try:
        if new != request.form.get("confirm_password", ""):
            raise ValidationError("the two new passwords differ: type the same one twice.")
        changed = change_password_as(user, request.form.get("current_password", ""), new)
    except (AuthError, ValidationError, RateLimitedError) as e:
        message = "the current password is wrong." if isinstance(e, AuthError) else e.message
        return _page(status=e.http_status, password_error=message)
    start_session(changed)  # this browser stays logged in; every other one is logged out
    # Said inside the section (a flash sits at the top of the page, out of sight here).
    return redirect(url_for("settings.index", changed="password") + "#password")


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    """Revoke an API token."""
    get_store().users.revoke_api_token(user_id(), token_id)
    flash("Token revoked.", "ok")
    return redirect(url_for("settings.index") + "#tokens")
