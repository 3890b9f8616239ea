"""One-click links from the digest e-mail: GET asks, POST acts. No login: the signed token
in the address is the authority (one touch, one action, one use, 14 days).

A mail scanner that fetches every link in a message (many do, to check for phishing) only
ever sees the question, so it changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for

from cardscan import outreach
from cardscan.errors import ConflictError, GoneError
from cardscan.followups import display_name, touch_words
from cardscan.outreach import links as lib
from web.auth import current_user, signature_authorised
from web.db import get_store

bp = Blueprint("links", __name__)


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def _page(template_args: dict[str, Any], status: int = 200) -> Any:
    response = current_app.make_response((render_template("link.html", **template_args), status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _about(link: lib.Link) -> dict[str, Any]:
    """Who and what the link is about, for the page."""
    store = get_store()
    touch = store.touches.get(link.user_id, link.touch_id)
    record = store.contacts.get(link.user_id, touch.contact_id)
    return {
        "who": display_name(record.contact),
        "why": touch_words(touch, record.contact),
        "open": touch.is_open,
        "status": touch.status,
    }


_VERBS = {"done": "Mark done", "snooze": "Snooze a week"}


@bp.route(lib.LINK_PATH + "<token>", methods=["GET", "POST"])
@signature_authorised
def act(token: str) -> Any:
    """GET: what the link will do, with a button. POST: do it, once. A used or expired
    link, or a follow-up closed meanwhile, says so on the same page (410, 409)."""
    store = get_store()
    page: dict[str, Any] = {"today_url": url_for("followups.index"), "about": None}
    try:
        link = lib.read_token(_secret(), token)
        page.update(link=link, about=_about(link), verb=_VERBS.get(link.action, link.action))
        if request.method == "GET":
            lib.check_unused(store, link)
            return _page({**page, "asked": True})
        today = outreach.local_today(store, link.user_id)
        done = lib.use_token(store, _secret(), token, today)
    except (GoneError, ConflictError) as refused:
        heading = (
            "Nothing to do" if isinstance(refused, ConflictError) else "This link no longer works"
        )
        page.update(refused=heading, problem=str(refused))
        return _page(page, refused.http_status)
    touch = store.touches.get(link.user_id, done.touch_id)
    user = current_user()
    return _page(
        {
            **page,
            "asked": False,
            "result": outreach.acts.describe(done, touch, source=False),
            "signed_in": user is not None and user.id == link.user_id,
        }
    )
