"""Log in and out, the first account, and who is asking (session or API token)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, Literal
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import generate_csrf

from cardscan import outreach
from cardscan.errors import AuthError, CardscanError, NotFoundError, RateLimitedError
from cardscan.followups import FollowUps
from cardscan.models import User
from cardscan.store import Store
from web.db import get_settings, get_store
from web.errors import wants_json
from web.ratelimit import LoginGuard
from web.security import csrf
from web.workerapi import PREFIX as WORKER_API

bp = Blueprint("auth", __name__)

_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def current_user() -> User | None:
    """The logged-in user (session or Bearer token), or None."""
    if "user" not in g:
        g.user = None
        user_id = session.get("user_id")
        if user_id is not None:
            try:
                user = get_store().users.get(user_id)
            except NotFoundError:
                session.clear()
            else:
                # The user row is read anyway: comparing its epoch costs nothing. A cookie
                # from before a logout (or a password change) carries an older one.
                if session.get("epoch", 0) == user.session_epoch:
                    g.user = user
                else:
                    session.clear()
    return g.user


def _before_request() -> None:
    if request.path.startswith(WORKER_API):
        return  # OCR workers on other machines: their own tokens, checked there
    token = _bearer()
    if token is not None:
        if not request.path.startswith("/api/"):
            # A token is for scripts calling the API; it must not reach the pages (settings
            # could mint tokens that outlive it, or show the calendar feed's secret link).
            raise AuthError("API tokens work only on /api/ addresses; log in to use the pages.")
        # A script with a token: no cookies involved, so no CSRF check either.
        try:
            g.user = get_store().users.by_api_token(token)
        except (NotFoundError, AuthError) as e:
            raise AuthError(
                "the API token is wrong or was revoked: create one with "
                "`cardscan token create NAME`."
            ) from e
        g.via_token = True
        return
    if request.method in _UNSAFE:
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "signed_link", False):
            return  # no session involved: the link's signature is the authority
        if request.path.startswith("/api/") and current_user() is None:
            # Say "log in" (401), not "bad token": the phone keeps the capture and asks.
            raise AuthError("log in first (or send an `Authorization: Bearer` API token).")
        csrf.protect()


def signature_authorised(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose POST is authorised by a signed token in its URL (a one-click link in
    a mail), not by a session: it gets no CSRF check, and must check the signature itself."""
    view.signed_link = True  # type: ignore[attr-defined]
    return view


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to the login page (or answer 401 to API calls)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            if wants_json():
                raise AuthError("log in first (or send an `Authorization: Bearer` API token).")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def user_id() -> int:
    """The current user's id (only inside ``login_required`` views)."""
    user = current_user()
    assert user is not None
    return user.id


def user_today() -> date:
    """The current user's own day, in their time zone (only inside ``login_required``
    views): what "today", "tomorrow" and "next Friday" mean for them, whatever day it is
    where the server runs."""
    return outreach.local_today(get_store(), user_id())


def user_followups() -> FollowUps:
    """The current user's follow-ups on their own day (only inside ``login_required``
    views), over the request's store."""
    return FollowUps(get_store(), user_id(), user_today())


def owned_store(area: Literal["cards", "events", "reasons"], item_id: int) -> Store:
    """The request's store, once the current user's ``item_id`` in ``area`` is found. Called
    before the request's body or form is read, so another user's id is not found, whatever
    was sent (not a validation error that would tell it exists).

    Raises:
        NotFoundError: the user has no such card, event or reason.
    """
    store = get_store()
    getattr(store, area).get(user_id(), item_id)
    return store


def safe_next(target: str | None, default: str | None = None) -> str:
    """``target`` when it is a path on this site, else ``default`` (the home page).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    ``/\t/evil.example`` would leave the site as ``//evil.example``: any control character,
    backslash or a second leading slash is refused.
    """
    if (
        target
        and target.startswith("/")
        and not urlsplit(target).netloc
        and "\\" not in target
        and not any(ord(ch) < 32 or ord(ch) == 127 for ch in target)
        and not target.startswith("//")
    ):
        return target
    return default or url_for("index")


def _guard() -> LoginGuard:
    return current_app.extensions["cardscan_login_guard"]


def change_password_as(user: User, current: str, new: str) -> User:
    """Change ``user``'s password from this address; a wrong current one counts as a failed
    login (so a borrowed session cannot guess the password at full speed).

    Raises:
        RateLimitedError: this address must wait.
        AuthError: the current password is wrong.
        ValidationError: the new one is refused.
    """
    address = request.remote_addr or "?"
    _guard().check(user.name, address)
    try:
        return get_store().users.change_password(user.id, current, new)
    except AuthError:
        _guard().failed(user.name, address)
        raise


def start_session(user: User) -> None:
    """Log this browser in as ``user`` with a fresh session (at login, or after a new password)."""
    # A fresh session at login: nothing from before (and no old CSRF token) survives.
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch
    # The CSRF secret is made now, with the login's cookie. Made later, the first page and
    # the service worker's shell fetch (or any two requests in flight) would each make one,
    # and the cookie that lands last would not match the form that was shown.
    generate_csrf()


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form; offers to create the first account when there is none."""
    store = get_store()
    first_run = not store.users.all()
    error = None
    status = 200
    if request.method == "POST" and not first_run:
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        address = request.remote_addr or "?"
        try:
            _guard().check(name, address)
            user = store.users.check_password(name, password)
        except RateLimitedError as e:
            error, status = e.message, 429
        except (AuthError, NotFoundError):
            _guard().failed(name, address)
            error, status = "Wrong name or password.", 401
        else:
            _guard().succeeded(name, address)
            outreach.adopt_timezone(store, user.id, request.form.get("timezone"))
            start_session(user)
            return redirect(safe_next(request.form.get("next")))
    return (
        render_template(
            "login.html", first_run=first_run, error=error, next=request.values.get("next", "")
        ),
        status,
    )


@bp.route("/setup", methods=["POST"])
def setup() -> Any:
    """Create the first account; refused once any account exists."""
    store = get_store()
    if store.users.all():
        return redirect(url_for("auth.login"))
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    try:
        user = store.users.add(name, password)
    except CardscanError as e:  # ValidationError: show it on the same form
        return render_template("login.html", first_run=True, error=e.message, next=""), 400
    outreach.adopt_timezone(store, user.id, request.form.get("timezone"))
    start_session(user)
    return redirect(url_for("index"))


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Log out everywhere: this session and every copy of any session cookie of the user."""
    user = current_user()
    if user is not None and not g.get("via_token"):
        get_store().users.end_sessions(user.id)
    session.clear()
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Install the per-request user loading, the CSRF check and the login limiter."""
    limit = get_settings_from(app).login_attempts_per_minute
    if limit > 0:  # each of the web processes (web.processes) counts its own share
        limit = max(1, limit // app.config.get("WEB_PROCESSES", 1))
    app.extensions["cardscan_login_guard"] = LoginGuard(limit)
    app.before_request(_before_request)

    @app.context_processor
    def _inject_user() -> dict[str, Any]:
        return {"user": current_user() if request.endpoint != "static" else None}


def get_settings_from(app: Flask) -> Any:
    """The settings of an app outside a request."""
    return app.config["CARDSCAN_SETTINGS"]


__all__ = ["bp", "current_user", "get_settings", "login_required", "user_id"]
