"""The cardscan web app (Flask PWA): a thin layer over the ``cardscan`` library.

``create_app`` follows the flaskr factory pattern: defaults, then the instance config file
(or the test mapping), then settings from ``cardscan.settings.load_settings``. Routes parse the
request, call the library and render or return JSON; the ``Store`` is opened per request.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from cardscan.outreach.links import secret_key
from cardscan.reading.imaging import keep_big_buffers_returnable
from cardscan.settings import Settings, load_settings
from web.uploads import MAPPED_BUFFERS, UploadRequest

#: The largest id SQLite stores; a bigger number in a URL made the query raise OverflowError.
MAX_ID = 2**63 - 1


class _IdConverter(IntegerConverter):
    """``<int:...>`` limited to SQLite's 64-bit integers: a larger id is simply not found."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app.

    Args:
        test_config: a mapping overlaid instead of the instance ``config.py``; may hold
            ``CARDSCAN_SETTINGS`` (a ``Settings``) or ``DATA_DIR``.

    Returns:
        The configured app with every blueprint registered.
    """
    keep_big_buffers_returnable(MAPPED_BUFFERS)  # a big decode's memory is given back
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = UploadRequest
    app.url_map.converters["int"] = _IdConverter
    app.config.from_mapping(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        # Set the cookie only when the session changes: a poll answered after a logout
        # must not bring the old session cookie back.
        SESSION_REFRESH_EACH_REQUEST=False,
        # A capture page can stay open all day at an event: the token lives as long as
        # the session, not one hour.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in web.auth, skipped for Bearer tokens
        JSON_SORT_KEYS=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    settings: Settings = app.config.get("CARDSCAN_SETTINGS") or load_settings(
        {"data": app.config.get("DATA_DIR")}
    )
    app.config["CARDSCAN_SETTINGS"] = settings
    app.config["DATA_DIR"] = settings.data_dir
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024 + 64 * 1024
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(settings.data_dir)

    from web import (
        api,
        auth,
        calendar,
        capture,
        contacts,
        db,
        errors,
        events,
        followups,
        health,
        links,
        outreach_settings,
        pwa,
        security,
        timing,
        triage,
        workerapi,
    )
    from web import settings as settings_bp

    timing.init_app(app)  # first: the other hooks' time counts too
    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    for bp in (
        auth.bp,
        capture.bp,
        triage.bp,
        contacts.bp,
        events.bp,
        followups.bp,
        links.bp,
        outreach_settings.bp,
        settings_bp.bp,
        api.bp,
        calendar.bp,
        health.bp,
        pwa.bp,
        workerapi.bp,
    ):
        app.register_blueprint(bp)
    app.add_url_rule("/", endpoint="index", view_func=followups.home)

    @app.context_processor
    def _today() -> dict[str, Any]:
        signed_in = auth.current_user() is not None
        return {"today": auth.user_today() if signed_in else date.today()}

    return app
